"""Referrals ("направлення") from a case to another sector. Plain Python."""
from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from enum import Enum

from ekm_platform.errors import FieldViolation, ValidationError


class Sector(str, Enum):
    HEALTH = "health"
    EDUCATION = "education"
    EMPLOYMENT = "employment"
    BORDER_GUARD = "border_guard"
    CHILD_SERVICES = "child_services"
    PROBATION = "probation"
    HOUSING = "housing"


class ReferralState(str, Enum):
    SENT = "sent"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    COMPLETED = "completed"


MAX_REASON_BYTES = 4096
_EDRPOU = re.compile(r"^\d{8}$")


@dataclass(frozen=True)
class Referral:
    case_number: str
    sector: Sector
    agency_code: str
    reason: str
    created_by: str
    client_request_id: str = ""
    state: ReferralState = ReferralState.SENT
    referral_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    created_at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))

    def created_event(self) -> dict:
        """Identifiers only; the reason may hold personal data and stays here."""
        return {"referral_id": self.referral_id, "case_number": self.case_number,
                "sector": self.sector.value, "agency_code": self.agency_code}


def validate_referral(case_number: str, sector: Sector | None, agency_code: str, reason: str) -> None:
    problems = []
    if not case_number:
        problems.append(FieldViolation("case_number", "обов'язкове поле / required"))
    if sector is None:
        problems.append(FieldViolation("sector", "невідомий або не вказаний сектор / unknown or missing sector"))
    if not _EDRPOU.match(agency_code):
        problems.append(FieldViolation("agency_code", "код ЄДРПОУ з 8 цифр / an 8-digit EDRPOU code"))
    if not reason.strip():
        problems.append(FieldViolation("reason", "обов'язкове поле / required"))
    elif len(reason.encode("utf-8")) > MAX_REASON_BYTES:
        problems.append(FieldViolation("reason", "більше 4 КіБ / longer than 4 KiB"))
    if problems:
        raise ValidationError(problems)
