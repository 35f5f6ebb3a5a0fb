"""Records partner agencies pushed in; (partner, source id) is unique: a record applies once."""

import sqlalchemy as sa


def upgrade(op):
    op.create_table(
        "feed_records",
        sa.Column("record_id", sa.String(36), primary_key=True),
        sa.Column("partner_id", sa.String(64), nullable=False),
        sa.Column("record_type", sa.String(64), nullable=False),
        sa.Column("source_id", sa.String(64), nullable=False),
        sa.Column("document", sa.Text, nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("partner_id", "source_id", name="feed_records_once"),
    )
