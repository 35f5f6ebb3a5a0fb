"""The cases service's tables (SQLAlchemy Core). The schema itself is made by migrations/."""

from sqlalchemy import BigInteger, Boolean, Column, Integer, MetaData, Numeric, String, Table, Text

from ekm_platform.audit import audit_table
from ekm_platform.db import UtcDateTime
from ekm_platform.messaging_tables import messaging_tables

metadata = MetaData()
messaging_tables(metadata)
audit_log = audit_table(metadata)
ID = BigInteger().with_variant(Integer, "sqlite")

persons = Table(
    "persons",
    metadata,
    Column("person_id", String(36), primary_key=True),
    Column("rnokpp", String(10), unique=True),
    Column("unzr", String(14), unique=True),
    Column("last_name", String(100), nullable=False),
    Column("first_name", String(100), nullable=False),
    Column("patronymic", String(100), nullable=False),
    Column("birth_date", String(10), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("phone", String(20), nullable=False, default=""),
    Column("email", String(200), nullable=False, default=""),
    Column("veteran_statuses", Text, nullable=False, default="[]"),
    Column("disability_group", Integer, nullable=False, default=0),
    Column("merged_into", String(36), nullable=False, default=""),
    Column("search_name", String(320), nullable=False, default=""),  # cases.domain.search.search_key
)

cases = Table(
    "cases",
    metadata,
    Column("case_id", String(36), primary_key=True),
    Column("case_number", String(20), nullable=False, unique=True),
    Column("person_id", String(36), nullable=False),
    Column("stage", String(16), nullable=False),
    Column("screening_level", String(16), nullable=False),
    Column("community_code", String(19), nullable=False),
    Column("assigned_to", String(64), nullable=False),
    Column("opened_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    Column("version", BigInteger, nullable=False),
    Column("complexity", String(8), nullable=False, default=""),
    Column("outcome", String(16), nullable=False, default=""),
    Column("stage_entered_at", UtcDateTime()),
    Column("assignment_explanation", Text, nullable=False, default=""),
    Column("closure_requested", String(16), nullable=False, default=""),
)

case_appeals = Table(
    "case_appeals",
    metadata,
    Column("appeal_id", String(36), primary_key=True),
    Column("case_id", String(36), nullable=False),
    Column("linked_at", UtcDateTime(), nullable=False),
)

stage_changes = Table(
    "stage_changes",
    metadata,
    Column("seq", ID, primary_key=True, autoincrement=True),
    Column("case_id", String(36), nullable=False),
    Column("from_stage", String(16), nullable=False),
    Column("to_stage", String(16), nullable=False),
    Column("actor_id", String(64), nullable=False),
    Column("actor_role", String(32), nullable=False),
    Column("at", UtcDateTime(), nullable=False),
    Column("reason", Text, nullable=False),
    Column("outcome", String(16), nullable=False),
)

assessments = Table(
    "assessments",
    metadata,
    Column("case_id", String(36), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("status", String(12), nullable=False),
    Column("document", Text, nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
)

plans = Table(
    "plans",
    metadata,
    Column("case_id", String(36), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("agreed", Boolean, nullable=False),
    Column("document", Text, nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    Column("agreed_by", String(64), nullable=False, default=""),
    Column("agreed_at", UtcDateTime()),
    Column("agreement_channel", String(16), nullable=False, default=""),
    Column("approved_by", String(64), nullable=False, default=""),
    Column("approved_at", UtcDateTime()),
)

reviews = Table(
    "reviews",
    metadata,
    Column("seq", ID, primary_key=True, autoincrement=True),
    Column("case_id", String(36), nullable=False),
    Column("held_on", String(10), nullable=False),
    Column("document", Text, nullable=False),
)

case_managers = Table(
    "case_managers",
    metadata,
    Column("manager_id", String(64), primary_key=True),
    Column("community_code", String(19), nullable=False),
    Column("capacity", Integer, nullable=False),
    Column("skills", Text, nullable=False),
    Column("supervisor_id", String(64), nullable=False),
    Column("on_duty", Boolean, nullable=False, default=False),  # the duty roster (m0015)
)

history = Table(
    "history",
    metadata,
    Column("seq", ID, primary_key=True, autoincrement=True),
    Column("person_id", String(36), nullable=False),
    Column("at", UtcDateTime(), nullable=False),
    Column("kind", String(64), nullable=False),
    Column("reference", String(64), nullable=False),
    Column("summary", Text, nullable=False),
    Column("source", String(64), nullable=False),
    Column("source_id", String(128), unique=True),
    Column("erroneous_at", UtcDateTime()),  # marked erroneous by a supervisor: kept, flagged
    Column("erroneous_by", String(64), nullable=False, default=""),
    Column("erroneous_reason", Text, nullable=False, default=""),
)

ratings = Table(
    "ratings",
    metadata,
    Column("case_id", String(36), primary_key=True),
    Column("service_id", String(64), primary_key=True),
    Column("person_id", String(36), nullable=False),
    Column("community_code", String(19), nullable=False),
    Column("rating", Integer, nullable=False),
    Column("comment", Text, nullable=False),
    Column("at", UtcDateTime(), nullable=False),
)

contracts = Table(
    "contracts",
    metadata,
    Column("contract_id", String(36), primary_key=True),
    Column("case_id", String(36), nullable=False),
    Column("service_id", String(64), nullable=False),
    Column("provider", String(200), nullable=False),
    Column("service_type", String(64), nullable=False),
    Column("free_of_charge", Boolean, nullable=False),
    Column("amount", Numeric(12, 2), nullable=False),
    Column("explanation", Text, nullable=False),
    Column("rules_version", String(32), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("categories", Text, nullable=False, default="[]"),  # JSON: the categories the fee used
    Column("tariff", Numeric(12, 2), nullable=False, default=0),
    Column("created_by", String(64), nullable=False, default=""),
    Column("status", String(12), nullable=False, default="draft"),
)

transfers = Table(
    "transfers",
    metadata,
    Column("transfer_id", String(36), primary_key=True),
    Column("case_id", String(36), nullable=False),
    Column("from_manager_id", String(64), nullable=False),
    Column("to_manager_id", String(64), nullable=False),
    Column("to_community_code", String(19), nullable=False),
    Column("to_provider", String(200), nullable=False),
    Column("consent_recorded", Boolean, nullable=False),
    Column("reason", Text, nullable=False),
    Column("state", String(12), nullable=False),
    Column("requested_by", String(64), nullable=False),
    Column("requested_at", UtcDateTime(), nullable=False),
    Column("accepted_at", UtcDateTime()),
    Column("consent_id", String(36), nullable=False, default=""),
)

consents = Table(
    "consents",
    metadata,
    Column("consent_id", String(36), primary_key=True),
    Column("person_id", String(36), nullable=False),
    Column("case_id", String(36), nullable=False),
    Column("purpose", String(32), nullable=False),
    Column("recipient", String(64), nullable=False),
    Column("data_categories", Text, nullable=False),
    Column("legal_basis", Text, nullable=False),
    Column("given_by", String(32), nullable=False),
    Column("representative_name", String(500), nullable=False),
    Column("representative_basis", String(500), nullable=False),
    Column("method", String(32), nullable=False),
    Column("document_reference", String(500), nullable=False),
    Column("given_at", UtcDateTime(), nullable=False),
    Column("expires_at", UtcDateTime(), nullable=False),
    Column("recorded_by", String(64), nullable=False),
    Column("recorded_at", UtcDateTime(), nullable=False),
    Column("withdrawn_at", UtcDateTime()),
    Column("withdrawn_by", String(64), nullable=False, default=""),
    Column("withdrawal_reason", Text, nullable=False, default=""),
)

households = Table(
    "households",
    metadata,
    Column("household_id", String(36), primary_key=True),
    Column("case_id", String(36), nullable=False, unique=True),
    Column("address", Text, nullable=False),
    Column("members", Text, nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
)

plan_steps = Table(
    "plan_steps",
    metadata,
    Column("case_id", String(36), primary_key=True),
    Column("step_id", String(64), primary_key=True),
    Column("due_on", String(10), nullable=False),
    Column("status", String(12), nullable=False),
    Column("responsible_kind", String(16), nullable=False),
)

step_reminders = Table(
    "step_reminders",
    metadata,
    Column("case_id", String(36), primary_key=True),
    Column("step_id", String(64), primary_key=True),
    Column("kind", String(8), primary_key=True),
    Column("sent_at", UtcDateTime(), nullable=False),
)

review_reminders = Table(  # m0019: reviews announced as due, once per case and due date
    "review_reminders",
    metadata,
    Column("case_id", String(36), primary_key=True),
    Column("due_on", String(10), primary_key=True),
    Column("sent_at", UtcDateTime(), nullable=False),
)
