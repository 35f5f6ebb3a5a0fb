"""Evidence in the database."""
from __future__ import annotations

from dataclasses import asdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry_gateway.adapters.orm import evidence
from registry_gateway.domain.lookup import Evidence


class EvidenceRepository:
    def __init__(self, session: Session):
        self.session = session

    def add(self, item: Evidence) -> None:
        self.session.execute(evidence.insert().values(**asdict(item)))

    def get(self, query_id: str) -> Evidence | None:
        row = self.session.execute(select(evidence).where(evidence.c.query_id == query_id)).first()
        return Evidence(**row._asdict()) if row else None
