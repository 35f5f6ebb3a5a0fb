"""Contracts keep what their fee was decided with (categories, tariff), who drafted them,
and their status. Contracts drafted before keep empty categories and a zero tariff."""

import sqlalchemy as sa


def upgrade(op):
    with op.batch_alter_table("contracts") as batch:
        batch.add_column(sa.Column("categories", sa.Text, nullable=False, server_default="[]"))
        batch.add_column(sa.Column("tariff", sa.Numeric(12, 2), nullable=False, server_default="0"))
        batch.add_column(sa.Column("created_by", sa.String(64), nullable=False, server_default=""))
        batch.add_column(sa.Column("status", sa.String(12), nullable=False, server_default="draft"))
