"""The outbound pipeline's entrance: ``enqueue(uow, NotificationRequest)``.

Whoever decides that someone is to be told something (an event handler, a reminder) calls
``enqueue`` inside its own unit of work: the notification is stored durably in the same
transaction (committed or rolled back with the caller's change), once per ``dedupe_key``.
The dispatcher (``service_layer.dispatch``) then resolves the recipient's contact, applies
preferences and quiet hours, renders the template version stored here, sends, retries with
back-off and logs every attempt.

A template that does not exist or does not render with these variables (an unknown or missing
variable, an empty text) is stored as ``invalid`` with the reason, and nothing is sent.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timezone

from opentelemetry.propagate import inject

from notifications.domain.delivery import Delivery
from notifications.domain.rendering import TemplateProblem, current_version, render
from notifications.domain.requests import NotificationRequest

QUEUED, INVALID = "queued", "invalid"


def enqueue(uow, request: NotificationRequest) -> str:
    """Store ``request`` in ``uow``'s transaction (the caller commits). Returns the notification's
    id; a second enqueue with the same ``dedupe_key`` changes nothing and returns the first id."""
    return uow.repo.add_notification(_row(request, datetime.now(timezone.utc), _traceparent()))


def enqueue_many(uow, requests: list[NotificationRequest]) -> list[str]:
    """``enqueue`` for a batch, in one statement (executed for many rows) and one look-up of the ids."""
    now, traceparent = datetime.now(timezone.utc), _traceparent()
    ids = uow.repo.add_notifications([_row(r, now, traceparent) for r in requests])
    return [ids[r.dedupe_key] for r in requests]


def _row(request: NotificationRequest, now: datetime, traceparent: str | None) -> Delivery:
    request.check()
    status, error, version = QUEUED, "", 0
    try:
        version = current_version(request.template)
        render(request.template, request.variables, version)  # bad input is refused now, not at send time
    except TemplateProblem as problem:
        status, error = INVALID, f"{problem.field}: {problem.message}"
    due = None if status == INVALID else (request.not_before or now)
    return Delivery(
        reference=request.reference or request.recipient_id,
        template=request.template,
        channel="",
        status=status,
        recipient_masked="",
        locale="uk",
        created_at=now,
        dedupe_key=request.dedupe_key,
        recipient_kind=request.recipient_kind,
        recipient_id=request.recipient_id,
        template_version=version,
        urgent=bool(request.urgent),
        variables=json.dumps(request.variables, ensure_ascii=False, default=str, sort_keys=True),
        not_before=request.not_before,
        due_at=due,
        error=error,
        delivery_id=str(uuid.uuid4()),
        traceparent=traceparent,
    )


def _traceparent() -> str | None:
    carrier: dict = {}
    inject(carrier)
    return carrier.get("traceparent")
