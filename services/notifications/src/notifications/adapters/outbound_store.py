"""The outbound pipeline's queries (a mixin of ``DeliveryRepository``): claiming due notifications,
recording each attempt, preferences, the rate limit's history and the in-app inbox."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import and_, bindparam, func, or_, select, update

from notifications.adapters.orm import audit_log, deliveries, delivery_attempts, inbox_items, notification_preferences
from notifications.domain.delivery import Delivery
from notifications.domain.policy import Preferences


class OutboundStore:
    session = None  # set by the repository

    # the queue ---------------------------------------------------------------
    def claim_due(self, now: datetime, limit: int, lease_until: datetime, token: str) -> list[Delivery]:
        """Up to ``limit`` due, unclaimed (or lease expired) notifications, claimed for ``token``.
        On PostgreSQL the candidates are locked with ``FOR UPDATE SKIP LOCKED``, so several
        dispatchers take disjoint batches; on SQLite the conditional UPDATE (one writer at a
        time) makes the claim safe. The caller commits."""
        free = and_(
            deliveries.c.status == "queued",
            deliveries.c.due_at <= now,
            or_(deliveries.c.claimed_until.is_(None), deliveries.c.claimed_until < now),
        )
        ids = list(
            self.session.execute(
                select(deliveries.c.delivery_id)
                .where(free)
                .order_by(deliveries.c.due_at)
                .limit(limit)
                .with_for_update(skip_locked=True)
            ).scalars()
        )
        if not ids:
            return []
        self.session.execute(
            update(deliveries)
            .where(deliveries.c.delivery_id.in_(ids), free)
            .values(claimed_by=token, claimed_until=lease_until)
        )
        rows = self.session.execute(
            select(deliveries).where(deliveries.c.delivery_id.in_(ids), deliveries.c.claimed_by == token)
        )
        return [Delivery(**row._asdict()) for row in rows]

    def finish(self, delivery_id: str, token: str, values: dict, attempts: list[dict], inbox: dict | None) -> bool:
        """Record what became of a claimed notification (and release the claim) — False when the
        claim had been lost (its lease ran out and another dispatcher took it)."""
        done = self.session.execute(
            update(deliveries)
            .where(deliveries.c.delivery_id == delivery_id, deliveries.c.claimed_by == token)
            .values(claimed_by="", claimed_until=None, **values)
        ).rowcount
        if attempts:
            self.session.execute(delivery_attempts.insert(), attempts)
        if inbox is not None and done:
            self.session.execute(inbox_items.insert(), inbox)
        return bool(done)

    FINISH_COLUMNS = (
        "status",
        "error",
        "due_at",
        "attempts",
        "channel",
        "recipient_masked",
        "locale",
        "provider_id",
        "sent_at",
    )

    def finish_many(
        self, token: str, outcomes: list[tuple[Delivery, dict, list[dict], dict | None]], audit_rows: list[dict]
    ) -> None:
        """``finish`` for a whole batch in a few statements (one UPDATE executed for many rows, one
        INSERT of all attempts, one of the audit entries). Outcomes with an inbox item go one by
        one: the item is written only while the claim is held."""
        plain = [(d, values, attempts) for d, values, attempts, inbox in outcomes if inbox is None]
        if plain:
            self.session.execute(
                _FINISH,
                [
                    {
                        "b_id": d.delivery_id,
                        "b_token": token,
                        "claimed_by": "",
                        "claimed_until": None,
                        **{c: values.get(c, getattr(d, c)) for c in self.FINISH_COLUMNS},
                    }
                    for d, values, _ in plain
                ],
            )
            rows = [a for _, _, attempts in plain for a in attempts]
            if rows:
                self.session.execute(delivery_attempts.insert(), rows)
        for d, values, attempts, inbox in outcomes:
            if inbox is not None:
                self.finish(d.delivery_id, token, values, attempts, inbox)
        if audit_rows:
            self.session.execute(audit_log.insert(), audit_rows)

    def attempts_for(self, delivery_ids) -> dict[str, list[dict]]:
        found: dict[str, list[dict]] = {}
        ids = list(delivery_ids)
        if not ids:
            return found
        rows = self.session.execute(
            select(delivery_attempts)
            .where(delivery_attempts.c.delivery_id.in_(ids))
            .order_by(delivery_attempts.c.delivery_id, delivery_attempts.c.attempt_no, delivery_attempts.c.at)
        )
        for row in rows:
            found.setdefault(row.delivery_id, []).append(row._asdict())
        return found

    def get_delivery(self, delivery_id: str) -> Delivery | None:
        row = self.session.execute(select(deliveries).where(deliveries.c.delivery_id == delivery_id)).first()
        return Delivery(**row._asdict()) if row else None

    def sent_times(self, recipients, since: datetime) -> dict[tuple[str, str], list[datetime]]:
        """When each recipient was last sent something (for the rate limit), since ``since``."""
        found: dict[tuple[str, str], list[datetime]] = {}
        for kind in {k for k, _ in recipients}:
            ids = [i for k, i in recipients if k == kind]
            rows = self.session.execute(
                select(deliveries.c.recipient_id, deliveries.c.sent_at).where(
                    deliveries.c.recipient_kind == kind,
                    deliveries.c.recipient_id.in_(ids),
                    deliveries.c.sent_at >= since,
                    deliveries.c.channel != "inbox",
                )
            )
            for recipient_id, sent_at in rows:
                found.setdefault((kind, recipient_id), []).append(sent_at)
        return found

    # preferences ---------------------------------------------------------------
    def preferences_of(self, recipients) -> dict[tuple[str, str], Preferences]:
        found: dict[tuple[str, str], Preferences] = {}
        for kind in {k for k, _ in recipients}:
            ids = [i for k, i in recipients if k == kind]
            for row in self.session.execute(
                select(notification_preferences).where(
                    notification_preferences.c.recipient_kind == kind, notification_preferences.c.recipient_id.in_(ids)
                )
            ):
                found[(kind, row.recipient_id)] = _preferences(row)
        return found

    def save_preferences(self, kind: str, recipient_id: str, prefs: Preferences, now: datetime) -> None:
        values = dict(
            channel_order=json.dumps(list(prefs.channel_order)),
            opted_out=json.dumps(sorted(prefs.opted_out)),
            quiet_start=prefs.quiet_start,
            quiet_end=prefs.quiet_end,
            timezone=prefs.timezone,
            updated_at=now,
        )
        changed = self.session.execute(
            update(notification_preferences)
            .where(
                notification_preferences.c.recipient_kind == kind,
                notification_preferences.c.recipient_id == recipient_id,
            )
            .values(**values)
        ).rowcount
        if not changed:
            self.session.execute(
                notification_preferences.insert(), dict(recipient_kind=kind, recipient_id=recipient_id, **values)
            )

    # the in-app inbox ----------------------------------------------------------------
    def inbox_of(self, manager_id: str, unread_only: bool, limit: int) -> tuple[list[dict], int]:
        query = select(inbox_items).where(inbox_items.c.manager_id == manager_id)
        if unread_only:
            query = query.where(inbox_items.c.read_at.is_(None))
        rows = [
            r._asdict()
            for r in self.session.execute(
                query.order_by(inbox_items.c.created_at.desc(), inbox_items.c.item_id).limit(limit)
            )
        ]
        unread = self.session.execute(
            select(func.count())
            .select_from(inbox_items)
            .where(inbox_items.c.manager_id == manager_id, inbox_items.c.read_at.is_(None))
        ).scalar()
        return rows, int(unread or 0)

    def inbox_owners(self, item_ids) -> dict[str, str]:
        return dict(
            self.session.execute(
                select(inbox_items.c.item_id, inbox_items.c.manager_id).where(inbox_items.c.item_id.in_(list(item_ids)))
            ).all()
        )

    def mark_inbox_read(self, manager_id: str, item_ids, now: datetime) -> int:
        return self.session.execute(
            update(inbox_items)
            .where(
                inbox_items.c.manager_id == manager_id,
                inbox_items.c.item_id.in_(list(item_ids)),
                inbox_items.c.read_at.is_(None),
            )
            .values(read_at=now)
        ).rowcount


_FINISH = (
    update(deliveries)
    .where(deliveries.c.delivery_id == bindparam("b_id"), deliveries.c.claimed_by == bindparam("b_token"))
    .values({c: bindparam(c) for c in ("claimed_by", "claimed_until", *OutboundStore.FINISH_COLUMNS)})
)


def _preferences(row) -> Preferences:
    return Preferences(
        channel_order=tuple(json.loads(row.channel_order or "[]")),
        opted_out=frozenset(json.loads(row.opted_out or "[]")),
        quiet_start=row.quiet_start,
        quiet_end=row.quiet_end,
        timezone=row.timezone,
    )
