"""The delivery log; outbox/inbox/dead letters."""

import sqlalchemy as sa

from ekm_platform.messaging_tables import create_messaging_tables


def upgrade(op):
    create_messaging_tables(op)
    op.create_table(
        "deliveries",
        sa.Column("delivery_id", sa.String(36), primary_key=True),
        sa.Column("reference", sa.String(64), nullable=False, index=True),
        sa.Column("template", sa.String(64), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("recipient_masked", sa.String(64), nullable=False),
        sa.Column("locale", sa.String(8), nullable=False),
        sa.Column("provider_id", sa.String(128), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
