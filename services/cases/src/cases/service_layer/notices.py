"""What the cases service tells notifications: who is in a case (an internal RPC) and which
reviews are due (``case.review_due``, announced by the reminder timer once per stage entry).

Identifiers only: notifications resolves contacts itself (``get_person_contact``) and writes to
the case manager's inbox by their user id."""

from __future__ import annotations

import os
from datetime import datetime, timedelta

from cases.domain.deadlines import Deadlines, due_at
from cases.domain.model import Stage
from ekm_platform.unit_of_work import UnitOfWork

REVIEW_DUE = "case.review_due"
# A review is announced this many days before it is due (and at once when it is already overdue).
REVIEW_NOTICE_DAYS = 7
REVIEWED_STAGES = (Stage.IMPLEMENTATION, Stage.MONITORING)


def due_scan_interval(environ=None) -> float:
    """How often due steps and reviews are looked for: ``EKM_DUE_SCAN_INTERVAL_SECONDS`` (default
    900); a value that is not a positive number stops the process at start."""
    text = (os.environ if environ is None else environ).get("EKM_DUE_SCAN_INTERVAL_SECONDS", "").strip() or "900"
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not value > 0:
        raise ValueError(f"EKM_DUE_SCAN_INTERVAL_SECONDS={text!r}: a positive number of seconds is expected")
    return value


def case_parties(uow: UnitOfWork, case_ref: str, step_id: str = "") -> dict | None:
    """``{"case_id", "case_number", "person_id", "assigned_to", "community_code", "stage",
    "screening_level", "open": bool, "supervisors": [user ids] (only while nobody is assigned),
    "step": {"due_on", "status", "responsible_kind"} | None}``
    of the case with this id or number, or None. Internal only (never over gRPC): notifications
    uses it to address a message about the case to whoever is in it now."""
    parties = uow.repo.notices.parties(case_ref)
    if parties is None:
        return None
    parties["open"] = parties["stage"] != Stage.CLOSED.value
    # who takes the case while nobody has it (an unassigned crisis is told to them)
    parties["supervisors"] = [] if parties["assigned_to"] else uow.repo.notices.supervisors(parties["community_code"])
    parties["step"] = uow.repo.notices.step(parties["case_id"], step_id) if step_id else None
    return parties


def announce_due_reviews(
    uow: UnitOfWork, now: datetime, deadlines: Deadlines | None = None, notice_days: int = REVIEW_NOTICE_DAYS
) -> int:
    """Each case in implementation or monitoring whose review falls due within ``notice_days``
    (the configured interval after it entered the stage, ``EKM_DEADLINE_REVIEW_INTERVAL_DAYS``) is
    announced once per stage entry: ``case.review_due`` {case_id, case_number, due_on, overdue}."""
    deadlines = deadlines or Deadlines.configured()
    interval = due_at(Stage.IMPLEMENTATION, now, "", deadlines) - now
    entered_before = now + timedelta(days=notice_days) - interval
    rows = uow.repo.notices.reviews_to_announce(tuple(s.value for s in REVIEWED_STAGES), entered_before)
    for row in rows:
        due = row.entered_at + interval
        due_on = due.date().isoformat()
        uow.repo.notices.mark_review_announced(row.case_id, due_on)
        uow.publish(
            REVIEW_DUE, {"case_id": row.case_id, "case_number": row.case_number, "due_on": due_on, "overdue": due < now}
        )
    uow.commit()
    return len(rows)
