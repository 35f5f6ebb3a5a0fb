"""The individual plan (goals tied to assessed needs, steps, services, approval and the person's
agreement, versions, due and overdue steps) and the review of its results."""

import json
from dataclasses import FrozenInstanceError, replace
from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cases.domain.assessment import Assessment, ChildNeeds, Domain, DomainAssessment, FamilyMember
from cases.domain.plan import (
    NO_SIGN_OFF,
    RESPONSIBLE,
    Goal,
    Plan,
    PlannedService,
    Step,
    due_steps,
    overdue_steps,
    validate_plan,
)
from cases.domain.review import RESULTS, Review, next_review_due, validate_review
from cases.domain.scoring import SERVICE_CATALOGUE
from ekm_platform.errors import FailedPrecondition, NotFound, PermissionDenied, ValidationError

TODAY = date(2026, 11, 22)
AT = datetime(2026, 11, 22, 10, 0, tzinfo=timezone.utc)
ACT = Assessment(
    "case-1",
    1,
    "2026-11-01",
    "cm-1",
    family=(FamilyMember("Гнатюк Марко", "1990-01-01", "self"), FamilyMember("Гнатюк Остап", "2018-01-01", "child")),
    domains=(
        DomainAssessment(Domain.HEALTH, 2),
        DomainAssessment(Domain.EMPLOYMENT, 1),
        DomainAssessment(Domain.HOUSING, 0),
    ),
    children=(ChildNeeds("Гнатюк Остап", 1),),
)


def step(step_id: str, due: date, status: str = "planned", kind: str = "person") -> Step:
    return Step(step_id, "g-health", f"Крок {step_id}", kind, "p-1", due.isoformat(), status)


PLAN = Plan(
    "case-1",
    1,
    goals=(
        Goal("g-health", "health", "Пройти курс реабілітації"),
        Goal("g-work", "employment", "Знайти роботу"),
        Goal("g-child", "children", "Гурток для дитини"),
    ),
    steps=(
        Step("s1", "g-health", "Запис до лікаря", "person", "p-1", "2026-11-25"),
        Step("s2", "g-work", "Зустріч у центрі зайнятості", "agency", "employment", "2026-12-01"),
        Step("s3", "g-health", "Направлення до центру", "case_manager", "cm-1", "2026-11-23"),
        Step("s4", "g-child", "Запис до гуртка", "provider", "ngo-7", "2026-11-30"),
    ),
    services=(PlannedService("sv1", "rehabilitation", "Центр реабілітації «Сила»", "двічі на тиждень"),),
)


def fields(plan: Plan, assessment: Assessment = ACT) -> set[str]:
    with pytest.raises(ValidationError) as caught:
        validate_plan(plan, assessment)
    return {v.field for v in caught.value.violations}


def test_a_plan_answering_assessed_needs_is_valid():
    validate_plan(PLAN, ACT)


@pytest.mark.parametrize(
    "need_domain, ok",
    [
        ("health", True),
        ("employment", True),
        ("children", True),
        ("housing", False),
        ("mental_health", False),
        ("weather", False),
    ],
)
def test_a_goal_must_answer_a_need_assessed_at_level_1_or_more(need_domain, ok):
    plan = replace(PLAN, goals=(Goal("g-health", need_domain, "Мета"),) + PLAN.goals[1:])
    if ok:
        validate_plan(plan, ACT)
    else:
        assert fields(plan) == {"goals[0].need_domain"}


def test_a_childrens_goal_needs_a_child_with_needs():
    calm = replace(ACT, children=(ChildNeeds("Гнатюк Остап", 0),))
    assert fields(PLAN, calm) == {"goals[2].need_domain"}


def test_a_plan_needs_a_goal():
    assert fields(replace(PLAN, goals=(), steps=())) == {"goals"}


@pytest.mark.parametrize(
    "change, field",
    [
        (dict(goal_id="g-none"), "steps[1].goal_id"),
        (dict(what=" "), "steps[1].what"),
        (dict(responsible_kind="neighbour"), "steps[1].responsible_kind"),
        (dict(due_on="01.12.2026"), "steps[1].due_on"),
        (dict(status="forgotten"), "steps[1].status"),
    ],
)
def test_each_bad_step_field_is_named(change, field):
    steps = list(PLAN.steps)
    steps[1] = replace(steps[1], **change)
    assert fields(replace(PLAN, steps=tuple(steps))) == {field}


@pytest.mark.parametrize("kind", RESPONSIBLE)
def test_every_kind_of_responsible_party_is_accepted(kind):
    validate_plan(replace(PLAN, steps=(replace(PLAN.steps[0], responsible_kind=kind),)), ACT)


@pytest.mark.parametrize(
    "service, field",
    [
        (PlannedService("sv9", "massage", "Салон", "щодня"), "services[1].service_type"),
        (PlannedService("sv9", "home_care", " ", "щодня"), "services[1].provider"),
    ],
)
def test_services_come_from_the_catalogue_with_a_provider(service, field):
    assert fields(replace(PLAN, services=PLAN.services + (service,))) == {field}


