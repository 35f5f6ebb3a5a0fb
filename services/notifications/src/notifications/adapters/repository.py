"""The delivery log in the database."""

from __future__ import annotations

from dataclasses import asdict, fields

from sqlalchemy import bindparam, select, text, update
from sqlalchemy.orm import Session

from notifications.adapters.orm import deliveries
from notifications.adapters.outbound_store import OutboundStore
from notifications.domain.delivery import Delivery

_DELIVERY_FIELDS = tuple(f.name for f in fields(Delivery))
# INSERT … ON CONFLICT (dedupe_key) DO NOTHING, the same words on SQLite and PostgreSQL; as typed
# text, so that SQLAlchemy compiles it once (its dialect on_conflict constructs are compiled per call)
_INSERT_SQL = text(
    f"INSERT INTO deliveries ({', '.join(_DELIVERY_FIELDS)}) VALUES ({', '.join(':' + f for f in _DELIVERY_FIELDS)}) "
    "ON CONFLICT (dedupe_key) DO NOTHING"
).bindparams(*[bindparam(f, type_=deliveries.c[f].type) for f in _DELIVERY_FIELDS])
_INSERT_IF_NEW = {"sqlite": _INSERT_SQL, "postgresql": _INSERT_SQL}


class DeliveryRepository(OutboundStore):  # the pipeline's queries: adapters/outbound_store.py
    def __init__(self, session: Session):
        self.session = session

    @property
    def reminders(self):
        """Reminder rows with a due time (notifications.adapters.reminder_store)."""
        from notifications.adapters.reminder_store import Reminders

        return Reminders(self.session)

    def add(self, delivery: Delivery) -> None:
        self.session.execute(deliveries.insert(), asdict(delivery))

    def id_for_dedupe_key(self, dedupe_key: str) -> str | None:
        return self.session.execute(
            select(deliveries.c.delivery_id).where(deliveries.c.dedupe_key == dedupe_key)
        ).scalar()

    def add_notification(self, delivery: Delivery) -> str:
        """Insert a queued notification unless its dedupe key is stored already (INSERT … ON CONFLICT
        DO NOTHING: on PostgreSQL a concurrent transaction storing the same key first makes this
        one wait, then do nothing); returns the id stored under the key."""
        dialect = self.session.get_bind().dialect.name
        statement = _INSERT_IF_NEW.get(dialect)
        row = {f: getattr(delivery, f) for f in _DELIVERY_FIELDS}  # shallow: asdict deep-copies
        if statement is None:  # another database: look first (the unique index still guards)
            existing = self.id_for_dedupe_key(delivery.dedupe_key)
            if existing:
                return existing
            self.session.execute(deliveries.insert(), row)
            return delivery.delivery_id
        if self.session.execute(statement, row).rowcount:
            return delivery.delivery_id
        return self.id_for_dedupe_key(delivery.dedupe_key)

    def add_notifications(self, batch: list[Delivery]) -> dict[str, str]:
        """``add_notification`` for many: ``{dedupe_key: the id stored under it}``."""
        statement = _INSERT_IF_NEW.get(self.session.get_bind().dialect.name)
        if statement is None or len(batch) < 2:
            return {d.dedupe_key: self.add_notification(d) for d in batch}
        self.session.execute(statement, [{f: getattr(d, f) for f in _DELIVERY_FIELDS} for d in batch])
        keys, found = list(dict.fromkeys(d.dedupe_key for d in batch)), {}
        for start in range(0, len(keys), 500):
            found.update(
                self.session.execute(
                    select(deliveries.c.dedupe_key, deliveries.c.delivery_id).where(
                        deliveries.c.dedupe_key.in_(keys[start : start + 500])
                    )
                ).all()
            )
        return found

    def for_reference(self, reference: str) -> list[Delivery]:
        return self.for_references([reference])

    def for_references(self, references) -> list[Delivery]:
        rows = self.session.execute(
            select(deliveries)
            .where(deliveries.c.reference.in_(list(references)))
            .order_by(deliveries.c.created_at, deliveries.c.delivery_id)
        )
        return [Delivery(**row._asdict()) for row in rows]

    def for_purpose(self, reference: str, purpose: str) -> Delivery | None:
        row = self.session.execute(
            select(deliveries).where(deliveries.c.reference == reference, deliveries.c.purpose == purpose)
        ).first()
        return Delivery(**row._asdict()) if row else None

    def record_result(self, delivery: Delivery) -> None:
        """A claimed delivery, once its channel is chosen and the message handed over."""
        self.session.execute(
            update(deliveries)
            .where(deliveries.c.delivery_id == delivery.delivery_id)
            .values(
                channel=delivery.channel,
                status=delivery.status,
                recipient_masked=delivery.recipient_masked,
                locale=delivery.locale,
                provider_id=delivery.provider_id,
            )
        )
