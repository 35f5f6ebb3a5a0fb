"""The notifications service's use cases. None knows about gRPC or nameko."""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Callable

from ekm_platform.audit import AuditEntry
from ekm_platform.auth import Principal
from ekm_platform.case_access import CaseCheck, require_case
from ekm_platform.dependencies import PermanentEventError
from ekm_platform.envelope import Envelope
from ekm_platform.errors import NotFound, ValidationError
from ekm_platform.unit_of_work import UnitOfWork

from notifications.domain.delivery import (APPEAL_ACKNOWLEDGEMENT, Contact, Delivery, NoChannel, Outgoing,
                                           choose_channel, mask)
from notifications.domain.templates import render

ContactSource = Callable[[str], dict]
# ``appeal_case_number(appeal_id) -> str | None`` asks intake which case the appeal opened.
CaseOfAppeal = Callable[[str], "str | None"]

# Who the service is when it acts on an event (nobody called it): the audit log's actor.
SERVICE_ACTOR = ("notifications", "service")
PURPOSE_ACKNOWLEDGE = "повідомлення заявника / telling the applicant"
PURPOSE_LOG = "журнал доставки / delivery log"
CASE_NUMBER = re.compile(r"^CASE-\d{4}-[A-Z0-9]{7}$")
NOT_FOUND = "Журнал доставки не знайдено / no delivery log found"


def acknowledge_appeal(event: Envelope, uow: UnitOfWork, fetch_contact: ContactSource,
                       senders: dict) -> Delivery | None:
    """``intake.appeal.accepted``: tell the applicant their tracking number — once per appeal.

    A delivery is keyed by (appeal, purpose) in the database (a unique index): a re-sent
    ``appeal.accepted`` under a new event id finds it and sends nothing. The delivery row is
    written (claimed) before the message goes out, so a concurrent twin
    of the event waits on that key and fails (to be retried, and then find it) instead of
    sending a second message. The contact is fetched from intake before anything is written, so
    no database lock is held across the network call (on SQLite a held write lock would stall
    every other writer of the process). A failed send stays logged as failed; a re-sent event does not
    retry it.
    The message is sent before the transaction that logs it commits; a crash in between sends
    it again on redelivery (at least once, never lost). The contact fetched and the message sent
    are in the audit log (identifiers only).
    """
    appeal_id, tracking_number = event.data.get("appeal_id"), event.data.get("tracking_number")
    if event.data.get("channel") == "registry_signal":
        return None  # a proactive appeal: nobody applied, the case manager makes the first contact
    if not appeal_id or not tracking_number:
        raise PermanentEventError("appeal.accepted without appeal_id or tracking_number")
    if uow.repo.for_purpose(appeal_id, APPEAL_ACKNOWLEDGEMENT) is not None:
        return None  # already acknowledged (the same appeal announced again)
    template = "appeal.accepted.crisis" if event.data.get("screening_level") == "crisis" else "appeal.accepted"
    raw = fetch_contact(appeal_id)  # over the network: before this transaction writes (and locks) anything
    claim = Delivery(reference=appeal_id, template=template, channel="", status="queued", recipient_masked="",
                     locale="", purpose=APPEAL_ACKNOWLEDGEMENT)
    uow.repo.add(claim)  # claims (appeal, purpose) before anything is sent
    _audit(uow, "contact.read", appeal_id, PURPOSE_ACKNOWLEDGE, event_id=event.event_id)
    contact = Contact(phone=raw.get("phone", ""), email=raw.get("email", ""), locale=raw.get("locale", "uk"))
    rendered = render(template, contact.locale, {"tracking_number": tracking_number})
    try:
        channel, address = choose_channel(contact)
    except NoChannel as exc:
        raise PermanentEventError(f"appeal {appeal_id}: {exc}") from exc
    try:
        provider_id, status = senders[channel].send(Outgoing(channel, address, rendered.text, appeal_id)), "sent"
    except OSError:
        provider_id, status = "", "failed"
    delivery = replace(claim, channel=channel, status=status, recipient_masked=mask(address),
                       locale=rendered.locale, provider_id=provider_id)
    uow.repo.record_result(delivery)
    _audit(uow, "message.send", appeal_id, PURPOSE_ACKNOWLEDGE, delivery_id=delivery.delivery_id,
           channel=channel, template=template, status=status)
    return delivery


def deliveries_for(reference: str, principal: Principal, uow: UnitOfWork, case_of_appeal: CaseOfAppeal,
                   check_case_access: CaseCheck) -> list[Delivery]:
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
    _audit(uow, "deliveries.read", reference, PURPOSE_LOG, actor=(principal.user_id, principal.role),
           subject_type=subject_type, case_number=(case or {}).get("case_number", ""),
           deliveries=[d.delivery_id for d in found], identifiers_only=operator)
    uow.commit()
    return found


def _visible_case(check_case_access: CaseCheck, principal: Principal, case_number: str) -> dict:
    try:
        return require_case(check_case_access, principal.as_actor(), case_number)
    except NotFound:
        raise NotFound(NOT_FOUND) from None


def _audit(uow: UnitOfWork, action: str, subject_id: str, purpose: str, actor=SERVICE_ACTOR,
           subject_type: str = "appeal", **details) -> None:
    """One entry of notifications' hash-chained audit log: identifiers only (never an address)."""
    uow.audit(AuditEntry(actor[0], actor[1], action, subject_type, subject_id, purpose, details))
