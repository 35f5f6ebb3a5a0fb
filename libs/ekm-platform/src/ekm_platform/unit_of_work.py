"""One transaction over a service's repository, its outbox and its inbox.

Events are written to the outbox in the same transaction as the change they describe
(the outbox relay publishes them afterwards), and an event handled is recorded in the
inbox in the same transaction as its effects, so a redelivered event changes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

from opentelemetry import trace
from opentelemetry.propagate import inject
from sqlalchemy import Table, select
from sqlalchemy.orm import Session, sessionmaker

from ekm_platform.envelope import Envelope, check_no_personal_data

_commit_listeners: list[Callable[[], None]] = []


def on_outbox_commit(listener: Callable[[], None]) -> None:
    """Call ``listener`` after any transaction in this process commits outbox rows."""
    _commit_listeners.append(listener)


def remove_outbox_listener(listener: Callable[[], None]) -> None:
    if listener in _commit_listeners:
        _commit_listeners.remove(listener)


def now() -> datetime:
    return datetime.now(timezone.utc)


class UnitOfWork:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        tables: dict[str, Table],
        source: str,
        repository_factory: Callable[[Session], object],
    ):
        self._sessions = sessions
        self._tables = tables
        self._repository_factory = repository_factory
        self.source = source
        self.session: Session = None  # type: ignore[assignment]  # opened on entering: used only inside `with`
        self.repo: Any = None  # the service's repository (each service's own type), set on entering
        self.published: list[Envelope] = []

    def __enter__(self) -> UnitOfWork:
        self.session = self._sessions()
        self.repo = self._repository_factory(self.session)
        self.published = []
        self._committed = False
        return self

    def __exit__(self, *exc_info) -> None:
        if not self._committed:
            self.session.rollback()
        self.session.close()

    def publish(self, event_type: str, data: dict) -> Envelope:
        """Add an event to the outbox of this transaction."""
        check_no_personal_data(data)
        envelope = Envelope(event_type=event_type, source=self.source, data=data)
        if isinstance(data.get("case_number"), str):  # `ekm trace CASE-…` finds the change that announced it
            trace.get_current_span().set_attribute("ekm.case_number", data["case_number"])
        carrier: dict = {}
        inject(carrier)
        self.session.execute(
            self._tables["outbox"].insert(),
            dict(
                event_id=envelope.event_id,
                event_type=event_type,
                payload=json.dumps(envelope.to_message(), ensure_ascii=False),
                traceparent=carrier.get("traceparent"),
                created_at=now(),
            ),
        )
        self.published.append(envelope)
        return envelope

    def publish_many(self, events: list[tuple[str, dict]]) -> list[Envelope]:
        """Several events in one statement (batch ingestion)."""
        carrier: dict = {}
        inject(carrier)
        envelopes = []
        for event_type, data in events:
            check_no_personal_data(data)
            envelopes.append(Envelope(event_type=event_type, source=self.source, data=data))
        if envelopes:
            self.session.execute(
                self._tables["outbox"].insert(),
                [
                    {
                        "event_id": e.event_id,
                        "event_type": e.event_type,
                        "created_at": now(),
                        "payload": json.dumps(e.to_message(), ensure_ascii=False),
                        "traceparent": carrier.get("traceparent"),
                    }
                    for e in envelopes
                ],
            )
        self.published.extend(envelopes)
        return envelopes

    def already_handled(self, event_id: str, consumer: str) -> bool:
        inbox = self._tables["inbox"]
        found = self.session.execute(
            select(inbox.c.event_id).where(inbox.c.event_id == event_id, inbox.c.consumer == consumer)
        ).first()
        return found is not None

    def handled_among(self, event_ids, consumer: str) -> set[str]:
        """Which of ``event_ids`` ``consumer`` has handled already (one query, for a batch)."""
        inbox = self._tables["inbox"]
        ids = list(event_ids)
        if not ids:
            return set()
        return set(
            self.session.execute(
                select(inbox.c.event_id).where(inbox.c.event_id.in_(ids), inbox.c.consumer == consumer)
            ).scalars()
        )

    def mark_handled_many(self, event_ids, consumer: str) -> None:
        rows = [dict(event_id=e, consumer=consumer, handled_at=now()) for e in event_ids]
        if rows:
            self.session.execute(self._tables["inbox"].insert(), rows)

    def mark_handled(self, event_id: str, consumer: str) -> None:
        self.session.execute(
            self._tables["inbox"].insert(), dict(event_id=event_id, consumer=consumer, handled_at=now())
        )

    def dead_letter(self, consumer: str, event_id: str | None, reason: str, payload) -> None:
        self.session.execute(
            self._tables["dead_letters"].insert(),
            dict(
                consumer=consumer,
                event_id=event_id,
                reason=reason,
                payload=json.dumps(payload, ensure_ascii=False, default=str),
                created_at=now(),
            ),
        )

    def audit(self, entry) -> None:
        """Append an ``ekm_platform.audit.AuditEntry`` to this service's audit log, in this
        transaction (the service's metadata must hold ``audit_table(metadata)``)."""
        self.session.execute(self._tables["audit_log"].insert(), entry.row())

    def commit(self) -> None:
        self.session.commit()
        self._after_commit()

    def _after_commit(self) -> None:
        """Once the transaction is committed: wake the outbox relay if events were added."""
        self._committed = True
        if self.published:
            for listener in list(_commit_listeners):
                listener()

    def rollback(self) -> None:
        self.session.rollback()
