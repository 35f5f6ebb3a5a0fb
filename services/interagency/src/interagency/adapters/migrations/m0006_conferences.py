"""Case conferences: participants from several agencies, an agenda, decisions (plan steps)."""

import sqlalchemy as sa


def upgrade(op):
    op.create_table(
        "conferences",
        sa.Column("conference_id", sa.String(36), primary_key=True),
        sa.Column("case_number", sa.String(20), nullable=False, index=True),
        sa.Column("scheduled_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("agenda", sa.Text, nullable=False),
        sa.Column("participants", sa.Text, nullable=False),
        sa.Column("agency_codes", sa.Text, nullable=False),
        sa.Column("organised_by", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("decisions", sa.Text, nullable=False, server_default="[]"),
        sa.Column("concluded_at", sa.DateTime(timezone=True)),
        sa.Column("concluded_by", sa.String(64), nullable=False, server_default=""),
        sa.Column("plan_version", sa.Integer, nullable=False, server_default="0"),
    )
