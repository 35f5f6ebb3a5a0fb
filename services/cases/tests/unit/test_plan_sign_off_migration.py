"""m0009 on SQLite: plans written before it get their sign-off columns from their documents
and cases, and read back through the repository as before."""

import json
from datetime import datetime, timezone

import pytest
from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy import create_engine, text

from cases.adapters.repository import CaseRepository
from ekm_platform.db import make_session_factory
from ekm_platform.migrations import discover

MIGRATIONS = "cases.adapters.migrations"
SIGN_OFF = "m0009_plan_sign_off"
NOW = "2026-11-20T08:00:00+00:00"


def document(version, **sign_off):
    return json.dumps(
        {
            "case_id": "case-1",
            "version": version,
            "goals": [],
            "steps": [],
            "services": [],
            "agreed_at": "",
            "agreement_channel": "",
            "approved_by": "",
            **sign_off,
        }
    )


@pytest.fixture
def engine(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'cases.db'}")
    yield engine
    engine.dispose()


def test_the_sign_off_migration_fills_plans_written_before_it(engine):
    found = dict(discover(MIGRATIONS))
    with engine.begin() as conn:
        op = Operations(MigrationContext.configure(conn))
        for name in sorted(n for n in found if n < SIGN_OFF):
            found[name].upgrade(op)
        conn.execute(
            text(
                "INSERT INTO cases (case_id, case_number, person_id, stage, screening_level, community_code,"
                " assigned_to, opened_at, updated_at, version) VALUES ('case-1', 'CASE-1', 'person-1',"
                " 'monitoring', 'assessment', 'UA1', 'cm-1', :at, :at, 1)"
            ),
            {"at": NOW},
        )
        rows = [
            (1, document(1, agreed_at="2026-11-21T10:00:00+02:00", agreement_channel="cabinet", approved_by="sv-1")),
            (2, document(2, approved_by="sv-2")),
            (3, document(3)),
        ]
        for version, doc in rows:
            conn.execute(
                text(
                    "INSERT INTO plans (case_id, version, agreed, document, updated_at)"
                    " VALUES ('case-1', :v, :agreed, :doc, :at)"
                ),
                {"v": version, "agreed": version == 1, "doc": doc, "at": NOW},
            )
        found[SIGN_OFF].upgrade(op)
    with make_session_factory(engine)() as session:
        repo = CaseRepository(session)
        agreed, approved, draft = (repo.latest_plan("case-1", v) for v in (1, 2, 3))
    assert (agreed.agreed_by, agreed.agreement_channel, agreed.approved_by, agreed.approved_at) == (
        "person-1",
        "cabinet",
        "sv-1",
        "",
    )  # the approval time was never kept
    assert datetime.fromisoformat(agreed.agreed_at) == datetime(2026, 11, 21, 8, 0, tzinfo=timezone.utc)
    assert (approved.approved_by, approved.agreed_by, approved.agreed_at) == ("sv-2", "", "")
    assert (draft.approved_by, draft.agreed_by, draft.agreed_at, draft.agreement_channel) == ("", "", "", "")
