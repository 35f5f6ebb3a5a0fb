"""Referrals in the database."""
from __future__ import annotations

from dataclasses import asdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from interagency.adapters.orm import referrals
from interagency.domain.model import Referral, ReferralState, Sector


def _referral(row) -> Referral:
    data = row._asdict()
    data.update(sector=Sector(row.sector), state=ReferralState(row.state),
                client_request_id=row.client_request_id or "")
    return Referral(**data)


class ReferralRepository:
    def __init__(self, session: Session):
        self.session = session

    def add(self, referral: Referral) -> None:
        values = asdict(referral)
        values.update(sector=referral.sector.value, state=referral.state.value,
                      client_request_id=referral.client_request_id or None)
        self.session.execute(referrals.insert(), values)

    def get(self, referral_id: str) -> Referral | None:
        row = self.session.execute(select(referrals).where(referrals.c.referral_id == referral_id)).first()
        return _referral(row) if row else None

    def by_client_request_id(self, client_request_id: str) -> Referral | None:
        row = self.session.execute(
            select(referrals).where(referrals.c.client_request_id == client_request_id)).first()
        return _referral(row) if row else None
