"""The seven stages of a case and the transitions between them.

screening → assessment → planning → implementation → monitoring → review → closed.
A transition is allowed only along the graph below and only when what it needs exists:
no plan before an approved assessment, no implementation before the person agreed to
the plan, no closure without a review: a case closes as resolved or minimised only from
the review stage, once a review is recorded. Closures that a review cannot precede (the
person refused, moved away, died, or the case was transferred) close from any open
stage. A closed case can be reopened into assessment.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from cases.domain import labels
from cases.domain.model import Stage
from ekm_platform.errors import FailedPrecondition


class Outcome(str, Enum):
    RESOLVED = "resolved"
    MINIMISED = "minimised"
    TRANSFERRED = "transferred"
    REFUSED = "refused"
    MOVED = "moved"
    DECEASED = "deceased"


# Closures that need no review first: the case ends for a reason outside the plan. Any
# other outcome closes only from the review stage.
CLOSE_WITHOUT_REVIEW = {Outcome.TRANSFERRED, Outcome.REFUSED, Outcome.MOVED, Outcome.DECEASED}

ALLOWED = {
    Stage.SCREENING: {Stage.ASSESSMENT, Stage.CLOSED},
    Stage.ASSESSMENT: {Stage.PLANNING, Stage.CLOSED},
    Stage.PLANNING: {Stage.IMPLEMENTATION, Stage.ASSESSMENT, Stage.CLOSED},
    Stage.IMPLEMENTATION: {Stage.MONITORING, Stage.CLOSED},
    Stage.MONITORING: {Stage.REVIEW, Stage.IMPLEMENTATION, Stage.CLOSED},
    Stage.REVIEW: {Stage.CLOSED, Stage.MONITORING, Stage.IMPLEMENTATION, Stage.ASSESSMENT},
    Stage.CLOSED: {Stage.ASSESSMENT},
}


@dataclass(frozen=True)
class CaseFacts:
    """What the lifecycle needs to know about a case to judge a transition."""

    has_approved_assessment: bool = False
    has_agreed_plan: bool = False
    has_review: bool = False


@dataclass(frozen=True)
class StageChange:
    from_stage: Stage
    to_stage: Stage
    actor_id: str
    actor_role: str
    at: datetime
    reason: str = ""
    outcome: Outcome | None = None


def _name(stage: Stage) -> str:
    return labels.STAGE[stage.value]


def check_transition(current: Stage, target: Stage, facts: CaseFacts, outcome: Outcome | None = None) -> None:
    """Raise FailedPrecondition naming what is missing; return None when allowed."""
    if target not in ALLOWED[current]:
        raise FailedPrecondition(
            f"Перехід «{_name(current)}» → «{_name(target)}» неможливий / "
            f"transition {current.value} → {target.value} not allowed"
        )
    if target is Stage.CLOSED:
        if outcome is None:
            raise FailedPrecondition("Для закриття потрібен результат / closing needs an outcome")
        if outcome not in CLOSE_WITHOUT_REVIEW and current is not Stage.REVIEW:
            raise FailedPrecondition(
                f"Спершу переведіть випадок на етап перегляду: з результатом «{labels.OUTCOME[outcome.value]}» "
                f"закривають лише з "
                f"нього / move the case to the review stage first: closing as {outcome.value} happens only there"
            )
        if outcome not in CLOSE_WITHOUT_REVIEW and not facts.has_review:
            raise FailedPrecondition("Спершу потрібен перегляд випадку / a review is required before closure")
    elif outcome is not None:
        raise FailedPrecondition("Результат вказують лише при закритті / an outcome is given only on closure")
    if target is Stage.PLANNING and not facts.has_approved_assessment:
        raise FailedPrecondition(
            "Спершу потрібна затверджена оцінка потреб / an approved needs assessment is required first"
        )
    if target is Stage.IMPLEMENTATION and current is Stage.PLANNING and not facts.has_agreed_plan:
        raise FailedPrecondition(
            "Спершу потрібна згода особи з планом / the person's agreement to the plan is required first"
        )
    if target is Stage.REVIEW and not facts.has_agreed_plan:
        raise FailedPrecondition("Спершу потрібен погоджений план / an agreed plan is required first")


def apply_transition(
    current: Stage,
    target: Stage,
    facts: CaseFacts,
    actor_id: str,
    actor_role: str,
    at: datetime,
    reason: str = "",
    outcome: Outcome | None = None,
) -> StageChange:
    check_transition(current, target, facts, outcome)
    return StageChange(current, target, actor_id, actor_role, at, reason, outcome)
