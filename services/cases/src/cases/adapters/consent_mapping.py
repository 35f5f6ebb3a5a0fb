"""Consent records: protobuf messages to domain objects and back."""

from __future__ import annotations

from datetime import datetime

from cases.domain.consent import Consent
from ekm.cases.v1 import cases_pb2
from ekm_platform.errors import ValidationError
from ekm_platform.grpc_mapping import moment, timestamp

PURPOSES = {
    "registry_lookup": cases_pb2.CONSENT_PURPOSE_REGISTRY_LOOKUP,
    "transfer": cases_pb2.CONSENT_PURPOSE_TRANSFER,
    "referral": cases_pb2.CONSENT_PURPOSE_REFERRAL,
}
METHODS = {
    "written": cases_pb2.CONSENT_METHOD_WRITTEN,
    "oral": cases_pb2.CONSENT_METHOD_ORAL,
    "electronic_cabinet": cases_pb2.CONSENT_METHOD_ELECTRONIC_CABINET,
    "diia": cases_pb2.CONSENT_METHOD_DIIA,
}
GIVERS = {
    "person": cases_pb2.CONSENT_GIVER_PERSON,
    "legal_representative": cases_pb2.CONSENT_GIVER_LEGAL_REPRESENTATIVE,
}
STATES = {
    "active": cases_pb2.CONSENT_STATE_ACTIVE,
    "expired": cases_pb2.CONSENT_STATE_EXPIRED,
    "withdrawn": cases_pb2.CONSENT_STATE_WITHDRAWN,
}


def _moment(message, name: str) -> datetime | None:
    return moment(message, name)


def _code(number: int, codes: dict, field: str) -> str:
    """An enum number to its code; unspecified is "" (the domain names the missing field)."""
    found = next((code for code, n in codes.items() if n == number), None)
    if found is None and number:
        raise ValidationError.single(field, f"невідоме значення {number} / unknown value {number}")
    return found or ""


def consent_from(message: cases_pb2.Consent) -> Consent:
    return Consent(
        person_id="",
        case_id=message.case_id.strip(),
        purpose=_code(message.purpose, PURPOSES, "purpose"),
        recipient=message.recipient,
        data_categories=tuple(message.data_categories),
        given_by=_code(message.given_by, GIVERS, "given_by"),
        method=_code(message.method, METHODS, "method"),
        given_at=_moment(message, "given_at"),
        expires_at=_moment(message, "expires_at"),
        recorded_by="",
        legal_basis=message.legal_basis,
        representative_name=message.representative_name,
        representative_basis=message.representative_basis,
        document_reference=message.document_reference,
    )


def consent_message(c: Consent) -> cases_pb2.Consent:
    return cases_pb2.Consent(
        consent_id=c.consent_id,
        case_id=c.case_id,
        person_id=c.person_id,
        purpose=PURPOSES[c.purpose],
        recipient=c.recipient,
        data_categories=list(c.data_categories),
        legal_basis=c.legal_basis,
        given_by=GIVERS[c.given_by],
        representative_name=c.representative_name,
        representative_basis=c.representative_basis,
        method=METHODS[c.method],
        document_reference=c.document_reference,
        given_at=timestamp(c.given_at),
        expires_at=timestamp(c.expires_at),
        recorded_by=c.recorded_by,
        recorded_at=timestamp(c.recorded_at),
        state=STATES[c.state()],
        withdrawn_at=timestamp(c.withdrawn_at),
        withdrawn_by=c.withdrawn_by,
        withdrawal_reason=c.withdrawal_reason,
    )


def consents_message(found: list[Consent]) -> cases_pb2.ListConsentsResponse:
    return cases_pb2.ListConsentsResponse(consents=[consent_message(c) for c in found])
