"""Consultations: how an information-level appeal was answered — what was advised, on which
topics, by whom and when. One per appeal; the appeal is then CONSULTED and opens no case."""

import sqlalchemy as sa


def upgrade(op):
    op.create_table(
        "consultations",
        sa.Column("appeal_id", sa.String(36), primary_key=True),
        sa.Column("advice", sa.Text, nullable=False),
        sa.Column("topics", sa.Text, nullable=False),  # JSON list of short codes
        sa.Column("advised_by", sa.String(64), nullable=False),
        sa.Column("advised_by_role", sa.String(32), nullable=False),
        sa.Column("advised_at", sa.DateTime(timezone=True), nullable=False),
    )
