"""Appeals, and the outbox/inbox/dead-letter tables."""

from sqlalchemy import Boolean, Column, DateTime, String, Text

from ekm_platform.messaging_tables import create_messaging_tables


def upgrade(op):
    create_messaging_tables(op)
    op.create_table(
        "appeals",
        Column("appeal_id", String(36), primary_key=True),
        Column("tracking_number", String(32), nullable=False, unique=True),
        Column("client_request_id", String(64), unique=True),
        Column("channel", String(32), nullable=False),
        Column("screening_level", String(16), nullable=False),
        Column("state", String(16), nullable=False),
        Column("case_number", String(32), nullable=False),
        Column("community_code", String(19), nullable=False),
        Column("urgent", Boolean, nullable=False),
        Column("consent", Boolean, nullable=False),
        Column("description", Text, nullable=False),
        Column("applicant", Text, nullable=False),
        Column("subject", Text, nullable=False),
        Column("submitted_at", DateTime(timezone=True), nullable=False),
        Column("updated_at", DateTime(timezone=True), nullable=False),
    )
