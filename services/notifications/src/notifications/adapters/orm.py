"""The notifications service's tables (SQLAlchemy Core). The schema itself is made by migrations/."""
from sqlalchemy import Boolean, Column, Index, Integer, MetaData, String, Table, Text

from ekm_platform.audit import audit_table
from ekm_platform.db import UtcDateTime
from ekm_platform.messaging_tables import messaging_tables

metadata = MetaData()
messaging_tables(metadata)
audit_log = audit_table(metadata)  # contacts fetched, messages sent, logs read (ekm audit-verify notifications)

deliveries = Table(
    "deliveries", metadata,
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
    Column("dedupe_key", String(200)),            # unique (index below); NULL only for rows logged before m0005
    Column("recipient_kind", String(16), nullable=False, default=""),
    Column("recipient_id", String(64), nullable=False, default=""),
    Column("variables", Text, nullable=False, default="{}"),
    Column("template_version", Integer, nullable=False, default=0),
    Column("urgent", Boolean, nullable=False, default=False),
    Column("not_before", UtcDateTime()),
    Column("due_at", UtcDateTime()),                           # when the dispatcher may take it (NULL: done)
    Column("attempts", Integer, nullable=False, default=0),
    Column("error", Text, nullable=False, default=""),
    Column("claimed_by", String(36), nullable=False, default=""),
    Column("claimed_until", UtcDateTime()),
    Column("sent_at", UtcDateTime()),
    Index("uq_deliveries_dedupe_key", "dedupe_key", unique=True),
    Index("ix_deliveries_due", "status", "due_at"),
    Index("ix_deliveries_recipient_sent", "recipient_kind", "recipient_id", "sent_at"),
)

# every attempt to send a notification, with its status (sent, failed, invalid, suppressed)
delivery_attempts = Table(
    "delivery_attempts", metadata,
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
