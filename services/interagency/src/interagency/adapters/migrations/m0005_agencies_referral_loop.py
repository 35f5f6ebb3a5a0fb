"""Partner agencies (the reference table), the referral's closed loop (need and action,
deadlines, outcome and success, rejection reason, a version for concurrent answers) and every
transition of a referral. Referrals stored before keep their rows: "sent" reads as in progress,
"declined" as rejected."""

import sqlalchemy as sa


def upgrade(op):
    op.create_table(
        "agencies",
        sa.Column("agency_code", sa.String(8), primary_key=True),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("sector", sa.String(20), nullable=False, index=True),
        sa.Column("community_code", sa.String(19), nullable=False, index=True),
        sa.Column("phone", sa.String(20), nullable=False, server_default=""),
        sa.Column("email", sa.String(200), nullable=False, server_default=""),
        sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
    )
    with op.batch_alter_table("referrals") as batch:
        batch.add_column(sa.Column("person_id", sa.String(36), nullable=False, server_default=""))
        batch.add_column(sa.Column("action", sa.Text, nullable=False, server_default=""))
        batch.add_column(sa.Column("respond_by", sa.DateTime(timezone=True)))
        batch.add_column(sa.Column("complete_by", sa.String(10), nullable=False, server_default=""))
        batch.add_column(sa.Column("updated_at", sa.DateTime(timezone=True)))
        batch.add_column(sa.Column("outcome", sa.Text, nullable=False, server_default=""))
        batch.add_column(sa.Column("success", sa.Boolean))
        batch.add_column(sa.Column("rejection_reason", sa.String(32), nullable=False, server_default=""))
        batch.add_column(sa.Column("version", sa.Integer, nullable=False, server_default="1"))
    op.execute("UPDATE referrals SET state = 'in_progress' WHERE state = 'sent'")
    op.execute("UPDATE referrals SET state = 'rejected' WHERE state = 'declined'")
    op.create_index("ix_referrals_agency_state", "referrals", ["agency_code", "state"])
    op.create_table(
        "referral_transitions",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("referral_id", sa.String(36), nullable=False, index=True),
        sa.Column("from_state", sa.String(12), nullable=False),
        sa.Column("to_state", sa.String(12), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("by_user", sa.String(64), nullable=False),
        sa.Column("by_role", sa.String(20), nullable=False),
        sa.Column("by_organisation", sa.String(8), nullable=False, server_default=""),
        sa.Column("reason_code", sa.String(32), nullable=False, server_default=""),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
    )
