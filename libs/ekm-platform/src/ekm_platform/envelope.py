"""The message envelope every event travels in, and the guard against personal data in it."""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone

SCHEMA_VERSION = 1

# Keys that would carry personal data. Events and traces carry identifiers only.
PERSONAL_DATA_KEYS = frozenset({
    "name", "first_name", "last_name", "patronymic", "full_name", "rnokpp", "unzr",
    "tax_number", "passport", "birth_date", "date_of_birth", "phone", "email",
    "address", "diagnosis", "description",
})


class EnvelopeError(ValueError):
    """An event that cannot be read: it goes to the dead letters, never retried."""


class PersonalDataInEvent(ValueError):
    """Raised when code tries to publish an event carrying personal data."""


def check_no_personal_data(data: dict, path: str = "") -> None:
    for key, value in data.items():
        if key.lower() in PERSONAL_DATA_KEYS:
            raise PersonalDataInEvent(f"event field '{path}{key}' would carry personal data")
        if isinstance(value, dict):
            check_no_personal_data(value, f"{path}{key}.")


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
        return {"event_type": self.event_type, "source": self.source, "data": self.data,
                "event_id": self.event_id, "occurred_at": self.occurred_at, "schema_version": self.schema_version}

    @classmethod
    def from_message(cls, body) -> "Envelope":
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
