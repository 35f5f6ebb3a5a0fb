"""Person details (contacts, veteran status, disability group, merges) and households."""

import sqlalchemy as sa


def upgrade(op):
    with op.batch_alter_table("persons") as batch:
        batch.add_column(sa.Column("phone", sa.String(20), nullable=False, server_default=""))
        batch.add_column(sa.Column("email", sa.String(200), nullable=False, server_default=""))
        batch.add_column(sa.Column("veteran_statuses", sa.Text, nullable=False, server_default="[]"))
        batch.add_column(sa.Column("disability_group", sa.Integer, nullable=False, server_default="0"))
        batch.add_column(sa.Column("merged_into", sa.String(36), nullable=False, server_default=""))
    op.create_table(
        "households",
        sa.Column("household_id", sa.String(36), primary_key=True),
        sa.Column("case_id", sa.String(36), nullable=False, unique=True),
        sa.Column("address", sa.Text, nullable=False),
        sa.Column("members", sa.Text, nullable=False),  # JSON: the Order 1005 family table
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
