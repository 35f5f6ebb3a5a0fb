"""What waits for a supervisor, and the quality indicators of a team or community."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from statistics import mean

from cases.domain import labels
from cases.domain.deadlines import Deadlines, is_overdue
from cases.domain.labels import uk
from cases.domain.model import Stage
from cases.domain.plan import overdue_steps
from cases.service_layer.access import audit, load_case, require_staff, team_of
from ekm_platform.auth import Principal
from ekm_platform.errors import FailedPrecondition, NotFound, ValidationError
from ekm_platform.unit_of_work import UnitOfWork


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


def queue(
    uow: UnitOfWork, principal: Principal, community_code: str = "", deadlines: Deadlines | None = None
) -> list[QueueItem]:
    require_staff(principal, "supervisor")
    community = community_code or principal.community_code
    _, found = _team_cases(uow, principal, "")
    items = [
        QueueItem(
            "assessment_approval",
            r.case_id,
            next(c.case_number for c in found if c.case_id == r.case_id),
            f"оцінка v{r.version} чекає затвердження / assessment v{r.version} awaits approval",
            r.updated_at,
        )
        for r in uow.repo.submitted_assessments([c.case_id for c in found])
    ]
    for c in found:
        plan = uow.repo.latest_plan(c.case_id) if c.is_open else None
        if plan is not None and not plan.approved_by and not plan.returned_by:
            items.append(
                QueueItem(
                    "plan_approval",
                    c.case_id,
                    c.case_number,
                    f"план v{plan.version} чекає затвердження / plan v{plan.version} awaits approval",
                    c.stage_entered_at or c.opened_at,
                )
            )
        if c.closure_requested:
            items.append(
                QueueItem(
                    "closure_approval",
                    c.case_id,
                    c.case_number,
                    f"запит на закриття ({uk(labels.OUTCOME, c.closure_requested)}) / "
                    f"closure requested ({c.closure_requested})",
                    c.stage_entered_at or c.opened_at,
                )
            )
    items += [
        QueueItem("unassigned_case", c.case_id, c.case_number, c.assignment_explanation, c.opened_at)
        for c in uow.repo.unassigned(community)
    ]
    now = datetime.now(timezone.utc)
    items += [
        QueueItem(
            "overdue_case",
            c.case_id,
            c.case_number,
            f"етап «{uk(labels.STAGE, c.stage.value)}» прострочено / {c.stage.value} overdue",
            c.stage_entered_at or c.opened_at,
        )
        for c in found
        if c.is_open
        and is_overdue(
            c.stage, c.stage_entered_at or c.opened_at, c.screening_level, now, deadlines or Deadlines.configured()
        )
    ]
    return sorted(items, key=lambda i: i.since)


RETURNABLE = ("assessment_approval", "plan_approval", "closure_approval")
RETURN_REASON_MAX = 2000


def return_for_rework(uow: UnitOfWork, principal: Principal, case_id: str, kind: str, version: int, reason: str):
    """A supervisor of the case sends back what waits for approval, with a reason: a submitted
    assessment becomes a draft again, a plan version leaves the queue until it is saved again,
    a closure request is withdrawn. Recorded in the history and the audit log."""
    require_staff(principal, "supervisor")
    reason = (reason or "").strip()
    problems = []
    if kind not in RETURNABLE:
        problems.append(("kind", "оцінка, план або закриття / assessment_approval, plan_approval or closure_approval"))
    if not reason:
        problems.append(("reason", "вкажіть причину / a reason is required"))
    elif len(reason) > RETURN_REASON_MAX:
        problems.append(("reason", f"не більше {RETURN_REASON_MAX} символів / at most {RETURN_REASON_MAX} characters"))
    if problems:
        from ekm_platform.errors import FieldViolation

        raise ValidationError([FieldViolation(f, m) for f, m in problems])
    case = load_case(uow, principal, case_id=case_id)
    if kind == "assessment_approval":
        found = uow.repo.latest_assessment(case.case_id, version)
        if found is None:
            raise NotFound("Оцінку потреб не знайдено / assessment not found")
        uow.repo.save_assessment(found.return_for_rework(principal.user_id, reason))
        what_uk, what_en = f"оцінку потреб (версія {found.version})", f"assessment v{found.version}"
    elif kind == "plan_approval":
        plan = uow.repo.latest_plan(case.case_id)
        if plan is None or (version and plan.version != version):
            raise FailedPrecondition("Повертають лише чинну версію плану / only the current plan version is returned")
        uow.repo.save_plan(plan.return_for_rework(principal.user_id, reason))
        what_uk, what_en = f"план v{plan.version}", f"plan v{plan.version}"
    else:
        if not case.closure_requested:
            raise FailedPrecondition("Запиту на закриття немає / no closure was requested")
        outcome = case.closure_requested
        case.closure_requested = ""
        what_uk, what_en = f"запит на закриття ({uk(labels.OUTCOME, outcome)})", f"closure request ({outcome})"
    uow.repo.save_case(case, case.version)
    uow.repo.add_history(
        case.person_id,
        "supervision.returned",
        case.case_number,
        f"{what_uk} повернуто на доопрацювання: {reason} / {what_en} returned for rework",
        "cases",
    )
    audit(uow, principal, "supervision.return", case, kind=kind, version=version)
    uow.publish(
        "case.returned_for_rework",
        {"case_id": case.case_id, "case_number": case.case_number, "kind": kind, "version": version},
    )
    uow.commit()
    return case


def kpis(uow: UnitOfWork, principal: Principal, community_code: str = "", deadlines: Deadlines | None = None) -> Kpis:
    require_staff(principal, "supervisor", "operator")
    managers, found = _team_cases(uow, principal, community_code)
    now, today = datetime.now(timezone.utc), date.today()
    result = Kpis()
    open_cases = [c for c in found if c.is_open]
    result.open_cases = len(open_cases)
    owners = {c.assigned_to for c in open_cases if c.assigned_to} | set(managers or ())
    result.caseload_per_manager = round(len(open_cases) / len(owners), 2) if owners else 0.0
    result.overdue_cases = sum(
        is_overdue(
            c.stage, c.stage_entered_at or c.opened_at, c.screening_level, now, deadlines or Deadlines.configured()
        )
        for c in open_cases
    )
    result.overdue_steps = sum(
        len(overdue_steps(p, today)) for c in open_cases if (p := uow.repo.latest_plan(c.case_id)) is not None
    )
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
