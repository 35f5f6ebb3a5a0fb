"""The gateway's hash-chained audit log; evidence that names the consent it relied on and
that records a cache hit as a cache hit (pointing at the original exchange)."""

import sqlalchemy as sa

from ekm_platform.audit import create_audit_log


def upgrade(op):
    create_audit_log(op)
    with op.batch_alter_table("evidence") as batch:
        batch.add_column(sa.Column("consent_id", sa.String(36), nullable=False, server_default=""))
        batch.add_column(sa.Column("from_cache", sa.Boolean, nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("original_query_id", sa.String(36), nullable=False, server_default=""))
