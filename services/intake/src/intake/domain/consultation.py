"""An information-level appeal answered with a consultation, and the appeal's history. Plain Python."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timezone

from ekm_platform.errors import FieldViolation, ValidationError

MAX_ADVICE = 4000
MAX_TOPICS = 10
_TOPIC = re.compile(r"^[a-z0-9_]{1,64}$")


@dataclass(frozen=True)
class Consultation:
    appeal_id: str
    advice: str  # what was advised
    topics: tuple[str, ...]
    advised_by: str  # who advised (user id)
    advised_by_role: str
    advised_at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))

    @classmethod
    def give(cls, appeal_id: str, advice: str, topics, advised_by: str, role: str) -> Consultation:
        problems = []
        advice = advice.strip()
        if not advice:
            problems.append(FieldViolation("advice", "опишіть, що порадили / say what was advised"))
        elif len(advice) > MAX_ADVICE:
            problems.append(FieldViolation("advice", f"до {MAX_ADVICE} символів / up to {MAX_ADVICE} characters"))
        topics = tuple(t.strip() for t in topics)
        if len(topics) > MAX_TOPICS or not all(_TOPIC.match(t) for t in topics):
            problems.append(
                FieldViolation("topics", f"до {MAX_TOPICS} кодів a-z, 0-9, _ / up to {MAX_TOPICS} codes of a-z, 0-9, _")
            )
        if problems:
            raise ValidationError(problems)
        return cls(appeal_id, advice, topics, advised_by, role)


@dataclass(frozen=True)
class HistoryEntry:
    appeal_id: str
    kind: str  # "accepted", "screening.overridden", "consulted", "case_opened"
    actor_id: str
    actor_role: str
    text: str  # Ukrainian / English
    details: dict = field(default_factory=dict)
    at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
