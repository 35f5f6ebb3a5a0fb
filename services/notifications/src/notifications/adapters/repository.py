"""The delivery log in the database."""
from __future__ import annotations

from dataclasses import asdict

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from notifications.adapters.orm import deliveries
from notifications.adapters.outbound_store import OutboundStore
from notifications.domain.delivery import Delivery


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
        return self.session.execute(select(deliveries.c.delivery_id)
                                    .where(deliveries.c.dedupe_key == dedupe_key)).scalar()

    def add_notification(self, delivery: Delivery) -> str:
        """Insert a queued notification; when a concurrent transaction stored the same dedupe key
        first (it waits on the unique index), the first one's id (a savepoint keeps the caller's
        transaction usable)."""
        if self.session.get_bind().dialect.name == "sqlite":  # one writer at a time: the check before it holds
            self.session.execute(deliveries.insert(), asdict(delivery))  # (pysqlite savepoints would commit)
            return delivery.delivery_id
        try:
            with self.session.begin_nested():
                self.session.execute(deliveries.insert(), asdict(delivery))
        except IntegrityError:
            existing = self.id_for_dedupe_key(delivery.dedupe_key)
            if existing is None:
                raise
            return existing
        return delivery.delivery_id

    def for_reference(self, reference: str) -> list[Delivery]:
        return self.for_references([reference])

    def for_references(self, references) -> list[Delivery]:
        rows = self.session.execute(
            select(deliveries).where(deliveries.c.reference.in_(list(references)))
            .order_by(deliveries.c.created_at, deliveries.c.delivery_id))
        return [Delivery(**row._asdict()) for row in rows]

    def for_purpose(self, reference: str, purpose: str) -> Delivery | None:
        row = self.session.execute(select(deliveries).where(
            deliveries.c.reference == reference, deliveries.c.purpose == purpose)).first()
        return Delivery(**row._asdict()) if row else None

    def record_result(self, delivery: Delivery) -> None:
        """A claimed delivery, once its channel is chosen and the message handed over."""
        self.session.execute(update(deliveries).where(deliveries.c.delivery_id == delivery.delivery_id).values(
            channel=delivery.channel, status=delivery.status, recipient_masked=delivery.recipient_masked,
            locale=delivery.locale, provider_id=delivery.provider_id))