@pytest.mark.parametrize("service_type", SERVICE_CATALOGUE)
def test_every_catalogue_service_can_be_planned(service_type):
    validate_plan(replace(PLAN, services=(PlannedService("sv1", service_type, "Надавач", "щомісяця"),)), ACT)


def test_goal_and_step_ids_are_unique():
    twice = replace(PLAN, goals=PLAN.goals + (PLAN.goals[0],), steps=PLAN.steps + (PLAN.steps[0],))
    assert {"goals[3].goal_id", "steps[4].step_id"} <= fields(twice)


def test_approval_then_agreement_in_the_cabinet_or_in_person():
    with pytest.raises(FailedPrecondition):
        PLAN.agree("in_person", AT, "p-1")
    approved = PLAN.approve("sv-1", AT)
    with pytest.raises(FailedPrecondition):
        approved.approve("sv-2", AT)
    with pytest.raises(ValidationError) as caught:
        approved.agree("telegram", AT, "p-1")
    assert [v.field for v in caught.value.violations] == ["channel"]
    for channel in ("cabinet", "in_person"):
        agreed = approved.agree(channel, AT, "p-1")
        assert (agreed.agreed, agreed.agreement_channel, agreed.agreed_at) == (True, channel, AT.isoformat())
    assert not approved.agreed and not PLAN.approved_by


def test_the_sign_off_records_who_approved_and_agreed_and_when():
    approved_at, agreed_at = AT, AT + timedelta(days=2)
    approved = PLAN.approve("sv-1", approved_at)
    assert (approved.approved_by, approved.approved_at) == ("sv-1", approved_at.isoformat())
    assert (approved.agreed_by, approved.agreed_at, approved.agreement_channel) == ("", "", "")
    agreed = approved.agree("in_person", agreed_at, " p-1 ")
    assert (agreed.agreed_by, agreed.agreed_at, agreed.agreement_channel) == ("p-1", agreed_at.isoformat(), "in_person")
    assert (agreed.approved_by, agreed.approved_at) == ("sv-1", approved_at.isoformat())  # the approval stays


@pytest.mark.parametrize("who", ["", "   "])
def test_an_agreement_without_who_agreed_is_refused(who):
    with pytest.raises(ValidationError) as caught:
        PLAN.approve("sv-1", AT).agree("cabinet", AT, who)
    assert [v.field for v in caught.value.violations] == ["by_person_id"]
    assert " / " in caught.value.violations[0].description


def test_a_revision_clears_the_whole_sign_off():
    revised = PLAN.approve("sv-1", AT).agree("cabinet", AT, "p-1").revise()
    assert {name: getattr(revised, name) for name in NO_SIGN_OFF} == NO_SIGN_OFF


def test_a_revision_is_a_new_version_to_approve_and_agree_again_and_the_old_one_stays():
    agreed = PLAN.approve("sv-1", AT).agree("cabinet", AT, "p-1")
    revised = agreed.revise()
    assert (revised.version, revised.approved_by, revised.agreed, revised.goals) == (2, "", False, agreed.goals)
    assert (agreed.version, agreed.agreed) == (1, True)
    assert revised.revise().version == 3
    with pytest.raises(FrozenInstanceError):
        agreed.version = 5  # type: ignore[misc]


@pytest.mark.parametrize(
    "role, step_id, allowed",
    [
        ("recipient", "s1", True),
        ("recipient", "s2", False),
        ("recipient", "s3", False),
        ("recipient", "s4", False),
        ("case_manager", "s2", True),
        ("case_manager", "s1", True),
        ("supervisor", "s4", True),
    ],
)
def test_who_may_mark_a_step_done(role, step_id, allowed):
    if not allowed:
        with pytest.raises(PermissionDenied):
            PLAN.mark_step_done(step_id, role)
        return
    done = PLAN.mark_step_done(step_id, role)
    assert {s.step_id: s.status for s in done.steps} == {
        s.step_id: "done" if s.step_id == step_id else s.status for s in PLAN.steps
    }
    assert all(s.status == "planned" for s in PLAN.steps)


def test_an_unknown_step_is_not_found():
    with pytest.raises(NotFound):
        PLAN.mark_step_done("s-none", "case_manager")


def test_due_and_overdue_steps_at_their_boundaries():
    plan = replace(
        PLAN,
        steps=(
            step("yesterday", TODAY - timedelta(days=1)),
            step("today", TODAY),
            step("in3", TODAY + timedelta(days=3)),
            step("in4", TODAY + timedelta(days=4)),
            step("old-done", TODAY - timedelta(days=9), "done"),
            step("old-cancelled", TODAY - timedelta(days=9), "cancelled"),
            step("soon-done", TODAY + timedelta(days=1), "done"),
            step("started", TODAY - timedelta(days=2), "in_progress"),
        ),
    )
    assert [s.step_id for s in overdue_steps(plan, TODAY)] == ["yesterday", "started"]
    assert [s.step_id for s in due_steps(plan, TODAY)] == ["today", "in3"]
    assert [s.step_id for s in due_steps(plan, TODAY, horizon_days=4)] == ["today", "in3", "in4"]
    assert [s.step_id for s in due_steps(plan, TODAY, horizon_days=0)] == ["today"]


