"""Plan steps indexed for reminders, and the reminders already announced (once each)."""

import sqlalchemy as sa


def upgrade(op):
    op.create_table(
        "plan_steps",
        sa.Column("case_id", sa.String(36), primary_key=True),
        sa.Column("step_id", sa.String(64), primary_key=True),
        sa.Column("due_on", sa.String(10), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("responsible_kind", sa.String(16), nullable=False),
    )
    op.create_index("plan_steps_due", "plan_steps", ["status", "due_on"])
    op.create_table(
        "step_reminders",
        sa.Column("case_id", sa.String(36), primary_key=True),
        sa.Column("step_id", sa.String(64), primary_key=True),
        sa.Column("kind", sa.String(8), primary_key=True),  # due | overdue
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
    )
