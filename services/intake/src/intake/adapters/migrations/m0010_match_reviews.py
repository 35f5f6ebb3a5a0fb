"""The manual review queue of uncertain person matches.

``match_reviews``: one per appeal whose subject cases could neither link for sure nor call new
(a score between the bands): the community it waits in, the candidates (JSON: person id, score,
band, reasons — identifiers and scores only; names are read from cases when a reviewer opens it),
and the decision (who, role, when, the person chosen or "" for a new person, the reason)."""

import sqlalchemy as sa


def upgrade(op):
    op.create_table(
        "match_reviews",
        sa.Column("review_id", sa.String(36), primary_key=True),
        sa.Column("appeal_id", sa.String(36), nullable=False, unique=True),
        sa.Column("community_code", sa.String(19), nullable=False, index=True),
        sa.Column("candidates", sa.Text, nullable=False),
        sa.Column("best_score", sa.Float, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.String(64), nullable=False, server_default=""),
        sa.Column("decided_role", sa.String(32), nullable=False, server_default=""),
        sa.Column("decided_at", sa.DateTime(timezone=True)),
        sa.Column("decided_person_id", sa.String(36), nullable=False, server_default=""),
        sa.Column("decision_reason", sa.Text, nullable=False, server_default=""),
    )
