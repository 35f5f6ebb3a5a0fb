"""Publishes outbox rows to the service's events exchange, with publisher confirms.

Runs inside each service process. It wakes when a local transaction commits outbox
rows, and polls every second for rows left by a crash or by another process. A row is
deleted only after the broker confirmed it, so nothing is lost (a crash between the
confirm and the delete publishes the event again; consumers are idempotent).
"""

from __future__ import annotations

import json
import logging
import threading

import kombu
from nameko import config
from nameko.extensions import DependencyProvider
from nameko.standalone.events import get_event_exchange
from opentelemetry import trace
from opentelemetry.instrumentation.utils import suppress_instrumentation
from opentelemetry.propagate import extract, inject
from sqlalchemy import MetaData, delete, select

from ekm_platform.db import make_engine
from ekm_platform.messaging_tables import messaging_tables
from ekm_platform.unit_of_work import on_outbox_commit, remove_outbox_listener

log = logging.getLogger(__name__)
tracer = trace.get_tracer("ekm_platform.outbox")

BATCH = 200
POLL_SECONDS = 1.0


class OutboxRelay(DependencyProvider):
    def setup(self):
        self.engine = make_engine(config["DATABASE_URL"])
        self.outbox = messaging_tables(MetaData())["outbox"]
        self.exchange = get_event_exchange(self.container.service_name)
        self.wake = threading.Event()
        self.running = False
        self.done = threading.Event()

    def start(self):
        self.running = True
        on_outbox_commit(self.wake.set)
        self.container.spawn_managed_thread(self._run, identifier="outbox-relay")

    def stop(self):
        self.running = False
        remove_outbox_listener(self.wake.set)
        self.wake.set()
        self.done.wait(5)
        self.engine.dispose()

    def kill(self):
        self.running = False
        self.wake.set()

    def get_dependency(self, worker_ctx):
        return self.wake.set

    def _run(self):
        try:
            while self.running:
                try:
                    self._publish_while_running()
                except Exception:  # broker or database away: keep the rows, try again
                    log.exception("outbox relay failed; retrying")
                    self.wake.wait(POLL_SECONDS)
                self.wake.wait(POLL_SECONDS)
                self.wake.clear()
        finally:
            self.done.set()

    def _publish_while_running(self):
        """Publish what is there and stay connected, looking again when woken and at least
        every POLL_SECONDS (rows written by another process wake nobody here)."""
        uri = config["AMQP_URI"]
        with kombu.Connection(uri, transport_options={"confirm_publish": True}) as connection:
            producer = connection.Producer()
            self.exchange(producer.channel).declare()
            while self.running:
                while self.running and self._publish_batch(producer) == BATCH:  # full: there may be more
                    pass
                self.wake.wait(POLL_SECONDS)
                self.wake.clear()

    def _publish_batch(self, producer) -> int:
        """Rows are read, published and deleted in one transaction. On PostgreSQL the rows
        are locked (SKIP LOCKED lets other replicas take other rows); on SQLite the read
        takes no write lock, so no lock is held across the network. Polling is not
        traced; each publish is, as a child of the request that wrote the row."""
        outbox = self.outbox
        with self.engine.connect() as conn:
            with suppress_instrumentation():
                transaction = conn.begin()
                query = select(outbox).order_by(outbox.c.seq).limit(BATCH)
                if conn.dialect.name == "postgresql":
                    query = query.with_for_update(skip_locked=True)
                rows = conn.execute(query).all()
            if not rows:
                transaction.rollback()
                return 0
            self._publish_rows(producer, rows)
            with suppress_instrumentation():
                conn.execute(delete(outbox).where(outbox.c.seq.in_([r.seq for r in rows])))
                transaction.commit()
        return len(rows)

    def _publish_rows(self, producer, rows) -> None:
        for row in rows:
            parent = extract({"traceparent": row.traceparent} if row.traceparent else {})
            with tracer.start_as_current_span(
                f"publish {row.event_type}",
                context=parent,
                kind=trace.SpanKind.PRODUCER,
                attributes={
                    "messaging.system": "rabbitmq",
                    "messaging.destination.name": self.exchange.name,
                    "ekm.event_type": row.event_type,
                    "ekm.event_id": row.event_id,
                },
            ):
                headers: dict = {}
                inject(headers)
                producer.publish(
                    json.loads(row.payload),
                    exchange=self.exchange,
                    routing_key=row.event_type,
                    serializer="json",
                    delivery_mode=2,
                    headers={f"nameko.{k}": v for k, v in headers.items()},
                    message_id=row.event_id,
                    retry=True,
                    retry_policy={"max_retries": 3},
                )
