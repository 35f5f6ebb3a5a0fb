"""Who submitted each appeal, and idempotency keys scoped per caller.

``submitted_by`` / ``submitter_role``: the token subject and role of the submitter (a
recipient sees the appeals they submitted). ``request_hash``: a SHA-256 of the request as
received, so a different request under a used key is refused. The unique key moves from
``client_request_id`` alone to (``submitted_by``, ``client_request_id``): two callers may
choose the same key."""

import sqlalchemy as sa

KEY = "uq_appeals_caller_request"


def _new_columns():
    return [
        sa.Column("submitted_by", sa.String(64), nullable=False, server_default=""),
        sa.Column("submitter_role", sa.String(32), nullable=False, server_default=""),
        sa.Column("request_hash", sa.String(64), nullable=False, server_default=""),
    ]


def _appeals_without_the_old_key() -> sa.Table:
    """The m0001 table as it stands, minus the unique key on client_request_id."""
    return sa.Table(
        "appeals",
        sa.MetaData(),
        sa.Column("appeal_id", sa.String(36), primary_key=True),
        sa.Column("tracking_number", sa.String(32), nullable=False, unique=True),
        sa.Column("client_request_id", sa.String(64)),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("screening_level", sa.String(16), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("case_number", sa.String(32), nullable=False),
        sa.Column("community_code", sa.String(19), nullable=False),
        sa.Column("urgent", sa.Boolean, nullable=False),
        sa.Column("consent", sa.Boolean, nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("applicant", sa.Text, nullable=False),
        sa.Column("subject", sa.Text, nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )


def upgrade(op):
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":  # SQLite cannot drop a constraint: the table is copied without it
        with op.batch_alter_table("appeals", recreate="always", copy_from=_appeals_without_the_old_key()) as batch:
            for column in _new_columns():
                batch.add_column(column)
            batch.create_unique_constraint(KEY, ["submitted_by", "client_request_id"])
        return
    for constraint in sa.inspect(bind).get_unique_constraints("appeals"):
        if constraint["column_names"] == ["client_request_id"]:
            op.drop_constraint(constraint["name"], "appeals", type_="unique")
    for column in _new_columns():
        op.add_column("appeals", column)
    op.create_unique_constraint(KEY, "appeals", ["submitted_by", "client_request_id"])
