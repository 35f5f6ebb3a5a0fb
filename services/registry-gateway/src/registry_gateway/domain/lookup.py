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
    UNAVAILABLE = "unavailable"  # the registry is down; the query is kept and asked again (bounded)
    DENIED = "denied"
    NOT_APPLICABLE = "not_applicable"  # the registry cannot search by the identifiers given


@dataclass(frozen=True)
class Query:
    rnokpp: str
    unzr: str
    case_number: str  # X-Road "issue"
    purpose: str
    user_id: str  # X-Road "userId": the acting case manager


@dataclass(frozen=True)
class CaseAccess:
    """What the cases service answered: the caller may see the case, and the looked-up
    person is its person (``is_case_person``) or a member of its household."""

    case_id: str
    case_number: str
    person_id: str  # the case's person
    is_case_person: bool


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
    response_sha256: str  # empty for a cache hit: no exchange happened
    query_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    requested_at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    consent_id: str = ""  # the stored consent this lookup relied on (health, disability)
    from_cache: bool = False  # a reuse of an earlier answer, not an exchange
    original_query_id: str = ""  # for a cache hit: the evidence of the exchange that fetched it


def sha256(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


class RegistryUnavailable(Exception):
    """The registry did not answer usefully (timeout, fault, 5xx, malformed, too large)."""


class NotApplicable(Exception):
    """The registry cannot make this search (e.g. it needs an RNOKPP and got only an УНЗР).
    Bad input, not an outage: never retried, never counted by a circuit breaker."""


@dataclass(frozen=True)
class RegistryReply:
    """What an adapter got: records in the source's shape, and the proof of the exchange.
    ``exchange_query_id`` is the evidence id of the exchange that produced it; a reply
    served again from a cache is marked ``from_cache`` and keeps that id."""

    found: bool
    records: list[dict]
    xroad_id: str
    response_sha256: str
    exchange_query_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    from_cache: bool = False


@dataclass(frozen=True)
class PendingQuery:
    """A query a registry could not answer, kept to be asked again (a bounded number of times)."""

    pending_id: str
    registry: str
    query: Query
    attempts: int
    access: CaseAccess | None  # None for queries kept before the relation check existed
    consent_id: str = ""
    role: str = ""


@dataclass(frozen=True)
class RegistryAnswer:
    registry: str
    status: Status
    message: str = ""
    facts: list[Fact] = field(default_factory=list)
    evidence: Evidence | None = None
