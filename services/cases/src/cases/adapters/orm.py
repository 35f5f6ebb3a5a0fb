"""The cases service's tables (SQLAlchemy Core). The schema itself is made by migrations/."""
from sqlalchemy import BigInteger, Column, MetaData, String, Table

from ekm_platform.db import UtcDateTime
from ekm_platform.messaging_tables import messaging_tables

metadata = MetaData()
messaging_tables(metadata)

persons = Table(
    "persons", metadata,
    Column("person_id", String(36), primary_key=True),
    Column("rnokpp", String(10), unique=True),
    Column("unzr", String(14), unique=True),
    Column("last_name", String(100), nullable=False),
    Column("first_name", String(100), nullable=False),
    Column("patronymic", String(100), nullable=False),
    Column("birth_date", String(10), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
)

cases = Table(
    "cases", metadata,
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
)

case_appeals = Table(
    "case_appeals", metadata,
    Column("appeal_id", String(36), primary_key=True),
    Column("case_id", String(36), nullable=False),
    Column("linked_at", UtcDateTime(), nullable=False),
)
