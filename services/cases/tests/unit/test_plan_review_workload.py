from datetime import date, datetime, timezone

import pytest

from cases.domain.assessment import Assessment, Domain, DomainAssessment
from cases.domain.plan import Goal, Plan, PlannedService, Step, due_steps, overdue_steps, validate_plan
from cases.domain.review import Review, validate_review
from cases.domain.workload import CaseManager, choose_case_manager
from ekm_platform.errors import FailedPrecondition, PermissionDenied, ValidationError

ASSESSMENT = Assessment(
    "case-1",
    1,
    "2026-11-01",
    "cm-1",
    domains=tuple(DomainAssessment(d, 2 if d is Domain.HEALTH else 0) for d in Domain),
)
PLAN = Plan(
    "case-1",
    1,
    goals=(Goal("g1", "health", "Пройти реабілітацію"),),
    steps=(
        Step("s1", "g1", "Записатися до лікаря", "person", "p-1", "2026-11-20"),
        Step("s2", "g1", "Направлення до центру", "case_manager", "cm-1", "2026-11-25"),
    ),
    services=(PlannedService("sv1", "rehabilitation", "Центр реабілітації", "щотижня"),),
)


def violations(plan):
    with pytest.raises(ValidationError) as caught:
        validate_plan(plan, ASSESSMENT)
    return {v.field for v in caught.value.violations}


def test_a_valid_plan_and_goals_tied_to_assessed_needs():
    validate_plan(PLAN, ASSESSMENT)
    bad = Plan(
        "case-1",
        1,
        goals=(Goal("g1", "housing", "Житло"),),
        steps=(Step("s1", "g9", "", "neighbour", "x", "soon", "maybe"),),
        services=(PlannedService("sv1", "massage", "", "1"),),
    )
    assert {
        "goals[0].need_domain",
        "steps[0].goal_id",
        "steps[0].responsible_kind",
        "steps[0].due_on",
        "steps[0].status",
        "steps[0].what",
        "services[0].service_type",
        "services[0].provider",
    } <= violations(bad)


def test_approval_agreement_revision_and_steps():
    with pytest.raises(FailedPrecondition, match="supervisor approves"):
        PLAN.agree("cabinet", datetime(2026, 11, 21, tzinfo=timezone.utc), "p-1")
    agreed = PLAN.approve("sv-1", datetime(2026, 11, 20, tzinfo=timezone.utc)).agree(
        "cabinet", datetime(2026, 11, 21, tzinfo=timezone.utc), "p-1"
    )
    assert not agreed.revise().approved_by
    assert agreed.agreed and not agreed.revise().agreed and agreed.revise().version == 2
    with pytest.raises(FailedPrecondition):
        agreed.agree("in_person", datetime.now(timezone.utc), "p-1")
    assert agreed.mark_step_done("s1", "recipient").steps[0].status == "done"
    with pytest.raises(PermissionDenied):
        agreed.mark_step_done("s2", "recipient")
    assert [s.step_id for s in overdue_steps(PLAN, date(2026, 11, 22))] == ["s1"]
    assert [s.step_id for s in due_steps(PLAN, date(2026, 11, 22))] == ["s2"]
    assert Plan.from_dict(agreed.to_dict()) == agreed


def test_review_needs_a_result_per_goal():
    validate_review(Review("case-1", "2026-12-01", True, {"g1": "partly"}, "Стан покращився"), PLAN)
    with pytest.raises(ValidationError) as caught:
        validate_review(Review("case-1", "later", True, {"g9": "achieved"}, ""), PLAN)
    assert {"held_on", "goal_results.g9", "goal_results", "impact"} <= {v.field for v in caught.value.violations}


MANAGERS = [
    CaseManager("cm-a", "UA1", 10, frozenset({"veterans"})),
    CaseManager("cm-b", "UA1", 12, frozenset({"children"})),
    CaseManager("cm-c", "UA2", 30, frozenset({"veterans"})),
]


def test_assignment_prefers_community_skills_then_free_capacity_and_explains():
    chosen = choose_case_manager("UA1", {"veterans"}, "high", MANAGERS, {"cm-a": 2, "cm-b": 0})
    assert (
        chosen.manager_id == "cm-a"
        and "робота з ветеранами" in chosen.explanation_uk
        and "5 з 10" not in chosen.explanation_uk
    )
    assert choose_case_manager("UA1", set(), "low", MANAGERS, {"cm-a": 2}).manager_id == "cm-b"
    assert choose_case_manager("UA1", {"veterans"}, "high", MANAGERS, {"cm-a": 9}).manager_id == "cm-b"
    with pytest.raises(FailedPrecondition, match="no case manager"):
        choose_case_manager("UA1", set(), "high", MANAGERS, {"cm-a": 10, "cm-b": 11})
