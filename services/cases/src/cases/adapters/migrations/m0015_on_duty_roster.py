"""The duty roster: ``case_managers.on_duty`` marks the case managers who take their
community's crisis cases at once (intake's screening outcome ``crisis``)."""

import sqlalchemy as sa


def upgrade(op):
    with op.batch_alter_table("case_managers") as batch:
        batch.add_column(sa.Column("on_duty", sa.Boolean, nullable=False, server_default=sa.false()))
