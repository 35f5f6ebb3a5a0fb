"""The dispatcher: takes due notifications, resolves their recipients, sends, logs every attempt.

One round (``dispatch_once``):
1. claim up to ``batch`` due notifications (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, a lease
   of ``lease`` seconds) and commit the claim, so several dispatchers never take the same one;
2. resolve the recipients' contacts (``resolve(kind, ids)``: intake / cases RPCs, in parallel),
   read their preferences and how many messages each got in the rate-limit window;
3. for each: render the stored template version; choose the channel (their order, opt-outs,
   valid addresses); wait out quiet hours (not when urgent) and the rate limit; send;
4. record in one transaction: the outcome, one attempt row per channel tried (sent, failed,
   invalid, suppressed), inbox items, the audit entries.
A failed send is tried again after a back-off (base · 2ⁿ); after ``max_attempts`` it is a dead
letter (status ``dead_letter``). A crash between the send and step 4 sends it again once the
lease runs out (at least once: e-mail keeps the same Message-ID, so a receiver can tell).
"""

from __future__ import annotations

import json
import logging
import os
import smtplib
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from opentelemetry import trace
from opentelemetry.propagate import extract
from opentelemetry.trace import SpanKind

from ekm_platform.audit import AuditEntry
from notifications.adapters.channels import PermanentSendError
from notifications.domain import policy
from notifications.domain.delivery import Delivery, Outgoing, mask
from notifications.domain.rendering import TemplateProblem, render

log = logging.getLogger(__name__)
tracer = trace.get_tracer("notifications.dispatch")

# ``resolve(kind, ids) -> {id: contact dict | None (unknown) | Exception (could not ask)}``
Resolver = Callable[[str, list], dict]
SERVICE_ACTOR = ("notifications", "service")
PURPOSE = "надсилання повідомлення / sending a notification"


class ContactUnavailable(Exception):
    """The service that knows the contact did not answer: try again later."""


@dataclass(frozen=True)
class DispatchSettings:
    batch: int = 200
    lease: float = 120.0
    max_attempts: int = 5
    retry_base: float = 5.0
    rate_limit: int = 20  # messages per recipient per window (0: no limit); the inbox is not counted
    rate_window: float = 3600.0
    lanes: int = 4  # messages sent at once (the service gives each a green thread)
    # While the service that knows the contact does not answer (intake or cases restarting), a
    # notification keeps being tried, at most a minute apart, for this long after it was made
    # before it may become a dead letter: an outage of the platform itself is not the message's fault.
    contact_outage: float = 3600.0

    @classmethod
    def from_environment(cls) -> DispatchSettings:
        env = os.environ.get
        return cls(
            batch=int(env("EKM_NOTIFY_BATCH", "200")),
            lease=float(env("EKM_NOTIFY_LEASE_SECONDS", "120")),
            max_attempts=int(env("EKM_NOTIFY_MAX_ATTEMPTS", "5")),
            retry_base=float(env("EKM_NOTIFY_RETRY_BASE_SECONDS", "5")),
            rate_limit=int(env("EKM_NOTIFY_RATE_LIMIT", "20")),
            rate_window=float(env("EKM_NOTIFY_RATE_WINDOW_SECONDS", "3600")),
            lanes=int(env("EKM_NOTIFY_LANES", env("EKM_SMTP_CONNECTIONS", "4"))),
            contact_outage=float(env("EKM_NOTIFY_CONTACT_OUTAGE_SECONDS", "3600")),
        )


@dataclass
class Outcome:
    delivery: Delivery
    values: dict
    attempts: list[dict] = field(default_factory=list)
    inbox: dict | None = None
    audit: str = ""  # the audit action ("" for a deferral)


