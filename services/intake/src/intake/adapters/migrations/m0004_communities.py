"""The communities intake routes appeals to (КАТОТТГ codes). An appeal whose community is
not here is refused, so that no case is opened that nobody owns. Seeded with the demo
community; a deployment adds its communities by a migration of its own (or an INSERT)."""

import sqlalchemy as sa

SEED = [{"code": "UA80000000000093317", "name": "м. Київ"}]


def upgrade(op):
    table = op.create_table(
        "communities",
        sa.Column("code", sa.String(19), primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
    )
    op.bulk_insert(table, SEED)
