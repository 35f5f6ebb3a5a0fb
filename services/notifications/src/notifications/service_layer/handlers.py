"""The notifications service's use cases. None knows about gRPC or nameko."""

from __future__ import annotations

import re
from collections.abc import Callable

from ekm_platform.audit import AuditEntry
from ekm_platform.auth import Principal
from ekm_platform.case_access import CaseCheck, require_case
from ekm_platform.dependencies import PermanentEventError
from ekm_platform.envelope import Envelope
from ekm_platform.errors import NotFound, ValidationError
from ekm_platform.unit_of_work import UnitOfWork
from notifications.domain.delivery import APPEAL_ACKNOWLEDGEMENT, Delivery
from notifications.domain.requests import NotificationRequest
from notifications.service_layer.outbound import enqueue, enqueue_many

ContactSource = Callable[[str], dict]
# ``appeal_case_number(appeal_id) -> str | None`` asks intake which case the appeal opened.
CaseOfAppeal = Callable[[str], "str | None"]

# Who the service is when it acts on an event (nobody called it): the audit log's actor.
SERVICE_ACTOR = ("notifications", "service")
PURPOSE_ACKNOWLEDGE = "повідомлення заявника / telling the applicant"
PURPOSE_LOG = "журнал доставки / delivery log"
CASE_NUMBER = re.compile(r"^CASE-\d{4}-[A-Z0-9]{7}$")
NOT_FOUND = "Журнал доставки не знайдено / no delivery log found"


def acknowledge_appeal(
    event: Envelope, uow: UnitOfWork, fetch_contact: ContactSource | None = None, senders: dict | None = None
) -> str | None:
    """``intake.appeal.accepted``: tell the applicant their tracking number — once per appeal.

    The acknowledgement goes through the outbound pipeline (``outbound.enqueue``): a notification
    keyed ``appeal.acknowledgement:<appeal id>`` is stored in this event's transaction, so a re-sent
    ``appeal.accepted`` under a new event id (or two workers with the same event) stores nothing more
    (acknowledgements logged before m0005 carry the same key). The dispatcher then reads the
    applicant's contact from intake, sends (SMS first, else e-mail), retries and logs every attempt.
    It is urgent (no quiet hours): it answers what the person did a moment ago.
    ``fetch_contact`` and ``senders`` are no longer used here (the dispatcher has them).
    """
    request = _acknowledgement(event)
    return enqueue(uow, request) if request is not None else None


def _acknowledgement(event: Envelope) -> NotificationRequest | None:
    appeal_id, tracking_number = event.data.get("appeal_id"), event.data.get("tracking_number")
    if event.data.get("channel") == "registry_signal":
        return None  # a proactive appeal: nobody applied, the case manager makes the first contact
    if not appeal_id or not tracking_number:
        raise PermanentEventError("appeal.accepted without appeal_id or tracking_number")
    crisis = event.data.get("screening_level") == "crisis"
    return NotificationRequest(
        recipient_kind="applicant",
        recipient_id=appeal_id,
        template="appeal.accepted.crisis" if crisis else "appeal.accepted",
        variables={"tracking_number": tracking_number},
        dedupe_key=f"{APPEAL_ACKNOWLEDGEMENT}:{appeal_id}",
        urgent=True,
        reference=appeal_id,
    )


def acknowledge_appeals(events: list[Envelope], uow: UnitOfWork) -> list[str]:
    """``acknowledge_appeal`` for a batch of ``appeal.accepted``: one statement stores them all."""
    requests = [r for r in (_acknowledgement(e) for e in events) if r is not None]
    return enqueue_many(uow, requests) if requests else []


def deliveries_for(
    reference: str, principal: Principal, uow: UnitOfWork, case_of_appeal: CaseOfAppeal, check_case_access: CaseCheck
) -> list[Delivery]:
    """The delivery log about one appeal (its id) or one case (its number), for whoever may see it.

    A case manager or supervisor sees the log of an appeal whose case they may see (intake says
    which case the appeal opened, cases whether the caller may see it): another manager's appeal,
    an appeal that opened no case yet, or an unknown one is NOT_FOUND. A case number gives what
    was sent about the case itself (reference = its number or id). An operator sees the log of
    any appeal (cases say an operator sees every case's identifiers) as identifiers and statuses
    only: no recipient, not even masked. Each read is in the audit log.
    """
    reference = (reference or "").strip()
    if not reference:
        raise ValidationError.single("reference", "обов'язкове поле / required")
    if len(reference) > 64:
        raise ValidationError.single("reference", "не довше 64 символів / at most 64 characters")
    operator = principal.role == "operator"
    references, subject_type, case = [reference], "appeal", None
    if CASE_NUMBER.match(reference.upper()):
        subject_type = "case"
        case = _visible_case(check_case_access, principal, reference)
        references = [case["case_number"], case["case_id"]]
    elif not operator:
        number = case_of_appeal(reference)
        if not number:
            raise NotFound(NOT_FOUND)
        case = _visible_case(check_case_access, principal, number)
    found = uow.repo.for_references(references)
    if operator or (case and case.get("identifiers_only")):
        found = [d.identifiers_only() for d in found]
    _audit(
        uow,
        "deliveries.read",
        reference,
        PURPOSE_LOG,
        actor=(principal.user_id, principal.role),
        subject_type=subject_type,
        case_number=(case or {}).get("case_number", ""),
        deliveries=[d.delivery_id for d in found],
        identifiers_only=operator,
    )
    uow.commit()
    return found


def delivery_log(
    reference: str, principal: Principal, uow: UnitOfWork, case_of_appeal: CaseOfAppeal, check_case_access: CaseCheck
) -> tuple[list[Delivery], dict[str, list[dict]]]:
    """``deliveries_for`` (the same relation checks) with every attempt of each delivery; where the
    delivery is shown by identifiers only, so are its attempts (no masked address)."""
    found = deliveries_for(reference, principal, uow, case_of_appeal, check_case_access)
    attempts = uow.repo.attempts_for(d.delivery_id for d in found)
    for d in found:
        if not d.recipient_masked:
            attempts[d.delivery_id] = [dict(a, recipient_masked="") for a in attempts.get(d.delivery_id, [])]
    return found, attempts


def _visible_case(check_case_access: CaseCheck, principal: Principal, case_number: str) -> dict:
    try:
        return require_case(check_case_access, principal.as_actor(), case_number)
    except NotFound:
        raise NotFound(NOT_FOUND) from None


def _audit(
    uow: UnitOfWork,
    action: str,
    subject_id: str,
    purpose: str,
    actor=SERVICE_ACTOR,
    subject_type: str = "appeal",
    **details,
) -> None:
    """One entry of notifications' hash-chained audit log: identifiers only (never an address)."""
    uow.audit(AuditEntry(actor[0], actor[1], action, subject_type, subject_id, purpose, details))
