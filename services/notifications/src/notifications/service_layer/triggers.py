"""Triggers: the events that make somebody be told something, each turned into notifications
through the pipeline (``outbound.enqueue``) or into a reminder row that waits for its moment.

Each notification's dedupe key names what it is about (``domain.notices``), so a redelivered
event (the inbox already drops it) and the same fact announced again under a new event id both
notify once. Events carry identifiers only; who is in a case now is asked from cases
(``case_parties``) before anything is written, so no database lock is held across the call.
None of this knows about nameko or gRPC.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone

from ekm_platform.dependencies import PermanentEventError
from ekm_platform.envelope import Envelope
from ekm_platform.unit_of_work import UnitOfWork
from notifications.domain import notices as n
from notifications.domain.reminders import (
    REVIEW_DUE,
    STEP_DUE,
    STEP_OVERDUE,
    Reminder,
    parse_day,
    review_key,
    step_due_at,
    step_key,
)
from notifications.domain.requests import NotificationRequest
from notifications.service_layer import outbound

# ``case_parties(case_ref, step_id="") -> {"case_id", "case_number", "person_id", "assigned_to", "open", …} | None``
Parties = Callable[..., "dict | None"]


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _require(event: Envelope, *names: str) -> list:
    values = [event.data.get(name) for name in names]
    if not all(values):
        raise PermanentEventError(f"{event.event_type} without {', '.join(names)}")
    return values


def _parties(parties: Parties, case_ref: str, event: Envelope) -> dict:
    found = parties(case_ref)
    if found is None:
        raise PermanentEventError(f"{event.event_type}: no case {case_ref}")
    return found


def _tell(
    uow: UnitOfWork,
    kind: str,
    recipient_id: str,
    template: str,
    variables: dict,
    key: str,
    reference: str,
    urgent: bool = False,
) -> str:
    return outbound.enqueue(
        uow,
        NotificationRequest(
            recipient_kind=kind,
            recipient_id=recipient_id,
            template=template,
            variables=variables,
            dedupe_key=key,
            urgent=urgent,
            reference=reference,
        ),
    )


# --- a case opened and assigned ---------------------------------------------------------------------------


def case_opened(event: Envelope, uow: UnitOfWork, parties: Parties | None = None) -> list[str]:
    """``cases.case.opened``: the assigned case manager's inbox — a crisis (priority urgent, which
    cases gives to the community's on-duty manager) at once, ignoring quiet hours. A crisis nobody
    could be given to goes, urgent, to the community's supervisors, who take or assign it.
    An event without ``assigned_to`` (cases before it carried it) asks cases who has the case."""
    case_id, number = _require(event, "case_id", "case_number")
    data = event.data
    if data.get("new_case") is False:
        return []
    urgent = data.get("priority") == "urgent" or data.get("screening_level") == "crisis"
    manager = str(data.get("assigned_to") or "")
    case = None
    if parties is not None and ("assigned_to" not in data or (urgent and not manager)):
        case = parties(case_id) or {}
        manager = str(case.get("assigned_to") or "")
    if manager:
        return [
            _tell(
                uow,
                "case_manager",
                manager,
                n.CASE_ASSIGNED_URGENT if urgent else n.CASE_ASSIGNED,
                {"case_number": number},
                n.assigned_key(case_id, manager),
                number,
                urgent,
            )
        ]
    if urgent and case:
        return [
            _tell(
                uow,
                "case_manager",
                supervisor,
                n.CRISIS_UNASSIGNED,
                {"case_number": number},
                n.unassigned_key(case_id, supervisor),
                number,
                True,
            )
            for supervisor in case.get("supervisors") or []
        ]
    return []  # an ordinary case nobody has yet waits in the supervisors' queue


def case_assigned(event: Envelope, uow: UnitOfWork, parties: Parties) -> list[str]:
    """``cases.case.assigned`` by a supervisor: the new case manager's inbox. (An automatic
    assignment at opening is told by ``case.opened``, under the same key.)"""
    case_id, manager = _require(event, "case_id", "manager_id")
    if event.data.get("by") == "auto":
        return []
    case = _parties(parties, case_id, event)
    urgent = case.get("screening_level") == "crisis"
    return [
        _tell(
            uow,
            "case_manager",
            manager,
            n.CASE_ASSIGNED_URGENT if urgent else n.CASE_ASSIGNED,
            {"case_number": case["case_number"]},
            n.assigned_key(case_id, manager),
            case["case_number"],
            urgent,
        )
    ]


# --- a plan agreed or changed -------------------------------------------------------------------------------


def _plan_notices(
    uow, case: dict, what: str, version: int, person_template: str, manager_template: str, variables: dict
) -> list[str]:
    ids, number = [], case["case_number"]
    variables = {"case_number": number, "version": version, **variables}
    if case.get("person_id"):
        ids.append(
            _tell(
                uow,
                "person",
                case["person_id"],
                person_template,
                {"version": version},
                n.plan_key(what, case["case_id"], version, "person"),
                number,
            )
        )
    if case.get("assigned_to"):
        ids.append(
            _tell(
                uow,
                "case_manager",
                case["assigned_to"],
                manager_template,
                variables,
                n.plan_key(what, case["case_id"], version, "case_manager"),
                number,
            )
        )
    return ids


def plan_agreed(event: Envelope, uow: UnitOfWork, parties: Parties) -> list[str]:
    """``cases.case.plan_agreed``: the person (their agreement confirmed) and the case manager's inbox."""
    case_id, version = _require(event, "case_id", "version")
    case = _parties(parties, case_id, event)
    channel = str(event.data.get("channel") or "")
    return _plan_notices(
        uow,
        case,
        "agreed",
        int(version),
        n.PLAN_AGREED_PERSON,
        n.PLAN_AGREED_MANAGER,
        {"in_cabinet": channel == "cabinet"},
    )


