"""Offers and bookings of the resource bank in the database.

``take_place`` is the one statement that decides a booking: a conditional UPDATE that
decrements ``remaining`` only while it is above zero (and the offer active and valid), so two
callers can never both take the last place — on PostgreSQL the row lock the UPDATE takes makes
the second wait and then re-check the condition on the new row; on SQLite the write lock
serialises writers. It is the first statement of its transaction (SQLite: a transaction that
read first could not upgrade to a writer under contention)."""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import and_, func, select, update
from sqlalchemy.orm import Session

from interagency.adapters.orm import resource_bookings, resource_offers
from interagency.domain.resources import Booking, Eligibility, Offer


def _offer(row) -> Offer:
    data = row._asdict()
    eligibility = json.loads(data.pop("eligibility") or "{}")
    data.update(
        valid_from=date.fromisoformat(row.valid_from),
        valid_until=date.fromisoformat(row.valid_until),
        eligibility=Eligibility(
            tuple(eligibility.get("veteran_statuses", ())),
            tuple(eligibility.get("age_bands", ())),
            tuple(eligibility.get("disability_groups", ())),
            bool(eligibility.get("disability_required", False)),
        ),
    )
    return Offer(**data)


def _booking(row) -> Booking:
    data = row._asdict()
    data["client_request_id"] = row.client_request_id or ""
    return Booking(**data)


