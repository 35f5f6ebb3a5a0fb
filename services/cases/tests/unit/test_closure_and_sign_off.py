"""Over a real (SQLite) database, no broker: a case closes as resolved or minimised only
from the review stage, and a plan keeps who approved it and who agreed to it, and when."""

from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from cases.adapters import grpc_mapping
from cases.adapters.orm import metadata
from cases.adapters.orm import plans as plans_table
from cases.adapters.repository import CaseRepository
from cases.domain.assessment import Assessment, Domain, DomainAssessment, FamilyMember
from cases.domain.lifecycle import Outcome
from cases.domain.model import Stage
from cases.domain.plan import Goal, Plan
from cases.domain.review import Review
from cases.domain.workload import CaseManager
from cases.service_layer import assessments, cabinet, handlers, plans, stages, workload
from ekm.cases.v1 import cases_pb2
from ekm_platform.auth import Principal
from ekm_platform.envelope import Envelope
from ekm_platform.errors import FailedPrecondition

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
REVIEW_STAGE_FIRST = "move the case to the review stage first"


@pytest.fixture
def uow(sqlite_uow):
    factory = sqlite_uow("cases", metadata, CaseRepository)
    with factory() as u:
        workload.register_manager(u, CaseManager("cm-1", COMMUNITY, 10, frozenset({"veterans"}), "sv-1"))
    return factory


@pytest.fixture
def case(uow):
    event = Envelope(
        "appeal.accepted", "intake", {"appeal_id": "a-1", "screening_level": "assessment", "community_code": COMMUNITY}
    )
    with uow() as u:
        opened = handlers.open_case_for_appeal(event, u, lambda appeal_id: {"person": PERSON})
        u.commit()
    return opened


def current(uow, case):
    with uow() as u:
        return u.repo.get(case_id=case.case_id)


def to(uow, case, *targets, by=CM, outcome=None):
    for target in targets:
        with uow() as u:
            stages.transition_case(u, by, case.case_id, target, current(uow, case).version, outcome)
    return current(uow, case)


def planned(uow, case):
    """An approved assessment and a plan saved in planning, not yet approved."""
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
        assessments.approve_assessment(u, SV, case.case_id, 1)  # moves the case on to planning
    with uow() as u:
        plans.save_plan(
            u, CM, Plan(case.case_id, 1, goals=(Goal("g1", "health", "Реабілітація"),)), current(uow, case).version
        )


def reviewed(uow, case):
    """A case in the review stage with a review recorded."""
    planned(uow, case)
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


# Closure ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("outcome", [Outcome.RESOLVED, Outcome.MINIMISED])
def test_a_reviewed_case_back_in_monitoring_cannot_close_as_resolved_or_minimised(uow, case, outcome):
    reviewed(uow, case)
    before = to(uow, case, Stage.MONITORING)  # a review is recorded, but the case left the review stage
    for who in (CM, SV):  # neither a case manager's request nor a supervisor's closure
        with uow() as u, pytest.raises(FailedPrecondition, match=REVIEW_STAGE_FIRST):
            stages.transition_case(u, who, case.case_id, Stage.CLOSED, before.version, outcome)
    after = current(uow, case)
    assert (after.stage, after.version, after.closure_requested, after.outcome) == (
        Stage.MONITORING,
        before.version,
        "",
        "",
    )
    to(uow, case, Stage.REVIEW)
    requested = to(uow, case, Stage.CLOSED, outcome=outcome)
    assert (requested.stage, requested.closure_requested) == (Stage.REVIEW, outcome.value)
    with uow() as u:
        closed = stages.approve_closure(u, SV, case.case_id, requested.version)
    assert (closed.stage, closed.outcome) == (Stage.CLOSED, outcome.value)


def test_a_closure_request_lapses_when_the_case_moves_on_and_cannot_be_approved_later(uow, case):
    reviewed(uow, case)
    assert to(uow, case, Stage.CLOSED, outcome=Outcome.RESOLVED).closure_requested == "resolved"
    moved_on = to(uow, case, Stage.MONITORING)
    assert moved_on.closure_requested == ""  # it leaves the supervisor's queue
    with uow() as u, pytest.raises(FailedPrecondition, match="no closure was requested"):
        stages.approve_closure(u, SV, case.case_id, moved_on.version)
    assert current(uow, case).stage is Stage.MONITORING
    with uow() as u:
        kinds = [entry.kind for entry in u.repo.history_of(case.person_id, 0, 100)]
    assert "case.closure_request_lapsed" in kinds


@pytest.mark.parametrize("outcome", [Outcome.REFUSED, Outcome.MOVED, Outcome.DECEASED, Outcome.TRANSFERRED])
def test_closures_outside_the_plan_still_close_from_any_open_stage(uow, case, outcome):
    assert current(uow, case).stage is Stage.ASSESSMENT  # no plan, no review
    closed = to(uow, case, Stage.CLOSED, by=SV, outcome=outcome)
    assert (closed.stage, closed.outcome) == (Stage.CLOSED, outcome.value)


# Plan sign-off ------------------------------------------------------------------------------------------------


def stored_sign_off(uow, case, version):
    with uow() as u:
        return u.session.execute(
            select(
                plans_table.c.agreed_by,
                plans_table.c.agreed_at,
                plans_table.c.agreement_channel,
                plans_table.c.approved_by,
                plans_table.c.approved_at,
            ).where(plans_table.c.case_id == case.case_id, plans_table.c.version == version)
        ).one()


