"""A partner record pushed over X-Road (SOAP or REST inbound) keeps the request's X-Road
message id, user id, client and issue as evidence of who sent it, when and why."""

import sqlalchemy as sa


def upgrade(op):
    op.add_column("feed_records", sa.Column("xroad_id", sa.String(200), nullable=True))
    op.add_column("feed_records", sa.Column("xroad_user_id", sa.String(200), nullable=True))
    op.add_column("feed_records", sa.Column("xroad_client", sa.String(200), nullable=True))
    op.add_column("feed_records", sa.Column("xroad_issue", sa.String(200), nullable=True))
