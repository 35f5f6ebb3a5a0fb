"""The message envelope every event travels in, and the guard against personal data in it."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone

from ekm_platform.identifiers import rnokpp_problem, unzr_problem

SCHEMA_VERSION = 1

# Keys that would carry personal data. Events and traces carry identifiers only.
PERSONAL_DATA_KEYS = frozenset(
    {
        "name",
        "first_name",
        "last_name",
        "patronymic",
        "full_name",
        "rnokpp",
        "unzr",
        "tax_number",
        "passport",
        "birth_date",
        "date_of_birth",
        "phone",
        "email",
        "address",
        "diagnosis",
        "description",
    }
)


class EnvelopeError(ValueError):
    """An event that cannot be read: it goes to the dead letters, never retried."""


class PersonalDataInEvent(ValueError):
    """Raised when code tries to publish an event carrying personal data."""


_EDGE = r"(?<![0-9A-Za-z])"
_END = r"(?![0-9A-Za-z])"
_TEN_DIGITS = re.compile(_EDGE + r"\d{10}" + _END)
_UNZR_LIKE = re.compile(_EDGE + r"\d{8}-?\d{5}" + _END)
# A Ukrainian phone number: +380 / 380 / 0, a 2-digit operator or area code, 7 digits;
# spaces, dashes and brackets allowed between the groups (+38 (067) 123-45-67, 380 67 123 45 67).
_PHONE = re.compile(r"(?<![\w+])(?:\+?38[\s-]?)?\(?0[\s-]?\(?[3-9]\d\)?[\s-]?\d{3}[\s-]?\d{2}[\s-]?\d{2}(?![\w-])")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


_UUID = re.compile(r"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}")


def personal_data_in(value: str) -> str | None:
    """What kind of personal data ``value`` looks like it holds, or None: a valid РНОКПП or
    УНЗР (check digit and all), a Ukrainian phone number or an e-mail address. UUIDs are
    identifiers, never personal data: they are taken out first (a UUID's last group can be
    twelve digits that read as +380 phone number, e.g. ``…-b1a1-380835989575``)."""
    value = _UUID.sub(" ", value)
    for match in _UNZR_LIKE.finditer(value):
        if unzr_problem(match.group()) is None:
            return "УНЗР / UNZR"
    for match in _TEN_DIGITS.finditer(value):
        if rnokpp_problem(match.group()) is None:
            return "РНОКПП / RNOKPP"
    if _PHONE.search(value):
        return "телефон / phone number"
    if _EMAIL.search(value):
        return "e-mail"
    return None


def check_no_personal_data(data, path: str = "") -> None:
    """Refuse an event whose data holds personal data: a key that names it (at any depth,
    inside objects and lists), or a value that looks like it whatever its key."""
    if isinstance(data, dict):
        for key, value in data.items():
            if str(key).lower() in PERSONAL_DATA_KEYS:
                raise PersonalDataInEvent(f"event field '{path}{key}' would carry personal data")
            check_no_personal_data(value, f"{path}{key}.")
    elif isinstance(data, (list, tuple, set, frozenset)):
        for i, value in enumerate(data):
            check_no_personal_data(value, f"{path.rstrip('.')}[{i}].")
    elif isinstance(data, (str, int)) and not isinstance(data, bool):
        kind = personal_data_in(str(data))
        if kind:
            raise PersonalDataInEvent(f"event field '{path.rstrip('.')}' looks like personal data ({kind})")


@dataclass(frozen=True)
class Envelope:
    event_type: str
    source: str
    data: dict
    event_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    occurred_at: str = field(default_factory=lambda: datetime.now(timezone.utc).isoformat())
    schema_version: int = SCHEMA_VERSION

    def to_message(self) -> dict:
        """The message body (``data`` is shared, not copied: the body is serialised at once)."""
        return {
            "event_type": self.event_type,
            "source": self.source,
            "data": self.data,
            "event_id": self.event_id,
            "occurred_at": self.occurred_at,
            "schema_version": self.schema_version,
        }

    @classmethod
    def from_message(cls, body) -> Envelope:
        if not isinstance(body, dict):
            raise EnvelopeError("event body is not an object")
        missing = [k for k in ("event_id", "event_type", "source", "data") if not body.get(k)]
        if missing:
            raise EnvelopeError(f"event is missing {', '.join(missing)}")
        if not isinstance(body["data"], dict):
            raise EnvelopeError("event data is not an object")
        try:
            uuid.UUID(str(body["event_id"]))
        except ValueError as exc:
            raise EnvelopeError("event_id is not a UUID") from exc
        return cls(
            event_type=body["event_type"],
            source=body["source"],
            data=body["data"],
            event_id=body["event_id"],
            occurred_at=body.get("occurred_at", ""),
            schema_version=int(body.get("schema_version", SCHEMA_VERSION)),
        )
