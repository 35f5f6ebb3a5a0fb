"""Referrals ("направлення") from a case to another sector, closed loop (modelled on FHIR
ServiceRequest + Task): the case manager refers the case's person to an agency for a stated need
and a requested action; the agency accepts, rejects with a coded reason, or completes with an
outcome and a success flag; the case manager can revoke it. Every transition is recorded (when,
by whom, why). Plain Python.

    in_progress ──accept──▶ accepted ──complete──▶ completed
        │  └──reject──▶ rejected          │
        └──revoke──▶ revoked ◀──revoke────┘
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta, timezone
from enum import Enum

from ekm_platform.errors import FailedPrecondition, FieldViolation, ValidationError
from ekm_platform.identifiers import edrpou_problem


class Sector(str, Enum):
    HEALTH = "health"
    EDUCATION = "education"
    EMPLOYMENT = "employment"
    BORDER_GUARD = "border_guard"
    CHILD_SERVICES = "child_services"
    PROBATION = "probation"
    HOUSING = "housing"
    LEGAL_AID = "legal_aid"
    NGO = "ngo"


class ReferralState(str, Enum):
    IN_PROGRESS = "in_progress"  # sent, waiting for the agency's answer (FHIR Task "requested")
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    REVOKED = "revoked"  # by the case manager (FHIR ServiceRequest "revoked", Task "cancelled")
    COMPLETED = "completed"


class RejectionReason(str, Enum):
    CLIENT_REFUSED = "client_refused"  # the person refused the services
    NO_CAPACITY = "no_capacity"  # the agency lacks capacity
    NOT_ELIGIBLE = "not_eligible"
    OUT_OF_AREA = "out_of_area"  # the person lives outside the agency's area
    UNABLE_TO_CONTACT = "unable_to_contact"
    DUPLICATE = "duplicate"  # already referred / already served
    OTHER = "other"  # a note says why


STATE_LABELS = {
    "in_progress": "в роботі",
    "accepted": "прийнято",
    "rejected": "відхилено",
    "revoked": "відкликано",
    "completed": "виконано",
}
REJECTION_LABELS = {
    "client_refused": "особа відмовилася від послуг",
    "no_capacity": "брак потужностей",
    "not_eligible": "особа не відповідає умовам",
    "out_of_area": "поза зоною обслуговування",
    "unable_to_contact": "не вдалося зв'язатися з особою",
    "duplicate": "повторне направлення",
    "other": "інша причина",
}
TERMINAL = (ReferralState.REJECTED, ReferralState.REVOKED, ReferralState.COMPLETED)
MAX_REASON_BYTES = 4096
MAX_NOTE = 2000
MAX_COMPLETE_DAYS = 366


def _now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass(frozen=True)
class Transition:
    """One change of a referral's state: when, by whom (user, role, organisation), why."""

    referral_id: str
    from_state: str  # "" for the creation
    to_state: str
    at: datetime
    by_user: str
    by_role: str
    by_organisation: str = ""
    reason_code: str = ""  # a RejectionReason for a rejection
    note: str = ""  # the actor's words (an outcome, a revocation's reason); never in events


