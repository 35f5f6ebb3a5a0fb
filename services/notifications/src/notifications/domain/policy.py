"""The delivery rules, as plain functions: which channel reaches a recipient (their channel order,
opt-outs, valid addresses), quiet hours in their time zone, the back-off between attempts and the
rate limit per recipient."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import phonenumbers
from email_validator import EmailNotValidError, validate_email

CHANNELS = ("sms", "email", "push", "inbox")
DEFAULT_ORDER = {"applicant": ("sms", "email"), "person": ("sms", "email", "push"), "case_manager": ("inbox", "email")}
DEFAULT_TIMEZONE = "Europe/Kyiv"
# channels a person does not hear in the night: the in-app inbox waits to be opened
QUIET_CHANNELS = ("sms", "email", "push")


class BadAddress(ValueError):
    """An address no message can go to: ``message`` says why, Ukrainian first."""


def normalise_phone(raw: str) -> str:
    """E.164 (+380…), or ``BadAddress``. A number without a country code is read as Ukrainian."""
    try:
        number = phonenumbers.parse(raw or "", "UA")
    except phonenumbers.NumberParseException:
        raise BadAddress("некоректний номер телефону / invalid phone number") from None
    if not phonenumbers.is_valid_number(number):
        raise BadAddress("некоректний номер телефону / invalid phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise_email(raw: str) -> str:
    """The normalised address, or ``BadAddress`` (syntax only: no DNS lookups)."""
    try:
        return validate_email(raw or "", check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise BadAddress(f"некоректна адреса електронної пошти / invalid e-mail address: {exc}") from None


def normalise(channel: str, raw: str) -> str:
    if channel == "sms":
        return normalise_phone(raw)
    if channel == "email":
        return normalise_email(raw)
    if not raw:
        raise BadAddress("немає адреси / no address")
    return raw


@dataclass(frozen=True)
class Preferences:
    """A recipient's own choices (all optional): channel order, channels opted out of, quiet hours."""

    channel_order: tuple[str, ...] = ()
    opted_out: frozenset[str] = frozenset()
    quiet_start: str = ""  # "HH:MM" in their time zone; "" = the platform default
    quiet_end: str = ""
    timezone: str = ""

    def order_for(self, recipient_kind: str) -> tuple[str, ...]:
        default = DEFAULT_ORDER.get(recipient_kind, ("sms", "email"))
        chosen = tuple(c for c in self.channel_order if c in default)
        return chosen + tuple(c for c in default if c not in chosen)


@dataclass
class ChannelChoice:
    channel: str = ""
    address: str = ""
    skipped: list[tuple[str, str, str]] = field(default_factory=list)  # (channel, status, reason)

    @property
    def outcome(self) -> str:
        """What becomes of the notification when no channel was chosen."""
        if any(s == "invalid" for _, s, _ in self.skipped):
            return "invalid"
        if any(s == "suppressed" for _, s, _ in self.skipped):
            return "suppressed"
        return "invalid"


def choose_channel(recipient_kind: str, contact: dict, prefs: Preferences, recipient_id: str = "") -> ChannelChoice:
    """The first channel in the recipient's order that is not opted out of and has a valid address.
    Each passed-over channel says why (opted out → suppressed; a bad address → invalid)."""
    choice = ChannelChoice()
    for channel in prefs.order_for(recipient_kind):
        raw = _address(channel, contact, recipient_kind, recipient_id)
        if not raw:
            continue
        if channel in prefs.opted_out:
            choice.skipped.append((channel, "suppressed", "відмова від каналу / opted out of this channel"))
            continue
        try:
            choice.channel, choice.address = channel, normalise(channel, raw)
            return choice
        except BadAddress as exc:
            choice.channel = ""
            choice.skipped.append((channel, "invalid", str(exc)))
    if not choice.skipped:
        choice.skipped.append(("", "invalid", "немає жодного контакту / no contact to send to"))
    return choice


def _address(channel: str, contact: dict, recipient_kind: str, recipient_id: str) -> str:
    if channel == "inbox":
        return recipient_id if recipient_kind == "case_manager" else ""
    if channel == "push":
        return contact.get("push") or (recipient_id if recipient_kind == "person" else "")
    return (contact.get({"sms": "phone", "email": "email"}[channel]) or "").strip()


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name or DEFAULT_TIMEZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_TIMEZONE)


def default_quiet_hours() -> tuple[str, str]:
    """``EKM_QUIET_HOURS`` (``22:00-08:00`` unless set; ``off`` for none)."""
    raw = os.environ.get("EKM_QUIET_HOURS", "22:00-08:00").strip()
    if raw.lower() in ("", "off", "none"):
        return "", ""
    start, _, end = raw.partition("-")
    _hhmm(start), _hhmm(end)
    return start.strip(), end.strip()


def _hhmm(text: str) -> time:
    hours, _, minutes = text.strip().partition(":")
    return time(int(hours), int(minutes or 0))


def quiet_until(now: datetime, prefs: Preferences, tz_name: str) -> datetime | None:
    """When the quiet hours around ``now`` end (UTC), or None when it is not quiet now."""
    start, end = (
        (prefs.quiet_start, prefs.quiet_end) if prefs.quiet_start and prefs.quiet_end else default_quiet_hours()
    )
    if not start or not end:
        return None
    tz = zone(prefs.timezone or tz_name)
    local = now.astimezone(tz)
    s, e, t = _hhmm(start), _hhmm(end), local.time()
    if s == e:
        return None
    inside = (s <= t < e) if s < e else (t >= s or t < e)
    if not inside:
        return None
    end_day = local.date() if (s < e or t < e) else local.date() + timedelta(days=1)
    return datetime.combine(end_day, e, tzinfo=tz).astimezone(timezone.utc)


def backoff(attempts: int, base: float, cap: float = 3600.0) -> timedelta:
    """After the n-th failed attempt: base, 2·base, 4·base … at most ``cap`` seconds."""
    return timedelta(seconds=min(cap, base * (2 ** max(0, attempts - 1))))


def rate_limited_until(sent_times: list[datetime], now: datetime, limit: int, window: float) -> datetime | None:
    """With ``limit`` messages per ``window`` seconds per recipient: None if one may go now, else when."""
    if limit <= 0:
        return None
    recent = sorted(t for t in sent_times if t > now - timedelta(seconds=window))
    if len(recent) < limit:
        return None
    return recent[-limit] + timedelta(seconds=window)
