"""Reviews at agreed intervals: are the services still relevant, what did each goal
achieve, what was the impact, is a re-assessment needed."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, timedelta

from cases.domain.plan import Plan
from ekm_platform.errors import FieldViolation, ValidationError

RESULTS = ("achieved", "partly", "not_achieved")


@dataclass(frozen=True)
class Review:
    case_id: str
    held_on: str
    services_relevant: bool
    goal_results: dict = field(default_factory=dict)
    impact: str = ""
    reassessment_needed: bool = False
    reviewer_id: str = ""

    def to_dict(self) -> dict:
        return asdict(self)


def validate_review(review: Review, plan: Plan | None) -> None:
    problems = []
    try:
        date.fromisoformat(review.held_on)
    except ValueError:
        problems.append(FieldViolation("held_on", "дата РРРР-ММ-ДД / a YYYY-MM-DD date"))
    goals = {g.goal_id for g in plan.goals} if plan else set()
    for goal_id, result in review.goal_results.items():
        if goal_id not in goals:
            problems.append(FieldViolation(f"goal_results.{goal_id}", "немає такої мети в плані / no such goal"))
        elif result not in RESULTS:
            problems.append(
                FieldViolation(f"goal_results.{goal_id}", "оберіть результат зі списку / one of: " + ", ".join(RESULTS))
            )
    missing = goals - set(review.goal_results)
    if missing:
        problems.append(
            FieldViolation("goal_results", "без результату / without a result: " + ", ".join(sorted(missing)))
        )
    if not review.impact.strip():
        problems.append(FieldViolation("impact", "обов'язкове поле / required"))
    if problems:
        raise ValidationError(problems)


def next_review_due(last: date, interval_days: int) -> date:
    return last + timedelta(days=interval_days)
