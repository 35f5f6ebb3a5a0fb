"""The registry gateway's tables (SQLAlchemy Core). The schema itself is made by migrations/."""

from sqlalchemy import Boolean, Column, Integer, MetaData, String, Table, Text, UniqueConstraint

from ekm_platform.audit import audit_table
from ekm_platform.db import UtcDateTime
from ekm_platform.messaging_tables import messaging_tables

metadata = MetaData()
messaging_tables(metadata)
audit_log = audit_table(metadata)

evidence = Table(
    "evidence",
    metadata,
    Column("query_id", String(36), primary_key=True),
    Column("registry", String(32), nullable=False),
    Column("xroad_id", String(64), nullable=False),
    Column("user_id", String(64), nullable=False),
    Column("issue", String(32), nullable=False, index=True),
    Column("purpose", String(200), nullable=False),
    Column("response_sha256", String(64), nullable=False),
    Column("requested_at", UtcDateTime(), nullable=False),
    Column("consent_id", String(36), nullable=False, default=""),
    Column("from_cache", Boolean, nullable=False, default=False),
    Column("original_query_id", String(36), nullable=False, default=""),
)

feed_records = Table(
    "feed_records",
    metadata,
    Column("record_id", String(36), primary_key=True),
    Column("partner_id", String(64), nullable=False),
    Column("record_type", String(64), nullable=False),
    Column("source_id", String(64), nullable=False),
    Column("document", Text, nullable=False),
    Column("received_at", UtcDateTime(), nullable=False),
    Column("xroad_id", String(200)),  # the X-Road request's id, userId, client and issue
    Column("xroad_user_id", String(200)),  # (SOAP/REST inbound; none for the AMQP feed)
    Column("xroad_client", String(200)),
    Column("xroad_issue", String(200)),
    UniqueConstraint("partner_id", "source_id", name="feed_records_once"),
)

pending_queries = Table(
    "pending_queries",
    metadata,
    Column("pending_id", String(36), primary_key=True),
    Column("registry", String(32), nullable=False),
    Column("query", Text, nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("last_error", Text, nullable=False),
    Column("next_at", UtcDateTime(), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("state", String(16), nullable=False, default="pending"),  # pending | answered | failed | refused
    Column("context", Text, nullable=False, default="{}"),
    Column("finished_at", UtcDateTime()),
    Column("answer_query_id", String(36), nullable=False, default=""),
)

registry_signals = Table(
    "registry_signals",
    metadata,
    Column("signal_id", String(36), primary_key=True),
    Column("registry", String(32), nullable=False),
    Column("kind", String(64), nullable=False),
    Column("source_id", String(64), nullable=False),
    Column("subject", Text, nullable=False),
    Column("occurred_on", String(10), nullable=False),
    Column("received_at", UtcDateTime(), nullable=False),
    UniqueConstraint("registry", "source_id", name="registry_signals_once"),
)

feed_cursors = Table(
    "feed_cursors",
    metadata,
    Column("feed", String(64), primary_key=True),
    Column("position", String(64), nullable=False),
)
