"""Records that partner agencies push in, their schemas, and their canonical events.

Each record type has a schema (required fields, their kinds, no unknown fields); a valid
record maps to one canonical event that carries identifiers, kinds and dates only — the
record itself, with its personal data, stays in the gateway.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ekm_platform.identifiers import rnokpp_problem

MAX_RECORD_BYTES = 16 * 1024


@dataclass(frozen=True)
class RecordType:
    name: str
    fields: dict  # field -> kind: "rnokpp" | "date" | "code" | "text"
    canonical_event: str


RECORD_TYPES = {
    t.name: t
    for t in (
        RecordType(
            "employment.registered",
            {"source_id": "code", "rnokpp": "rnokpp", "registered_on": "date", "center_code": "code"},
            "registry.person.registered_job_seeker",
        ),
        RecordType(
            "health.rehabilitation_started",
            {"source_id": "code", "rnokpp": "rnokpp", "started_on": "date", "facility_code": "code"},
            "registry.person.rehabilitation_started",
        ),
        RecordType(
            "education.enrolled",
            {"source_id": "code", "rnokpp": "rnokpp", "enrolled_on": "date", "institution_code": "code"},
            "registry.child.enrolled",
        ),
    )
}


class InvalidRecord(ValueError):
    """The reason a record is refused (it goes to the dead-letter queue with it)."""


def _check(field: str, kind: str, value) -> None:
    if not isinstance(value, str) or not value.strip():
        raise InvalidRecord(f"{field}: обов'язковий рядок / a non-empty string is required")
    if kind == "rnokpp" and (problem := rnokpp_problem(value)):
        raise InvalidRecord(f"{field}: {problem}")
    if kind == "date":
        try:
            date.fromisoformat(value)
        except ValueError as exc:
            raise InvalidRecord(f"{field}: дата РРРР-ММ-ДД / a YYYY-MM-DD date") from exc
    if kind == "code" and (len(value) > 64 or not value.replace("-", "").replace("_", "").isalnum()):
        raise InvalidRecord(f"{field}: код до 64 символів / a code of up to 64 characters")


def validate(record_type: str, record) -> RecordType:
    kind = RECORD_TYPES.get(record_type)
    if kind is None:
        raise InvalidRecord(f"невідомий тип запису / unknown record type {record_type!r}")
    if not isinstance(record, dict):
        raise InvalidRecord("запис має бути об'єктом JSON / a record must be a JSON object")
    unknown = sorted(set(record) - set(kind.fields))
    if unknown:
        raise InvalidRecord(f"невідомі поля / unknown fields: {', '.join(unknown)}")
    for field, field_kind in kind.fields.items():
        _check(field, field_kind, record.get(field))
    return kind


def canonical_event(kind: RecordType, record_id: str, partner_id: str, record: dict) -> tuple[str, dict]:
    occurred_on = next(record[f] for f, k in kind.fields.items() if k == "date")
    return kind.canonical_event, {
        "record_id": record_id,
        "partner_id": partner_id,
        "record_type": kind.name,
        "occurred_on": occurred_on,
    }
