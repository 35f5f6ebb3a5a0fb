"""Evidence and pending registry queries in the database."""
from __future__ import annotations

import json
import uuid
from dataclasses import asdict
from datetime import datetime, timedelta, timezone

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from registry_gateway.adapters.orm import evidence, pending_queries
from registry_gateway.domain.lookup import Evidence, Query


class EvidenceRepository:
    def __init__(self, session: Session):
        self.session = session

    def add(self, item: Evidence) -> None:
        self.session.execute(evidence.insert(), asdict(item))

    def get(self, query_id: str) -> Evidence | None:
        row = self.session.execute(select(evidence).where(evidence.c.query_id == query_id)).first()
        return Evidence(**row._asdict()) if row else None

    # queries to ask again -------------------------------------------------------
    def add_pending(self, registry: str, query: Query, error: str, retry_in: float) -> str:
        now = datetime.now(timezone.utc)
        pending_id = str(uuid.uuid4())
        self.session.execute(pending_queries.insert(), dict(
            pending_id=pending_id, registry=registry, query=json.dumps(asdict(query), ensure_ascii=False),
            attempts=1, last_error=error[:500], next_at=now + timedelta(seconds=retry_in), created_at=now))
        return pending_id

    def due_pending(self, limit: int = 50) -> list[tuple[str, str, Query, int]]:
        now = datetime.now(timezone.utc)
        rows = self.session.execute(select(pending_queries).where(pending_queries.c.next_at <= now)
                                    .order_by(pending_queries.c.next_at).limit(limit)).all()
        return [(r.pending_id, r.registry, Query(**json.loads(r.query)), r.attempts) for r in rows]

    def retry_later(self, pending_id: str, attempts: int, error: str, retry_in: float) -> None:
        self.session.execute(update(pending_queries).where(pending_queries.c.pending_id == pending_id).values(
            attempts=attempts + 1, last_error=error[:500],
            next_at=datetime.now(timezone.utc) + timedelta(seconds=retry_in)))

    def done_pending(self, pending_id: str) -> None:
        self.session.execute(delete(pending_queries).where(pending_queries.c.pending_id == pending_id))
