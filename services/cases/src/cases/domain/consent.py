"""A person's consent as a record, not a flag (the shape of ISO/IEC TS 27560 consent records).

A consent names the person (the PII principal), the purpose, the categories of data, the
recipient the data may go to, the legal basis, who gave it (the person or a legal
representative) and how (written, oral, in the electronic cabinet, through Diia), when it was
given and when it expires; a withdrawal records who withdrew it, when and why. A consent is
never deleted: a withdrawn or expired one is kept, it only stops being active.

Purposes and their recipients:
- ``registry_lookup``: the recipient is the registry asked (e.g. ``health``, ``disability``);
- ``transfer``: the recipient is the receiving community's code (KATOTTH, ``UA`` + 17 digits);
- ``referral``: the recipient is the agency's code.
Plain Python.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone

from cases.domain import labels
from cases.domain.labels import uk
from ekm_platform.errors import FailedPrecondition, FieldViolation, ValidationError
from ekm_platform.identifiers import katottg_problem

PURPOSES = ("registry_lookup", "transfer", "referral")
METHODS = ("written", "oral", "electronic_cabinet", "diia")
GIVERS = ("person", "legal_representative")
DATA_CATEGORIES = (
    "identity",
    "contacts",
    "family",
    "health",
    "disability",
    "social_benefits",
    "income",
    "education",
    "housing",
    "veteran_status",
    "case_history",
    "border_crossings",
)
REGISTRIES = ("border_guard", "education", "health", "disability", "housing", "children")
DEFAULT_LEGAL_BASIS = (
    "згода суб'єкта персональних даних (ст. 11 ЗУ «Про захист персональних даних») / consent of the data subject"
)
MAX_TERM = timedelta(days=5 * 366)
CLOCK_SKEW = timedelta(minutes=5)
_AGENCY = re.compile(r"[A-Za-z0-9_.\-]{2,64}")
REQUIRED = "обов'язкове поле / required"


@dataclass(frozen=True)
class Consent:
    person_id: str
    case_id: str
    purpose: str
    recipient: str
    data_categories: tuple[str, ...]
    given_by: str  # "person" or "legal_representative"
    method: str  # written, oral, electronic_cabinet, diia
    given_at: datetime
    expires_at: datetime
    recorded_by: str  # the user who recorded it (a case manager, or the person in the cabinet)
    legal_basis: str = DEFAULT_LEGAL_BASIS
    representative_name: str = ""  # who represented the person, when given by a legal representative
    representative_basis: str = ""  # the document that makes them the representative
    document_reference: str = ""  # the signed form's number, the Diia request id, …
    consent_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    recorded_at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    withdrawn_at: datetime | None = None
    withdrawn_by: str = ""
    withdrawal_reason: str = ""

    def is_active(self, at: datetime | None = None) -> bool:
        at = at or datetime.now(timezone.utc)
        return self.withdrawn_at is None and self.given_at - CLOCK_SKEW <= at < self.expires_at

    def state(self, at: datetime | None = None) -> str:
        if self.withdrawn_at is not None:
            return "withdrawn"
        return "active" if self.is_active(at) else "expired"

    def withdraw(self, by: str, reason: str, at: datetime | None = None) -> Consent:
        if self.withdrawn_at is not None:
            raise FailedPrecondition("Згоду вже відкликано / the consent was already withdrawn")
        if not reason.strip():
            raise ValidationError.single("reason", REQUIRED)
        if len(reason) > 1000:
            raise ValidationError.single("reason", "до 1000 символів / up to 1000 characters")
        return replace(
            self, withdrawn_at=at or datetime.now(timezone.utc), withdrawn_by=by, withdrawal_reason=reason.strip()
        )

    def as_record(self) -> dict:
        """What other services get (``cases.active_consent``): identifiers and terms, ISO-8601 times."""
        return {
            "consent_id": self.consent_id,
            "person_id": self.person_id,
            "case_id": self.case_id,
            "purpose": self.purpose,
            "recipient": self.recipient,
            "data_categories": list(self.data_categories),
            "legal_basis": self.legal_basis,
            "given_by": self.given_by,
            "method": self.method,
            "given_at": self.given_at.isoformat(),
            "expires_at": self.expires_at.isoformat(),
        }


def recipient_problem(purpose: str, recipient: str) -> str | None:
    if not recipient:
        return REQUIRED
    if purpose == "registry_lookup" and recipient not in REGISTRIES:
        return f"невідомий реєстр / unknown registry; one of: {', '.join(REGISTRIES)}"
    if purpose == "transfer" and katottg_problem(recipient):
        return "код громади: UA і 17 цифр / a community code: UA and 17 digits"
    if purpose == "referral" and not _AGENCY.fullmatch(recipient):
        return "код установи: 2–64 латинські літери, цифри, _ . - / an agency code: 2–64 of A-Z 0-9 _ . -"
    return None


def validate_consent(c: Consent, now: datetime | None = None) -> None:
    """Every problem at once, each named by its field; nothing is stored when any is found."""
    now = now or datetime.now(timezone.utc)
    problems = []
    if c.purpose not in PURPOSES:
        problems.append(FieldViolation("purpose", f"невідома мета / one of these purposes: {', '.join(PURPOSES)}"))
    elif problem := recipient_problem(c.purpose, c.recipient):
        problems.append(FieldViolation("recipient", problem))
    if not c.data_categories:
        problems.append(FieldViolation("data_categories", REQUIRED))
    elif unknown := sorted(set(c.data_categories) - set(DATA_CATEGORIES)):
        problems.append(
            FieldViolation(
                "data_categories",
                f"невідомі категорії даних / unknown categories "
                f"{', '.join(unknown)}; known: {', '.join(DATA_CATEGORIES)}",
            )
        )
    if c.given_by not in GIVERS:
        problems.append(
            FieldViolation("given_by", "особа або законний представник / the person or a legal representative")
        )
    elif c.given_by == "legal_representative":
        if not c.representative_name.strip():
            problems.append(
                FieldViolation(
                    "representative_name", "потрібне ім'я представника / the representative's name is required"
                )
            )
        if not c.representative_basis.strip():
            problems.append(
                FieldViolation(
                    "representative_basis",
                    "потрібна підстава представництва (документ) / the document making them the representative",
                )
            )
    if c.method not in METHODS:
        problems.append(FieldViolation("method", f"невідомий спосіб / one of these methods: {', '.join(METHODS)}"))
    if not c.legal_basis.strip():
        problems.append(FieldViolation("legal_basis", REQUIRED))
    if c.given_at is None:
        problems.append(FieldViolation("given_at", REQUIRED))
    elif c.given_at > now + CLOCK_SKEW:
        problems.append(
            FieldViolation("given_at", "згоду не дають у майбутньому / a consent is not given in the future")
        )
    if c.expires_at is None:
        problems.append(FieldViolation("expires_at", "потрібен строк дії / an expiry is required"))
    elif c.given_at is not None:
        if c.expires_at <= max(c.given_at, now):
            problems.append(
                FieldViolation(
                    "expires_at",
                    "має бути пізніше за дату надання і за зараз / must be after the time given and after now",
                )
            )
        elif c.expires_at - c.given_at > MAX_TERM:
            problems.append(FieldViolation("expires_at", "не довше 5 років / at most 5 years"))
    for name in ("representative_name", "representative_basis", "document_reference", "legal_basis"):
        if len(getattr(c, name)) > 500:
            problems.append(FieldViolation(name, "до 500 символів / up to 500 characters"))
    if problems:
        raise ValidationError(problems)


def summary(c: Consent) -> str:
    """The social-history line: purpose, recipient, term; no names."""
    recipient = uk(labels.REGISTRY, c.recipient) if c.purpose == "registry_lookup" else c.recipient
    return (
        f"згода: {uk(labels.CONSENT_PURPOSE, c.purpose)} → {recipient} "
        f"({', '.join(uk(labels.DATA_CATEGORY, d) for d in c.data_categories)}), "
        f"{uk(labels.CONSENT_METHOD, c.method)}, "
        f"до {c.expires_at.date().isoformat()} / consent recorded"
    )
