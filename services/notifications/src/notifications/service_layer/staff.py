"""What people do with the pipeline directly: a case manager's in-app inbox, a recipient's own
preferences, staff previewing a template or sending a test message."""

from __future__ import annotations

import uuid
from datetime import datetime, timezone

from ekm_platform.audit import AuditEntry
from ekm_platform.auth import Principal
from ekm_platform.errors import FieldViolation, NotFound, PermissionDenied, ValidationError
from ekm_platform.unit_of_work import UnitOfWork
from notifications.adapters.channels import PermanentSendError
from notifications.domain import policy
from notifications.domain.delivery import Delivery, Outgoing, mask
from notifications.domain.rendering import Rendered, TemplateProblem, render

INBOX_OWNERS = ("case_manager", "supervisor")
PREVIEWERS = ("case_manager", "supervisor", "operator")
TESTERS = ("supervisor", "operator")
INBOX_NOT_FOUND = "Повідомлення у вхідних не знайдено / inbox item not found"
PURPOSE_INBOX = "вхідні повідомлення / the workplace inbox"
PURPOSE_PREFS = "налаштування сповіщень / notification preferences"
PURPOSE_TEST = "перевірка каналу / testing a channel"


def _require(principal: Principal, roles) -> None:
    if principal.role not in roles:
        raise PermissionDenied("Недостатньо прав / not allowed for this role")


def _now() -> datetime:
    return datetime.now(timezone.utc)


# the in-app inbox -------------------------------------------------------------------------------
def list_inbox(uow: UnitOfWork, principal: Principal, unread_only: bool, page_size: int) -> tuple[list[dict], int]:
    """The caller's own inbox, newest first (the relation: an item is its addressee's alone)."""
    _require(principal, INBOX_OWNERS)
    if page_size < 0 or page_size > 200:
        raise ValidationError.single("page_size", "від 0 до 200 / from 0 to 200")
    return uow.repo.inbox_of(principal.user_id, unread_only, page_size or 50)


def mark_inbox_read(uow: UnitOfWork, principal: Principal, item_ids: list[str]) -> int:
    """Marks the caller's own items read; an id in someone else's inbox (or none) is NOT_FOUND
    for the whole request, and nothing is changed."""
    _require(principal, INBOX_OWNERS)
    ids = list(dict.fromkeys(i.strip() for i in item_ids if i.strip()))
    if not ids:
        raise ValidationError.single("item_ids", "обов'язкове поле / required")
    if len(ids) > 500:
        raise ValidationError.single("item_ids", "не більше 500 / at most 500")
    owners = uow.repo.inbox_owners(ids)
    if any(owners.get(i) != principal.user_id for i in ids):
        raise NotFound(INBOX_NOT_FOUND)
    marked = uow.repo.mark_inbox_read(principal.user_id, ids, _now())
    uow.commit()
    return marked


# a recipient's own preferences ---------------------------------------------------------------------
def my_preferences(uow: UnitOfWork, principal: Principal) -> policy.Preferences:
    kind = _own_kind(principal)
    return uow.repo.preferences_of([(kind, principal.user_id)]).get((kind, principal.user_id), policy.Preferences())


def set_my_preferences(
    uow: UnitOfWork,
    principal: Principal,
    channel_order: list[str],
    opted_out: list[str],
    quiet_start: str,
    quiet_end: str,
    time_zone: str,
) -> policy.Preferences:
    """A recipient's (or a case manager's) own choices; each field is checked, nothing is stored
    when one is wrong."""
    kind = _own_kind(principal)
    allowed = policy.DEFAULT_ORDER[kind]
    problems = []
    for name, channels in (("channel_order", channel_order), ("opted_out", opted_out)):
        wrong = [c for c in channels if c not in allowed]
        if wrong:
            problems.append(
                FieldViolation(
                    name,
                    f"канал недоступний: {wrong[0] or '—'} / channel not available (allowed: {', '.join(allowed)})",
                )
            )
    if "inbox" in opted_out:
        problems.append(
            FieldViolation(
                "opted_out",
                "від вхідних у робочому місці відмовитися не можна / the workplace inbox cannot be opted out of",
            )
        )
    for name, value in (("quiet_start", quiet_start), ("quiet_end", quiet_end)):
        if value and not _hhmm_ok(value):
            problems.append(FieldViolation(name, "час у форматі ГГ:ХХ / a time as HH:MM"))
    if bool(quiet_start) != bool(quiet_end):
        problems.append(
            FieldViolation(
                "quiet_end" if quiet_start else "quiet_start",
                "вкажіть початок і кінець тихих годин / give both start and end",
            )
        )
    if time_zone and policy.zone(time_zone).key != time_zone:
        problems.append(FieldViolation("time_zone", "невідомий часовий пояс / unknown time zone (IANA name)"))
    if problems:
        raise ValidationError(problems)
    prefs = policy.Preferences(
        tuple(dict.fromkeys(channel_order)), frozenset(opted_out), quiet_start, quiet_end, time_zone
    )
    uow.repo.save_preferences(kind, principal.user_id, prefs, _now())
    uow.audit(
        AuditEntry(
            principal.user_id,
            principal.role,
            "preferences.write",
            kind,
            principal.user_id,
            PURPOSE_PREFS,
            {"channel_order": list(prefs.channel_order), "opted_out": sorted(prefs.opted_out)},
        )
    )
    uow.commit()
    return prefs


