"""Transfer of a case to another case manager, community or provider, with its history.

The receiving side accepts it; until then the case stays where it is. The person's data
moves only with their recorded consent.
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
    consent_recorded: bool
    reason: str
    requested_by: str
    state: str = "requested"
    transfer_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    requested_at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    accepted_at: datetime | None = None
    consent_id: str = ""            # the stored consent (purpose "transfer") the person's data moves under

    def accept(self, at: datetime | None = None) -> "Transfer":
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
    if not t.consent_recorded:
        raise FailedPrecondition("Потрібна зафіксована згода особи на передачу її даних / "
                                 "the person's recorded consent to move their data is required")
