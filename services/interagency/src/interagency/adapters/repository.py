"""Referrals in the database."""

from __future__ import annotations

import json
from dataclasses import asdict, fields

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from interagency.adapters.orm import agencies, conferences, referral_transitions, referrals
from interagency.domain.agencies import Agency
from interagency.domain.conference import Conference, Decision, Participant
from interagency.domain.model import Referral, ReferralState, Sector, Transition

_REFERRAL_FIELDS = {f.name for f in fields(Referral)}


def _referral(row) -> Referral:
    data = {k: v for k, v in row._asdict().items() if k in _REFERRAL_FIELDS}
    data.update(
        sector=Sector(row.sector), state=ReferralState(row.state), client_request_id=row.client_request_id or ""
    )
    return Referral(**data)


def _referral_row(referral: Referral) -> dict:
    values = asdict(referral)
    values.update(
        sector=referral.sector.value, state=referral.state.value, client_request_id=referral.client_request_id or None
    )
    return values


def _agency(row) -> Agency:
    return Agency(
        row.agency_code, row.name, Sector(row.sector), row.community_code, row.phone, row.email, bool(row.active)
    )


def _conference(row) -> Conference:
    return Conference(
        case_number=row.case_number,
        scheduled_at=row.scheduled_at,
        agenda=tuple(json.loads(row.agenda)),
        participants=tuple(Participant(**p) for p in json.loads(row.participants)),
        organised_by=row.organised_by,
        conference_id=row.conference_id,
        created_at=row.created_at,
        status=row.status,
        decisions=tuple(Decision(**d) for d in json.loads(row.decisions)),
        concluded_at=row.concluded_at,
        concluded_by=row.concluded_by,
        plan_version=row.plan_version,
    )


def _conference_row(c: Conference) -> dict:
    return {
        "conference_id": c.conference_id,
        "case_number": c.case_number,
        "scheduled_at": c.scheduled_at,
        "agenda": json.dumps(list(c.agenda), ensure_ascii=False),
        "participants": json.dumps([asdict(p) for p in c.participants], ensure_ascii=False),
        "agency_codes": " " + " ".join(sorted(c.agencies)) + " ",
        "organised_by": c.organised_by,
        "created_at": c.created_at,
        "status": c.status,
        "decisions": json.dumps([asdict(d) for d in c.decisions], ensure_ascii=False),
        "concluded_at": c.concluded_at,
        "concluded_by": c.concluded_by,
        "plan_version": c.plan_version,
    }


class ReferralRepository:
    def __init__(self, session: Session):
        self.session = session

    def add(self, referral: Referral) -> None:
        self.session.execute(referrals.insert(), _referral_row(referral))

    def save_transition(self, before: Referral, after: Referral, transition: Transition) -> bool:
        """Write a transition once: False when somebody moved the referral meanwhile (its version)."""
        values = _referral_row(after)
        for key in ("referral_id", "created_at", "client_request_id"):
            values.pop(key)
        done = self.session.execute(
            update(referrals)
            .where(referrals.c.referral_id == before.referral_id, referrals.c.version == before.version)
            .values(**values)
        )
        if done.rowcount != 1:
            return False
        self.add_transition(transition)
        return True

    def add_transition(self, transition: Transition) -> None:
        self.session.execute(referral_transitions.insert(), asdict(transition))

    def transitions(self, referral_id: str) -> list[Transition]:
        rows = self.session.execute(
            select(referral_transitions)
            .where(referral_transitions.c.referral_id == referral_id)
            .order_by(referral_transitions.c.seq)
        )
        return [Transition(**{k: v for k, v in r._asdict().items() if k != "seq"}) for r in rows]

    def list(
        self,
        agency_code: str = "",
        case_numbers: list[str] | None = None,
        states: tuple[str, ...] = (),
        offset: int = 0,
        limit: int = 50,
    ) -> list[Referral]:
        query = select(referrals)
        if agency_code:
            query = query.where(referrals.c.agency_code == agency_code)
        if case_numbers is not None:
            query = query.where(referrals.c.case_number.in_(case_numbers))
        if states:
            query = query.where(referrals.c.state.in_(states))
        rows = self.session.execute(
            query.order_by(referrals.c.created_at.desc(), referrals.c.referral_id).offset(offset).limit(limit)
        )
        return [_referral(r) for r in rows]

    # agencies ------------------------------------------------------------------------------------
    def save_agency(self, agency: Agency) -> None:
        values = asdict(agency)
        values["sector"] = agency.sector.value
        if self.get_agency(agency.agency_code) is None:
            self.session.execute(agencies.insert(), values)
        else:
            self.session.execute(update(agencies).where(agencies.c.agency_code == agency.agency_code).values(**values))

    def get_agency(self, agency_code: str) -> Agency | None:
        row = self.session.execute(select(agencies).where(agencies.c.agency_code == agency_code)).first()
        return _agency(row) if row else None

    def agencies(self, sector: str = "", community_code: str = "") -> list[Agency]:
        query = select(agencies).where(agencies.c.active.is_(True))
        if sector:
            query = query.where(agencies.c.sector == sector)
        if community_code:
            query = query.where(agencies.c.community_code == community_code)
        return [_agency(r) for r in self.session.execute(query.order_by(agencies.c.sector, agencies.c.name))]

    # conferences ---------------------------------------------------------------------------------
    def add_conference(self, conference: Conference) -> None:
        self.session.execute(conferences.insert(), _conference_row(conference))

    def save_conclusion(self, conference: Conference) -> bool:
        values = _conference_row(conference)
        values.pop("conference_id")
        done = self.session.execute(
            update(conferences)
            .where(conferences.c.conference_id == conference.conference_id, conferences.c.status == "scheduled")
            .values(**values)
        )
        return done.rowcount == 1

    def get_conference(self, conference_id: str) -> Conference | None:
        row = self.session.execute(select(conferences).where(conferences.c.conference_id == conference_id)).first()
        return _conference(row) if row else None

    def save_decisions(self, conference: Conference) -> None:
        self.session.execute(
            update(conferences)
            .where(conferences.c.conference_id == conference.conference_id)
            .values(decisions=_conference_row(conference)["decisions"])
        )

    def conferences(self, case_number: str = "", agency_code: str = "", limit: int = 100) -> list[Conference]:
        query = select(conferences)
        if case_number:
            query = query.where(conferences.c.case_number == case_number)
        if agency_code:
            query = query.where(or_(conferences.c.agency_codes.contains(f" {agency_code} ")))
        rows = self.session.execute(query.order_by(conferences.c.scheduled_at.desc()).limit(limit))
        return [_conference(r) for r in rows]

    def get(self, referral_id: str) -> Referral | None:
        row = self.session.execute(select(referrals).where(referrals.c.referral_id == referral_id)).first()
        return _referral(row) if row else None

    def by_client_request_id(self, client_request_id: str) -> Referral | None:
        row = self.session.execute(select(referrals).where(referrals.c.client_request_id == client_request_id)).first()
        return _referral(row) if row else None
