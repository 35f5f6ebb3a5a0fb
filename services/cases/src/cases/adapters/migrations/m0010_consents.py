"""Consent records (ISO/IEC TS 27560 shape): kept for ever, withdrawn but never deleted; a
transfer names the consent it moved the person's data under."""

import sqlalchemy as sa


def upgrade(op):
    op.create_table(
        "consents",
        sa.Column("consent_id", sa.String(36), primary_key=True),
        sa.Column("person_id", sa.String(36), nullable=False),
        sa.Column("case_id", sa.String(36), nullable=False, index=True),
        sa.Column("purpose", sa.String(32), nullable=False),
        sa.Column("recipient", sa.String(64), nullable=False),
        sa.Column("data_categories", sa.Text, nullable=False),  # JSON list
        sa.Column("legal_basis", sa.Text, nullable=False),
        sa.Column("given_by", sa.String(32), nullable=False),
        sa.Column("representative_name", sa.String(500), nullable=False),
        sa.Column("representative_basis", sa.String(500), nullable=False),
        sa.Column("method", sa.String(32), nullable=False),
        sa.Column("document_reference", sa.String(500), nullable=False),
        sa.Column("given_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(64), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True)),
        sa.Column("withdrawn_by", sa.String(64), nullable=False, server_default=""),
        sa.Column("withdrawal_reason", sa.Text, nullable=False, server_default=""),
    )
    op.create_index("ix_consents_person_purpose", "consents", ["person_id", "purpose", "recipient"])
    with op.batch_alter_table("transfers") as batch:
        batch.add_column(sa.Column("consent_id", sa.String(36), nullable=False, server_default=""))
