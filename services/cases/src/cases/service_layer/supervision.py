"""What waits for a supervisor, and the quality indicators of a team or community."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from statistics import mean

from ekm_platform.auth import Principal
from ekm_platform.unit_of_work import UnitOfWork

from cases.domain import labels
from cases.domain.deadlines import Deadlines, is_overdue
from cases.domain.labels import uk
from cases.domain.model import Stage
from cases.domain.plan import overdue_steps
from cases.service_layer.access import require_staff, team_of


@dataclass(frozen=True)
class QueueItem:
    kind: str
    case_id: str
    case_number: str
    detail: str
    since: datetime


@dataclass
class Kpis:
    open_cases: int = 0
    caseload_per_manager: float = 0.0
    overdue_cases: int = 0
    overdue_steps: int = 0
    days_to_assessment: float = 0.0
    days_to_plan: float = 0.0
    days_to_closure: float = 0.0
    outcomes: dict = field(default_factory=dict)
    average_rating: float = 0.0
    ratings: int = 0


def _team_cases(uow: UnitOfWork, principal: Principal, community_code: str):
    managers = team_of(uow, principal) if principal.role == "supervisor" and not community_code else None
    return managers, uow.repo.list(community_code=community_code, assigned_to=managers, limit=100_000)


def queue(uow: UnitOfWork, principal: Principal, community_code: str = "",
          deadlines: Deadlines | None = None) -> list[QueueItem]:
    require_staff(principal, "supervisor")
    community = community_code or principal.community_code
    _, found = _team_cases(uow, principal, "")
    items = [QueueItem("assessment_approval", r.case_id, next(c.case_number for c in found if c.case_id == r.case_id),
                       f"оцінка v{r.version} чекає затвердження / assessment v{r.version} awaits approval",
                       r.updated_at)
             for r in uow.repo.submitted_assessments([c.case_id for c in found])]
    for c in found:
        plan = uow.repo.latest_plan(c.case_id) if c.is_open else None
        if plan is not None and not plan.approved_by:
            items.append(QueueItem("plan_approval", c.case_id, c.case_number,
                                   f"план v{plan.version} чекає затвердження / plan v{plan.version} awaits approval",
                                   c.stage_entered_at or c.opened_at))
        if c.closure_requested:
            items.append(QueueItem("closure_approval", c.case_id, c.case_number,
                                   f"запит на закриття ({uk(labels.OUTCOME, c.closure_requested)}) / "
                                   f"closure requested ({c.closure_requested})",
                                   c.stage_entered_at or c.opened_at))
    items += [QueueItem("unassigned_case", c.case_id, c.case_number, c.assignment_explanation, c.opened_at)
              for c in uow.repo.unassigned(community)]
    now = datetime.now(timezone.utc)
    items += [QueueItem("overdue_case", c.case_id, c.case_number,
                        f"етап «{uk(labels.STAGE, c.stage.value)}» прострочено / {c.stage.value} overdue",
                        c.stage_entered_at or c.opened_at)
              for c in found if c.is_open and is_overdue(c.stage, c.stage_entered_at or c.opened_at,
                                                          c.screening_level, now,
                                                          deadlines or Deadlines.configured())]
    return sorted(items, key=lambda i: i.since)


def kpis(uow: UnitOfWork, principal: Principal, community_code: str = "", deadlines: Deadlines | None = None) -> Kpis:
    require_staff(principal, "supervisor", "operator")
    managers, found = _team_cases(uow, principal, community_code)
    now, today = datetime.now(timezone.utc), date.today()
    result = Kpis()
    open_cases = [c for c in found if c.is_open]
    result.open_cases = len(open_cases)
    owners = {c.assigned_to for c in open_cases if c.assigned_to} | set(managers or ())
    result.caseload_per_manager = round(len(open_cases) / len(owners), 2) if owners else 0.0
    result.overdue_cases = sum(is_overdue(c.stage, c.stage_entered_at or c.opened_at, c.screening_level, now,
                                          deadlines or Deadlines.configured()) for c in open_cases)
    result.overdue_steps = sum(len(overdue_steps(p, today)) for c in open_cases
                               if (p := uow.repo.latest_plan(c.case_id)) is not None)
    opened = {c.case_id: c.opened_at for c in found}
    firsts: dict[tuple, datetime] = {}
    for case_id, stage, at in uow.repo.stage_entries(list(opened)):
        firsts.setdefault((case_id, stage), at)

    def days(stage: Stage) -> float:
        spans = [(at - opened[cid]).total_seconds() / 86400 for (cid, s), at in firsts.items() if s == stage.value]
        return round(mean(spans), 2) if spans else 0.0
    result.days_to_assessment, result.days_to_plan = days(Stage.PLANNING), days(Stage.IMPLEMENTATION)
    result.days_to_closure = days(Stage.CLOSED)
    # every closure counts, a reopened case's earlier one too (a case closed without a recorded
    # stage change, e.g. loaded data, counts by its outcome)
    closures = uow.repo.closures(list(opened))
    closed_ids = {case_id for case_id, _ in closures}
    outcomes = [outcome for _, outcome in closures if outcome]
    outcomes += [c.outcome for c in found if c.outcome and c.case_id not in closed_ids]
    for outcome in outcomes:
        result.outcomes[outcome] = result.outcomes.get(outcome, 0) + 1
    result.average_rating, result.ratings = uow.repo.ratings.summary(community_code)
    return result
