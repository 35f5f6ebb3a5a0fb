"""Persons and cases ("випадки"). Plain Python."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from enum import Enum

from ekm_platform.identifiers import random_code


class Stage(str, Enum):
    SCREENING = "screening"
    ASSESSMENT = "assessment"
    PLANNING = "planning"
    IMPLEMENTATION = "implementation"
    MONITORING = "monitoring"
    REVIEW = "review"
    CLOSED = "closed"


SCREENING_LEVELS = ("information", "assessment", "crisis")


VETERAN_STATUSES = (
    "combatant",
    "wounded",
    "returned_from_service",
    "released_from_captivity",
    "disabled_due_to_war",
    "family_of_fallen_defender",
)


@dataclass(frozen=True)
class Person:
    person_id: str
    rnokpp: str = ""
    unzr: str = ""
    last_name: str = ""
    first_name: str = ""
    patronymic: str = ""
    birth_date: str = ""
    phone: str = ""
    email: str = ""
    veteran_statuses: tuple = ()
    disability_group: int = 0  # 0: none; 1..3
    merged_into: str = ""  # set when a supervisor merged this duplicate into another person

    @classmethod
    def new(cls, **identity) -> Person:
        return cls(person_id=str(uuid.uuid4()), **identity)


def new_case_number(now: datetime) -> str:
    """``CASE-YYYY-XXXXXXX``: ASCII, so it can be typed on any keyboard."""
    return f"CASE-{now:%Y}-{random_code(7)}"


@dataclass
class Case:
    case_id: str
    case_number: str
    person_id: str
    screening_level: str
    community_code: str
    stage: Stage
    opened_at: datetime
    updated_at: datetime
    assigned_to: str = ""
    version: int = 1
    appeal_ids: list[str] = field(default_factory=list)
    complexity: str = ""
    outcome: str = ""
    stage_entered_at: datetime | None = None
    assignment_explanation: str = ""
    closure_requested: str = ""  # the outcome a case manager asked to close with

    @classmethod
    def open(
        cls, person_id: str, appeal_id: str, screening_level: str, community_code: str, now: datetime | None = None
    ) -> Case:
        """A case opens in assessment: screening already happened at intake."""
        now = now or datetime.now(timezone.utc)
        return cls(
            case_id=str(uuid.uuid4()),
            case_number=new_case_number(now),
            person_id=person_id,
            screening_level=screening_level,
            community_code=community_code,
            stage=Stage.ASSESSMENT,
            opened_at=now,
            updated_at=now,
            appeal_ids=[appeal_id],
            stage_entered_at=now,
        )

    @property
    def is_open(self) -> bool:
        return self.stage is not Stage.CLOSED

    @property
    def priority(self) -> str:
        """ "urgent" for a crisis (the on-duty case manager is notified at once), else "normal"."""
        return "urgent" if self.screening_level == "crisis" else "normal"

    def opened_event(self, appeal_id: str, new_case: bool) -> dict:
        """Identifiers only: never names or tax numbers."""
        return {
            "case_id": self.case_id,
            "case_number": self.case_number,
            "appeal_id": appeal_id,
            "person_id": self.person_id,
            "screening_level": self.screening_level,
            "community_code": self.community_code,
            "new_case": new_case,
            "priority": self.priority,
            "assigned_to": self.assigned_to,
        }
