"""Referrals; outbox/inbox/dead letters."""

import sqlalchemy as sa

from ekm_platform.messaging_tables import create_messaging_tables


def upgrade(op):
    create_messaging_tables(op)
    op.create_table(
        "referrals",
        sa.Column("referral_id", sa.String(36), primary_key=True),
        sa.Column("case_number", sa.String(20), nullable=False, index=True),
        sa.Column("sector", sa.String(20), nullable=False),
        sa.Column("agency_code", sa.String(8), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("client_request_id", sa.String(64), unique=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
