"""The audit chain's anchors: a cut tail, a recomputed chain and a forged anchor are found."""

import base64
import json

import pytest
from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy import MetaData, create_engine, select, text, update

from ekm_platform.audit import GENESIS, AuditEntry, audit_table, chain_pending, create_audit_log, entry_hash
from ekm_platform.audit_anchor import AnchorLog, chain_head, check_anchors
from ekm_platform.cli import main

table = audit_table(MetaData())


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("EKM_HOME", str(tmp_path))
    monkeypatch.delenv("EKM_VAR_DIR", raising=False)
    for name in ("EKM_AUDIT_ANCHOR_DIR", "EKM_AUDIT_ANCHOR_KEY", "EKM_AUDIT_ANCHOR_PUBLIC_KEY", "EKM_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("EKM_CASES_DATABASE_URL", f"sqlite:///{tmp_path / 'cases.db'}")
    return tmp_path


@pytest.fixture
def engine(home):
    engine = create_engine(f"sqlite:///{home / 'cases.db'}")
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


def chain_and_anchor(engine, log):
    with engine.begin() as conn:
        chain_pending(conn, table)
    with engine.connect() as conn:
        return log.append(*chain_head(conn, table))


def check(engine, log):
    with engine.connect() as conn:
        return check_anchors(conn, table, log)


def recompute_from(conn, first_pos):
    """What someone with the database in hand does: every hash from ``first_pos`` again."""
    rows = (
        conn.execute(select(table).where(table.c.chain_pos >= first_pos).order_by(table.c.chain_pos)).mappings().all()
    )
    prev = conn.execute(select(table.c.hash).where(table.c.chain_pos == first_pos - 1)).scalar() or GENESIS
    for row in rows:
        digest = entry_hash(prev, row)
        conn.execute(update(table).where(table.c.seq == row["seq"]).values(prev_hash=prev, hash=digest))
        prev = digest


@pytest.fixture
def anchored(engine):
    """Ten entries chained and anchored twice (after 6 and after 10)."""
    log = AnchorLog("cases")
    append(engine, 6)
    chain_and_anchor(engine, log)
    append(engine, 4, start=6)
    chain_and_anchor(engine, log)
    return log


def test_a_clean_log_passes_and_the_cli_says_so(engine, anchored, capsys):
    assert len(anchored.read()) == 2
    result = check(engine, anchored)
    assert result.ok and result.anchors == 2 and result.latest_pos == 10
    assert main(["audit-verify", "cases"]) == 0
    assert "10 linked" in capsys.readouterr().out


def test_anchoring_the_same_head_twice_adds_nothing(engine, anchored):
    assert chain_and_anchor(engine, anchored) is None
    assert len(anchored.read()) == 2


def test_a_cut_tail_is_found(engine, anchored, capsys):
    with engine.begin() as conn:  # around the append-only trigger, as the database's owner can
        conn.execute(text("DROP TRIGGER audit_log_no_delete"))
        conn.execute(text("DELETE FROM audit_log WHERE chain_pos > 7"))
    result = check(engine, anchored)
    assert not result.ok and "position 10" in result.problems[0] and "tail was cut" in result.problems[0]
    assert main(["audit-verify", "cases"]) == 3
    assert "tail was cut" in capsys.readouterr().err


def test_an_edit_with_every_hash_computed_again_is_found(engine, anchored, capsys):
    with engine.begin() as conn:
        conn.execute(text("DROP TRIGGER audit_log_no_update"))
        conn.execute(text("UPDATE audit_log SET actor_id = 'someone-else' WHERE chain_pos = 3"))
        recompute_from(conn, 3)
    from ekm_platform.audit import verify

    with engine.connect() as conn:
        assert verify(conn, table).ok  # the chain alone no longer shows it
    result = check(engine, anchored)
    assert not result.ok and all("rewritten" in p for p in result.problems) and len(result.problems) == 2
    assert main(["audit-verify", "cases"]) == 3
    assert "chain was rewritten" in capsys.readouterr().err


def test_an_entry_deleted_and_the_rest_renumbered_is_found(engine, anchored):
    with engine.begin() as conn:
        conn.execute(text("DROP TRIGGER audit_log_no_delete"))
        conn.execute(text("DROP TRIGGER audit_log_no_update"))
        conn.execute(text("DELETE FROM audit_log WHERE chain_pos = 8"))
        conn.execute(text("UPDATE audit_log SET chain_pos = chain_pos - 1 WHERE chain_pos > 8"))
        recompute_from(conn, 8)
    result = check(engine, anchored)
    assert not result.ok and "position 10" in " ".join(result.problems)


def test_a_forged_anchor_is_found(engine, anchored, capsys):
    with engine.begin() as conn:  # rewrite the chain, then add an anchor for the new head...
        conn.execute(text("DROP TRIGGER audit_log_no_update"))
        conn.execute(text("UPDATE audit_log SET purpose = 'інше' WHERE chain_pos = 9"))
        recompute_from(conn, 9)
        pos, head = chain_head(conn, table)
    last = json.loads(anchored.read()[-1])
    forged = {
        **last,
        "chain_pos": pos + 1,
        "hash": head,
        "prev": last["sig"],
        "sig": base64.b64encode(b"\0" * 64).decode(),
    }  # ...without the key
    with open(anchored.path, "a") as out:
        out.write(json.dumps(forged) + "\n")
    result = check(engine, anchored)
    assert any("signature does not verify" in p for p in result.problems)
    assert main(["audit-verify", "cases"]) == 3


def test_an_anchor_line_edited_or_removed_is_found(engine, anchored):
    append(engine, 2, start=10)
    chain_and_anchor(engine, anchored)
    lines = anchored.read()
    anchored.path.write_text(lines[0] + "\n" + lines[2] + "\n")  # the middle anchor taken out
    assert any("anchors missing" in p for p in check(engine, anchored).problems)
    edited = json.loads(lines[1])
    edited["hash"] = "f" * 64
    anchored.path.write_text("\n".join([lines[0], json.dumps(edited), lines[2]]) + "\n")
    assert any("signature does not verify" in p for p in check(engine, anchored).problems)


def test_a_linked_log_without_anchors_fails(engine, capsys):
    append(engine, 3)
    with engine.begin() as conn:
        chain_pending(conn, table)
    assert main(["audit-verify", "cases"]) == 3
    assert "no anchors" in capsys.readouterr().err
    assert main(["audit-verify", "cases", "--chain"]) == 0  # an operator links and anchors now


def test_a_service_without_an_audit_log_says_so(home, capsys):
    assert main(["audit-verify", "cases"]) == 2
    assert "has no audit log" in capsys.readouterr().err


@pytest.mark.parametrize("service", ["intake", "cases", "registry-gateway", "interagency", "notifications"])
def test_audit_verify_works_for_every_service_with_an_audit_log(home, monkeypatch, service, capsys):
    from ekm_platform import config
    from ekm_platform.migrations import migrate

    url = f"sqlite:///{home / (config.package_name(service) + '.db')}"
    monkeypatch.setenv(f"EKM_{config.env_key(service)}_DATABASE_URL", url)
    migrate(url, f"{config.package_name(service)}.adapters.migrations")  # the service's own migrations
    engine = create_engine(url)
    try:
        append(engine, 3)
        assert main(["audit-verify", service, "--chain"]) == 0
        assert "3 linked" in capsys.readouterr().out
        with engine.begin() as conn:
            if conn.dialect.name == "sqlite":
                conn.execute(text("DROP TRIGGER audit_log_no_delete"))
            conn.execute(text("DELETE FROM audit_log WHERE chain_pos = 3"))
        assert main(["audit-verify", service]) == 3
        assert "tail was cut" in capsys.readouterr().err
    finally:
        engine.dispose()
