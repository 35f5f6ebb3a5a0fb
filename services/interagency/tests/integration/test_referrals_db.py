"""Referrals, their transitions, agencies and conferences on both databases (SQLite and
PostgreSQL): the migrations, a stale answer losing to the first, an agency's inbox, a conference
found by a participating agency's code."""

from datetime import datetime, timezone
from functools import partial

import pytest

from ekm_platform import config
from ekm_platform.auth import Principal
from ekm_platform.db import make_engine, make_session_factory
from ekm_platform.errors import FailedPrecondition
from ekm_platform.migrations import migrate
from ekm_platform.unit_of_work import UnitOfWork
from interagency.adapters.orm import metadata
from interagency.adapters.repository import ReferralRepository
from interagency.domain.conference import Conference, Participant
from interagency.domain.model import ReferralState
from interagency.service_layer import agencies, conferences, handlers

pytestmark = [pytest.mark.integration, pytest.mark.timeout(120)]
CASE, COMMUNITY, HEALTH, JOBS = "CASE-2026-AAAAAAA", "UA80000000000093317", "12345678", "87654321"
CM = Principal("cm-1", "case_manager")
AGENCY = Principal("pa-1", "partner_agency", organisation=HEALTH)


def check(actor, case_number, subject=None):
    if actor["user_id"] != "cm-1" or case_number != CASE:
        return {"status": "not_found"}
    return {"status": "ok", "case_id": "c-1", "case_number": CASE, "stage": "planning", "person_id": "p-1"}


@pytest.fixture
def uow(database_url, tmp_path, monkeypatch):
    if database_url:
        monkeypatch.setenv("EKM_DATABASE_URL", database_url)
        url = config.database_url("interagency")
    else:
        url = f"sqlite:///{tmp_path / 'interagency.db'}"
    migrate(url, "interagency.adapters.migrations")
    engine = make_engine(url)
    yield partial(UnitOfWork, make_session_factory(engine), metadata.tables, "interagency", ReferralRepository)
    engine.dispose()


def test_the_loop_and_conferences_on_both_databases(uow):
    for code, sector in ((HEALTH, "health"), (JOBS, "employment")):
        with uow() as u:
            agencies.register_agency(
                u, {"agency_code": code, "name": f"Установа {code}", "sector": sector, "community_code": COMMUNITY}
            )
    with uow() as u:  # registering again updates
        agencies.register_agency(
            u, {"agency_code": HEALTH, "name": "Лікарня №1", "sector": "health", "community_code": COMMUNITY}
        )
    with uow() as u:
        assert [a.name for a in agencies.list_agencies(u, CM)] == ["Установа 87654321", "Лікарня №1"]  # by sector
    with uow() as u:
        referral = handlers.create_referral(u, check, CM, CASE, None, HEALTH, "Потреба", action="Дія")
    with uow() as u:
        stale = u.repo.get(referral.referral_id)
        assert stale.respond_by.tzinfo is not None and stale == referral
        handlers.accept_referral(u, AGENCY, referral.referral_id)
    with uow() as u:
        assert not u.repo.save_transition(stale, *stale.revoke("cm-1", "case_manager", "пізно"))
    with uow() as u, pytest.raises(FailedPrecondition):
        handlers.accept_referral(u, AGENCY, referral.referral_id)
    with uow() as u:
        done = handlers.complete_referral(u, AGENCY, referral.referral_id, "Готово", False)
        assert done.success is False
    with uow() as u:
        [listed] = handlers.list_referrals(u, check, AGENCY, states=("completed",))
        assert listed.state is ReferralState.COMPLETED and listed.success is False
        assert [t.to_state for t in u.repo.transitions(referral.referral_id)] == [
            "in_progress",
            "accepted",
            "completed",
        ]
    with uow() as u:
        called = conferences.create_conference(
            u,
            check,
            CM,
            Conference(
                CASE,
                datetime(2026, 12, 10, tzinfo=timezone.utc),
                ("Порядок денний",),
                (Participant(HEALTH), Participant(JOBS)),
                "",
            ),
        )
    with uow() as u:
        jobs = Principal("pa-2", "partner_agency", organisation=JOBS)
        assert [c.conference_id for c in conferences.list_conferences(u, check, jobs)] == [called.conference_id]
        assert conferences.list_conferences(u, check, Principal("pa-3", "partner_agency", organisation="1234567")) == []


def test_ten_agency_workers_accepting_at_once_one_wins_the_rest_failed_precondition(uow):
    from concurrent.futures import ThreadPoolExecutor

    with uow() as u:
        agencies.register_agency(
            u, {"agency_code": HEALTH, "name": "Лікарня", "sector": "health", "community_code": COMMUNITY}
        )
    with uow() as u:
        referral = handlers.create_referral(u, check, CM, CASE, None, HEALTH, "Потреба")

    def accept(i):
        try:
            with uow() as u:
                handlers.accept_referral(
                    u, Principal(f"pa-{i}", "partner_agency", organisation=HEALTH), referral.referral_id
                )
            return "ok"
        except FailedPrecondition:
            return "failed_precondition"
        except Exception as exc:  # SQLite: "database is locked" would show here
            return type(exc).__name__

    with ThreadPoolExecutor(10) as pool:
        results = list(pool.map(accept, range(10)))
    assert sorted(results) == ["failed_precondition"] * 9 + ["ok"], results
    with uow() as u:
        assert [t.to_state for t in u.repo.transitions(referral.referral_id)] == ["in_progress", "accepted"]