def test_the_supervisors_approval_and_the_persons_agreement_in_person_are_kept(uow, case):
    planned(uow, case)
    start = datetime.now(timezone.utc)
    with uow() as u:
        approved = plans.approve_plan(u, SV, case.case_id, 1)
    with uow() as u:
        agreed = plans.agree_plan(u, CM, case.case_id, 1, "in_person")
    end = datetime.now(timezone.utc)
    assert approved.approved_by == "sv-1" and start <= datetime.fromisoformat(approved.approved_at) <= end
    assert (agreed.agreed_by, agreed.agreement_channel) == (case.person_id, "in_person")  # the person, not the CM
    assert agreed.approved_at == approved.approved_at and start <= datetime.fromisoformat(agreed.agreed_at) <= end
    with uow() as u:
        assert u.repo.latest_plan(case.case_id) == agreed
    row = stored_sign_off(uow, case, 1)
    assert (row.agreed_by, row.agreement_channel, row.approved_by) == (case.person_id, "in_person", "sv-1")
    assert (row.agreed_at.isoformat(), row.approved_at.isoformat()) == (agreed.agreed_at, agreed.approved_at)


def test_an_agreement_in_the_cabinet_names_the_recipient(uow, case):
    planned(uow, case)
    with uow() as u:
        plans.approve_plan(u, SV, case.case_id, 1)
    me = Principal(case.person_id, "recipient")
    with uow() as u:
        plan = cabinet.agree_in_cabinet(u, me, 1).plan
    assert (plan.agreed_by, plan.agreement_channel, plan.approved_by) == (me.user_id, "cabinet", "sv-1")
    assert plan.agreed_at and plan.approved_at
    assert stored_sign_off(uow, case, 1).agreed_by == me.user_id


def test_a_new_version_starts_unsigned_and_the_old_one_keeps_its_sign_off(uow, case):
    planned(uow, case)
    with uow() as u:
        plans.approve_plan(u, SV, case.case_id, 1)
    with uow() as u:
        first = plans.agree_plan(u, CM, case.case_id, 1, "in_person")
    signed = Plan(
        case.case_id,
        7,
        goals=first.goals,
        agreed_by="someone",
        agreed_at=first.agreed_at,
        agreement_channel="cabinet",
        approved_by="sv-x",
        approved_at=first.approved_at,
    )
    with uow() as u:
        second = plans.save_plan(u, CM, signed, current(uow, case).version)  # a sign-off cannot be written
    assert second.version == 2
    assert (second.agreed_by, second.agreed_at, second.agreement_channel, second.approved_by, second.approved_at) == (
        "",
        "",
        "",
        "",
        "",
    )
    assert tuple(stored_sign_off(uow, case, 2)) == ("", None, "", "", None)
    with uow() as u:
        assert u.repo.latest_plan(case.case_id, 1) == first


def test_the_grpc_plan_carries_the_whole_sign_off(uow, case):
    planned(uow, case)
    with uow() as u:
        plans.approve_plan(u, SV, case.case_id, 1)
    with uow() as u:
        agreed = plans.agree_plan(u, CM, case.case_id, 1, "in_person")
    message = grpc_mapping.plan_message(agreed)
    assert (message.approved_by, message.agreement_channel) == ("sv-1", "in_person")
    assert message.agreed_at.ToDatetime(timezone.utc) == datetime.fromisoformat(agreed.agreed_at)
    assert message.approved_at.ToDatetime(timezone.utc) == datetime.fromisoformat(agreed.approved_at)
    assert message.agreed_by == case.person_id
    written = grpc_mapping.plan_from(message)  # what a client sends back never signs a plan off
    assert (written.approved_by, written.agreed_at, written.agreement_channel) == ("", "", "")
    assert (written.agreed_by, written.approved_at) == ("", "")
    assert written.goals == agreed.goals


def test_the_grpc_plan_of_an_unsigned_plan_has_no_agreement_time():
    message = grpc_mapping.plan_message(Plan("case-1", 1, goals=(Goal("g1", "health", "Реабілітація"),)))
    assert not message.HasField("agreed_at") and not message.HasField("approved_at")
    assert message.approved_by == message.agreed_by == ""
    assert isinstance(message, cases_pb2.Plan)


def test_sign_off_times_keep_their_instant_through_storage(uow, case):
    planned(uow, case)
    kyiv = timezone(timedelta(hours=2))
    with uow() as u:
        plan = u.repo.latest_plan(case.case_id).approve("sv-1", datetime(2026, 11, 20, 12, 0, tzinfo=kyiv))
        u.repo.save_plan(plan.agree("cabinet", datetime(2026, 11, 21, 9, 30, 15, 123456, tzinfo=kyiv), case.person_id))
        u.commit()
    with uow() as u:
        stored = u.repo.latest_plan(case.case_id)
    assert datetime.fromisoformat(stored.approved_at) == datetime(2026, 11, 20, 10, 0, tzinfo=timezone.utc)
    assert datetime.fromisoformat(stored.agreed_at) == datetime(2026, 11, 21, 7, 30, 15, 123456, tzinfo=timezone.utc)
