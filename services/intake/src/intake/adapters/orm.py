"""Intake's tables (SQLAlchemy Core). The schema itself is made by migrations/."""

from sqlalchemy import BigInteger, Boolean, Column, Float, Integer, MetaData, String, Table, Text, UniqueConstraint

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
    Column("subject", Text, nullable=False),  # JSON: person
    Column("submitted_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    Column("submitted_by", String(64), nullable=False, default=""),  # token subject of the submitter
    Column("submitter_role", String(32), nullable=False, default=""),
    Column("request_hash", String(64), nullable=False, default=""),  # SHA-256 of the request as received
    Column("source_reference", String(200), nullable=False, default=""),  # call/visit number, bot conversation…
    Column("information_only", Boolean, nullable=False, default=False),
    Column("screening", Text, nullable=False, default=""),  # JSON: the decision in force and its fired rules
    # routing and near-duplicates (migrations/m0009)
    Column("region_code", String(19), nullable=False, default=""),
    Column("provider_code", String(40), nullable=False, default=""),
    Column("routing_basis", String(24), nullable=False, default=""),
    Column("routing_unit", String(19), nullable=False, default=""),
    Column("routing_reason", Text, nullable=False, default=""),
    Column("addresses", Text, nullable=False, default=""),  # JSON: registered and actual address
    Column("merged_into", String(36), nullable=False, default=""),
    Column("merged_into_tracking", String(32), nullable=False, default=""),
    Column("subject_rnokpp", String(10), nullable=False, default=""),
    Column("subject_unzr", String(14), nullable=False, default=""),
    Column("subject_birth_date", String(10), nullable=False, default=""),
    UniqueConstraint("submitted_by", "client_request_id", name="uq_appeals_caller_request"),
)

communities = Table(  # the communities appeals are routed to (КАТОТТГ); see migrations/m0004
    "communities",
    metadata,
    Column("code", String(19), primary_key=True),
    Column("name", Text, nullable=False),
)

appeal_history = Table(  # every screening decision and step of an appeal (migrations/m0006)
    "appeal_history",
    metadata,
    Column("seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("appeal_id", String(36), nullable=False, index=True),
    Column("at", UtcDateTime(), nullable=False),
    Column("kind", String(40), nullable=False),
    Column("actor_id", String(64), nullable=False),
    Column("actor_role", String(32), nullable=False),
    Column("text", Text, nullable=False),
    Column("details", Text, nullable=False),
)

consultations = Table(  # how an information-level appeal was answered (migrations/m0007)
    "consultations",
    metadata,
    Column("appeal_id", String(36), primary_key=True),
    Column("advice", Text, nullable=False),
    Column("topics", Text, nullable=False),
    Column("advised_by", String(64), nullable=False),
    Column("advised_by_role", String(32), nullable=False),
    Column("advised_at", UtcDateTime(), nullable=False),
)

providers = Table(  # providers of social services per served community (migrations/m0009)
    "providers",
    metadata,
    Column("code", String(40), primary_key=True),
    Column("name", Text, nullable=False),
    Column("community_code", String(19), nullable=False),
    Column("settlements", Text, nullable=False, default="[]"),
    Column("is_default", Boolean, nullable=False, default=False),
)

match_reviews = Table(  # uncertain person matches waiting for a reviewer (migrations/m0010)
    "match_reviews",
    metadata,
    Column("review_id", String(36), primary_key=True),
    Column("appeal_id", String(36), nullable=False, unique=True),
    Column("community_code", String(19), nullable=False),
    Column("candidates", Text, nullable=False),
    Column("best_score", Float, nullable=False),
    Column("state", String(16), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("decided_by", String(64), nullable=False, default=""),
    Column("decided_role", String(32), nullable=False, default=""),
    Column("decided_at", UtcDateTime()),
    Column("decided_person_id", String(36), nullable=False, default=""),
    Column("decision_reason", Text, nullable=False, default=""),
)
