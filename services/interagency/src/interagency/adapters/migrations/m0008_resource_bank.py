"""The community resource bank: offers with their remaining places (never below zero) and
bookings, which keep generalised attributes (community, age band) for de-identified reports."""

import sqlalchemy as sa


def upgrade(op):
    op.create_table(
        "resource_offers",
        sa.Column("offer_id", sa.String(36), primary_key=True),
        sa.Column("owner", sa.String(80), nullable=False, index=True),
        sa.Column("offerer_kind", sa.String(12), nullable=False),
        sa.Column("offerer_name", sa.String(200), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("description", sa.Text, nullable=False, server_default=""),
        sa.Column("service_type", sa.String(40), nullable=False),
        sa.Column("region", sa.String(4), nullable=False),
        sa.Column("community_code", sa.String(19), nullable=False, server_default=""),
        sa.Column("capacity", sa.Integer, nullable=False),
        sa.Column("remaining", sa.Integer, nullable=False),
        sa.Column("eligibility", sa.Text, nullable=False, server_default="{}"),
        sa.Column("valid_from", sa.String(10), nullable=False),
        sa.Column("valid_until", sa.String(10), nullable=False),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("remaining >= 0 AND remaining <= capacity", name="ck_resource_offers_remaining"),
    )
    op.create_index("ix_resource_offers_match", "resource_offers", ["service_type", "region", "state"])
    op.create_table(
        "resource_bookings",
        sa.Column("booking_id", sa.String(36), primary_key=True),
        sa.Column("offer_id", sa.String(36), nullable=False, index=True),
        sa.Column("case_number", sa.String(20), nullable=False, index=True),
        sa.Column("service_type", sa.String(40), nullable=False),
        sa.Column("community_code", sa.String(19), nullable=False),
        sa.Column("age_band", sa.String(12), nullable=False),
        sa.Column("booked_by", sa.String(64), nullable=False),
        sa.Column("client_request_id", sa.String(64)),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("booked_by", "client_request_id", name="uq_resource_bookings_request"),
    )
