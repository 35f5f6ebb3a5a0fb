"""The notifications service's tables (SQLAlchemy Core). The schema itself is made by migrations/."""
from sqlalchemy import Column, Index, MetaData, String, Table

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
)