def _own_kind(principal: Principal) -> str:
    if principal.role == "recipient":
        return "person"  # a recipient's user id is their person id
    if principal.role in INBOX_OWNERS:
        return "case_manager"
    raise PermissionDenied("Недостатньо прав / not allowed for this role")


def _hhmm_ok(value: str) -> bool:
    hours, sep, minutes = value.partition(":")
    return (
        bool(sep)
        and hours.isdigit()
        and minutes.isdigit()
        and len(minutes) == 2
        and 0 <= int(hours) < 24
        and 0 <= int(minutes) < 60
    )


# staff: preview and test -------------------------------------------------------------------------
def preview(principal: Principal, template: str, version: int, variables: dict) -> Rendered:
    _require(principal, PREVIEWERS)
    return _render_or_invalid(template, version, variables)


def send_test(
    uow: UnitOfWork, principal: Principal, senders: dict, template: str, variables: dict, channel: str, address: str
) -> Delivery:
    """Renders and sends one message to an address now (to test a channel); bad input is
    INVALID_ARGUMENT with the field and nothing is sent. Logged and audited like any delivery."""
    _require(principal, TESTERS)
    if channel not in ("sms", "email", "push"):
        raise ValidationError.single("channel", "SMS, електронна пошта або push / SMS, e-mail or push")
    try:
        normalised = policy.normalise(channel, address.strip())
    except policy.BadAddress as exc:
        raise ValidationError.single("address", str(exc)) from None
    rendered = _render_or_invalid(template, 0, variables)
    now = _now()
    delivery_id = str(uuid.uuid4())
    message = Outgoing(
        channel,
        normalised,
        rendered.text,
        f"test:{principal.user_id}"[:64],
        subject=rendered.subject,
        body=rendered.email_body() if channel == "email" else "",
        message_id=delivery_id,
    )
    try:
        provider_id, status, error = senders[channel].send(message), "sent", ""
    except PermanentSendError as exc:
        provider_id, status, error = "", "invalid", str(exc)
    except OSError as exc:
        provider_id, status, error = "", "failed", f"{type(exc).__name__}: {exc}"
    delivery = Delivery(
        reference=message.reference,
        template=rendered.template,
        channel=channel,
        status=status,
        recipient_masked=mask(normalised),
        locale=rendered.locale,
        provider_id=provider_id[:128],
        delivery_id=delivery_id,
        created_at=now,
        dedupe_key=f"test:{delivery_id}",
        recipient_kind="test",
        recipient_id=principal.user_id[:64],
        template_version=rendered.version,
        attempts=1,
        error=error,
        sent_at=now if status == "sent" else None,
    )
    uow.repo.add(delivery)
    uow.repo.finish(
        delivery_id,
        "",
        {},
        [
            dict(
                attempt_id=str(uuid.uuid4()),
                delivery_id=delivery_id,
                attempt_no=1,
                channel=channel,
                status=status,
                error=error,
                recipient_masked=mask(normalised),
                provider_id=provider_id[:128],
                at=now,
            )
        ],
        None,
    )
    uow.audit(
        AuditEntry(
            principal.user_id,
            principal.role,
            "message.test",
            "delivery",
            delivery_id,
            PURPOSE_TEST,
            {"channel": channel, "template": rendered.template, "status": status},
        )
    )
    uow.commit()
    return delivery


def _render_or_invalid(template: str, version: int, variables: dict) -> Rendered:
    if not template.strip():
        raise ValidationError.single("template", "обов'язкове поле / required")
    try:
        return render(template.strip(), variables, version or None)
    except TemplateProblem as problem:
        raise ValidationError.single(problem.field, problem.message) from None
