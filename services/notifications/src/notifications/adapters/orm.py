"""The notifications service's tables (SQLAlchemy Core). The schema itself is made by migrations/."""

from sqlalchemy import Boolean, Column, Index, Integer, MetaData, String, Table, Text

from ekm_platform.audit import audit_table
from ekm_platform.db import UtcDateTime
from ekm_platform.messaging_tables import messaging_tables

metadata = MetaData()
messaging_tables(metadata)
audit_log = audit_table(metadata)  # contacts fetched, messages sent, logs read (ekm audit-verify notifications)

deliveries = Table(
    "deliveries",
    metadata,
    Column("delivery_id", String(36), primary_key=True),
    Column("reference", String(64), nullable=False, index=True),
    Column("template", String(64), nullable=False),
    Column("channel", String(16), nullable=False),
    Column("status", String(16), nullable=False),
    Column("recipient_masked", String(64), nullable=False),
    Column("locale", String(8), nullable=False),
    Column("provider_id", String(128), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("purpose", String(64)),
    Index("uq_deliveries_reference_purpose", "reference", "purpose", unique=True),
    # the outbound pipeline (m0005): each row is one notification, queued until sent or given up
    Column("dedupe_key", String(200)),  # unique (index below); NULL only for rows logged before m0005
    Column("recipient_kind", String(16), nullable=False, default=""),
    Column("recipient_id", String(64), nullable=False, default=""),
    Column("variables", Text, nullable=False, default="{}"),
    Column("template_version", Integer, nullable=False, default=0),
    Column("urgent", Boolean, nullable=False, default=False),
    Column("not_before", UtcDateTime()),
    Column("due_at", UtcDateTime()),  # when the dispatcher may take it (NULL: done)
    Column("attempts", Integer, nullable=False, default=0),
    Column("error", Text, nullable=False, default=""),
    Column("claimed_by", String(36), nullable=False, default=""),
    Column("claimed_until", UtcDateTime()),
    Column("sent_at", UtcDateTime()),
    Column("traceparent", String(55)),  # m0007: the trace it was asked for in
    Index("uq_deliveries_dedupe_key", "dedupe_key", unique=True),
    Index("ix_deliveries_due", "status", "due_at"),
    Index("ix_deliveries_recipient_sent", "recipient_kind", "recipient_id", "sent_at"),
)

# every attempt to send a notification, with its status (sent, failed, invalid, suppressed)
delivery_attempts = Table(
    "delivery_attempts",
    metadata,
    Column("attempt_id", String(36), primary_key=True),
    Column("delivery_id", String(36), nullable=False, index=True),
    Column("attempt_no", Integer, nullable=False),
    Column("channel", String(16), nullable=False),
    Column("status", String(16), nullable=False),
    Column("error", Text, nullable=False, default=""),
    Column("recipient_masked", String(64), nullable=False, default=""),
    Column("provider_id", String(128), nullable=False, default=""),
    Column("at", UtcDateTime(), nullable=False),
)

# a recipient's own choices (m0006): channel order and opt-outs as JSON lists, quiet hours "HH:MM"
notification_preferences = Table(
    "notification_preferences",
    metadata,
    Column("recipient_kind", String(16), primary_key=True),
    Column("recipient_id", String(64), primary_key=True),
    Column("channel_order", Text, nullable=False, default="[]"),
    Column("opted_out", Text, nullable=False, default="[]"),
    Column("quiet_start", String(5), nullable=False, default=""),
    Column("quiet_end", String(5), nullable=False, default=""),
    Column("timezone", String(64), nullable=False, default=""),
    Column("updated_at", UtcDateTime(), nullable=False),
)

# the case manager's in-app inbox (m0006): one item per notification (item_id = its delivery_id)
inbox_items = Table(
    "inbox_items",
    metadata,
    Column("item_id", String(36), primary_key=True),
    Column("manager_id", String(64), nullable=False),
    Column("template", String(64), nullable=False),
    Column("template_version", Integer, nullable=False),
    Column("title", Text, nullable=False),
    Column("text", Text, nullable=False),
    Column("reference", String(64), nullable=False),
    Column("urgent", Boolean, nullable=False, default=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("read_at", UtcDateTime()),
    Index("ix_inbox_items_manager", "manager_id", "created_at"),
)