@dataclass(frozen=True)
class Referral:
    case_number: str
    sector: Sector
    agency_code: str
    reason: str  # the stated need
    created_by: str
    client_request_id: str = ""
    state: ReferralState = ReferralState.IN_PROGRESS
    referral_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    created_at: datetime = field(default_factory=_now)
    person_id: str = ""  # the case's person (whose consent decides what the agency sees)
    action: str = ""  # what the agency is asked to do
    respond_by: datetime | None = None  # the agency accepts or rejects by then
    complete_by: str = ""  # YYYY-MM-DD: the requested action is done by then
    updated_at: datetime | None = None
    outcome: str = ""  # the agency's outcome on completion
    success: bool | None = None  # whether the need was met (completion only)
    rejection_reason: str = ""  # a RejectionReason code
    version: int = 1  # each transition adds one; a stale writer loses

    def created_event(self) -> dict:
        """Identifiers only; the reason may hold personal data and stays here."""
        return {
            "referral_id": self.referral_id,
            "case_number": self.case_number,
            "sector": self.sector.value,
            "agency_code": self.agency_code,
            "status": self.state.value,
            "at": self.created_at.isoformat(),
            "by_role": "case_manager",
        }

    def transition_event(self, t: Transition) -> dict:
        """``referral.<state>`` for the case's social history and notifications: identifiers and codes."""
        event: dict[str, object] = {
            "referral_id": self.referral_id,
            "case_number": self.case_number,
            "agency_code": self.agency_code,
            "sector": self.sector.value,
            "status": t.to_state,
            "at": t.at.isoformat(),
            "by_role": t.by_role,
        }
        if t.reason_code:
            event["reason_code"] = t.reason_code
        if self.success is not None:
            event["success"] = self.success
        return event

    def overdue(self, at: datetime | None = None) -> bool:
        at = at or _now()
        if self.state is ReferralState.IN_PROGRESS and self.respond_by is not None:
            return at > self.respond_by
        if self.state is ReferralState.ACCEPTED and self.complete_by:
            return at.date() > date.fromisoformat(self.complete_by)
        return False

    # --- the state machine ---------------------------------------------------------------------
    def _move(
        self,
        to: ReferralState,
        allowed_from: tuple,
        by_user: str,
        by_role: str,
        by_organisation: str = "",
        reason_code: str = "",
        note: str = "",
        at: datetime | None = None,
        **changes,
    ):
        if self.state not in allowed_from:
            raise FailedPrecondition(
                f"Направлення {STATE_LABELS[self.state.value]}: його вже не можна перевести у стан "
                f"«{STATE_LABELS[to.value]}» / the referral is {self.state.value} and cannot become {to.value}"
            )
        at = at or _now()
        moved = replace(self, state=to, updated_at=at, version=self.version + 1, **changes)
        return moved, Transition(
            self.referral_id,
            self.state.value,
            to.value,
            at,
            by_user,
            by_role,
            by_organisation,
            reason_code,
            note.strip(),
        )

    def accept(self, by_user: str, by_organisation: str, note: str = "", at: datetime | None = None):
        _check_note(note)
        return self._move(
            ReferralState.ACCEPTED,
            (ReferralState.IN_PROGRESS,),
            by_user,
            "partner_agency",
            by_organisation,
            note=note,
            at=at,
        )

    def reject(self, by_user: str, by_organisation: str, reason_code: str, note: str = "", at: datetime | None = None):
        problems = []
        if reason_code not in {r.value for r in RejectionReason}:
            problems.append(
                FieldViolation(
                    "reason_code", "оберіть причину зі списку / one of: " + ", ".join(r.value for r in RejectionReason)
                )
            )
        elif reason_code == RejectionReason.OTHER.value and not note.strip():
            problems.append(FieldViolation("note", "для іншої причини поясніть її / explain the other reason"))
        if len(note) > MAX_NOTE:
            problems.append(FieldViolation("note", f"до {MAX_NOTE} символів / up to {MAX_NOTE} characters"))
        if problems:
            raise ValidationError(problems)
        return self._move(
            ReferralState.REJECTED,
            (ReferralState.IN_PROGRESS,),
            by_user,
            "partner_agency",
            by_organisation,
            reason_code=reason_code,
            note=note,
            at=at,
            rejection_reason=reason_code,
        )

    def complete(self, by_user: str, by_organisation: str, outcome: str, success: bool, at: datetime | None = None):
        if not outcome.strip():
            raise ValidationError.single("outcome", "опишіть результат / describe the outcome")
        if len(outcome) > MAX_NOTE:
            raise ValidationError.single("outcome", f"до {MAX_NOTE} символів / up to {MAX_NOTE} characters")
        if self.state is ReferralState.IN_PROGRESS:
            raise FailedPrecondition("Спершу прийміть направлення / accept the referral first")
        return self._move(
            ReferralState.COMPLETED,
            (ReferralState.ACCEPTED,),
            by_user,
            "partner_agency",
            by_organisation,
            note=outcome,
            at=at,
            outcome=outcome.strip(),
            success=bool(success),
        )

    def revoke(self, by_user: str, by_role: str, reason: str, at: datetime | None = None):
        if not reason.strip():
            raise ValidationError.single("reason", "вкажіть причину відкликання / the reason is required")
        _check_note(reason, "reason")
        return self._move(
            ReferralState.REVOKED,
            (ReferralState.IN_PROGRESS, ReferralState.ACCEPTED),
            by_user,
            by_role,
            note=reason,
            at=at,
        )


def _check_note(note: str, name: str = "note") -> None:
    if len(note) > MAX_NOTE:
        raise ValidationError.single(name, f"до {MAX_NOTE} символів / up to {MAX_NOTE} characters")


def deadlines(created_at: datetime, respond_days: int, complete_by: str, complete_days: int) -> tuple[datetime, str]:
    """(respond_by, complete_by): the agency answers within ``respond_days``; the action is done by
    ``complete_by`` as requested, else within ``complete_days``."""
    respond_by = created_at + timedelta(days=respond_days)
    if not complete_by:
        complete_by = (created_at + timedelta(days=complete_days)).date().isoformat()
    return respond_by, complete_by


def validate_complete_by(complete_by: str, today: date) -> None:
    if not complete_by:
        return
    try:
        due = date.fromisoformat(complete_by)
    except ValueError:
        raise ValidationError.single("complete_by", "дата РРРР-ММ-ДД / a YYYY-MM-DD date") from None
    if due < today:
        raise ValidationError.single("complete_by", "дата не може бути в минулому / the date is in the past")
    if (due - today).days > MAX_COMPLETE_DAYS:
        raise ValidationError.single("complete_by", "не пізніше ніж за рік / at most a year ahead")


def validate_referral(case_number: str, sector: Sector | None, agency_code: str, reason: str, action: str = "") -> None:
    problems = []
    if len(action.encode("utf-8")) > MAX_REASON_BYTES:
        problems.append(FieldViolation("action", "більше 4 КіБ / longer than 4 KiB"))
    if not case_number:
        problems.append(FieldViolation("case_number", "обов'язкове поле / required"))
    if sector is None:
        problems.append(FieldViolation("sector", "невідомий або не вказаний сектор / unknown or missing sector"))
    if edrpou_problem(agency_code):
        problems.append(FieldViolation("agency_code", "код ЄДРПОУ з 8 цифр / an 8-digit EDRPOU code"))
    if not reason.strip():
        problems.append(FieldViolation("reason", "обов'язкове поле / required"))
    elif len(reason.encode("utf-8")) > MAX_REASON_BYTES:
        problems.append(FieldViolation("reason", "більше 4 КіБ / longer than 4 KiB"))
    if problems:
        raise ValidationError(problems)
