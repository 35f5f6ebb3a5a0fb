"""Per-recipient preferences (channel order, opt-outs, quiet hours, time zone) and the case
manager's in-app inbox (one item per notification: its id is the notification's)."""

import sqlalchemy as sa

from ekm_platform.db import UtcDateTime


def upgrade(op):
    op.create_table(
        "notification_preferences",
        sa.Column("recipient_kind", sa.String(16), primary_key=True),
        sa.Column("recipient_id", sa.String(64), primary_key=True),
        sa.Column("channel_order", sa.Text, nullable=False, server_default="[]"),
        sa.Column("opted_out", sa.Text, nullable=False, server_default="[]"),
        sa.Column("quiet_start", sa.String(5), nullable=False, server_default=""),
        sa.Column("quiet_end", sa.String(5), nullable=False, server_default=""),
        sa.Column("timezone", sa.String(64), nullable=False, server_default=""),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
    )
    op.create_table(
        "inbox_items",
        sa.Column("item_id", sa.String(36), primary_key=True),
        sa.Column("manager_id", sa.String(64), nullable=False),
        sa.Column("template", sa.String(64), nullable=False),
        sa.Column("template_version", sa.Integer, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("reference", sa.String(64), nullable=False),
        sa.Column("urgent", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("read_at", UtcDateTime(), nullable=True),
    )
    op.create_index("ix_inbox_items_manager", "inbox_items", ["manager_id", "created_at"])
