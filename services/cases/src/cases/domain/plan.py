"""The individual plan: goals tied to assessed needs, steps with who and by when, the
services chosen with the person, the supervisor's approval and the person's agreement
(who and when, and the channel of the agreement). Versioned."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

from cases.domain import labels
from cases.domain.assessment import Assessment, Domain
from cases.domain.labels import uk
from cases.domain.scoring import SERVICE_CATALOGUE
from ekm_platform.errors import FailedPrecondition, FieldViolation, NotFound, PermissionDenied, ValidationError

RESPONSIBLE = ("person", "case_manager", "agency", "provider")
STEP_STATUSES = ("planned", "in_progress", "done", "cancelled")
AGREEMENT_CHANNELS = ("cabinet", "in_person")
# A plan version as written, before anyone signed it off: no approval, no agreement.
NO_SIGN_OFF: dict[str, Any] = {
    "approved_by": "",
    "approved_at": "",
    "agreed_by": "",
    "agreed_at": "",
    "agreement_channel": "",
    "returned_by": "",
    "returned_reason": "",
}


@dataclass(frozen=True)
class Goal:
    goal_id: str
    need_domain: str
    description: str


@dataclass(frozen=True)
class Step:
    step_id: str
    goal_id: str
    what: str
    responsible_kind: str
    responsible_ref: str
    due_on: str
    status: str = "planned"


@dataclass(frozen=True)
class PlannedService:
    service_id: str
    service_type: str
    provider: str
    frequency: str


@dataclass(frozen=True)
class Plan:
    case_id: str
    version: int
    goals: tuple[Goal, ...] = ()
    steps: tuple[Step, ...] = ()
    services: tuple[PlannedService, ...] = ()
    agreed_at: str = ""  # ISO timestamp of the person's agreement
    agreement_channel: str = ""
    approved_by: str = ""  # the supervisor who approved this version
    agreed_by: str = ""  # the person who agreed (their person id; the recipient's user id in the cabinet)
    approved_at: str = ""  # ISO timestamp of the supervisor's approval
    returned_by: str = ""  # a supervisor sent this version back to the case manager (cleared on saving)
    returned_reason: str = ""

    def approve(self, supervisor_id: str, at: datetime) -> Plan:
        if self.approved_by:
            raise FailedPrecondition("План уже затверджено / the plan is already approved")
        return replace(self, approved_by=supervisor_id, approved_at=at.isoformat())

    def return_for_rework(self, supervisor_id: str, reason: str) -> Plan:
        """The supervisor does not approve this version and says why; the case manager saves it again."""
        if self.approved_by or self.agreed:
            raise FailedPrecondition("План уже затверджено / the plan is already approved")
        if self.returned_by:
            raise FailedPrecondition("План уже повернуто на доопрацювання / the plan was already returned")
        return replace(self, returned_by=supervisor_id, returned_reason=reason)

    @property
    def agreed(self) -> bool:
        return bool(self.agreed_at)

    def agree(self, channel: str, at: datetime, by_person_id: str) -> Plan:
        if not self.approved_by:
            raise FailedPrecondition("Спершу план затверджує керівник / a supervisor approves the plan first")
        if channel not in AGREEMENT_CHANNELS:
            raise ValidationError.single("channel", "у кабінеті або особисто / cabinet or in_person")
        if not by_person_id.strip():
            raise ValidationError.single("by_person_id", "потрібно вказати, хто погодив / who agreed is required")
        if self.agreed:
            raise FailedPrecondition("План уже погоджено / the plan is already agreed")
        return replace(self, agreed_at=at.isoformat(), agreement_channel=channel, agreed_by=by_person_id.strip())

    def revise(self) -> Plan:
        """A new version to change; the supervisor approves it and the person agrees to it again."""
        return replace(self, version=self.version + 1, **NO_SIGN_OFF)

    def mark_step_done(self, step_id: str, by_role: str) -> Plan:
        step = next((s for s in self.steps if s.step_id == step_id), None)
        if step is None:
            raise NotFound("Крок не знайдено / step not found")
        if step.status in ("done", "cancelled"):
            raise FailedPrecondition(
                f"Крок уже {uk(labels.STEP_STATUS, step.status)} / the step is already {step.status}"
            )
        if by_role == "recipient" and step.responsible_kind != "person":
            raise PermissionDenied("Отримувач позначає лише власні кроки / a recipient marks only their own steps")
        return replace(self, steps=tuple(replace(s, status="done") if s.step_id == step_id else s for s in self.steps))

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Plan:
        return cls(
            case_id=data["case_id"],
            version=int(data["version"]),
            goals=tuple(Goal(**g) for g in data.get("goals", ())),
            steps=tuple(Step(**s) for s in data.get("steps", ())),
            services=tuple(PlannedService(**s) for s in data.get("services", ())),
            agreed_at=data.get("agreed_at", ""),
            agreement_channel=data.get("agreement_channel", ""),
            approved_by=data.get("approved_by", ""),
            agreed_by=data.get("agreed_by", ""),
            approved_at=data.get("approved_at", ""),
            returned_by=data.get("returned_by", ""),
            returned_reason=data.get("returned_reason", ""),
        )


def validate_plan(plan: Plan, assessment: Assessment) -> None:
    problems: list[FieldViolation] = []
    needs = {d.value for d in Domain if assessment.level(d) >= 1}
    if any(c.need_level >= 1 for c in assessment.children):
        needs.add("children")
    goal_ids = set()
    if not plan.goals:
        problems.append(FieldViolation("goals", "потрібна хоча б одна мета / at least one goal"))
    for i, goal in enumerate(plan.goals):
        if goal.goal_id in goal_ids:
            problems.append(FieldViolation(f"goals[{i}].goal_id", "ідентифікатор повторюється / duplicate id"))
        goal_ids.add(goal.goal_id)
        if goal.need_domain not in needs:
            problems.append(
                FieldViolation(
                    f"goals[{i}].need_domain",
                    "мета має відповідати оціненій потребі / a goal must answer an assessed need",
                )
            )
        if not goal.description.strip():
            problems.append(FieldViolation(f"goals[{i}].description", "обов'язкове поле / required"))
    step_ids = set()
    for i, step in enumerate(plan.steps):
        if step.step_id in step_ids:
            problems.append(FieldViolation(f"steps[{i}].step_id", "ідентифікатор повторюється / duplicate id"))
        step_ids.add(step.step_id)
        if step.goal_id not in goal_ids:
            problems.append(FieldViolation(f"steps[{i}].goal_id", "невідома мета / unknown goal"))
        if step.responsible_kind not in RESPONSIBLE:
            problems.append(
                FieldViolation(
                    f"steps[{i}].responsible_kind", "оберіть виконавця зі списку / one of: " + ", ".join(RESPONSIBLE)
                )
            )
        if step.status not in STEP_STATUSES:
            problems.append(
                FieldViolation(f"steps[{i}].status", "оберіть стан зі списку / one of: " + ", ".join(STEP_STATUSES))
            )
        try:
            date.fromisoformat(step.due_on)
        except ValueError:
            problems.append(FieldViolation(f"steps[{i}].due_on", "дата РРРР-ММ-ДД / a YYYY-MM-DD date"))
        if not step.what.strip():
            problems.append(FieldViolation(f"steps[{i}].what", "обов'язкове поле / required"))
    for i, service in enumerate(plan.services):
        if service.service_type not in SERVICE_CATALOGUE:
            problems.append(FieldViolation(f"services[{i}].service_type", "немає в каталозі / not in the catalogue"))
        if not service.provider.strip():
            problems.append(FieldViolation(f"services[{i}].provider", "обов'язкове поле / required"))
    if problems:
        raise ValidationError(problems)


def _open(step: Step) -> bool:
    return step.status in ("planned", "in_progress")


def due_steps(plan: Plan, today: date, horizon_days: int = 3) -> list[Step]:
    horizon = today + timedelta(days=horizon_days)
    return [s for s in plan.steps if _open(s) and today <= date.fromisoformat(s.due_on) <= horizon]


def overdue_steps(plan: Plan, today: date) -> list[Step]:
    return [s for s in plan.steps if _open(s) and date.fromisoformat(s.due_on) < today]
