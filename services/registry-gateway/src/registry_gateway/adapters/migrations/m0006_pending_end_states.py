"""Pending registry queries end: answered, failed after the attempt limit, or refused
(consent withdrawn meanwhile) — kept with their end state instead of deleted."""

import sqlalchemy as sa


def upgrade(op):
    with op.batch_alter_table("pending_queries") as batch:
        batch.add_column(sa.Column("state", sa.String(16), nullable=False, server_default="pending"))
        batch.add_column(
            sa.Column("context", sa.Text, nullable=False, server_default="{}")
        )  # JSON: case access, consent
        batch.add_column(sa.Column("finished_at", sa.DateTime(timezone=True)))
        batch.add_column(sa.Column("answer_query_id", sa.String(36), nullable=False, server_default=""))
