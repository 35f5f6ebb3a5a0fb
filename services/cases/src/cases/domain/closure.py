"""After a case closes: it stays readable, the recipient's cabinet becomes read-only, and the
services received can still be rated for a configured period (``EKM_RATING_AFTER_CLOSURE_DAYS``,
whole days, default 30). Plain Python."""

from __future__ import annotations

import os
from datetime import datetime, timedelta

from cases.domain.model import Case
from ekm_platform.errors import FailedPrecondition

RATING_DAYS_ENV = "EKM_RATING_AFTER_CLOSURE_DAYS"
DEFAULT_RATING_DAYS = 30


def rating_days(environ=None) -> int:
    """The configured period; a value that is not a whole number of days (0 or more) is refused."""
    text = (os.environ if environ is None else environ).get(RATING_DAYS_ENV, "").strip()
    if not text:
        return DEFAULT_RATING_DAYS
    if not text.isdigit():
        raise ValueError(f"{RATING_DAYS_ENV}={text!r}: a whole number of days (0 or more) is expected")
    return int(text)


def closed_at(case: Case) -> datetime | None:
    """When the case closed (it entered the closed stage); None while it is open."""
    return None if case.is_open else (case.stage_entered_at or case.updated_at)


def rating_open_until(case: Case, days: int) -> datetime | None:
    at = closed_at(case)
    return at + timedelta(days=days) if at else None


def require_open(case: Case, what: str = "") -> None:
    """A closed case is read-only (reopening it makes it writable again)."""
    if not case.is_open:
        raise FailedPrecondition(
            f"Випадок закрито: {what or 'зміни неможливі'}; його можна лише переглядати / "
            f"the case is closed: it is read-only"
        )


def require_rating_open(case: Case, now: datetime, days: int) -> None:
    until = rating_open_until(case, days)
    if until is not None and now >= until:
        raise FailedPrecondition(
            f"Оцінити послуги можна протягом {days} дн. після закриття випадку (до {until.date().isoformat()}) / "
            f"the rating period of {days} days after the case closed ended on {until.date().isoformat()}"
        )
