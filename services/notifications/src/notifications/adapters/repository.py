"""The delivery log in the database."""
from __future__ import annotations

from dataclasses import asdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from notifications.adapters.orm import deliveries
from notifications.domain.delivery import Delivery


class DeliveryRepository:
    def __init__(self, session: Session):
        self.session = session

    def add(self, delivery: Delivery) -> None:
        self.session.execute(deliveries.insert(), asdict(delivery))

    def for_reference(self, reference: str) -> list[Delivery]:
        rows = self.session.execute(
            select(deliveries).where(deliveries.c.reference == reference).order_by(deliveries.c.created_at))
        return [Delivery(**row._asdict()) for row in rows]
