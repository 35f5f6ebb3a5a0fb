"""nameko dependency providers every service uses: its database, its event inbox, its caller."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from functools import partial

from nameko import config
from nameko.extensions import DependencyProvider
from sqlalchemy import MetaData

from ekm_platform import config as settings
from ekm_platform.auth import CallerContext
from ekm_platform.db import make_engine, make_session_factory
from ekm_platform.envelope import Envelope, EnvelopeError
from ekm_platform.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)


class PermanentEventError(Exception):
    """An event that can never be handled (bad data): it goes to dead letters, not back to the queue."""


class Database(DependencyProvider):
    """Injects ``uow()``: a new unit of work over this service's own database."""

    def __init__(self, metadata: MetaData, repository_factory: Callable):
        self.metadata = metadata
        self.repository_factory = repository_factory

    def setup(self):
        self.engine = make_engine(config["DATABASE_URL"])
        self.sessions = make_session_factory(self.engine)
        self.tables = self.metadata.tables

    def stop(self):
        self.engine.dispose()

    def kill(self):
        self.engine.dispose()

    def get_dependency(self, worker_ctx):
        return partial(UnitOfWork, self.sessions, self.tables, self.container.service_name, self.repository_factory)


def handle_event(
    uow_factory: Callable[[], UnitOfWork], consumer: str, body, handler: Callable[[Envelope, UnitOfWork], None]
) -> bool:
    """Run ``handler`` once per event id; False when the event was a duplicate.

    The handler may read and call other services, then write; the inbox row is
    written just before the commit, in the same transaction as the handler's effects.
    Bad events are stored as dead letters with their reason and acknowledged. Any other
    error propagates: ``ekm_platform.events.event_handler`` tries the event again with a
    back-off and makes it a dead letter after ``EKM_EVENT_MAX_ATTEMPTS`` attempts.
    """
    try:
        envelope = Envelope.from_message(body)
    except EnvelopeError as exc:
        _dead_letter(uow_factory, consumer, None, str(exc), body)
        return False
    with uow_factory() as uow:
        if uow.already_handled(envelope.event_id, consumer):
            log.info("duplicate event %s for %s ignored", envelope.event_id, consumer)
            return False
        try:
            handler(envelope, uow)
        except PermanentEventError as exc:
            uow.rollback()
            _dead_letter(uow_factory, consumer, envelope.event_id, str(exc), body)
            return False
        uow.mark_handled(envelope.event_id, consumer)
        uow.commit()
    return True


def _dead_letter(uow_factory, consumer, event_id, reason, body) -> None:
    log.warning("dead letter for %s: %s", consumer, reason)
    with uow_factory() as uow:
        uow.dead_letter(consumer, event_id, reason, body if isinstance(body, (dict, list)) else json.dumps(str(body)))
        uow.commit()


class Auth(DependencyProvider):
    """Takes the bearer token out of the call's context (so it is never forwarded over
    AMQP) and injects a ``CallerContext``."""

    def setup(self):
        self.public_key = None

    def _key(self) -> bytes | None:
        if self.public_key is None:
            path = settings.jwt_public_key_path()
            if path.exists():
                from cryptography.hazmat.primitives.serialization import load_pem_public_key

                self.public_key = load_pem_public_key(path.read_bytes())  # parsed once
        return self.public_key

    def get_dependency(self, worker_ctx):
        header = worker_ctx.context_data.pop("authorization", None)
        return CallerContext(header, self._key())


class AuditChainer(DependencyProvider):
    """Links the audit log's pending entries, about once a second, in its own thread, and
    anchors the chain's head outside the database (``ekm_platform.audit_anchor``) at most
    every ``EKM_AUDIT_ANCHOR_INTERVAL`` seconds, at start and at stop.
    The injected callable links them (and anchors the head) now (tests, shutdown)."""

    INTERVAL = 1.0

    def __init__(self, table):
        self.table = table

    def setup(self):
        import threading

        from ekm_platform.audit_anchor import AnchorLog, anchor_interval

        self.engine = make_engine(config["DATABASE_URL"])
        self.stopping = threading.Event()
        self.anchors = AnchorLog(self.container.service_name)
        self.anchor_interval = anchor_interval()
        self.anchored_at = float("-inf")

    def start(self):
        self.container.spawn_managed_thread(self._run, identifier="audit-chainer")

    def stop(self):
        self.stopping.set()
        try:
            self.chain(anchor_now=True)
        except Exception:
            log.exception("audit chaining at stop failed")
        self.engine.dispose()

    def kill(self):
        self.stopping.set()

    def chain(self, anchor_now: bool = True) -> int:
        import time

        from opentelemetry.instrumentation.utils import suppress_instrumentation

        from ekm_platform.audit import chain_pending
        from ekm_platform.audit_anchor import chain_head

        with suppress_instrumentation():
            with self.engine.begin() as conn:
                linked = chain_pending(conn, self.table)
            if anchor_now or time.monotonic() - self.anchored_at >= self.anchor_interval:
                with self.engine.connect() as conn:
                    position, head = chain_head(conn, self.table)
                self.anchors.append(position, head)  # after the commit: never anchor what may roll back
                self.anchored_at = time.monotonic()
        return linked

    def _run(self):
        first = True
        while first or not self.stopping.wait(self.INTERVAL):
            try:
                self.chain(anchor_now=first)
                first = False
            except Exception:  # the database is away: the entries wait, nothing is lost
                log.exception("audit chaining failed; retrying")
                if self.stopping.wait(self.INTERVAL):
                    return

    def get_dependency(self, worker_ctx):
        return self.chain