class ResourceStore:
    def __init__(self, session: Session):
        self.session = session

    # offers ----------------------------------------------------------------------------------
    def add_offer(self, offer: Offer) -> None:
        e = offer.eligibility
        self.session.execute(
            resource_offers.insert(),
            dict(
                offer_id=offer.offer_id,
                owner=offer.owner,
                offerer_kind=offer.offerer_kind,
                offerer_name=offer.offerer_name,
                title=offer.title,
                description=offer.description,
                service_type=offer.service_type,
                region=offer.region,
                community_code=offer.community_code,
                capacity=offer.capacity,
                remaining=offer.remaining,
                eligibility=json.dumps(
                    {
                        "veteran_statuses": list(e.veteran_statuses),
                        "age_bands": list(e.age_bands),
                        "disability_groups": list(e.disability_groups),
                        "disability_required": e.disability_required,
                    }
                ),
                valid_from=offer.valid_from.isoformat(),
                valid_until=offer.valid_until.isoformat(),
                state=offer.state,
                created_by=offer.created_by,
                created_at=offer.created_at,
            ),
        )

    def get_offer(self, offer_id: str) -> Offer | None:
        row = self.session.execute(select(resource_offers).where(resource_offers.c.offer_id == offer_id)).first()
        return _offer(row) if row else None

    def set_state(self, offer_id: str, state: str) -> None:
        self.session.execute(update(resource_offers).where(resource_offers.c.offer_id == offer_id).values(state=state))

    def offers(
        self,
        owner: str = "",
        service_types: tuple[str, ...] = (),
        region: str = "",
        active_on: date | None = None,
        limit: int = 500,
    ) -> list[Offer]:
        query = select(resource_offers)
        if owner:
            query = query.where(resource_offers.c.owner == owner)
        if service_types:
            query = query.where(resource_offers.c.service_type.in_(service_types))
        if region:
            query = query.where(resource_offers.c.region == region)
        if active_on is not None:
            day = active_on.isoformat()
            query = query.where(
                resource_offers.c.state == "active",
                resource_offers.c.valid_from <= day,
                resource_offers.c.valid_until >= day,
            )
        query = query.order_by(resource_offers.c.created_at.desc(), resource_offers.c.offer_id).limit(limit)
        return [_offer(row) for row in self.session.execute(query)]

    # bookings --------------------------------------------------------------------------------
    def take_place(self, offer_id: str, today: date) -> int | None:
        """Decrement the offer's remaining places by one if any is left: the places left after
        this caller's, or None when it got none (UPDATE … RETURNING: PostgreSQL, SQLite ≥ 3.35)."""
        day = today.isoformat()
        return self.session.execute(
            update(resource_offers)
            .where(
                resource_offers.c.offer_id == offer_id,
                resource_offers.c.remaining > 0,
                resource_offers.c.state == "active",
                resource_offers.c.valid_from <= day,
                resource_offers.c.valid_until >= day,
            )
            .values(remaining=resource_offers.c.remaining - 1)
            .returning(resource_offers.c.remaining)
        ).scalar()

    def give_back_place(self, offer_id: str) -> None:
        self.session.execute(
            update(resource_offers)
            .where(resource_offers.c.offer_id == offer_id, resource_offers.c.remaining < resource_offers.c.capacity)
            .values(remaining=resource_offers.c.remaining + 1)
        )

    def add_booking(self, booking: Booking) -> None:
        values = {k: getattr(booking, k) for k in resource_bookings.c.keys()}
        values["client_request_id"] = booking.client_request_id or None
        self.session.execute(resource_bookings.insert(), values)

    def booking_by_request(self, booked_by: str, client_request_id: str) -> Booking | None:
        row = self.session.execute(
            select(resource_bookings).where(
                resource_bookings.c.booked_by == booked_by, resource_bookings.c.client_request_id == client_request_id
            )
        ).first()
        return _booking(row) if row else None

    def get_booking(self, booking_id: str) -> Booking | None:
        row = self.session.execute(
            select(resource_bookings).where(resource_bookings.c.booking_id == booking_id)
        ).first()
        return _booking(row) if row else None

    def cancel_booking(self, booking_id: str) -> bool:
        done = self.session.execute(
            update(resource_bookings)
            .where(resource_bookings.c.booking_id == booking_id, resource_bookings.c.state == "booked")
            .values(state="cancelled")
        )
        return done.rowcount == 1

    def bookings_of_case(self, case_number: str) -> list[Booking]:
        rows = self.session.execute(
            select(resource_bookings)
            .where(resource_bookings.c.case_number == case_number)
            .order_by(resource_bookings.c.created_at)
        )
        return [_booking(row) for row in rows]

    def count_bookings(self, offer_id: str) -> int:
        return self.session.execute(
            select(func.count())
            .select_from(resource_bookings)
            .where(resource_bookings.c.offer_id == offer_id, resource_bookings.c.state == "booked")
        ).scalar()

    def recipients_of_owner(self, owner: str, offer_id: str = "") -> list[tuple[str, str, str]]:
        """(case_number, community_code, age_band) of each active booking of the owner's offers,
        the latest booking per case (so each person counts once)."""
        query = (
            select(
                resource_bookings.c.case_number,
                resource_bookings.c.community_code,
                resource_bookings.c.age_band,
                resource_bookings.c.created_at,
            )
            .join(resource_offers, resource_offers.c.offer_id == resource_bookings.c.offer_id)
            .where(and_(resource_offers.c.owner == owner, resource_bookings.c.state == "booked"))
        )
        if offer_id:
            query = query.where(resource_offers.c.offer_id == offer_id)
        latest: dict[str, tuple] = {}
        for case_number, community, band, _at in self.session.execute(query.order_by(resource_bookings.c.created_at)):
            latest[case_number] = (case_number, community, band)
        return list(latest.values())

    def booked_services(self, case_numbers: list[str]) -> set[tuple[str, str]]:
        """(case_number, service_type) of every active booking of these cases."""
        found: set[tuple[str, str]] = set()
        for start in range(0, len(case_numbers), 500):
            chunk = case_numbers[start : start + 500]
            found.update(
                self.session.execute(
                    select(resource_bookings.c.case_number, resource_bookings.c.service_type).where(
                        resource_bookings.c.case_number.in_(chunk), resource_bookings.c.state == "booked"
                    )
                ).all()
            )
        return {(a, b) for a, b in found}
