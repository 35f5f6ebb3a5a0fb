"""Deadlines of the case stages, as configuration.

Defaults follow the State standard of the social service of case management (Order of
the Ministry of Social Policy No. 1005 of 13.07.2018 sets the needs-assessment act; the
standard's terms are used here, rounded to calendar days): a crisis is assessed within
1 day, any other case within 7 days of opening; a plan is drawn up within 14 days of an
approved assessment; a case is reviewed at least every 90 days. Every value can be
changed per deployment (``EKM_DEADLINE_<NAME>_DAYS``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from cases.domain.model import Stage


@dataclass(frozen=True)
class Deadlines:
    crisis_assessment_days: int = 1
    assessment_days: int = 7
    planning_days: int = 14
    review_interval_days: int = 90

    @classmethod
    def from_environment(cls, environ=None) -> Deadlines:
        """``EKM_DEADLINE_CRISIS_ASSESSMENT_DAYS``, ``EKM_DEADLINE_ASSESSMENT_DAYS``,
        ``EKM_DEADLINE_PLANNING_DAYS``, ``EKM_DEADLINE_REVIEW_INTERVAL_DAYS``: whole days, 0 or more;
        anything else is refused (the service does not start with a deadline it cannot read)."""
        environ = os.environ if environ is None else environ
        values = {}
        for name in cls.__dataclass_fields__:
            key = environment_key(name)
            if environ.get(key, "").strip():
                text = environ[key].strip()
                if not text.isdigit():
                    raise ValueError(f"{key}={text!r}: a whole number of days (0 or more) is expected")
                values[name] = int(text)
        return cls(**values)

    @classmethod
    def configured(cls) -> Deadlines:
        """The deployment's deadlines (the environment as it is now; parsed once per distinct value)."""
        return _parsed(tuple(os.environ.get(environment_key(n), "") for n in cls.__dataclass_fields__))


def environment_key(field_name: str) -> str:
    return f"EKM_DEADLINE_{field_name.upper().removesuffix('_DAYS')}_DAYS"


@lru_cache(maxsize=8)
def _parsed(values: tuple) -> Deadlines:
    return Deadlines.from_environment(dict(zip((environment_key(n) for n in Deadlines.__dataclass_fields__), values)))


def due_at(stage: Stage, entered_at: datetime, screening_level: str, deadlines: Deadlines) -> datetime | None:
    """When the work of this stage is due; None for stages without a deadline."""
    if stage is Stage.ASSESSMENT:
        days = deadlines.crisis_assessment_days if screening_level == "crisis" else deadlines.assessment_days
    elif stage is Stage.PLANNING:
        days = deadlines.planning_days
    elif stage in (Stage.IMPLEMENTATION, Stage.MONITORING):
        days = deadlines.review_interval_days
    else:
        return None
    return entered_at + timedelta(days=days)


def is_overdue(stage: Stage, entered_at: datetime, screening_level: str, now: datetime, deadlines: Deadlines) -> bool:
    due = due_at(stage, entered_at, screening_level, deadlines)
    return due is not None and now > due
