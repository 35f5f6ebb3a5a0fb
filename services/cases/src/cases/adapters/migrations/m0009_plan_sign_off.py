"""Who agreed to a plan and through which channel, and when a supervisor approved it.

Plans agreed or approved before this migration get what their documents and cases
hold: the channel, the agreement time, the approver and, as who agreed, the person of the
case (both channels record that person). Their approval time was never kept and stays empty.
"""

import json
from datetime import datetime, timezone

import sqlalchemy as sa


def upgrade(op):
    with op.batch_alter_table("plans") as batch:
        batch.add_column(sa.Column("agreed_by", sa.String(64), nullable=False, server_default=""))
        batch.add_column(sa.Column("agreed_at", sa.DateTime(timezone=True)))
        batch.add_column(sa.Column("agreement_channel", sa.String(16), nullable=False, server_default=""))
        batch.add_column(sa.Column("approved_by", sa.String(64), nullable=False, server_default=""))
        batch.add_column(sa.Column("approved_at", sa.DateTime(timezone=True)))
    _backfill(op.get_bind())


def _utc(text):
    return datetime.fromisoformat(text).astimezone(timezone.utc) if text else None


def _backfill(conn):
    plans = sa.table(
        "plans",
        sa.column("case_id"),
        sa.column("version"),
        sa.column("document"),
        sa.column("agreed_by"),
        sa.column("agreed_at", sa.DateTime(timezone=True)),
        sa.column("agreement_channel"),
        sa.column("approved_by"),
    )
    cases = sa.table("cases", sa.column("case_id"), sa.column("person_id"))
    rows = conn.execute(
        sa.select(plans.c.case_id, plans.c.version, plans.c.document, cases.c.person_id).select_from(
            plans.outerjoin(cases, cases.c.case_id == plans.c.case_id)
        )
    ).all()
    for case_id, version, document, person_id in rows:
        data = json.loads(document)
        agreed_at = data.get("agreed_at") or ""
        if not (agreed_at or data.get("approved_by")):
            continue
        conn.execute(
            sa.update(plans)
            .where(plans.c.case_id == case_id, plans.c.version == version)
            .values(
                agreed_by=(person_id or "") if agreed_at else "",
                agreed_at=_utc(agreed_at),
                agreement_channel=data.get("agreement_channel") or "",
                approved_by=data.get("approved_by") or "",
            )
        )
