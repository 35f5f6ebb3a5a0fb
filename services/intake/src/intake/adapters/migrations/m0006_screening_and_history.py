"""Channels' source references, screening decisions with the rules that fired, and each
appeal's history.

``appeals.source_reference``: where the appeal came from (a call or visit number, a chat-bot
conversation, an agency's referral number). ``appeals.information_only``: the applicant asked
for information only. ``appeals.screening``: the decision in force (JSON: outcome, rules
version, fired rules, who decided and why). ``appeal_history``: every decision and step,
oldest first (accepted with the rules' decision, overridden with a reason, consulted, case
opened). Appeals stored before this migration keep an empty screening (their level stays)."""

import sqlalchemy as sa


def upgrade(op):
    with op.batch_alter_table("appeals") as batch:
        batch.add_column(sa.Column("source_reference", sa.String(200), nullable=False, server_default=""))
        batch.add_column(sa.Column("information_only", sa.Boolean, nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("screening", sa.Text, nullable=False, server_default=""))
    op.create_table(
        "appeal_history",
        sa.Column("seq", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True, autoincrement=True),
        sa.Column("appeal_id", sa.String(36), nullable=False, index=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("actor_id", sa.String(64), nullable=False),
        sa.Column("actor_role", sa.String(32), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("details", sa.Text, nullable=False),  # JSON: a screening decision, a case number
    )
