"""Item 8 of issue 8: a closed case stays readable — its history, plan, assessment, household,
consents and the recipient's cabinet (read-only) — and its services can be rated for a configured
period after closure (EKM_RATING_AFTER_CLOSURE_DAYS), then FAILED_PRECONDITION."""

from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import update

from cases.adapters.orm import cases as cases_table
from cases.adapters.orm import metadata
from cases.adapters.repository import CaseRepository
from cases.domain.assessment import Assessment, Domain, DomainAssessment, FamilyMember
from cases.domain.closure import RATING_DAYS_ENV, rating_days
from cases.domain.consent import Consent
from cases.domain.lifecycle import Outcome
from cases.domain.model import Stage
from cases.domain.plan import Goal, Plan, PlannedService, Step
from cases.domain.review import Review
from cases.domain.workload import CaseManager
from cases.service_layer import assessments, cabinet, consents, handlers, persons, plans, stages, workload
from ekm_platform.auth import Principal
from ekm_platform.envelope import Envelope
from ekm_platform.errors import FailedPrecondition, NotFound

COMMUNITY = "UA80000000000093317"
CM, SV = Principal("cm-1", "case_manager"), Principal("sv-1", "supervisor")
PERSON = {
    "rnokpp": "3221512349",
    "unzr": "19880314-43212",
    "last_name": "Коваленко",
    "first_name": "Андрій",
    "patronymic": "",
    "birth_date": "1988-03-14",
}
CLOSED = "closed"


@pytest.fixture
def uow(sqlite_uow):
    factory = sqlite_uow("cases", metadata, CaseRepository)
    with factory() as u:
        workload.register_manager(u, CaseManager("cm-1", COMMUNITY, 10, frozenset({"veterans"}), "sv-1"))
    return factory


def current(uow, case):
    with uow() as u:
        return u.repo.get(case_id=case.case_id)


def to(uow, case, *targets, by=CM, outcome=None):
    for target in targets:
        with uow() as u:
            stages.transition_case(u, by, case.case_id, target, current(uow, case).version, outcome)
    return current(uow, case)


@pytest.fixture
def closed(uow):
    """A case walked through to its closure: assessment, an agreed plan with the person's own steps and a
    service, a review, a consent, a household; closed as resolved by the supervisor."""
    event = Envelope(
        "appeal.accepted", "intake", {"appeal_id": "a-1", "screening_level": "assessment", "community_code": COMMUNITY}
    )
    with uow() as u:
        case = handlers.open_case_for_appeal(event, u, lambda appeal_id: {"person": PERSON})
        u.commit()
    act = Assessment(
        case.case_id,
        1,
        "2026-11-01",
        "cm-1",
        family=(FamilyMember("Коваленко Андрій", "1988-03-14", "self"),),
        domains=tuple(DomainAssessment(d, 2 if d is Domain.HEALTH else 0) for d in Domain),
    )
    with uow() as u:
        assessments.save_assessment(u, CM, act, current(uow, case).version, submit=True)
    with uow() as u:
        assessments.approve_assessment(u, SV, case.case_id, 1)
    with uow() as u:
        persons.save_household(u, CM, case.case_id, "Київ", [FamilyMember("Коваленко Андрій", "1988-03-14", "self")])
    with uow() as u:
        consents.record_consent(
            u,
            CM,
            Consent(
                "",
                case.case_id,
                "registry_lookup",
                "health",
                ("health",),
                "person",
                "written",
                datetime.now(timezone.utc) - timedelta(hours=1),
                datetime.now(timezone.utc) + timedelta(days=365),
                "",
            ),
        )
    if current(uow, case).stage is not Stage.PLANNING:  # approving the assessment may already move it on
        to(uow, case, Stage.PLANNING)
    plan = Plan(
        case.case_id,
        1,
        goals=(Goal("g1", "health", "Реабілітація"),),
        steps=(
            Step("s1", "g1", "Візит до лікаря", "person", "p", "2026-12-01"),
            Step("s2", "g1", "Вправи", "person", "p", "2026-12-15"),
        ),
        services=(PlannedService("sv1", "rehabilitation", "Центр", "щотижня"),),
    )
    with uow() as u:
        plans.save_plan(u, CM, plan, current(uow, case).version)
    with uow() as u:
        plans.approve_plan(u, SV, case.case_id, 1)
    with uow() as u:
        plans.agree_plan(u, CM, case.case_id, 1, "in_person")
    to(uow, case, Stage.IMPLEMENTATION, Stage.MONITORING, Stage.REVIEW)
    with uow() as u:
        plans.record_review(
            u,
            CM,
            Review(case.case_id, date.today().isoformat(), True, {"g1": "achieved"}, "Працює"),
            current(uow, case).version,
        )
    requested = to(uow, case, Stage.CLOSED, outcome=Outcome.RESOLVED)
    with uow() as u:
        done = stages.approve_closure(u, SV, case.case_id, requested.version)
    assert done.stage is Stage.CLOSED
    return done


def me(case):
    return Principal(case.person_id, "recipient")


def closed_days_ago(uow, case, days):
    with uow() as u:
        u.session.execute(
            update(cases_table)
            .where(cases_table.c.case_id == case.case_id)
            .values(stage_entered_at=datetime.now(timezone.utc) - timedelta(days=days))
        )
        u.commit()


