"""Persons and cases in the database."""
from __future__ import annotations

from dataclasses import asdict
from datetime import datetime, timezone

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from cases.adapters.orm import case_appeals, cases, persons
from cases.domain.model import Case, Person, Stage


def _case(row, appeal_ids=()) -> Case:
    return Case(case_id=row.case_id, case_number=row.case_number, person_id=row.person_id,
                screening_level=row.screening_level, community_code=row.community_code,
                stage=Stage(row.stage), opened_at=row.opened_at, updated_at=row.updated_at,
                assigned_to=row.assigned_to, version=row.version, appeal_ids=list(appeal_ids))


class CaseRepository:
    def __init__(self, session: Session):
        self.session = session

    # persons
    def find_person(self, rnokpp: str, unzr: str) -> Person | None:
        conditions = []
        if rnokpp:
            conditions.append(persons.c.rnokpp == rnokpp)
        if unzr:
            conditions.append(persons.c.unzr == unzr)
        if not conditions:
            return None
        row = self.session.execute(select(persons).where(or_(*conditions))).first()
        if row is None:
            return None
        data = row._asdict()
        data.pop("created_at")
        return Person(**{k: v or "" for k, v in data.items()})

    def add_person(self, person: Person) -> None:
        values = asdict(person)
        values["rnokpp"] = values["rnokpp"] or None
        values["unzr"] = values["unzr"] or None
        self.session.execute(persons.insert().values(**values, created_at=datetime.now(timezone.utc)))

    # cases
    def add_case(self, case: Case) -> None:
        values = asdict(case)
        appeal_ids = values.pop("appeal_ids")
        values["stage"] = case.stage.value
        self.session.execute(cases.insert().values(**values))
        for appeal_id in appeal_ids:
            self.link_appeal(case.case_id, appeal_id)

    def link_appeal(self, case_id: str, appeal_id: str) -> None:
        self.session.execute(case_appeals.insert().values(
            appeal_id=appeal_id, case_id=case_id, linked_at=datetime.now(timezone.utc)))

    def case_for_appeal(self, appeal_id: str) -> Case | None:
        row = self.session.execute(
            select(cases).join(case_appeals, case_appeals.c.case_id == cases.c.case_id)
            .where(case_appeals.c.appeal_id == appeal_id)).first()
        return _case(row) if row else None

    def open_case_of(self, person_id: str) -> Case | None:
        row = self.session.execute(select(cases).where(
            cases.c.person_id == person_id, cases.c.stage != Stage.CLOSED.value)).first()
        return _case(row) if row else None

    def get(self, case_id: str = "", case_number: str = "") -> Case | None:
        condition = cases.c.case_id == case_id if case_id else cases.c.case_number == case_number
        row = self.session.execute(select(cases).where(condition)).first()
        if row is None:
            return None
        appeal_ids = self.session.execute(
            select(case_appeals.c.appeal_id).where(case_appeals.c.case_id == row.case_id)).scalars()
        return _case(row, appeal_ids)

    def list(self, stage: str = "", community_code: str = "", offset: int = 0, limit: int = 50) -> list[Case]:
        query = select(cases)
        if stage:
            query = query.where(cases.c.stage == stage)
        if community_code:
            query = query.where(cases.c.community_code == community_code)
        query = query.order_by(cases.c.opened_at.desc(), cases.c.case_id).offset(offset).limit(limit)
        return [_case(row) for row in self.session.execute(query)]