@given(
    st.lists(
        st.tuples(st.integers(-30, 30), st.sampled_from(["planned", "in_progress", "done", "cancelled"])), max_size=12
    ),
    st.integers(0, 14),
)
def test_a_step_is_never_both_due_and_overdue_and_closed_steps_are_neither(offsets, horizon):
    plan = replace(
        PLAN, steps=tuple(step(f"s{i}", TODAY + timedelta(days=d), status) for i, (d, status) in enumerate(offsets))
    )
    due = {s.step_id for s in due_steps(plan, TODAY, horizon)}
    overdue = {s.step_id for s in overdue_steps(plan, TODAY)}
    assert not due & overdue
    for s in plan.steps:
        days = (date.fromisoformat(s.due_on) - TODAY).days
        is_open = s.status in ("planned", "in_progress")
        assert (s.step_id in overdue) == (is_open and days < 0)
        assert (s.step_id in due) == (is_open and 0 <= days <= horizon)


def test_a_plan_survives_json_storage():
    agreed = PLAN.approve("sv-1", AT).agree("in_person", AT, "p-1")
    assert Plan.from_dict(json.loads(json.dumps(agreed.to_dict(), ensure_ascii=False))) == agreed


def test_a_plan_stored_before_the_sign_off_fields_reads_with_them_empty():
    old = PLAN.approve("sv-1", AT).agree("cabinet", AT, "p-1").to_dict()
    del old["agreed_by"], old["approved_at"]
    plan = Plan.from_dict(old)
    assert (plan.agreed, plan.approved_by, plan.agreed_by, plan.approved_at) == (True, "sv-1", "", "")


# --- review ----------------------------------------------------------------------------------------------------


def review(**changes) -> Review:
    values = dict(
        case_id="case-1",
        held_on="2027-02-20",
        services_relevant=True,
        goal_results={"g-health": "partly", "g-work": "achieved", "g-child": "not_achieved"},
        impact="Повернувся до роботи, біль зменшився",
        reassessment_needed=False,
        reviewer_id="cm-1",
    )
    return Review(**{**values, **changes})


def review_fields(r: Review, plan: Plan | None = PLAN) -> set[str]:
    with pytest.raises(ValidationError) as caught:
        validate_review(r, plan)
    return {v.field for v in caught.value.violations}


@pytest.mark.parametrize("result", RESULTS)
def test_a_review_records_a_result_for_every_goal(result):
    validate_review(review(goal_results={"g-health": result, "g-work": result, "g-child": result}), PLAN)


@pytest.mark.parametrize(
    "changes, bad",
    [
        (
            dict(goal_results={"g-health": "great", "g-work": "achieved", "g-child": "partly"}),
            {"goal_results.g-health"},
        ),
        (dict(goal_results={"g-health": "partly"}), {"goal_results"}),
        (
            dict(goal_results={"g-health": "partly", "g-work": "achieved", "g-child": "partly", "g-x": "achieved"}),
            {"goal_results.g-x"},
        ),
        (dict(held_on="20.02.2027"), {"held_on"}),
        (dict(impact="  "), {"impact"}),
    ],
)
def test_each_bad_review_field_is_named(changes, bad):
    assert review_fields(review(**changes)) == bad


def test_a_missing_goal_result_names_the_goals():
    with pytest.raises(ValidationError) as caught:
        validate_review(review(goal_results={"g-work": "achieved"}), PLAN)
    (violation,) = caught.value.violations
    assert "g-child" in violation.description and "g-health" in violation.description


def test_a_review_without_a_plan_cannot_claim_goal_results():
    validate_review(review(goal_results={}), None)
    assert review_fields(review(), None) == {"goal_results.g-health", "goal_results.g-work", "goal_results.g-child"}


def test_a_review_survives_json_storage():
    r = review(reassessment_needed=True, services_relevant=False)
    assert Review(**json.loads(json.dumps(r.to_dict(), ensure_ascii=False))) == r


@given(st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 1, 1)), st.integers(1, 365))
def test_the_next_review_is_one_interval_after_the_last(last, interval):
    due = next_review_due(last, interval)
    assert (due - last).days == interval and due > last


def test_a_finished_or_cancelled_step_cannot_be_marked_done_again():
    done = PLAN.mark_step_done(PLAN.steps[0].step_id, "case_manager")
    with pytest.raises(FailedPrecondition):
        done.mark_step_done(PLAN.steps[0].step_id, "case_manager")
