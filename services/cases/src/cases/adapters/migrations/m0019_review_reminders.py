"""Reviews announced as due (``case.review_due``), once per case and due date, for notifications."""

import sqlalchemy as sa


def upgrade(op):
    op.create_table(
        "review_reminders",
        sa.Column("case_id", sa.String(36), primary_key=True),
        sa.Column("due_on", sa.String(10), primary_key=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
    )
