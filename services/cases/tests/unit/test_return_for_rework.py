"""A supervisor returns what waits for approval (assessment, plan, closure) with a reason:
it leaves the queue, the case manager can work on it again, the reason is in the history."""

from datetime import date

import pytest

from cases.adapters import grpc_mapping
from cases.adapters.orm import metadata
from cases.adapters.repository import CaseRepository
from cases.domain.assessment import Assessment, Domain, DomainAssessment, FamilyMember, Status
from cases.domain.lifecycle import Outcome
from cases.domain.model import Stage
from cases.domain.plan import Goal, Plan
from cases.domain.review import Review
from cases.domain.workload import CaseManager
from cases.service_layer import assessments, handlers, plans, stages, supervision, workload
from ekm_platform.auth import Principal
from ekm_platform.envelope import Envelope
from ekm_platform.errors import FailedPrecondition, NotFound, PermissionDenied, ValidationError

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
OTHER_SV = Principal("sv-9", "supervisor", community_code="UA00000000000000000")


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
    submitted(uow, case)
    with uow() as u:
        assessments.approve_assessment(u, SV, case.case_id, 1)  # moves the case on to planning
    with uow() as u:
        plans.save_plan(
            u, CM, Plan(case.case_id, 1, goals=(Goal("g1", "health", "Реабілітація"),)), current(uow, case).version
        )


def kinds(uow, principal=SV):
    with uow() as u:
        return [(i.kind, i.case_id) for i in supervision.queue(u, principal)]


def history(uow, case):
    with uow() as u:
        return [(e.kind, e.summary) for e in u.repo.history_of(case.person_id, 0, 100)]


def submitted(uow, case):
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
    return act


def test_only_the_cases_supervisor_returns_and_a_reason_is_required(uow, case):
    submitted(uow, case)
    with uow() as u, pytest.raises(PermissionDenied):
        supervision.return_for_rework(u, CM, case.case_id, "assessment_approval", 1, "ні")
    with uow() as u, pytest.raises(NotFound):  # another community's supervisor: existence not revealed
        supervision.return_for_rework(u, OTHER_SV, case.case_id, "assessment_approval", 1, "ні")
    with uow() as u, pytest.raises(ValidationError) as error:
        supervision.return_for_rework(u, SV, case.case_id, "anything", 1, "  ")
    assert {v.field for v in error.value.violations} == {"kind", "reason"}
    with uow() as u, pytest.raises(ValidationError):
        supervision.return_for_rework(u, SV, case.case_id, "assessment_approval", 1, "x" * 2001)
    assert ("assessment_approval", case.case_id) in kinds(uow)  # nothing changed
    with uow() as u:
        assert u.repo.latest_assessment(case.case_id).status is Status.SUBMITTED


def test_a_returned_assessment_is_a_draft_again_with_the_reason_and_can_be_submitted_again(uow, case):
    act = submitted(uow, case)
    with uow() as u:
        supervision.return_for_rework(u, SV, case.case_id, "assessment_approval", 1, "Не заповнено житло")
    with uow() as u:
        returned = u.repo.latest_assessment(case.case_id)
    assert (returned.status, returned.returned_by, returned.returned_reason) == (
        Status.DRAFT,
        "sv-1",
        "Не заповнено житло",
    )
    assert grpc_mapping.assessment_message(returned).returned_reason == "Не заповнено житло"
    assert ("assessment_approval", case.case_id) not in kinds(uow)
    assert any(k == "supervision.returned" and "Не заповнено житло" in s for k, s in history(uow, case))
    with uow() as u, pytest.raises(FailedPrecondition):  # it no longer awaits approval
        assessments.approve_assessment(u, SV, case.case_id, 1)
    with uow() as u:
        again = assessments.save_assessment(u, CM, act, current(uow, case).version, submit=True)
    assert (again.version, again.status, again.returned_by) == (1, Status.SUBMITTED, "")
    assert ("assessment_approval", case.case_id) in kinds(uow)


def test_a_returned_plan_leaves_the_queue_until_it_is_saved_again(uow, case):
    planned(uow, case)
    assert ("plan_approval", case.case_id) in kinds(uow)
    with uow() as u, pytest.raises(FailedPrecondition):
        supervision.return_for_rework(u, SV, case.case_id, "plan_approval", 5, "стара версія")
    with uow() as u:
        supervision.return_for_rework(u, SV, case.case_id, "plan_approval", 1, "Додайте строки кроків")
    with uow() as u:
        plan = u.repo.latest_plan(case.case_id)
    assert (plan.returned_by, plan.returned_reason, plan.approved_by) == ("sv-1", "Додайте строки кроків", "")
    assert grpc_mapping.plan_message(plan).returned_reason == "Додайте строки кроків"
    assert ("plan_approval", case.case_id) not in kinds(uow)
    with uow() as u:
        plans.save_plan(
            u, CM, Plan(case.case_id, 1, goals=(Goal("g1", "health", "Реабілітація"),)), current(uow, case).version
        )
    assert ("plan_approval", case.case_id) in kinds(uow)
    with uow() as u:
        assert u.repo.latest_plan(case.case_id).returned_by == ""


def test_a_returned_closure_request_is_withdrawn_and_the_case_stays_open(uow, case):
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
            Review(case.case_id, date.today().isoformat(), True, {"g1": "achieved"}, "Так"),
            current(uow, case).version,
        )
    requested = to(uow, case, Stage.CLOSED, outcome=Outcome.RESOLVED)
    assert ("closure_approval", case.case_id) in kinds(uow)
    with uow() as u:
        back = supervision.return_for_rework(u, SV, case.case_id, "closure_approval", 0, "Ще одна зустріч")
    assert (back.stage, back.closure_requested, back.version) == (Stage.REVIEW, "", requested.version + 1)
    assert ("closure_approval", case.case_id) not in kinds(uow)
    with uow() as u, pytest.raises(FailedPrecondition, match="no closure was requested"):
        stages.approve_closure(u, SV, case.case_id, back.version)
    with uow() as u, pytest.raises(FailedPrecondition):
        supervision.return_for_rework(u, SV, case.case_id, "closure_approval", 0, "двічі")
