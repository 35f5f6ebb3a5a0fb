from datetime import datetime, timedelta, timezone
from itertools import product

import pytest

from cases.domain.deadlines import Deadlines, is_overdue
from cases.domain.lifecycle import ALLOWED, CLOSE_WITHOUT_REVIEW, CaseFacts, Outcome, apply_transition, check_transition
from cases.domain.model import Stage
from ekm_platform.errors import FailedPrecondition

ALL_FACTS = CaseFacts(has_approved_assessment=True, has_agreed_plan=True, has_review=True)


@pytest.mark.parametrize("current, target", list(product(Stage, Stage)))
def test_the_whole_transition_matrix(current, target):
    outcome = Outcome.REFUSED if target is Stage.CLOSED else None  # a closure that any open stage allows
    if target in ALLOWED[current]:
        check_transition(current, target, ALL_FACTS, outcome)
    else:
        with pytest.raises(FailedPrecondition, match="not allowed"):
            check_transition(current, target, ALL_FACTS, outcome)


def test_no_plan_before_an_approved_assessment():
    with pytest.raises(FailedPrecondition, match="approved needs assessment"):
        check_transition(Stage.ASSESSMENT, Stage.PLANNING, CaseFacts())


def test_no_implementation_before_the_person_agreed():
    with pytest.raises(FailedPrecondition, match="agreement to the plan"):
        check_transition(Stage.PLANNING, Stage.IMPLEMENTATION, CaseFacts(has_approved_assessment=True))


def test_no_review_without_an_agreed_plan():
    with pytest.raises(FailedPrecondition, match="agreed plan"):
        check_transition(Stage.MONITORING, Stage.REVIEW, CaseFacts(has_approved_assessment=True))


@pytest.mark.parametrize("outcome", list(Outcome))
def test_closure_needs_an_outcome_and_a_review_unless_it_ends_outside_the_plan(outcome):
    facts = CaseFacts(has_approved_assessment=True, has_agreed_plan=True)
    if outcome in CLOSE_WITHOUT_REVIEW:
        check_transition(Stage.REVIEW, Stage.CLOSED, facts, outcome)
    else:
        with pytest.raises(FailedPrecondition, match="review is required"):
            check_transition(Stage.REVIEW, Stage.CLOSED, facts, outcome)
    with pytest.raises(FailedPrecondition, match="outcome"):
        check_transition(Stage.REVIEW, Stage.CLOSED, ALL_FACTS, None)


OPEN_STAGES = [s for s in Stage if s is not Stage.CLOSED]


@pytest.mark.parametrize("current, outcome", list(product(OPEN_STAGES, Outcome)))
def test_resolved_or_minimised_closes_only_from_the_review_stage(current, outcome):
    if outcome in CLOSE_WITHOUT_REVIEW or current is Stage.REVIEW:
        change = apply_transition(
            current, Stage.CLOSED, ALL_FACTS, "sv-1", "supervisor", datetime.now(timezone.utc), outcome=outcome
        )
        assert (change.to_stage, change.outcome) == (Stage.CLOSED, outcome)
        return
    with pytest.raises(FailedPrecondition) as caught:  # even with a review recorded
        check_transition(current, Stage.CLOSED, ALL_FACTS, outcome)
    assert caught.value.message.startswith("Спершу переведіть випадок на етап перегляду")
    assert caught.value.message.endswith(
        f"move the case to the review stage first: closing as {outcome.value} happens only there"
    )


def test_only_resolved_and_minimised_need_the_review_stage():
    assert set(Outcome) - CLOSE_WITHOUT_REVIEW == {Outcome.RESOLVED, Outcome.MINIMISED}


def test_the_review_stage_without_a_recorded_review_names_the_review_as_missing():
    facts = CaseFacts(has_approved_assessment=True, has_agreed_plan=True, has_review=False)
    for outcome in (Outcome.RESOLVED, Outcome.MINIMISED):
        with pytest.raises(FailedPrecondition, match="a review is required before closure"):
            check_transition(Stage.REVIEW, Stage.CLOSED, facts, outcome)


def test_an_outcome_only_on_closure_and_reopening():
    with pytest.raises(FailedPrecondition):
        check_transition(Stage.SCREENING, Stage.ASSESSMENT, ALL_FACTS, Outcome.RESOLVED)
    change = apply_transition(
        Stage.CLOSED,
        Stage.ASSESSMENT,
        CaseFacts(),
        "sv-1",
        "supervisor",
        datetime.now(timezone.utc),
        "new circumstances",
    )
    assert (change.from_stage, change.to_stage, change.actor_role) == (Stage.CLOSED, Stage.ASSESSMENT, "supervisor")


def test_deadlines_crisis_in_one_day_others_in_seven():
    entered = datetime(2026, 11, 1, tzinfo=timezone.utc)
    d = Deadlines()
    assert is_overdue(Stage.ASSESSMENT, entered, "crisis", entered + timedelta(days=2), d)
    assert not is_overdue(Stage.ASSESSMENT, entered, "assessment", entered + timedelta(days=2), d)
    assert is_overdue(Stage.ASSESSMENT, entered, "assessment", entered + timedelta(days=8), d)
    assert not is_overdue(Stage.CLOSED, entered, "crisis", entered + timedelta(days=800), d)
    assert Deadlines(crisis_assessment_days=2).crisis_assessment_days == 2