def dispatch_once(
    uow_factory,
    resolve: Resolver,
    senders: dict,
    settings: DispatchSettings,
    now: datetime | None = None,
    map_lanes=None,
) -> int:
    """One round; returns how many notifications it took (0: nothing was due). ``map_lanes``
    (like ``map``; the service passes a green pool's ``imap``) sends up to ``settings.lanes``
    lanes at once, each recipient's notifications in one lane."""
    now = now or datetime.now(timezone.utc)
    token = str(uuid.uuid4())
    with uow_factory() as uow:
        claimed = uow.repo.claim_due(now, settings.batch, now + timedelta(seconds=settings.lease), token)
        uow.commit()
    if not claimed:
        return 0
    recipients = sorted({(d.recipient_kind, d.recipient_id) for d in claimed})
    contacts: dict[tuple[str, str], object] = {}
    for kind in sorted({k for k, _ in recipients if k != "case_manager"}):
        ids = [i for k, i in recipients if k == kind]
        try:
            answers = resolve(kind, ids)
        except Exception as exc:  # noqa: BLE001 — whatever the transport raised: try again later
            answers = {i: ContactUnavailable(str(exc)) for i in ids}
        contacts.update({(kind, i): answers.get(i, ContactUnavailable("no answer")) for i in ids})
    with uow_factory() as uow:
        prefs = uow.repo.preferences_of(recipients)
        sent = uow.repo.sent_times(recipients, now - timedelta(seconds=settings.rate_window))

    def lane(batch: list[Delivery]) -> list[Outcome]:  # one recipient's notifications stay in one lane, in order
        return [
            _traced(
                d,
                lambda d=d: deliver(
                    d,
                    contacts.get((d.recipient_kind, d.recipient_id), {}),
                    prefs.get((d.recipient_kind, d.recipient_id), policy.Preferences()),
                    sent,
                    senders,
                    settings,
                    now,
                ),
            )
            for d in batch
        ]

    lanes: dict[int, list[Delivery]] = {}
    for d in claimed:
        lanes.setdefault(hash((d.recipient_kind, d.recipient_id)) % max(1, settings.lanes), []).append(d)
    outcomes = [o for done in (map_lanes or map)(lane, list(lanes.values())) for o in done]
    audit = [
        AuditEntry(
            SERVICE_ACTOR[0],
            SERVICE_ACTOR[1],
            o.audit,
            o.delivery.recipient_kind,
            o.delivery.recipient_id,
            PURPOSE,
            {
                "delivery_id": o.delivery.delivery_id,
                "reference": o.delivery.reference,
                "template": o.delivery.template,
                "version": o.delivery.template_version,
                "channel": o.values.get("channel", ""),
                "status": o.values.get("status", o.delivery.status),
            },
        ).row()
        for o in outcomes
        if o.audit
    ]
    with uow_factory() as uow:  # one transaction, a few statements, for the whole batch
        uow.repo.finish_many(token, [(o.delivery, o.values, o.attempts, o.inbox) for o in outcomes], audit)
        uow.commit()
    return len(claimed)


def deliver(
    d: Delivery,
    contact,
    prefs: policy.Preferences,
    sent: dict,
    senders: dict,
    settings: DispatchSettings,
    now: datetime,
) -> Outcome:
    """What becomes of one claimed notification now (the send happens here; nothing is written)."""
    attempt_no = d.attempts + 1
    key = (d.recipient_kind, d.recipient_id)

    def attempt(channel, status, error="", address="", provider_id=""):
        return dict(
            attempt_id=str(uuid.uuid4()),
            delivery_id=d.delivery_id,
            attempt_no=attempt_no,
            channel=channel,
            status=status,
            error=error[:1000],
            recipient_masked=mask(address) if address else "",
            provider_id=provider_id,
            at=now,
        )

    def final(status, error, attempts, **values):
        return Outcome(
            d,
            dict(status=status, error=error[:2000], due_at=None, attempts=attempt_no, **values),
            attempts,
            audit=f"message.{status}",
        )

    if isinstance(contact, Exception):
        return _failed(
            d,
            attempt(_first_channel(d, prefs), "failed", f"контакт недоступний / contact unavailable: {contact}"),
            settings,
            now,
            attempt_no,
            keep_trying=_age_seconds(d, now) < settings.contact_outage,
        )
    if contact is None:
        reason = "отримувача не знайдено / recipient not found"
        return final("invalid", reason, [attempt("", "invalid", reason)])
    tz = prefs.timezone or contact.get("timezone") or policy.DEFAULT_TIMEZONE
    try:
        rendered = render(d.template, json.loads(d.variables or "{}"), d.template_version or None, tz)
    except TemplateProblem as problem:
        reason = f"{problem.field}: {problem.message}"
        return final("invalid", reason, [attempt("", "invalid", reason)])
    choice = policy.choose_channel(d.recipient_kind, contact, prefs, d.recipient_id)
    skipped = [attempt(c, s, r) for c, s, r in choice.skipped]
    if not choice.channel:
        return final(choice.outcome, "; ".join(r for _, _, r in choice.skipped), skipped)
    channel, address = choice.channel, choice.address
    if channel != "inbox":
        later = None if d.urgent else policy.quiet_until(now, prefs, tz)
        if later is None:
            later = policy.rate_limited_until(sent.get(key, []), now, settings.rate_limit, settings.rate_window)
            reason = "ліміт повідомлень отримувачу / rate limit per recipient"
        else:
            reason = "тихі години отримувача / the recipient's quiet hours"
        if later is not None:
            return Outcome(d, dict(due_at=later, error=f"{reason}: {later.isoformat()}"))
    if channel == "inbox":
        item = dict(
            item_id=d.delivery_id,
            manager_id=d.recipient_id,
            template=d.template,
            template_version=rendered.version,
            title=rendered.subject,
            text=rendered.text,
            reference=d.reference,
            urgent=d.urgent,
            created_at=now,
            read_at=None,
        )
        return Outcome(
            d,
            dict(
                status="sent",
                error="",
                due_at=None,
                attempts=attempt_no,
                channel="inbox",
                recipient_masked="",
                locale=rendered.locale,
                sent_at=now,
                provider_id=d.delivery_id,
            ),
            skipped + [attempt("inbox", "sent", provider_id=d.delivery_id)],
            item,
            "message.sent",
        )
    message = Outgoing(
        channel,
        address,
        rendered.text,
        d.reference,
        subject=rendered.subject,
        body=rendered.email_body() if channel == "email" else "",
        message_id=d.delivery_id,
    )
    try:
        provider_id = senders[channel].send(message)
    except PermanentSendError as exc:
        return final(
            "invalid",
            str(exc),
            skipped + [attempt(channel, "invalid", str(exc), address)],
            channel=channel,
            recipient_masked=mask(address),
        )
    except (OSError, smtplib.SMTPException, KeyError) as exc:
        return _failed(
            d,
            attempt(channel, "failed", f"{type(exc).__name__}: {exc}", address),
            settings,
            now,
            attempt_no,
            skipped,
            channel=channel,
            recipient_masked=mask(address),
        )
    sent.setdefault(key, []).append(now)
    return Outcome(
        d,
        dict(
            status="sent",
            error="",
            due_at=None,
            attempts=attempt_no,
            channel=channel,
            recipient_masked=mask(address),
            locale=rendered.locale,
            provider_id=provider_id[:128],
            sent_at=now,
        ),
        skipped + [attempt(channel, "sent", address=address, provider_id=provider_id[:128])],
        audit="message.sent",
    )


