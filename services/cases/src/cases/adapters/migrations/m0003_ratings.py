"""Recipients' ratings of the services they received."""

import sqlalchemy as sa


def upgrade(op):
    op.create_table(
        "ratings",
        sa.Column("case_id", sa.String(36), primary_key=True),
        sa.Column("service_id", sa.String(64), primary_key=True),
        sa.Column("person_id", sa.String(36), nullable=False),
        sa.Column("community_code", sa.String(19), nullable=False, index=True),
        sa.Column("rating", sa.Integer, nullable=False),
        sa.Column("comment", sa.Text, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
