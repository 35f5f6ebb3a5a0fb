"""The trace a notification was asked for in (W3C traceparent), so that its sending — minutes
later, in the dispatcher — joins that trace."""

import sqlalchemy as sa


def upgrade(op):
    with op.batch_alter_table("deliveries") as batch:
        batch.add_column(sa.Column("traceparent", sa.String(55), nullable=True))