def plan_changed(event: Envelope, uow: UnitOfWork, parties: Parties) -> list[str]:
    """``cases.case.plan_changed`` (a revision of an agreed plan): the person (to read and agree
    to it) and the case manager's inbox."""
    case_id, version = _require(event, "case_id", "version")
    case = _parties(parties, case_id, event)
    return _plan_notices(uow, case, "changed", int(version), n.PLAN_CHANGED_PERSON, n.PLAN_CHANGED_MANAGER, {})


# --- steps and reviews: reminders that wait in the database ------------------------------------------------


def step_announced(event: Envelope, uow: UnitOfWork, now: datetime | None = None) -> bool:
    """``cases.case.step_due`` / ``case.step_overdue``: a reminder row — a step due soon is
    reminded of at 09:00 (Kyiv) the day before it is due, an overdue one at once. False when the
    reminder was there already (the same step announced again)."""
    case_id, step_id, due_on = _require(event, "case_id", "step_id", "due_on")
    try:
        day = parse_day(due_on)
    except ValueError as exc:
        raise PermanentEventError(f"{event.event_type}: due_on {due_on!r} is not a date") from exc
    now = now or _now()
    kind = STEP_OVERDUE if event.event_type == "case.step_overdue" else STEP_DUE
    due_at = now if kind == STEP_OVERDUE else step_due_at(day, now)
    return uow.repo.reminders.add(
        Reminder(
            key=step_key(kind, case_id, step_id),
            kind=kind,
            case_id=case_id,
            due_at=due_at,
            subject_ref=step_id,
            due_on=day.isoformat(),
            case_number=str(event.data.get("case_number") or ""),
        )
    )


def review_announced(event: Envelope, uow: UnitOfWork, now: datetime | None = None) -> bool:
    """``cases.case.review_due`` (a week before, or overdue): a reminder for the case manager, at once."""
    case_id, due_on = _require(event, "case_id", "due_on")
    try:
        day = parse_day(due_on)
    except ValueError as exc:
        raise PermanentEventError(f"case.review_due: due_on {due_on!r} is not a date") from exc
    return uow.repo.reminders.add(
        Reminder(
            key=review_key(case_id, day.isoformat()),
            kind=REVIEW_DUE,
            case_id=case_id,
            due_at=now or _now(),
            due_on=day.isoformat(),
            case_number=str(event.data.get("case_number") or ""),
        )
    )


# --- answers from other services ----------------------------------------------------------------------------


def referral_answered(event: Envelope, uow: UnitOfWork, parties: Parties) -> list[str]:
    """``interagency.referral.accepted`` / ``rejected`` / ``completed``: the case manager's inbox."""
    referral_id, number = _require(event, "referral_id", "case_number")
    status = str(event.data.get("status") or event.event_type.rpartition(".")[2])
    if status not in n.REFERRAL_ANSWERED:
        raise PermanentEventError(f"{event.event_type}: not an answer ({status!r})")
    case = _parties(parties, number, event)
    if not case.get("assigned_to"):
        return []  # nobody's case yet: the supervisor's queue shows it
    sector_uk, sector_en = n.label(n.SECTORS, str(event.data.get("sector") or ""))
    variables = {"case_number": case["case_number"], "sector_uk": sector_uk, "sector_en": sector_en}
    if status == "rejected":
        reason = str(event.data.get("reason_code") or "other")
        variables["reason_uk"], variables["reason_en"] = n.label(n.REJECTIONS, reason)
    if status == "completed":
        variables["success"] = bool(event.data.get("success"))
    return [
        _tell(
            uow,
            "case_manager",
            case["assigned_to"],
            n.REFERRAL_ANSWERED[status],
            variables,
            n.referral_key(referral_id, status),
            case["case_number"],
        )
    ]


def registry_facts_found(event: Envelope, uow: UnitOfWork, parties: Parties) -> list[str]:
    """``registry_gateway.registry.facts_found``: the case manager's inbox — which registry, how many
    facts, the case number; no fact itself (they are in the case's social history)."""
    number, query_id = _require(event, "case_number", "query_id")
    facts = event.data.get("facts")
    if not isinstance(facts, list) or not facts:
        return []
    case = _parties(parties, number, event)
    about = str(event.data.get("person_id") or "")
    if about and about != case.get("person_id"):
        return []  # about somebody else (a household member): cases keeps it out of this history, so nothing to tell
    if not case.get("assigned_to"):
        return []
    registry_uk, registry_en = n.label(n.REGISTRIES, str(event.data.get("registry") or ""))
    return [
        _tell(
            uow,
            "case_manager",
            case["assigned_to"],
            n.REGISTRY_FACTS,
            {
                "case_number": case["case_number"],
                "registry_uk": registry_uk,
                "registry_en": registry_en,
                "count": len(facts),
            },
            n.registry_key(query_id),
            case["case_number"],
        )
    ]
