"""The outbound pipeline: a delivery row is a queued notification (dedupe_key unique, due time,
attempts, template version) and every attempt is logged in delivery_attempts. Rows logged before
get their dedupe key from their (purpose, reference), so an appeal acknowledged before the upgrade
is not acknowledged again after it."""

import sqlalchemy as sa

from ekm_platform.db import UtcDateTime


def upgrade(op):
    with op.batch_alter_table("deliveries") as batch:
        batch.add_column(sa.Column("dedupe_key", sa.String(200), nullable=True))
        batch.add_column(sa.Column("recipient_kind", sa.String(16), nullable=False, server_default=""))
        batch.add_column(sa.Column("recipient_id", sa.String(64), nullable=False, server_default=""))
        batch.add_column(sa.Column("variables", sa.Text, nullable=False, server_default="{}"))
        batch.add_column(sa.Column("template_version", sa.Integer, nullable=False, server_default="0"))
        batch.add_column(sa.Column("urgent", sa.Boolean, nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("not_before", UtcDateTime(), nullable=True))
        batch.add_column(sa.Column("due_at", UtcDateTime(), nullable=True))
        batch.add_column(sa.Column("attempts", sa.Integer, nullable=False, server_default="0"))
        batch.add_column(sa.Column("error", sa.Text, nullable=False, server_default=""))
        batch.add_column(sa.Column("claimed_by", sa.String(36), nullable=False, server_default=""))
        batch.add_column(sa.Column("claimed_until", UtcDateTime(), nullable=True))
        batch.add_column(sa.Column("sent_at", UtcDateTime(), nullable=True))
    op.execute(sa.text("UPDATE deliveries SET dedupe_key = purpose || ':' || reference WHERE purpose IS NOT NULL"))
    op.execute(sa.text("UPDATE deliveries SET sent_at = created_at WHERE status = 'sent'"))
    op.create_index("uq_deliveries_dedupe_key", "deliveries", ["dedupe_key"], unique=True)
    op.create_index("ix_deliveries_due", "deliveries", ["status", "due_at"])
    op.create_index("ix_deliveries_recipient_sent", "deliveries", ["recipient_kind", "recipient_id", "sent_at"])
    op.create_table(
        "delivery_attempts",
        sa.Column("attempt_id", sa.String(36), primary_key=True),
        sa.Column("delivery_id", sa.String(36), nullable=False, index=True),
        sa.Column("attempt_no", sa.Integer, nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("error", sa.Text, nullable=False, server_default=""),
        sa.Column("recipient_masked", sa.String(64), nullable=False, server_default=""),
        sa.Column("provider_id", sa.String(128), nullable=False, server_default=""),
        sa.Column("at", UtcDateTime(), nullable=False),
    )
