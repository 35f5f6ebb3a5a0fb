"""Consent records exported in the information structure of ISO/IEC TS 27560:2023 ("Privacy
technologies — Consent record information structure"), as JSON. Plain Python.

Each record carries what the structure asks: its identifier and schema version, the PII
principal, the controller, the purposes (each with its lawful basis, the PII categories, the
recipients — registries, communities or agencies — and the collection method), who gave the
consent (the principal or a legal representative, with the document that makes them one), its
validity, its state, and its events (given, and withdrawn with who, when and why). Names of
representatives stay out: the export names people by identifiers only.
"""

from __future__ import annotations

from datetime import datetime, timezone

from cases.domain import labels
from cases.domain.consent import Consent

SCHEMA_VERSION = "ISO/IEC TS 27560:2023"
CONTROLLER = {
    "controller_id": "ekm",
    "name": "ЕКМ — надавач соціальних послуг громади / EKM community social services (case management)",
}
RECIPIENT_TYPE = {"registry_lookup": "registry", "transfer": "community", "referral": "agency"}
EVENT_BY = {"person": "pii_principal", "legal_representative": "legal_representative"}


def _iso(at: datetime | None) -> str | None:
    return at.astimezone(timezone.utc).isoformat() if at else None


def consent_record(c: Consent, at: datetime | None = None) -> dict:
    events = [
        {
            "event_type": "consent_given",
            "event_time": _iso(c.given_at),
            "event_by": EVENT_BY[c.given_by],
            "collection_method": c.method,
            "recorded_by": c.recorded_by,
            "recorded_at": _iso(c.recorded_at),
        }
    ]
    if c.withdrawn_at is not None:
        events.append(
            {
                "event_type": "consent_withdrawn",
                "event_time": _iso(c.withdrawn_at),
                "event_by": "pii_principal" if c.withdrawn_by == c.person_id else "controller_on_request",
                "recorded_by": c.withdrawn_by,
                "reason": c.withdrawal_reason,
            }
        )
    return {
        "schema_version": SCHEMA_VERSION,
        "record_id": c.consent_id,
        "pii_principal_id": c.person_id,
        "case_id": c.case_id,
        "controller": CONTROLLER,
        "consent_type": "explicit",
        "state": c.state(at),
        "purposes": [
            {
                "purpose_id": c.purpose,
                "purpose": labels.CONSENT_PURPOSE.get(c.purpose, c.purpose),
                "lawful_basis": c.legal_basis,
                "pii_categories": [
                    {"category_id": d, "name": labels.DATA_CATEGORY.get(d, d)} for d in c.data_categories
                ],
                "recipients": [{"recipient_id": c.recipient, "recipient_type": RECIPIENT_TYPE.get(c.purpose, "other")}],
                "collection_method": c.method,
            }
        ],
        "given_by": {
            "type": EVENT_BY[c.given_by],
            "representation_basis": c.representative_basis if c.given_by == "legal_representative" else "",
        },
        "document_reference": c.document_reference,
        "validity": {"start": _iso(c.given_at), "end": _iso(c.expires_at)},
        "events": events,
    }


def export(consents: list[Consent], at: datetime | None = None) -> dict:
    at = at or datetime.now(timezone.utc)
    return {
        "schema_version": SCHEMA_VERSION,
        "exported_at": _iso(at),
        "consent_records": [consent_record(c, at) for c in consents],
    }
