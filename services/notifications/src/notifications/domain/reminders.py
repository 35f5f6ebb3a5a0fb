"""Reminders: a notification that waits for its moment in the database (never in memory).

A reminder is a row with a due time and a unique key. The reminder timer of any notifications
process claims due rows (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, a compare-and-set on the
attempt count everywhere), looks again at the case (a step done meanwhile, a closed case: the
reminder is cancelled), and hands the message to the pipeline under the reminder's key — so a
crash after the claim, a lapsed claim taken over by another process, or a restart never sends
it twice. Plain Python: no nameko, SQLAlchemy or gRPC here.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

STEP_DUE, STEP_OVERDUE, REVIEW_DUE = "step_due", "step_overdue", "review_due"
KINDS = (STEP_DUE, STEP_OVERDUE, REVIEW_DUE)
STATES = ("pending", "claimed", "sent", "cancelled", "failed")
OPEN_STEP = ("planned", "in_progress")

DEFAULT_ZONE = ZoneInfo("Europe/Kyiv")
REMIND_AT = time(9, 0)  # a "due tomorrow" reminder goes out at 09:00 the day before (Kyiv time)
CLAIM_LEASE = timedelta(minutes=5)  # a claim not finished within this is taken over by another process
MAX_ATTEMPTS = 5  # then the reminder is failed, with its last error
RETRY_FIRST = timedelta(seconds=30)


@dataclass(frozen=True)
class Reminder:
    key: str  # unique; also the pipeline's dedupe key (with the recipient)
    kind: str  # step_due | step_overdue | review_due
    case_id: str
    due_at: datetime  # when to send (aware, UTC)
    subject_ref: str = ""  # the step id (steps); "" for a review
    due_on: str = ""  # the step's or review's date (ISO), shown in the message
    case_number: str = ""
    state: str = "pending"
    claimed_by: str = ""
    claimed_at: datetime | None = None
    attempts: int = 0
    last_error: str = ""
    reminder_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    created_at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    sent_at: datetime | None = None
    notifications: str = ""  # the pipeline's ids of what was enqueued (comma-separated)

    def retry_at(self, now: datetime) -> datetime:
        """Back-off after a failed attempt: 30 s, 1, 2, 4 min …"""
        return now + RETRY_FIRST * (2 ** max(self.attempts - 1, 0))

    def failed(self, error: str, now: datetime) -> Reminder:
        """After an attempt that failed: again later, or failed for good after MAX_ATTEMPTS."""
        state = "failed" if self.attempts >= MAX_ATTEMPTS else "pending"
        return replace(
            self,
            state=state,
            claimed_by="",
            claimed_at=None,
            last_error=error[:500],
            due_at=self.due_at if state == "failed" else self.retry_at(now),
        )


def step_key(kind: str, case_id: str, step_id: str) -> str:
    return f"reminder:{kind}:{case_id}:{step_id}"


def review_key(case_id: str, due_on: str) -> str:
    return f"reminder:{REVIEW_DUE}:{case_id}:{due_on}"


def day_before_at_nine(due_on: date, zone: ZoneInfo = DEFAULT_ZONE) -> datetime:
    """09:00 local time on the day before ``due_on``, in UTC."""
    return datetime.combine(due_on - timedelta(days=1), REMIND_AT, tzinfo=zone).astimezone(timezone.utc)


def step_due_at(due_on: date, now: datetime, zone: ZoneInfo = DEFAULT_ZONE) -> datetime:
    """A step due on ``due_on`` is reminded of at 09:00 the day before (\"due tomorrow\"); a step
    announced later than that (due today or tomorrow already) is reminded of at once."""
    return max(day_before_at_nine(due_on, zone), now)


def parse_day(text: str) -> date:
    """A step's ISO date; ValueError for anything else."""
    return date.fromisoformat(str(text))


@dataclass(frozen=True)
class Recipient:
    kind: str  # "person" | "case_manager" (the pipeline's recipient kinds)
    id: str


def step_recipients(kind: str, responsible_kind: str, person_id: str, manager_id: str) -> list[Recipient]:
    """Who hears about a step: the person when the step is theirs, otherwise the case manager
    (an agency's or provider's step is followed up by the case manager); an overdue step of the
    person's is also the case manager's business."""
    found = []
    if responsible_kind == "person" and person_id:
        found.append(Recipient("person", person_id))
    if manager_id and (responsible_kind != "person" or kind == STEP_OVERDUE or not person_id):
        found.append(Recipient("case_manager", manager_id))
    return found


@dataclass(frozen=True)
class Decision:
    """What to do with a claimed reminder once the case has been looked at again."""

    action: str  # "send" | "cancel" | "reschedule"
    reason: str = ""
    recipients: tuple[Recipient, ...] = ()
    due_on: str = ""
    due_at: datetime | None = None


def decide(reminder: Reminder, parties: dict | None, now: datetime, zone: ZoneInfo = DEFAULT_ZONE) -> Decision:
    """Look at the case as it is now (``cases.case_parties``) before a reminder goes out."""
    if parties is None:
        return Decision("cancel", "випадок не знайдено / no such case")
    if not parties.get("open", True):
        return Decision("cancel", "випадок закрито / the case is closed")
    person_id, manager_id = parties.get("person_id") or "", parties.get("assigned_to") or ""
    if reminder.kind == REVIEW_DUE:
        if parties.get("stage") not in ("implementation", "monitoring"):
            return Decision("cancel", "випадок вже на перегляді або на іншому етапі / the case is past it")
        if not manager_id:
            return Decision("cancel", "випадок не призначено / the case has no case manager")
        return Decision("send", recipients=(Recipient("case_manager", manager_id),), due_on=reminder.due_on)
    step = parties.get("step")
    if not step:
        return Decision("cancel", "крок вилучено з плану / the step is no longer in the plan")
    if step.get("status") not in OPEN_STEP:
        return Decision("cancel", "крок виконано або скасовано / the step is done or cancelled")
    due_on = str(step.get("due_on") or reminder.due_on)
    if reminder.kind == STEP_DUE:
        if due_on != reminder.due_on:
            moved = step_due_at(parse_day(due_on), now, zone)
            if moved > now:  # the step was moved to a later day: remind the day before that one
                return Decision("reschedule", "строк кроку змінено / the step was moved", due_on=due_on, due_at=moved)
        if now.astimezone(zone).date() > parse_day(due_on):  # too late for "due tomorrow": the overdue one tells
            return Decision("cancel", "строк кроку минув / the step is overdue already")
    elif reminder.kind == STEP_OVERDUE and parse_day(due_on) >= now.astimezone(zone).date():
        return Decision("cancel", "строк кроку перенесено, він не прострочений / the step was moved: not overdue")
    recipients = tuple(step_recipients(reminder.kind, step.get("responsible_kind", ""), person_id, manager_id))
    if not recipients:
        return Decision("cancel", "нема кому нагадати / nobody to remind")
    return Decision("send", recipients=recipients, due_on=due_on)
