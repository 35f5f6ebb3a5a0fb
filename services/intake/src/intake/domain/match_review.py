"""The manual review of an uncertain person match. Plain Python.

Cases finds the appeal's subject among its persons: a score at or above the auto-link band links
the appeal; between the bands it asks a person. The review waits in the appeal's community: a case
manager or supervisor of that community sees the appeal's subject and each candidate side by side
and decides — one of the candidates, or a new person — with a reason. The decision is final (a
wrong link is corrected in cases, where MergePersons and erroneous history entries exist)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from typing import Any

from ekm_platform.errors import FailedPrecondition, FieldViolation, ValidationError

REVIEWERS = ("case_manager", "supervisor")
MAX_REASON = 500


@dataclass(frozen=True)
class MatchReview:
    review_id: str
    appeal_id: str
    community_code: str
    candidates: tuple  # ({"person_id", "score", "band", "reasons": [...]}, ...) best first
    state: str  # open | decided
    created_at: datetime
    decided_by: str = ""
    decided_role: str = ""
    decided_at: datetime | None = None
    decided_person_id: str = ""  # "" with state decided: a new person
    decision_reason: str = ""
    extra: dict = field(default_factory=dict, compare=False)

    @classmethod
    def open(
        cls, appeal_id: str, community_code: str, candidates: list[dict], now: datetime | None = None
    ) -> MatchReview:
        clean: list[dict[str, Any]] = sorted(
            (
                {
                    "person_id": str(c["person_id"]),
                    "score": float(c.get("score", 0)),
                    "band": str(c.get("band", "review")),
                    "reasons": [str(r) for r in c.get("reasons", [])],
                }
                for c in candidates
                if c.get("person_id")
            ),
            key=lambda c: -float(c["score"]),
        )
        return cls(
            str(uuid.uuid4()), appeal_id, community_code, tuple(clean), "open", now or datetime.now(timezone.utc)
        )

    @property
    def best_score(self) -> float:
        return max((c["score"] for c in self.candidates), default=0.0)

    def decide(self, person_id: str, reason: str, user_id: str, role: str, now: datetime | None = None) -> MatchReview:
        if self.state != "open":
            raise FailedPrecondition("Рішення щодо особи вже ухвалено / this match review is already decided")
        problems = []
        if not reason.strip():
            problems.append(("reason", "потрібна причина рішення / a reason is required"))
        elif len(reason) > MAX_REASON:
            problems.append(("reason", f"до {MAX_REASON} символів / up to {MAX_REASON} characters"))
        if person_id and person_id not in {c["person_id"] for c in self.candidates}:
            problems.append(("person_id", "особа не серед кандидатів перевірки / not one of this review's candidates"))
        if problems:
            raise ValidationError([FieldViolation(f, m) for f, m in problems])
        return replace(
            self,
            state="decided",
            decided_by=user_id,
            decided_role=role,
            decided_at=now or datetime.now(timezone.utc),
            decided_person_id=person_id,
            decision_reason=reason.strip(),
        )


def mask(identifier: str) -> str:
    """All but the last four characters hidden: enough to compare, not to copy."""
    return "" if not identifier else "•" * max(len(identifier) - 4, 0) + identifier[-4:]
