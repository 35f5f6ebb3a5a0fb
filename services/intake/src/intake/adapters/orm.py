"""Intake's tables (SQLAlchemy Core). The schema itself is made by migrations/."""
from sqlalchemy import Boolean, Column, MetaData, String, Table, Text, UniqueConstraint

from ekm_platform.audit import audit_table
from ekm_platform.db import UtcDateTime
from ekm_platform.messaging_tables import messaging_tables

metadata = MetaData()
messaging_tables(metadata)
audit_log = audit_table(metadata)  # who read or wrote which appeal's personal data (ekm audit-verify)

appeals = Table(
    "appeals",
    metadata,
    Column("appeal_id", String(36), primary_key=True),
    Column("tracking_number", String(32), nullable=False, unique=True),
    Column("client_request_id", String(64)),  # the caller's idempotency key, unique per caller (below)
    Column("channel", String(32), nullable=False),
    Column("screening_level", String(16), nullable=False),
    Column("state", String(16), nullable=False),
    Column("case_number", String(32), nullable=False, default=""),
    Column("community_code", String(19), nullable=False, default=""),
    Column("urgent", Boolean, nullable=False),
    Column("consent", Boolean, nullable=False),
    Column("description", Text, nullable=False),
    Column("applicant", Text, nullable=False),  # JSON: person, contacts, relation
    Column("subject", Text, nullable=False),    # JSON: person
    Column("submitted_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    Column("submitted_by", String(64), nullable=False, default=""),   # token subject of the submitter
    Column("submitter_role", String(32), nullable=False, default=""),
    Column("request_hash", String(64), nullable=False, default=""),   # SHA-256 of the request as received
    UniqueConstraint("submitted_by", "client_request_id", name="uq_appeals_caller_request"),
)

communities = Table(  # the communities appeals are routed to (КАТОТТГ); see migrations/m0004
    "communities",
    metadata,
    Column("code", String(19), primary_key=True),
    Column("name", Text, nullable=False),
)
