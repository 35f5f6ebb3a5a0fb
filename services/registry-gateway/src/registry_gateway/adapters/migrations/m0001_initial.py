"""Evidence of registry queries; outbox/inbox/dead letters."""

import sqlalchemy as sa

from ekm_platform.messaging_tables import create_messaging_tables


def upgrade(op):
    create_messaging_tables(op)
    op.create_table(
        "evidence",
        sa.Column("query_id", sa.String(36), primary_key=True),
        sa.Column("registry", sa.String(32), nullable=False),
        sa.Column("xroad_id", sa.String(64), nullable=False),
        sa.Column("user_id", sa.String(64), nullable=False),
        sa.Column("issue", sa.String(32), nullable=False, index=True),
        sa.Column("purpose", sa.String(200), nullable=False),
        sa.Column("response_sha256", sa.String(64), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
    )
