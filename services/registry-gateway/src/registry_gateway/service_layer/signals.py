"""Registry feeds: new signals (a service member returned, …) become canonical events once
each; the person's identity stays in the gateway and is given only to authorised services."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import select, update

from ekm_platform.errors import NotFound
from ekm_platform.unit_of_work import UnitOfWork
from registry_gateway.adapters.orm import feed_cursors, registry_signals
from registry_gateway.domain.facts import RETURNED_FROM_SERVICE

RETURNS_FEED = "border_guard.new_returns"
FIRST_LOOKBACK = timedelta(days=60)

# ``fetch(since) -> (records, xroad id, response hash)``; records carry source_id and occurred_on
FeedPort = Callable[[date], tuple]


def poll_new_returns(uow: UnitOfWork, fetch: FeedPort, today: date | None = None) -> int:
    today = today or date.today()
    position = uow.session.execute(select(feed_cursors.c.position).where(feed_cursors.c.feed == RETURNS_FEED)).scalar()
    since = date.fromisoformat(position) if position else today - FIRST_LOOKBACK
    records, _, _ = fetch(since)  # the network call comes before any write
    known = (
        set(
            uow.session.execute(
                select(registry_signals.c.source_id).where(
                    registry_signals.c.registry == "border_guard",
                    registry_signals.c.source_id.in_([r["source_id"] for r in records]),
                )
            ).scalars()
        )
        if records
        else set()
    )
    added, latest = 0, since
    for record in records:
        occurred = record["occurred_on"]
        latest = max(latest, occurred)
        if record["source_id"] in known:
            continue
        signal_id = str(uuid.uuid4())
        subject = {k: record.get(k, "") for k in ("rnokpp", "unzr", "last_name", "first_name")}
        uow.session.execute(
            registry_signals.insert(),
            dict(
                signal_id=signal_id,
                registry="border_guard",
                kind=RETURNED_FROM_SERVICE,
                source_id=record["source_id"],
                subject=json.dumps(subject, ensure_ascii=False),
                occurred_on=occurred.isoformat(),
                received_at=datetime.now(timezone.utc),
            ),
        )
        uow.publish(
            RETURNED_FROM_SERVICE,
            {"signal_id": signal_id, "registry": "border_guard", "occurred_on": occurred.isoformat()},
        )
        added += 1
    values = {"position": latest.isoformat()}
    if position is None:
        uow.session.execute(feed_cursors.insert(), dict(feed=RETURNS_FEED, **values))
    else:
        uow.session.execute(update(feed_cursors).where(feed_cursors.c.feed == RETURNS_FEED).values(**values))
    uow.commit()
    return added


def signal_subject(uow: UnitOfWork, signal_id: str) -> dict:
    row = uow.session.execute(select(registry_signals).where(registry_signals.c.signal_id == signal_id)).first()
    if row is None:
        raise NotFound("Сигнал не знайдено / signal not found")
    return {"signal_id": signal_id, "kind": row.kind, "occurred_on": row.occurred_on, "person": json.loads(row.subject)}
