"""Persons, cases, the appeals of a case; outbox/inbox/dead letters."""

import sqlalchemy as sa

from ekm_platform.messaging_tables import create_messaging_tables


def upgrade(op):
    create_messaging_tables(op)
    op.create_table(
        "persons",
        sa.Column("person_id", sa.String(36), primary_key=True),
        sa.Column("rnokpp", sa.String(10), unique=True),
        sa.Column("unzr", sa.String(14), unique=True),
        sa.Column("last_name", sa.String(100), nullable=False),
        sa.Column("first_name", sa.String(100), nullable=False),
        sa.Column("patronymic", sa.String(100), nullable=False),
        sa.Column("birth_date", sa.String(10), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "cases",
        sa.Column("case_id", sa.String(36), primary_key=True),
        sa.Column("case_number", sa.String(20), nullable=False, unique=True),
        sa.Column("person_id", sa.String(36), nullable=False),
        sa.Column("stage", sa.String(16), nullable=False),
        sa.Column("screening_level", sa.String(16), nullable=False),
        sa.Column("community_code", sa.String(19), nullable=False),
        sa.Column("assigned_to", sa.String(64), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.BigInteger, nullable=False),
    )
    # A person is in at most one open case.
    op.create_index(
        "one_open_case_per_person",
        "cases",
        ["person_id"],
        unique=True,
        sqlite_where=sa.text("stage != 'closed'"),
        postgresql_where=sa.text("stage != 'closed'"),
    )
    op.create_index("cases_by_stage_community", "cases", ["stage", "community_code", "opened_at"])
    op.create_table(
        "case_appeals",
        sa.Column("appeal_id", sa.String(36), primary_key=True),
        sa.Column("case_id", sa.String(36), nullable=False, index=True),
        sa.Column("linked_at", sa.DateTime(timezone=True), nullable=False),
    )