def _traced(d: Delivery, work: Callable[[], Outcome]) -> Outcome:
    """A span ``notifications.send`` in the trace the notification was asked for in (identifiers only)."""
    parent = extract({"traceparent": d.traceparent}) if d.traceparent else None
    with tracer.start_as_current_span("notifications.send", context=parent, kind=SpanKind.PRODUCER) as span:
        outcome = work()
        span.set_attributes(
            {
                "ekm.delivery_id": d.delivery_id,
                "ekm.template": d.template,
                "ekm.channel": outcome.values.get("channel", ""),
                "ekm.status": outcome.values.get("status", "queued"),
            }
        )
        return outcome


def _failed(
    d: Delivery,
    failed_attempt: dict,
    settings: DispatchSettings,
    now: datetime,
    attempt_no: int,
    skipped: list | None = None,
    keep_trying: bool = False,
    **values,
) -> Outcome:
    attempts = (skipped or []) + [failed_attempt]
    if attempt_no >= settings.max_attempts and not keep_trying:
        error = (
            f"{attempt_no} спроб не вдалися, останнє повідомлення недоставлене / {attempt_no} attempts "
            f"failed (dead letter): {failed_attempt['error']}"
        )
        log.warning("notification %s is a dead letter after %s attempts", d.delivery_id, attempt_no)
        return Outcome(
            d,
            dict(status="dead_letter", error=error[:2000], due_at=None, attempts=attempt_no, **values),
            attempts,
            audit="message.dead_letter",
        )
    retry_at = now + policy.backoff(attempt_no, settings.retry_base, cap=60.0 if keep_trying else 3600.0)
    return Outcome(
        d,
        dict(status="queued", error=failed_attempt["error"], due_at=retry_at, attempts=attempt_no, **values),
        attempts,
    )


def _age_seconds(d: Delivery, now: datetime) -> float:
    created = d.created_at if d.created_at.tzinfo else d.created_at.replace(tzinfo=timezone.utc)
    current = now if now.tzinfo else now.replace(tzinfo=timezone.utc)
    return (current - created).total_seconds()


def _first_channel(d: Delivery, prefs: policy.Preferences) -> str:
    order = prefs.order_for(d.recipient_kind)
    return order[0] if order else ""
