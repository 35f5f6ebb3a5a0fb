"""Closure requests waiting for a supervisor."""

import sqlalchemy as sa


def upgrade(op):
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("closure_requested", sa.String(16), nullable=False, server_default=""))
