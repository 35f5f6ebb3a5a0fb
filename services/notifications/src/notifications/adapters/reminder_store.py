"""Reminders in the database (m0008): claimed with FOR UPDATE SKIP LOCKED on PostgreSQL and a
compare-and-set on the attempt count everywhere, so two notifications processes never take the
same reminder at once, and a claim that lapsed (its process died) is taken over."""

from __future__ import annotations

from dataclasses import asdict, fields
from datetime import datetime, timedelta

from sqlalchemy import Column, Index, Integer, String, Table, Text, and_, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from ekm_platform.db import UtcDateTime
from notifications.adapters.orm import metadata
from notifications.domain.reminders import CLAIM_LEASE, Reminder

reminders = Table(
    "reminders",
    metadata,
    Column("reminder_id", String(36), primary_key=True),
    Column("key", String(160), nullable=False, unique=True),
    Column("kind", String(16), nullable=False),
    Column("case_id", String(36), nullable=False),
    Column("case_number", String(20), nullable=False, default=""),
    Column("subject_ref", String(64), nullable=False, default=""),
    Column("due_on", String(10), nullable=False, default=""),
    Column("due_at", UtcDateTime(), nullable=False),
    Column("state", String(12), nullable=False),
    Column("claimed_by", String(64), nullable=False, default=""),
    Column("claimed_at", UtcDateTime()),
    Column("attempts", Integer, nullable=False, default=0),
    Column("last_error", Text, nullable=False, default=""),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("sent_at", UtcDateTime()),
    Column("notifications", Text, nullable=False, default=""),
    Index("ix_reminders_state_due", "state", "due_at"),
)
FIELDS = [f.name for f in fields(Reminder)]


def _reminder(row) -> Reminder:
    return Reminder(**{k: v for k, v in row._asdict().items() if k in FIELDS})


class Reminders:
    def __init__(self, session):
        self.session = session

    def add(self, reminder: Reminder) -> bool:
        """Store a reminder once per key: False (nothing changed) when the key is there already."""
        dialect = self.session.get_bind().dialect.name
        insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(reminders)
        result = self.session.execute(
            insert.values(**asdict(reminder))
            .on_conflict_do_nothing(index_elements=["key"])
            .returning(reminders.c.reminder_id)
        )
        return result.first() is not None

    def get(self, key: str) -> Reminder | None:
        row = self.session.execute(select(reminders).where(reminders.c.key == key)).first()
        return _reminder(row) if row else None

    def for_case(self, case_id: str) -> list[Reminder]:
        rows = self.session.execute(
            select(reminders).where(reminders.c.case_id == case_id).order_by(reminders.c.due_at, reminders.c.key)
        )
        return [_reminder(r) for r in rows]

    def claim_due(self, worker: str, now: datetime, limit: int = 50, lease: timedelta = CLAIM_LEASE) -> list[Reminder]:
        """Take up to ``limit`` due reminders for ``worker``: pending ones whose time has come, and
        claims older than ``lease`` (their process died or hangs). On PostgreSQL the rows are
        locked with SKIP LOCKED (another process takes other rows, never waits); the update checks
        the attempt count it read, so on SQLite too a row is claimed by one worker only.
        The caller commits."""
        due = or_(
            and_(reminders.c.state == "pending", reminders.c.due_at <= now),
            and_(reminders.c.state == "claimed", reminders.c.claimed_at < now - lease),
        )
        query = select(reminders).where(due).order_by(reminders.c.due_at).limit(limit)
        if self.session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        claimed = []
        for row in self.session.execute(query).all():
            taken = self.session.execute(
                update(reminders)
                .where(
                    reminders.c.reminder_id == row.reminder_id,
                    reminders.c.attempts == row.attempts,
                    reminders.c.state.in_(("pending", "claimed")),
                )
                .values(state="claimed", claimed_by=worker, claimed_at=now, attempts=row.attempts + 1)
            )
            if taken.rowcount == 1:
                reminder = _reminder(row)
                claimed.append(
                    Reminder(
                        **{
                            **asdict(reminder),
                            "state": "claimed",
                            "claimed_by": worker,
                            "claimed_at": now,
                            "attempts": row.attempts + 1,
                        }
                    )
                )
        return claimed

    def finish(self, claimed: Reminder, **values) -> bool:
        """Record the outcome of a claim — only while the claim is still ours (same worker, same
        attempt): False when it lapsed and another process took it over (it decides, not us)."""
        result = self.session.execute(
            update(reminders)
            .where(
                reminders.c.reminder_id == claimed.reminder_id,
                reminders.c.state == "claimed",
                reminders.c.claimed_by == claimed.claimed_by,
                reminders.c.attempts == claimed.attempts,
            )
            .values(**values)
        )
        return result.rowcount == 1
