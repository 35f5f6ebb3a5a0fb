"""A person lookup across registries: what was asked, and what each registry answered."""
from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from enum import Enum

from ekm_platform.errors import FieldViolation, ValidationError
from ekm_platform.identifiers import rnokpp_problem, unzr_problem

from registry_gateway.domain.facts import Fact


class Status(str, Enum):
    OK = "ok"
    NOT_FOUND = "not_found"
    UNAVAILABLE = "unavailable"
    PENDING = "pending"       # asked again later; the answer reaches the case's history
    DENIED = "denied"


@dataclass(frozen=True)
class Query:
    rnokpp: str
    unzr: str
    case_number: str   # X-Road "issue"
    purpose: str
    user_id: str       # X-Road "userId": the acting case manager


def validate_query(query: Query) -> None:
    problems = []
    if not (query.rnokpp or query.unzr):
        problems.append(FieldViolation("rnokpp", "потрібен РНОКПП або УНЗР / RNOKPP or UNZR is required"))
    if query.rnokpp and (problem := rnokpp_problem(query.rnokpp)):
        problems.append(FieldViolation("rnokpp", problem))
    if query.unzr and (problem := unzr_problem(query.unzr)):
        problems.append(FieldViolation("unzr", problem))
    if not query.case_number.strip():
        problems.append(FieldViolation("case_number", "обов'язкове поле (X-Road issue) / required"))
    if not query.purpose.strip() or len(query.purpose) > 200:
        problems.append(FieldViolation("purpose", "мета запиту, до 200 символів / the purpose, up to 200 characters"))
    if problems:
        raise ValidationError(problems)


@dataclass(frozen=True)
class Evidence:
    """Proof of what a registry was asked and what it returned. The raw response is not
    kept (it holds personal data we do not need to store); its SHA-256 is, so a copy
    produced later can be checked against it."""
    registry: str
    xroad_id: str
    user_id: str
    issue: str
    purpose: str
    response_sha256: str
    query_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    requested_at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))


def sha256(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


class RegistryUnavailable(Exception):
    """The registry did not answer usefully (timeout, fault, 5xx, malformed, too large)."""


@dataclass(frozen=True)
class RegistryReply:
    """What an adapter got: records in the source's shape, and the proof of the exchange."""
    found: bool
    records: list[dict]
    xroad_id: str
    response_sha256: str


@dataclass(frozen=True)
class RegistryAnswer:
    registry: str
    status: Status
    message: str = ""
    facts: list[Fact] = field(default_factory=list)
    evidence: Evidence | None = None
