"""The reminder timer's work: claim due reminders, look at the case again, hand the message to
the pipeline under the reminder's key, record the outcome — each step its own short transaction,
no lock held across the call to cases.

Two notifications processes never send one reminder twice: a row is claimed by one of them
(``FOR UPDATE SKIP LOCKED`` on PostgreSQL, and the claim's update checks the attempt count it
read); the notification is enqueued under the reminder's key in the same transaction that records
the outcome, and that outcome is recorded only while the claim is still its own. A process that
dies after its claim leaves nothing enqueued; its claim lapses (``CLAIM_LEASE``) and another
process takes the reminder over. A process that only hung and wakes up after the takeover finds
the key enqueued already (or loses the race on its unique index) and its outcome refused.
"""

from __future__ import annotations

import logging
import os
import socket
import time
import uuid
from collections.abc import Callable
from datetime import datetime, timezone

from notifications.domain import notices as n
from notifications.domain.reminders import REVIEW_DUE, Reminder, decide
from notifications.domain.requests import NotificationRequest
from notifications.service_layer import outbound

log = logging.getLogger(__name__)
Parties = Callable[..., "dict | None"]  # cases.case_parties(case_ref, step_id)
BATCH = 50


def worker_id() -> str:
    """Who claims: this host and process (and a random part: a restarted process is another worker)."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def reminder_interval(environ=None) -> float:
    """How often due reminders are looked for: ``EKM_REMINDER_INTERVAL_SECONDS`` (default 30); a value
    that is not a positive number stops the process at start."""
    text = (os.environ if environ is None else environ).get("EKM_REMINDER_INTERVAL_SECONDS", "").strip() or "30"
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not value > 0:
        raise ValueError(f"EKM_REMINDER_INTERVAL_SECONDS={text!r}: a positive number of seconds is expected")
    return value


def claim(uow_factory, worker: str, now: datetime, limit: int = BATCH) -> list[Reminder]:
    with uow_factory() as uow:
        claimed = uow.repo.reminders.claim_due(worker, now, limit)
        uow.commit()
    return claimed


def fire(uow_factory, reminder: Reminder, parties: Parties, now: datetime) -> str:
    """One claimed reminder: ``sent``, ``cancelled``, ``rescheduled``, ``retry``/``failed`` (cases
    did not answer, or the pipeline refused) or ``lost`` (the claim lapsed; another process has it)."""
    try:
        found = parties(reminder.case_id, reminder.subject_ref)
    except Exception as exc:  # cases away: try again later (back-off), failed after MAX_ATTEMPTS
        return _failed(uow_factory, reminder, f"cases: {exc}", now)
    decision = decide(reminder, found, now)
    try:
        with uow_factory() as uow:
            store = uow.repo.reminders
            if decision.action == "cancel":
                done = store.finish(
                    reminder, state="cancelled", last_error=decision.reason, claimed_by="", claimed_at=None
                )
                outcome = "cancelled"
            elif decision.action == "reschedule":
                done = store.finish(
                    reminder,
                    state="pending",
                    due_at=decision.due_at,
                    due_on=decision.due_on,
                    claimed_by="",
                    claimed_at=None,
                    attempts=0,
                    last_error=decision.reason,
                )
                outcome = "rescheduled"
            else:
                number = (found or {}).get("case_number") or reminder.case_number
                ids = [
                    outbound.enqueue(
                        uow,
                        NotificationRequest(
                            recipient_kind=r.kind,
                            recipient_id=r.id,
                            template=_template(reminder.kind, r.kind),
                            variables={"case_number": number, "due_on": decision.due_on},
                            dedupe_key=n.reminder_notice_key(reminder.key, r.kind),
                            reference=number,
                        ),
                    )
                    for r in decision.recipients
                ]
                done = store.finish(
                    reminder, state="sent", sent_at=now, notifications=",".join(ids), case_number=number, last_error=""
                )
                outcome = "sent"
            if not done:
                uow.rollback()
                return "lost"
            uow.commit()
            return outcome
    except Exception as exc:
        log.exception("reminder %s failed", reminder.key)
        return _failed(uow_factory, reminder, f"{type(exc).__name__}: {exc}", now)


def _template(kind: str, recipient_kind: str) -> str:
    return n.REVIEW_DUE_MANAGER if kind == REVIEW_DUE else n.STEP_TEMPLATES[(kind, recipient_kind)]


def _failed(uow_factory, reminder: Reminder, error: str, now: datetime) -> str:
    after = reminder.failed(error, now)
    with uow_factory() as uow:
        done = uow.repo.reminders.finish(
            reminder,
            state=after.state,
            due_at=after.due_at,
            claimed_by="",
            claimed_at=None,
            last_error=after.last_error,
        )
        uow.commit()
    return ("failed" if after.state == "failed" else "retry") if done else "lost"


def run_due(
    uow_factory,
    worker: str,
    parties: Parties,
    now: datetime | None = None,
    batches: int = 20,
    budget_seconds: float = 3.0,
) -> dict:
    """What the timer does: up to ``batches`` batches of due reminders, for at most about
    ``budget_seconds`` (so a stopping service does not wait long); the count of each outcome."""
    counts: dict[str, int] = {}
    started = time.monotonic()
    for _ in range(batches):
        if time.monotonic() - started > budget_seconds:
            break
        moment = now or datetime.now(timezone.utc)
        claimed = claim(uow_factory, worker, moment)
        for reminder in claimed:
            outcome = fire(uow_factory, reminder, parties, moment)
            counts[outcome] = counts.get(outcome, 0) + 1
        if len(claimed) < BATCH:
            break
    return counts
