"""Near-duplicate appeals: the same person asking the same thing again within a time window.
Plain Python.

A new appeal is a near-duplicate of an earlier one when, within ``window`` (configuration,
``EKM_INTAKE_DUPLICATE_WINDOW_HOURS``, default 72):

- its subject is the earlier appeal's: the same РНОКПП / УНЗР, or a name and date of birth that
  ``ekm_platform.matching`` links without review (at or above the auto-link band);
- it asks the same: the descriptions are alike (rapidfuzz token-sort similarity at or above
  ``EKM_INTAKE_DUPLICATE_TEXT_SCORE``, default 0.8), so a second, different need is never swallowed;
- it is not more urgent: an urgent appeal is never merged into one that is not (crisis screening
  must not be lost);
- the earlier appeal is itself not merged, and still in progress (not consulted).

A merged appeal is stored (its own record, audited) with state ``merged`` and the first appeal's id;
the applicant is answered with the first appeal's tracking number.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, timedelta

from rapidfuzz import fuzz
from rapidfuzz.utils import default_process

from ekm_platform.matching import Bands, Identity, compare
from intake.domain.model import Appeal, AppealState, PersonData


@dataclass(frozen=True)
class DuplicatePolicy:
    window: timedelta = timedelta(hours=72)
    text_score: float = 0.8

    @classmethod
    def configured(cls) -> DuplicatePolicy:
        hours = float(os.environ.get("EKM_INTAKE_DUPLICATE_WINDOW_HOURS", 72))
        text = float(os.environ.get("EKM_INTAKE_DUPLICATE_TEXT_SCORE", 0.8))
        if hours < 0 or not 0 < text <= 1:
            raise ValueError("EKM_INTAKE_DUPLICATE_WINDOW_HOURS >= 0, 0 < EKM_INTAKE_DUPLICATE_TEXT_SCORE <= 1")
        return cls(timedelta(hours=hours), text)


def identity(person: PersonData) -> Identity:
    return Identity(
        person.rnokpp, person.unzr, person.last_name, person.first_name, person.patronymic, person.birth_date
    )


def text_similarity(a: str, b: str) -> float:
    """Case, punctuation and word order aside, how alike two descriptions are (0..1). Not the
    token-set ratio: a short first appeal would then "contain" a longer one that adds a need."""
    return fuzz.token_sort_ratio(a, b, processor=default_process) / 100.0


OPEN_STATES = {
    AppealState.ACCEPTED,
    AppealState.CASE_OPENED,
    AppealState.CASE_LINKED,
    AppealState.MATCH_REVIEW,
    AppealState.REGION_QUEUE,
}


def near_duplicate_of(
    new: Appeal, earlier: list[Appeal], policy: DuplicatePolicy, bands: Bands, now: datetime
) -> Appeal | None:
    """The earliest appeal ``new`` is a near-duplicate of, or None."""
    subject = identity(new.submission.effective_subject)
    for old in sorted(earlier, key=lambda a: a.submitted_at):
        if old.appeal_id == new.appeal_id or old.merged_into or old.state not in OPEN_STATES:
            continue
        if now - old.submitted_at > policy.window:
            continue
        if new.submission.urgent and not old.submission.urgent:
            continue
        match = compare(subject, identity(old.submission.effective_subject))
        if match.kind != "exact" and bands.band(match.score) != "auto":
            continue
        if text_similarity(new.submission.description, old.submission.description) < policy.text_score:
            continue
        return old
    return None
