"""Consent records in the database: inserted once, withdrawn by an update, never deleted."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import datetime, timezone

from sqlalchemy import select, update

from cases.adapters.orm import consents
from cases.domain.consent import Consent


def _consent(row) -> Consent:
    data = row._asdict()
    data["data_categories"] = tuple(json.loads(data["data_categories"]))
    return Consent(**data)


class Consents:
    def __init__(self, session):
        self.session = session

    def add(self, consent: Consent) -> None:
        values = asdict(consent)
        values["data_categories"] = json.dumps(list(consent.data_categories))
        self.session.execute(consents.insert(), values)

    def save_withdrawal(self, consent: Consent) -> bool:
        """Withdraw once: False when somebody withdrew it meanwhile."""
        done = self.session.execute(
            update(consents)
            .where(consents.c.consent_id == consent.consent_id, consents.c.withdrawn_at.is_(None))
            .values(
                withdrawn_at=consent.withdrawn_at,
                withdrawn_by=consent.withdrawn_by,
                withdrawal_reason=consent.withdrawal_reason,
            )
        )
        return done.rowcount == 1

    def get(self, consent_id: str) -> Consent | None:
        row = self.session.execute(select(consents).where(consents.c.consent_id == consent_id)).first()
        return _consent(row) if row else None

    def of_case(self, case_id: str) -> list[Consent]:
        rows = self.session.execute(
            select(consents)
            .where(consents.c.case_id == case_id)
            .order_by(consents.c.recorded_at.desc(), consents.c.consent_id)
        )
        return [_consent(r) for r in rows]

    def of_person(self, person_id: str) -> list[Consent]:
        rows = self.session.execute(
            select(consents)
            .where(consents.c.person_id == person_id)
            .order_by(consents.c.recorded_at.desc(), consents.c.consent_id)
        )
        return [_consent(r) for r in rows]

    def active(self, person_id: str, purpose: str, recipient: str, at: datetime | None = None) -> Consent | None:
        """The latest-expiring active consent of the person for this purpose and recipient."""
        at = at or datetime.now(timezone.utc)
        rows = self.session.execute(
            select(consents)
            .where(
                consents.c.person_id == person_id,
                consents.c.purpose == purpose,
                consents.c.recipient == recipient,
                consents.c.withdrawn_at.is_(None),
                consents.c.expires_at > at,
            )
            .order_by(consents.c.expires_at.desc())
        )
        return next((c for c in map(_consent, rows) if c.is_active(at)), None)
