"""One delivery per (reference, purpose): a re-sent event (a new event id for the same appeal)
finds the delivery already logged and sends nothing. Deliveries logged before this migration get
their purpose where it is unambiguous — the first acknowledgement of each appeal; duplicates sent
before (the defect this fixes) keep a NULL purpose, which the unique index allows."""

import sqlalchemy as sa

ACKNOWLEDGEMENT = "appeal.acknowledgement"


def upgrade(op):
    op.add_column("deliveries", sa.Column("purpose", sa.String(64), nullable=True))
    op.execute(
        sa.text(
            "UPDATE deliveries SET purpose = :purpose WHERE delivery_id IN ("
            " SELECT d.delivery_id FROM deliveries d WHERE d.template LIKE 'appeal.accepted%' AND NOT EXISTS ("
            "  SELECT 1 FROM deliveries e WHERE e.reference = d.reference AND e.template LIKE 'appeal.accepted%'"
            "   AND (e.created_at < d.created_at OR (e.created_at = d.created_at AND e.delivery_id < d.delivery_id))))"
        ).bindparams(purpose=ACKNOWLEDGEMENT)
    )
    op.create_index("uq_deliveries_reference_purpose", "deliveries", ["reference", "purpose"], unique=True)
