"""Deliveries: what goes out on a channel, and what the delivery log keeps (the channel rules are in
``domain.policy``)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from typing import Protocol


@dataclass(frozen=True)
class Outgoing:
    channel: str  # "sms" | "email" | "push" | "inbox"
    address: str
    text: str
    reference: str  # what it is about: an appeal id, a case id
    subject: str = ""  # e-mail subject / inbox title
    body: str = ""  # e-mail body (Ukrainian, then English); "" = text
    message_id: str = ""  # the notification's id: the same message keeps it when sent again


class Sender(Protocol):
    """A channel adapter (SMS gateway, SMTP, push). Returns the provider's message id."""

    channel: str

    def send(self, message: Outgoing) -> str: ...


def mask(address: str) -> str:
    """What the delivery log shows of an address: enough to recognise it, not to use it."""
    if "@" in address:
        name, _, domain = address.partition("@")
        return f"{name[:1]}***@{domain}"
    return f"{address[:4]}*****{address[-2:]}" if len(address) > 6 else "***"


@dataclass(frozen=True)
class Delivery:
    reference: str
    template: str
    channel: str
    status: str
    recipient_masked: str
    locale: str
    provider_id: str = ""
    delivery_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    created_at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    # what the message is for: at most one delivery per (reference, purpose) — a unique key in
    # the database, so a re-sent event never sends the same message twice (None: logged before m0003)
    purpose: str | None = None
    # the outbound pipeline (m0005): the queued notification this row is
    dedupe_key: str | None = None
    recipient_kind: str = ""
    recipient_id: str = ""
    variables: str = "{}"  # JSON, as stored
    template_version: int = 0
    urgent: bool = False
    not_before: datetime | None = None
    due_at: datetime | None = None  # when the dispatcher may take it; None once it is done
    attempts: int = 0
    error: str = ""
    claimed_by: str = ""
    claimed_until: datetime | None = None
    sent_at: datetime | None = None
    traceparent: str | None = None  # the W3C trace it was asked for in (its sending joins that trace)

    def identifiers_only(self) -> Delivery:
        """As an operator sees it: identifiers and statuses, not even the masked address."""
        return replace(self, recipient_masked="")


# The purposes of the messages this service sends (one delivery per reference and purpose).
APPEAL_ACKNOWLEDGEMENT = "appeal.acknowledgement"
