"""The case-management core: stage history, assessments, plans, reviews, case managers,
social history, ratings, and the audit log of personal data."""

import sqlalchemy as sa

from ekm_platform.audit import create_audit_log

ID = sa.BigInteger().with_variant(sa.Integer, "sqlite")


def upgrade(op):
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("complexity", sa.String(8), nullable=False, server_default=""))
        batch.add_column(sa.Column("outcome", sa.String(16), nullable=False, server_default=""))
        batch.add_column(sa.Column("stage_entered_at", sa.DateTime(timezone=True)))
        batch.add_column(sa.Column("assignment_explanation", sa.Text, nullable=False, server_default=""))
    op.execute("UPDATE cases SET stage_entered_at = opened_at")
    op.create_index("cases_worklist", "cases", ["assigned_to", "stage", "opened_at"])
    op.create_table(
        "stage_changes",
        sa.Column("seq", ID, primary_key=True, autoincrement=True),
        sa.Column("case_id", sa.String(36), nullable=False, index=True),
        sa.Column("from_stage", sa.String(16), nullable=False),
        sa.Column("to_stage", sa.String(16), nullable=False),
        sa.Column("actor_id", sa.String(64), nullable=False),
        sa.Column("actor_role", sa.String(32), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
    )
    op.create_table(
        "assessments",
        sa.Column("case_id", sa.String(36), primary_key=True),
        sa.Column("version", sa.Integer, primary_key=True),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("document", sa.Text, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "plans",
        sa.Column("case_id", sa.String(36), primary_key=True),
        sa.Column("version", sa.Integer, primary_key=True),
        sa.Column("agreed", sa.Boolean, nullable=False),
        sa.Column("document", sa.Text, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "reviews",
        sa.Column("seq", ID, primary_key=True, autoincrement=True),
        sa.Column("case_id", sa.String(36), nullable=False, index=True),
        sa.Column("held_on", sa.String(10), nullable=False),
        sa.Column("document", sa.Text, nullable=False),
    )
    op.create_table(
        "case_managers",
        sa.Column("manager_id", sa.String(64), primary_key=True),
        sa.Column("community_code", sa.String(19), nullable=False, index=True),
        sa.Column("capacity", sa.Integer, nullable=False),
        sa.Column("skills", sa.Text, nullable=False),
        sa.Column("supervisor_id", sa.String(64), nullable=False),
    )
    op.create_table(
        "history",
        sa.Column("seq", ID, primary_key=True, autoincrement=True),
        sa.Column("person_id", sa.String(36), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("reference", sa.String(64), nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("source", sa.String(64), nullable=False),
        sa.Column("source_id", sa.String(128), unique=True),  # registry events apply once
    )
    op.create_index("history_by_person", "history", ["person_id", "at"])
    create_audit_log(op)
