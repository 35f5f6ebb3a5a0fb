"""m0012 on SQLite: persons stored before it get their search key, so the worklist finds them."""

import pytest
from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy import create_engine, text

from cases.adapters.repository import CaseRepository
from ekm_platform.db import make_session_factory
from ekm_platform.migrations import discover

MIGRATIONS = "cases.adapters.migrations"
SEARCH = "m0012_worklist_search"


@pytest.fixture
def engine(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'cases.db'}")
    yield engine
    engine.dispose()


def test_persons_stored_before_the_migration_are_found_by_name(engine):
    found = dict(discover(MIGRATIONS))
    with engine.begin() as conn:
        op = Operations(MigrationContext.configure(conn))
        for name in sorted(n for n in found if n < SEARCH):
            found[name].upgrade(op)
        for n, (last, first) in enumerate([("Прокоп’єнко", "Олена"), ("Коваленко", "Андрій")]):
            conn.execute(
                text(
                    "INSERT INTO persons (person_id, last_name, first_name, patronymic, birth_date, "
                    "created_at) VALUES (:id, :last, :first, '', '1990-01-01', '2026-01-01')"
                ),
                {"id": f"person-{n}", "last": last, "first": first},
            )
            conn.execute(
                text(
                    "INSERT INTO cases (case_id, case_number, person_id, stage, screening_level, "
                    "community_code, assigned_to, opened_at, updated_at, version) VALUES (:id, :number, "
                    ":person, 'assessment', 'assessment', 'UA1', 'cm-1', '2026-01-01', '2026-01-01', 1)"
                ),
                {"id": f"case-{n}", "number": f"CASE-{n}", "person": f"person-{n}"},
            )
        found[SEARCH].upgrade(op)
        for name in sorted(n for n in found if n > SEARCH):
            found[name].upgrade(op)
    with make_session_factory(engine)() as session:
        repo = CaseRepository(session)
        assert [c.case_id for c in repo.list(assigned_to=["cm-1"], search=("name", "прокоп'єнко о"))] == ["case-0"]
        assert [c.case_id for c in repo.list(assigned_to=["cm-1"], search=("name", "коваленко"))] == ["case-1"]
