import pytest
from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy import MetaData, create_engine, text
from sqlalchemy.exc import DatabaseError

from ekm_platform.audit import AuditEntry, audit_table, chain_pending, create_audit_log, verify

table = audit_table(MetaData())


@pytest.fixture
def engine(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'audit.db'}")
    with engine.begin() as conn:
        create_audit_log(Operations(MigrationContext.configure(conn)))
    yield engine
    engine.dispose()


def append(engine, n, start=0):
    with engine.begin() as conn:
        for i in range(start, start + n):
            conn.execute(
                table.insert().values(
                    **AuditEntry(
                        "cm-1", "case_manager", "case.read", "case", f"case-{i}", "ведення випадку", {"i": i}
                    ).row()
                )
            )


def test_entries_are_chained_and_verify(engine):
    append(engine, 5)
    with engine.begin() as conn:
        assert verify(conn, table).pending == 5
        assert chain_pending(conn, table) == 5
    append(engine, 3, start=5)
    with engine.begin() as conn:
        assert chain_pending(conn, table, limit=2) == 2
        assert chain_pending(conn, table) == 1
        result = verify(conn, table)
    assert result.ok and result.checked == 8 and result.pending == 0


def test_the_database_refuses_edits_and_deletes(engine):
    append(engine, 2)
    with engine.begin() as conn:
        chain_pending(conn, table)
    for statement in (
        "UPDATE audit_log SET actor_id = 'someone-else' WHERE seq = 1",
        "DELETE FROM audit_log WHERE seq = 2",
    ):
        with pytest.raises(DatabaseError, match="append-only"), engine.begin() as conn:
            conn.execute(text(statement))


def test_an_edit_around_the_triggers_is_found(engine):
    append(engine, 4)
    with engine.begin() as conn:
        chain_pending(conn, table)
        conn.execute(text("DROP TRIGGER audit_log_no_update"))
        conn.execute(text("UPDATE audit_log SET purpose = 'інше' WHERE seq = 3"))
        result = verify(conn, table)
    assert not result.ok and result.broken_at == 3 and result.checked == 2
