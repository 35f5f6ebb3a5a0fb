"""The interagency service's tables (SQLAlchemy Core). The schema itself is made by migrations/."""

from sqlalchemy import Boolean, Column, Integer, MetaData, String, Table, Text

from ekm_platform.audit import audit_table
from ekm_platform.db import UtcDateTime
from ekm_platform.messaging_tables import messaging_tables

metadata = MetaData()
messaging_tables(metadata)
audit_log = audit_table(metadata)  # who created or read which referral (ekm audit-verify interagency)

referrals = Table(
    "referrals",
    metadata,
    Column("referral_id", String(36), primary_key=True),
    Column("case_number", String(20), nullable=False, index=True),
    Column("sector", String(20), nullable=False),
    Column("agency_code", String(8), nullable=False),
    Column("reason", Text, nullable=False),
    Column("state", String(12), nullable=False),
    Column("created_by", String(64), nullable=False),
    Column("client_request_id", String(64), unique=True),
    Column("created_at", UtcDateTime(), nullable=False),
    # the closed loop (m0005)
    Column("person_id", String(36), nullable=False, default=""),
    Column("action", Text, nullable=False, default=""),
    Column("respond_by", UtcDateTime()),
    Column("complete_by", String(10), nullable=False, default=""),
    Column("updated_at", UtcDateTime()),
    Column("outcome", Text, nullable=False, default=""),
    Column("success", Boolean),
    Column("rejection_reason", String(32), nullable=False, default=""),
    Column("version", Integer, nullable=False, default=1),
)

# Partner agencies: the reference table (m0005), loaded from deploy/demo/agencies.json by `ekm demo`
agencies = Table(
    "agencies",
    metadata,
    Column("agency_code", String(8), primary_key=True),
    Column("name", String(300), nullable=False),
    Column("sector", String(20), nullable=False, index=True),
    Column("community_code", String(19), nullable=False, index=True),
    Column("phone", String(20), nullable=False, default=""),
    Column("email", String(200), nullable=False, default=""),
    Column("active", Boolean, nullable=False, default=True),
)

# Every transition of a referral: when, by whom, why (m0005)
referral_transitions = Table(
    "referral_transitions",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("referral_id", String(36), nullable=False, index=True),
    Column("from_state", String(12), nullable=False),
    Column("to_state", String(12), nullable=False),
    Column("at", UtcDateTime(), nullable=False),
    Column("by_user", String(64), nullable=False),
    Column("by_role", String(20), nullable=False),
    Column("by_organisation", String(8), nullable=False, default=""),
    Column("reason_code", String(32), nullable=False, default=""),
    Column("note", Text, nullable=False, default=""),
)

# Case conferences (m0006): agenda, participants and decisions as JSON documents
conferences = Table(
    "conferences",
    metadata,
    Column("conference_id", String(36), primary_key=True),
    Column("case_number", String(20), nullable=False, index=True),
    Column("scheduled_at", UtcDateTime(), nullable=False),
    Column("agenda", Text, nullable=False),
    Column("participants", Text, nullable=False),
    Column("agency_codes", Text, nullable=False),  # " 12345678 87654321 ": found by an agency's code
    Column("organised_by", String(64), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("status", String(12), nullable=False),
    Column("decisions", Text, nullable=False, default="[]"),
    Column("concluded_at", UtcDateTime()),
    Column("concluded_by", String(64), nullable=False, default=""),
    Column("plan_version", Integer, nullable=False, default=0),
)

# The community resource bank (m0008): offers and bookings; remaining never below zero
resource_offers = Table(
    "resource_offers",
    metadata,
    Column("offer_id", String(36), primary_key=True),
    Column("owner", String(80), nullable=False, index=True),  # org:<code> or user:<id>
    Column("offerer_kind", String(12), nullable=False),
    Column("offerer_name", String(200), nullable=False),
    Column("title", String(200), nullable=False),
    Column("description", Text, nullable=False, default=""),
    Column("service_type", String(40), nullable=False),
    Column("region", String(4), nullable=False),
    Column("community_code", String(19), nullable=False, default=""),
    Column("capacity", Integer, nullable=False),
    Column("remaining", Integer, nullable=False),
    Column("eligibility", Text, nullable=False, default="{}"),
    Column("valid_from", String(10), nullable=False),
    Column("valid_until", String(10), nullable=False),
    Column("state", String(12), nullable=False),
    Column("created_by", String(64), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
)
resource_bookings = Table(
    "resource_bookings",
    metadata,
    Column("booking_id", String(36), primary_key=True),
    Column("offer_id", String(36), nullable=False, index=True),
    Column("case_number", String(20), nullable=False, index=True),
    Column("service_type", String(40), nullable=False),
    Column("community_code", String(19), nullable=False),  # generalised attributes for reports only
    Column("age_band", String(12), nullable=False),
    Column("booked_by", String(64), nullable=False),
    Column("client_request_id", String(64)),
    Column("state", String(12), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
)
