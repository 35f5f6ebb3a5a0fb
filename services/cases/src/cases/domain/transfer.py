"""Transfer of a case to another case manager, community or provider, with its history.

The receiving side accepts it; until then the case stays where it is. The person's data
moves only under a stored, active consent record of theirs (purpose "transfer", recipient the
receiving community); the request names it. A flag set by the caller proves nothing.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone

from ekm_platform.errors import FailedPrecondition, FieldViolation, ValidationError


@dataclass(frozen=True)
class Transfer:
    case_id: str
    from_manager_id: str
    to_manager_id: str
    to_community_code: str
    to_provider: str
    consent_recorded: bool  # kept for old rows: True when a stored consent was found
    reason: str
    requested_by: str
    state: str = "requested"
    transfer_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    requested_at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    accepted_at: datetime | None = None
    consent_id: str = ""  # the stored consent (purpose "transfer") the person's data moves under

    def accept(self, at: datetime | None = None) -> Transfer:
        if self.state != "requested":
            raise FailedPrecondition("Передачу вже прийнято / the transfer was already accepted")
        return replace(self, state="accepted", accepted_at=at or datetime.now(timezone.utc))


def validate_transfer(t: Transfer) -> None:
    problems = []
    if not t.to_manager_id:
        problems.append(FieldViolation("to_manager_id", "обов'язкове поле / required"))
    if not t.reason.strip():
        problems.append(FieldViolation("reason", "обов'язкове поле / required"))
    if problems:
        raise ValidationError(problems)
    if not t.consent_id:
        raise FailedPrecondition(
            f"Потрібна чинна згода особи на передачу її даних громаді {t.to_community_code} (RecordConsent, мета "
            f"«передача») / the person's stored active consent (purpose transfer, recipient "
            f"{t.to_community_code}) is required"
        )