# what broke on a closed case (these failed before) ----------------------------------------------------
def test_the_social_history_of_a_closed_case_is_readable(uow, closed):
    with uow() as u:
        kinds = [e.kind for e in handlers.social_history(u, CM, closed.person_id, 0, 100)]
    assert "case.opened" in kinds and "review" in kinds and "consent.recorded" in kinds


def test_the_person_of_a_closed_case_is_readable(uow, closed):
    with uow() as u:
        assert persons.get_person(u, CM, closed.person_id).rnokpp == PERSON["rnokpp"]


def test_the_recipient_cabinet_of_a_closed_case_is_readable_and_read_only(uow, closed):
    with uow() as u:
        view = cabinet.cabinet(u, me(closed))
    assert view.case.stage is Stage.CLOSED and view.read_only
    assert [s.step_id for s in view.plan.steps] == ["s1", "s2"] and view.closed_at == closed.stage_entered_at
    assert view.rating_open_until == closed.stage_entered_at + timedelta(days=30)
    with uow() as u, pytest.raises(FailedPrecondition, match=CLOSED):
        cabinet.mark_own_step_done(u, me(closed), "s1")
    with uow() as u, pytest.raises(FailedPrecondition, match=CLOSED):
        cabinet.agree_in_cabinet(u, me(closed), 1)
    with uow() as u:
        assert {s.status for s in u.repo.latest_plan(closed.case_id).steps} == {"planned"}


def test_a_recipient_rates_a_service_after_closure_within_the_period(uow, closed):
    with uow() as u:
        _, service_id, rating, comment, _ = cabinet.rate_service(u, me(closed), "sv1", 5, "Дякую")
    assert (service_id, rating, comment) == ("sv1", 5, "Дякую")
    with uow() as u:
        assert cabinet.cabinet(u, me(closed)).my_ratings == {"sv1": 5}


def test_after_the_period_rating_is_refused_with_a_clear_message(uow, closed, monkeypatch):
    monkeypatch.delenv(RATING_DAYS_ENV, raising=False)
    closed_days_ago(uow, closed, 31)
    with uow() as u, pytest.raises(FailedPrecondition) as caught:
        cabinet.rate_service(u, me(closed), "sv1", 4, "")
    message = str(caught.value)
    assert "30" in message and " / " in message and "rating period" in message
    with uow() as u:
        assert u.repo.ratings.of_case(closed.case_id) == {}
    monkeypatch.setenv(RATING_DAYS_ENV, "60")  # the deployment's period, read from configuration
    with uow() as u:
        cabinet.rate_service(u, me(closed), "sv1", 4, "")


def test_staff_cannot_change_the_plan_of_a_closed_case(uow, closed):
    with uow() as u, pytest.raises(FailedPrecondition, match=CLOSED):
        plans.mark_step_done(u, CM, closed.case_id, "s1")
    with uow() as u, pytest.raises(FailedPrecondition, match=CLOSED):
        plans.agree_plan(u, CM, closed.case_id, 1, "in_person")
    with uow() as u, pytest.raises(FailedPrecondition, match=CLOSED):
        consents.record_consent(
            u,
            CM,
            Consent(
                "",
                closed.case_id,
                "transfer",
                COMMUNITY,
                ("identity",),
                "person",
                "oral",
                datetime.now(timezone.utc),
                datetime.now(timezone.utc) + timedelta(days=5),
                "",
            ),
        )
    with uow() as u, pytest.raises(FailedPrecondition, match=CLOSED):
        assessments.add_contribution(u, CM, closed.case_id, "cnap-1", "Довідка про стан здоров'я")


def test_the_configured_period_must_be_a_whole_number_of_days():
    assert (
        rating_days({}) == 30
        and rating_days({RATING_DAYS_ENV: " 7 "}) == 7
        and rating_days({RATING_DAYS_ENV: ""}) == 30
    )
    for bad in ("-1", "thirty", "1.5"):
        with pytest.raises(ValueError, match=RATING_DAYS_ENV):
            rating_days({RATING_DAYS_ENV: bad})


# what already worked stays working ----------------------------------------------------------------
def test_the_case_plan_assessment_household_and_consents_of_a_closed_case_are_readable(uow, closed):
    with uow() as u:
        assert handlers.get_case(u, CM, case_id=closed.case_id).stage is Stage.CLOSED
    with uow() as u:
        assert plans.get_plan(u, CM, closed.case_id).version == 1
    with uow() as u:
        assert assessments.get_assessment(u, SV, closed.case_id, 0).version == 1
    with uow() as u:
        assert persons.get_household(u, CM, closed.case_id)[1] == closed.case_id
    with uow() as u:
        assert len(consents.list_consents(u, CM, closed.case_id)) == 1


def test_others_still_cannot_read_a_closed_case(uow, closed):
    with uow() as u, pytest.raises(NotFound):
        handlers.social_history(u, Principal("cm-2", "case_manager"), closed.person_id, 0, 10)
    with uow() as u, pytest.raises(NotFound):
        cabinet.cabinet(u, Principal("someone-else", "recipient"))


def test_a_reopened_case_is_writable_in_the_cabinet_again(uow, closed):
    to(uow, closed, Stage.ASSESSMENT, by=SV)
    with uow() as u:
        view = cabinet.cabinet(u, me(closed))
    assert not view.read_only and view.closed_at is None
