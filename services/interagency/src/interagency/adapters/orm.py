"""The interagency service's tables (SQLAlchemy Core). The schema itself is made by migrations/."""
from sqlalchemy import Column, MetaData, String, Table, Text

from ekm_platform.audit import audit_table
from ekm_platform.db import UtcDateTime
from ekm_platform.messaging_tables import messaging_tables

metadata = MetaData()
messaging_tables(metadata)
audit_log = audit_table(metadata)  # who created or read which referral (ekm audit-verify interagency)

referrals = Table(
    "referrals", metadata,
    Column("referral_id", String(36), primary_key=True),
    Column("case_number", String(20), nullable=False, index=True),
    Column("sector", String(20), nullable=False),
    Column("agency_code", String(8), nullable=False),
    Column("reason", Text, nullable=False),
    Column("state", String(12), nullable=False),
    Column("created_by", String(64), nullable=False),
    Column("client_request_id", String(64), unique=True),
    Column("created_at", UtcDateTime(), nullable=False),
)
