"""Evidence and pending registry queries in the database."""

from __future__ import annotations

import json
import uuid
from dataclasses import asdict
from datetime import datetime, timedelta, timezone

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from registry_gateway.adapters.orm import evidence, pending_queries
from registry_gateway.domain.lookup import CaseAccess, Evidence, PendingQuery, Query


class EvidenceRepository:
    def __init__(self, session: Session):
        self.session = session

    def add(self, item: Evidence) -> None:
        self.session.execute(evidence.insert(), asdict(item))

    def get(self, query_id: str) -> Evidence | None:
        row = self.session.execute(select(evidence).where(evidence.c.query_id == query_id)).first()
        return Evidence(**{**row._asdict(), "from_cache": bool(row.from_cache)}) if row else None

    # queries to ask again -------------------------------------------------------
    def add_pending(
        self,
        registry: str,
        query: Query,
        error: str,
        retry_in: float,
        access: CaseAccess | None = None,
        consent_id: str = "",
        role: str = "",
    ) -> str:
        now = datetime.now(timezone.utc)
        pending_id = str(uuid.uuid4())
        context = {"access": asdict(access) if access else None, "consent_id": consent_id, "role": role}
        self.session.execute(
            pending_queries.insert(),
            dict(
                pending_id=pending_id,
                registry=registry,
                query=json.dumps(asdict(query), ensure_ascii=False),
                attempts=1,
                last_error=error[:500],
                next_at=now + timedelta(seconds=retry_in),
                created_at=now,
                state="pending",
                context=json.dumps(context),
                finished_at=None,
                answer_query_id="",
            ),
        )
        return pending_id

    def due_pending(self, limit: int = 50) -> list[PendingQuery]:
        now = datetime.now(timezone.utc)
        rows = self.session.execute(
            select(pending_queries)
            .where(pending_queries.c.state == "pending", pending_queries.c.next_at <= now)
            .order_by(pending_queries.c.next_at)
            .limit(limit)
        ).all()
        found = []
        for r in rows:
            context = json.loads(r.context or "{}")
            access = CaseAccess(**context["access"]) if context.get("access") else None
            found.append(
                PendingQuery(
                    r.pending_id,
                    r.registry,
                    Query(**json.loads(r.query)),
                    r.attempts,
                    access,
                    context.get("consent_id", ""),
                    context.get("role", ""),
                )
            )
        return found

    def retry_later(self, pending_id: str, attempts: int, error: str, retry_in: float) -> None:
        self.session.execute(
            update(pending_queries)
            .where(pending_queries.c.pending_id == pending_id)
            .values(
                attempts=attempts + 1,
                last_error=error[:500],
                next_at=datetime.now(timezone.utc) + timedelta(seconds=retry_in),
            )
        )

    def finish_pending(
        self, pending_id: str, state: str, error: str = "", answer_query_id: str = "", attempts: int | None = None
    ) -> None:
        """The end state of a pending query (answered, failed, refused), kept as a record."""
        values = dict(state=state, finished_at=datetime.now(timezone.utc), answer_query_id=answer_query_id)
        if error:
            values["last_error"] = error[:500]
        if attempts is not None:
            values["attempts"] = attempts
        self.session.execute(update(pending_queries).where(pending_queries.c.pending_id == pending_id).values(**values))

    def pending_state(self, pending_id: str):
        return self.session.execute(select(pending_queries).where(pending_queries.c.pending_id == pending_id)).first()
