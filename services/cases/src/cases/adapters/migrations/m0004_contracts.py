"""Drafted contracts for the provision of social services, with their fee decisions."""

import sqlalchemy as sa


def upgrade(op):
    op.create_table(
        "contracts",
        sa.Column("contract_id", sa.String(36), primary_key=True),
        sa.Column("case_id", sa.String(36), nullable=False, index=True),
        sa.Column("service_id", sa.String(64), nullable=False),
        sa.Column("provider", sa.String(200), nullable=False),
        sa.Column("service_type", sa.String(64), nullable=False),
        sa.Column("free_of_charge", sa.Boolean, nullable=False),
        sa.Column("amount", sa.Numeric(12, 2), nullable=False),
        sa.Column("explanation", sa.Text, nullable=False),
        sa.Column("rules_version", sa.String(32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
