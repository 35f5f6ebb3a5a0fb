"""Ten near-duplicates of one person at once on PostgreSQL: one appeal is accepted and the other
nine are merged into it (the subject's advisory lock serialises the check)."""

import threading
import uuid
from dataclasses import replace
from functools import partial

import pytest
from sqlalchemy import text

from ekm_platform.auth import Principal
from ekm_platform.db import drop_database, ensure_database, make_engine, make_session_factory
from ekm_platform.migrations import migrate
from ekm_platform.testing.fixtures import postgres_available
from ekm_platform.unit_of_work import UnitOfWork
from intake.adapters.orm import metadata
from intake.adapters.repository import AppealRepository
from intake.domain.model import AppealState
from intake.service_layer import handlers

pytestmark = [pytest.mark.integration, pytest.mark.timeout(120)]


@pytest.fixture
def uow():
    if not postgres_available():
        pytest.skip("PostgreSQL is not running on 127.0.0.1:5432")
    url = f"postgresql+psycopg://postgres:postgres@127.0.0.1:5432/ekmtest_intake_{uuid.uuid4().hex[:8]}"
    ensure_database(url)
    migrate(url, "intake.adapters.migrations")
    engine = make_engine(url)
    yield partial(UnitOfWork, make_session_factory(engine), metadata.tables, "intake", AppealRepository)
    engine.dispose()
    drop_database(url)


def test_ten_near_duplicates_at_once_give_one_appeal_and_nine_merged(uow, valid):
    start, results, failures = threading.Barrier(10), [None] * 10, []

    def submit(i):
        start.wait(timeout=20)
        try:
            with uow() as u:
                results[i] = handlers.submit_appeal(
                    replace(valid, applicant_phone=f"+38050111{i:04d}"),
                    u,
                    Principal(f"cm-{i}", "case_manager", "UA80000000000093317"),
                )
        except Exception as exc:  # noqa: BLE001 — reported below
            failures.append(repr(exc))

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert failures == []
    accepted = [a for a in results if a.state is AppealState.ACCEPTED]
    merged = [a for a in results if a.state is AppealState.MERGED]
    assert len(accepted) == 1 and len(merged) == 9
    assert {a.merged_into for a in merged} == {accepted[0].appeal_id}
    with uow() as u:
        kinds = u.session.execute(text("SELECT event_type, count(*) FROM outbox GROUP BY event_type")).all()
    assert dict(kinds) == {"appeal.accepted": 1, "appeal.merged": 9}
