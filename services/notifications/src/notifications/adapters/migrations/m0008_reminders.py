"""Reminders as rows with a due time (never in memory): claimed by one notifications process at a
time (state, claimed_by, claimed_at, attempts), unique by key, found by (state, due_at)."""

import sqlalchemy as sa

from ekm_platform.db import UtcDateTime


def upgrade(op):
    op.create_table(
        "reminders",
        sa.Column("reminder_id", sa.String(36), primary_key=True),
        sa.Column("key", sa.String(160), nullable=False, unique=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("case_id", sa.String(36), nullable=False),
        sa.Column("case_number", sa.String(20), nullable=False, server_default=""),
        sa.Column("subject_ref", sa.String(64), nullable=False, server_default=""),
        sa.Column("due_on", sa.String(10), nullable=False, server_default=""),
        sa.Column("due_at", UtcDateTime(), nullable=False),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("claimed_by", sa.String(64), nullable=False, server_default=""),
        sa.Column("claimed_at", UtcDateTime(), nullable=True),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("last_error", sa.Text, nullable=False, server_default=""),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("sent_at", UtcDateTime(), nullable=True),
        sa.Column("notifications", sa.Text, nullable=False, server_default=""),
    )
    op.create_index("ix_reminders_state_due", "reminders", ["state", "due_at"])
