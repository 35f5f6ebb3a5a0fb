"""A supervisor's flag on a social-history entry found erroneous: who, when, why (never deleted)."""

import sqlalchemy as sa


def upgrade(op):
    with op.batch_alter_table("history") as batch:
        batch.add_column(sa.Column("erroneous_at", sa.DateTime(timezone=True)))
        batch.add_column(sa.Column("erroneous_by", sa.String(64), nullable=False, server_default=""))
        batch.add_column(sa.Column("erroneous_reason", sa.Text, nullable=False, server_default=""))
