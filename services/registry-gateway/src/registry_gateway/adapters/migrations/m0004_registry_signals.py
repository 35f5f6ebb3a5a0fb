"""Signals from registry feeds (e.g. returns from service), once per source id, and the
read position of each feed."""

import sqlalchemy as sa


def upgrade(op):
    op.create_table(
        "registry_signals",
        sa.Column("signal_id", sa.String(36), primary_key=True),
        sa.Column("registry", sa.String(32), nullable=False),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("source_id", sa.String(64), nullable=False),
        sa.Column("subject", sa.Text, nullable=False),  # JSON identity of the person (stays here)
        sa.Column("occurred_on", sa.String(10), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("registry", "source_id", name="registry_signals_once"),
    )
    op.create_table(
        "feed_cursors",
        sa.Column("feed", sa.String(64), primary_key=True),
        sa.Column("position", sa.String(64), nullable=False),
    )
