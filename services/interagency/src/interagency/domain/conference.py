"""Case conferences ("міждисциплінарна нарада"): participants from several agencies meet about a
case with an agenda; their decisions become steps of the case's individual plan (each with who is
responsible and by when). Plain Python."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timezone

from ekm_platform.errors import FailedPrecondition, FieldViolation, ValidationError

RESPONSIBLE = ("person", "case_manager", "agency", "provider")  # as the plan's steps have them
MAX_TEXT = 1000
MAX_ITEMS = 30


@dataclass(frozen=True)
class Participant:
    agency_code: str  # the agency they come from ("" for the social service's own staff)
    user_id: str = ""  # their account, when they have one
    role: str = ""  # e.g. "лікар", "психолог", "ювенальний прокурор"


@dataclass(frozen=True)
class Decision:
    text: str
    goal_id: str  # the plan's goal the step serves
    responsible_kind: str
    responsible_ref: str  # the agency's code when an agency is responsible
    due_on: str  # YYYY-MM-DD
    step_id: str = ""  # the plan step it became
    done_at: str = ""  # ISO time the responsible agency marked the step done (a shared task)


@dataclass(frozen=True)
class Conference:
    case_number: str
    scheduled_at: datetime
    agenda: tuple[str, ...]
    participants: tuple[Participant, ...]
    organised_by: str
    conference_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    created_at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    status: str = "scheduled"  # scheduled -> concluded
    decisions: tuple[Decision, ...] = ()
    concluded_at: datetime | None = None
    concluded_by: str = ""
    plan_version: int = 0  # the plan version the decisions went into

    @property
    def agencies(self) -> set[str]:
        return {p.agency_code for p in self.participants if p.agency_code}

    def step_ids(self) -> list[str]:
        """Stable per conference and decision: sending them again to cases adds nothing twice."""
        return [f"conf-{self.conference_id[:8]}-{i + 1}" for i in range(len(self.decisions))]

    def task(self, step_id: str, agency_code: str) -> Decision | None:
        """The decision that became ``step_id``, if it is this agency's task."""
        return next(
            (
                d
                for d in self.decisions
                if d.step_id == step_id and d.responsible_kind == "agency" and d.responsible_ref == agency_code
            ),
            None,
        )

    def task_done(self, step_id: str, at: datetime) -> Conference:
        return replace(
            self,
            decisions=tuple(replace(d, done_at=at.isoformat()) if d.step_id == step_id else d for d in self.decisions),
        )

    def conclude(self, decisions: tuple[Decision, ...], by: str, at: datetime | None = None) -> Conference:
        if self.status == "concluded":
            raise FailedPrecondition("Нараду вже завершено / the conference is already concluded")
        validate_decisions(decisions, self.agencies)
        concluded = replace(
            self,
            decisions=decisions,
            status="concluded",
            concluded_by=by,
            concluded_at=at or datetime.now(timezone.utc),
        )
        return replace(
            concluded, decisions=tuple(replace(d, step_id=s) for d, s in zip(decisions, concluded.step_ids()))
        )


def validate_conference(c: Conference, known_agencies: set[str]) -> None:
    problems = []
    if not c.case_number:
        problems.append(FieldViolation("case_number", "обов'язкове поле / required"))
    if c.scheduled_at is None:
        problems.append(FieldViolation("scheduled_at", "обов'язкове поле / required"))
    agenda = [a for a in c.agenda if a.strip()]
    if not agenda:
        problems.append(FieldViolation("agenda", "потрібен хоча б один пункт порядку денного / at least one item"))
    if len(c.agenda) > MAX_ITEMS or any(len(a) > MAX_TEXT for a in c.agenda):
        problems.append(
            FieldViolation(
                "agenda",
                f"до {MAX_ITEMS} пунктів по {MAX_TEXT} символів / up to {MAX_ITEMS} items of {MAX_TEXT} characters",
            )
        )
    if not c.participants or len(c.participants) > MAX_ITEMS:
        problems.append(FieldViolation("participants", f"від 1 до {MAX_ITEMS} учасників / 1 to {MAX_ITEMS}"))
    for i, p in enumerate(c.participants):
        if p.agency_code and p.agency_code not in known_agencies:
            problems.append(FieldViolation(f"participants[{i}].agency_code", "невідома установа / unknown agency"))
        if len(p.role) > 200 or len(p.user_id) > 64:
            problems.append(FieldViolation(f"participants[{i}]", "задовгі поля / fields too long"))
    if c.participants and not c.agencies:
        problems.append(
            FieldViolation(
                "participants",
                "потрібен учасник хоча б від однієї установи-партнера / at least one participant from a partner agency",
            )
        )
    if problems:
        raise ValidationError(problems)


def validate_decisions(decisions: tuple[Decision, ...], agencies: set[str]) -> None:
    problems = []
    if not decisions:
        problems.append(FieldViolation("decisions", "потрібне хоча б одне рішення / at least one decision"))
    if len(decisions) > MAX_ITEMS:
        problems.append(FieldViolation("decisions", f"до {MAX_ITEMS} рішень / up to {MAX_ITEMS} decisions"))
    for i, d in enumerate(decisions):
        if not d.text.strip() or len(d.text) > MAX_TEXT:
            problems.append(FieldViolation(f"decisions[{i}].text", f"1–{MAX_TEXT} символів / 1–{MAX_TEXT} characters"))
        if not d.goal_id.strip():
            problems.append(
                FieldViolation(f"decisions[{i}].goal_id", "мета плану обов'язкова / the plan's goal is required")
            )
        if d.responsible_kind not in RESPONSIBLE:
            problems.append(
                FieldViolation(
                    f"decisions[{i}].responsible_kind",
                    "оберіть виконавця зі списку / one of: " + ", ".join(RESPONSIBLE),
                )
            )
        elif d.responsible_kind == "agency" and d.responsible_ref not in agencies:
            problems.append(
                FieldViolation(
                    f"decisions[{i}].responsible_ref",
                    "відповідальна установа має бути учасником наради / the responsible "
                    "agency must take part in the conference",
                )
            )
        try:
            date.fromisoformat(d.due_on)
        except ValueError:
            problems.append(FieldViolation(f"decisions[{i}].due_on", "дата РРРР-ММ-ДД / a YYYY-MM-DD date"))
    if problems:
        raise ValidationError(problems)
