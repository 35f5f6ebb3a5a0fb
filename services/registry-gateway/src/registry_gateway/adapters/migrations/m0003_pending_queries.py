"""Queries a registry could not answer, kept to be asked again later (nothing is lost)."""

import sqlalchemy as sa


def upgrade(op):
    op.create_table(
        "pending_queries",
        sa.Column("pending_id", sa.String(36), primary_key=True),
        sa.Column("registry", sa.String(32), nullable=False),
        sa.Column("query", sa.Text, nullable=False),  # JSON of the query (identifiers, case, purpose, user)
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("last_error", sa.Text, nullable=False),
        sa.Column("next_at", sa.DateTime(timezone=True), nullable=False, index=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
