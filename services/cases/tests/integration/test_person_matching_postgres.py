"""Two appeals about one new person (no identifiers, two spellings) handled at the same instant on
PostgreSQL: one person and one case, the second appeal attached to it (the birth date's advisory
lock lets the second see the first's person)."""

import threading
import uuid
from functools import partial

import pytest
from sqlalchemy import func, select

from cases.adapters.orm import case_appeals, cases, metadata, persons
from cases.adapters.repository import CaseRepository
from cases.service_layer import handlers
from ekm_platform.db import drop_database, ensure_database, make_engine, make_session_factory
from ekm_platform.envelope import Envelope
from ekm_platform.migrations import migrate
from ekm_platform.testing.fixtures import postgres_available
from ekm_platform.unit_of_work import UnitOfWork

pytestmark = [pytest.mark.integration, pytest.mark.timeout(120)]
SPELLINGS = [
    {"last_name": "Гнатюк", "first_name": "Мар'яна", "birth_date": "1991-06-17"},
    {"last_name": "Hnatiuk", "first_name": "Mariana", "birth_date": "1991-06-17"},
]


@pytest.fixture
def uow():
    if not postgres_available():
        pytest.skip("PostgreSQL is not running on 127.0.0.1:5432")
    url = f"postgresql+psycopg://postgres:postgres@127.0.0.1:5432/ekmtest_cases_{uuid.uuid4().hex[:8]}"
    ensure_database(url)
    migrate(url, "cases.adapters.migrations")
    engine = make_engine(url)
    yield partial(UnitOfWork, make_session_factory(engine), metadata.tables, "cases", CaseRepository)
    engine.dispose()
    drop_database(url)


def test_one_new_person_in_two_spellings_at_once_is_one_person_and_one_case(uow):
    start, failures = threading.Barrier(2), []

    def handle(i):
        event = Envelope(
            "appeal.accepted",
            "intake",
            {"appeal_id": f"a-{i}", "screening_level": "assessment", "community_code": "UA80000000000093317"},
        )
        start.wait(timeout=20)
        try:
            with uow() as u:
                handlers.open_case_for_appeal(event, u, lambda appeal_id: {"person": dict(SPELLINGS[i])})
                u.commit()
        except Exception as exc:  # noqa: BLE001 — reported below
            failures.append(repr(exc))

    threads = [threading.Thread(target=handle, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert failures == []
    with uow() as u:
        counts = [
            u.session.execute(select(func.count()).select_from(t)).scalar() for t in (persons, cases, case_appeals)
        ]
    assert counts == [1, 1, 2]
