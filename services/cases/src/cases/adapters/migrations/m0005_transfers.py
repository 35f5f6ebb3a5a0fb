"""Transfers of cases between case managers, communities and providers."""

import sqlalchemy as sa


def upgrade(op):
    op.create_table(
        "transfers",
        sa.Column("transfer_id", sa.String(36), primary_key=True),
        sa.Column("case_id", sa.String(36), nullable=False, index=True),
        sa.Column("from_manager_id", sa.String(64), nullable=False),
        sa.Column("to_manager_id", sa.String(64), nullable=False),
        sa.Column("to_community_code", sa.String(19), nullable=False),
        sa.Column("to_provider", sa.String(200), nullable=False),
        sa.Column("consent_recorded", sa.Boolean, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("requested_by", sa.String(64), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("accepted_at", sa.DateTime(timezone=True)),
    )
