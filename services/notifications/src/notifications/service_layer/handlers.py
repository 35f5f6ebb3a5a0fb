"""The notifications service's use cases. None knows about gRPC or nameko."""
from __future__ import annotations

from typing import Callable

from ekm_platform.dependencies import PermanentEventError
from ekm_platform.envelope import Envelope
from ekm_platform.errors import ValidationError
from ekm_platform.unit_of_work import UnitOfWork

from notifications.domain.delivery import Contact, Delivery, NoChannel, Outgoing, choose_channel, mask
from notifications.domain.templates import render

ContactSource = Callable[[str], dict]


def acknowledge_appeal(event: Envelope, uow: UnitOfWork, fetch_contact: ContactSource,
                       senders: dict) -> Delivery | None:
    """``intake.appeal.accepted``: tell the applicant their tracking number.

    The message is sent before the transaction that logs it commits; a crash in
    between sends it again on redelivery (at least once, never lost).
    """
    appeal_id, tracking_number = event.data.get("appeal_id"), event.data.get("tracking_number")
    if event.data.get("channel") == "registry_signal":
        return None  # a proactive appeal: nobody applied, the case manager makes the first contact
    if not appeal_id or not tracking_number:
        raise PermanentEventError("appeal.accepted without appeal_id or tracking_number")
    raw = fetch_contact(appeal_id)
    contact = Contact(phone=raw.get("phone", ""), email=raw.get("email", ""), locale=raw.get("locale", "uk"))
    template = "appeal.accepted.crisis" if event.data.get("screening_level") == "crisis" else "appeal.accepted"
    rendered = render(template, contact.locale, {"tracking_number": tracking_number})
    try:
        channel, address = choose_channel(contact)
    except NoChannel as exc:
        raise PermanentEventError(f"appeal {appeal_id}: {exc}") from exc
    sender = senders[channel]
    try:
        provider_id, status = sender.send(Outgoing(channel, address, rendered.text, appeal_id)), "sent"
    except OSError:
        provider_id, status = "", "failed"
    delivery = Delivery(reference=appeal_id, template=template, channel=channel, status=status,
                        recipient_masked=mask(address), locale=rendered.locale, provider_id=provider_id)
    uow.repo.add(delivery)
    return delivery


def deliveries_for(reference: str, uow: UnitOfWork) -> list[Delivery]:
    if not reference.strip():
        raise ValidationError.single("reference", "обов'язкове поле / required")
    return uow.repo.for_reference(reference.strip())
