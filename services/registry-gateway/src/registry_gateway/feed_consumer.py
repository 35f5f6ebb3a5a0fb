"""The AMQP partner feed: ``python -m registry_gateway.feed_consumer``.

Partners publish JSON records to the topic exchange ``partner.feed`` with routing key
``<record type>`` and the ``user_id`` property set to their AMQP user (the broker refuses a
``user_id`` that is not the connection's user, so it authenticates the sender). Records
are taken in batches (manual acknowledgements, acknowledged only after the batch is
committed); a record that cannot be accepted goes to ``partner.feed.dead`` with its reason
in the ``x-ekm-reason`` header. ``--dead list|replay`` is the operator's view of that queue.

A batch that fails for another reason (the database is away) is the platform's retry
policy (``ekm_platform.events``): the batch is tried again record by record, and a record
that still fails waits in the broker's delay queue ``ekm.retry.<ms>`` (1 s, 2 s, 4 s, …; the
attempt count in the ``x-ekm-attempts`` header) and comes back; after
``EKM_EVENT_MAX_ATTEMPTS`` attempts it goes to ``partner.feed.dead`` with the last error.
A record coming back from a delay queue was re-published by this consumer (its broker user,
which the broker checks), carrying the authenticated partner and the record type in headers.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import signal
import sys
import time

import pika
from opentelemetry import trace
from opentelemetry.propagate import extract

from ekm_platform import config
from ekm_platform.db import make_engine, make_session_factory
from ekm_platform.events import ATTEMPTS_HEADER, ERROR_HEADER, delay_queue, max_attempts, retry_delay
from ekm_platform.logs import setup_logging
from ekm_platform.topology import queue_arguments
from ekm_platform.unit_of_work import UnitOfWork
from registry_gateway.adapters.orm import metadata
from registry_gateway.adapters.partners import load_partners
from registry_gateway.adapters.repository import EvidenceRepository
from registry_gateway.service_layer.feeds import Incoming, ingest

EXCHANGE, QUEUE, DEAD = "partner.feed", "partner.feed.records", "partner.feed.dead"
BATCH, BATCH_WAIT = 500, 0.05
OPERATORS = set(os.environ.get("EKM_FEED_OPERATORS", "guest").split(","))
log = logging.getLogger("registry_gateway.feed")


def declare(channel) -> None:
    """The feed's queues, quorum queues with ``EKM_QUEUE_TYPE=quorum``."""
    channel.exchange_declare(EXCHANGE, "topic", durable=True)
    channel.queue_declare(QUEUE, durable=True, arguments=queue_arguments() or None)
    channel.queue_bind(QUEUE, EXCHANGE, "#")
    channel.queue_declare(DEAD, durable=True, arguments=queue_arguments() or None)


class FeedConsumer:
    def __init__(self, amqp_uri: str, database_url: str):
        self.parameters = pika.URLParameters(amqp_uri)
        self.engine = make_engine(database_url)
        self.sessions = make_session_factory(self.engine)
        self.partners = load_partners()
        self.running = True
        # records it re-publishes for a retry carry it as user_id (the broker checks it)
        self.user = getattr(self.parameters.credentials, "username", None)
        self.max_attempts = max_attempts()
        self.declared_delays: set[int] = set()

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.sessions, metadata.tables, "registry_gateway", EvidenceRepository)

    def run(self) -> None:
        connection = pika.BlockingConnection(self.parameters)
        channel = connection.channel()
        declare(channel)
        channel.confirm_delivery()
        channel.basic_qos(prefetch_count=BATCH * 2)
        log.info("partner feed consuming %s (%d partners)", QUEUE, len(self.partners))
        batch = []
        try:
            for method, properties, body in channel.consume(QUEUE, inactivity_timeout=BATCH_WAIT):
                if method is not None:
                    batch.append((method, properties, body))
                if batch and (method is None or len(batch) >= BATCH):
                    self.handle(channel, batch)
                    batch = []
                if not self.running:
                    break
        finally:  # on a lost connection the broker requeues the unacknowledged batch by itself
            with contextlib.suppress(pika.exceptions.AMQPError):
                if batch and channel.is_open:
                    channel.basic_nack(batch[-1][0].delivery_tag, multiple=True, requeue=True)
                if connection.is_open:
                    connection.close()
            self.engine.dispose()

    def _trusted(self, properties) -> bool:
        """Re-published by an operator (a replay) or by this consumer (a retry): the broker
        checked ``user_id``, so the partner and record type headers are ours, not a partner's."""
        headers = properties.headers or {}
        trusted_users = OPERATORS | ({self.user} if self.user else set())
        return bool(
            properties.user_id
            and properties.user_id in trusted_users
            and headers.get("x-ekm-partner")
            and (headers.get("x-ekm-replayed") or headers.get("x-ekm-retried"))
        )

    def sender(self, properties) -> str | None:
        """The authenticated partner: the broker-checked ``user_id``; for a record an operator
        replayed from the dead queue, or this consumer put back for a retry, the partner it came from."""
        if self._trusted(properties):
            return str(properties.headers["x-ekm-partner"])
        return properties.user_id

    def record_type(self, method, properties) -> str:
        """The routing key; a retried record comes back through the default exchange (its
        routing key is then the queue's name), so its type travels in a header."""
        if self._trusted(properties) and properties.headers.get("x-ekm-record-type"):
            return str(properties.headers["x-ekm-record-type"])
        return method.routing_key

    def handle(self, channel, batch) -> None:
        """Ingest a batch; if it fails (not a bad record: those are outcomes), record by
        record, each failing one retried later with a back-off and then dead."""
        try:
            self.ingest_batch(channel, batch)
            return
        except pika.exceptions.AMQPError:
            raise
        except Exception as exc:
            if len(batch) > 1:
                log.warning(
                    "a batch of %d failed (%s: %s); handling its records one by one",
                    len(batch),
                    type(exc).__name__,
                    exc,
                )
                for item in batch:
                    self.handle(channel, [item])
                return
            self.retry_later(channel, batch[0], exc)

    def retry_later(self, channel, item, exc: Exception) -> None:
        method, properties, body = item
        headers = dict(properties.headers or {})
        try:
            attempts = int(headers.get(ATTEMPTS_HEADER, 0)) + 1
        except (TypeError, ValueError):
            attempts = 1
        reason = f"{type(exc).__name__}: {exc}"[:500]
        keep = {k: v for k, v in headers.items() if not k.startswith(("x-death", "x-first-death", "x-last-death"))}
        keep.update(
            {"x-ekm-partner": self.sender(properties) or "", "x-ekm-record-type": self.record_type(method, properties)}
        )
        if attempts >= self.max_attempts:
            log.warning("record from %s failed %d times, dead: %s", keep["x-ekm-partner"], attempts, reason)
            keep.pop("x-ekm-retried", None)
            keep.update(
                {
                    "x-ekm-reason": f"{attempts} спроб не вдалося / {attempts} attempts failed; last: {reason}",
                    ATTEMPTS_HEADER: attempts,
                }
            )
            channel.basic_publish(
                "", DEAD, body, pika.BasicProperties(delivery_mode=2, content_type="application/json", headers=keep)
            )
        else:
            seconds = retry_delay(attempts)
            log.warning(
                "record from %s failed (attempt %d of %d), retrying in %.1f s: %s",
                keep["x-ekm-partner"],
                attempts,
                self.max_attempts,
                seconds,
                reason,
            )
            queue = delay_queue(max(1, int(seconds * 1000)))
            if queue.name not in self.declared_delays:
                channel.exchange_declare(queue.exchange.name, "fanout", durable=True)
                channel.queue_declare(queue.name, durable=True, arguments=queue.queue_arguments)
                channel.queue_bind(queue.name, queue.exchange.name)
                self.declared_delays.add(queue.name)
            keep.update({ATTEMPTS_HEADER: attempts, ERROR_HEADER: reason, "x-ekm-retried": 1})
            channel.basic_publish(
                queue.exchange.name,
                QUEUE,
                body,
                pika.BasicProperties(
                    delivery_mode=2,
                    content_type=properties.content_type or "application/json",
                    user_id=self.user,
                    headers=keep,
                ),
            )
        channel.basic_ack(method.delivery_tag)

    def ingest_batch(self, channel, batch) -> None:
        """One CONSUMER span per batch (linked to every traced record in it), and for each
        record that came with a ``traceparent`` header a CONSUMER span in the partner's own
        trace, with the record's identifiers (never its contents)."""
        items = [Incoming(self.sender(p), self.record_type(m, p), b) for m, p, b in batch]
        traced = [(i, context) for i, (_, p, _) in enumerate(batch) if (context := _incoming_context(p))]
        links = [trace.Link(trace.get_current_span(c).get_span_context()) for _, c in traced]
        started = time.time_ns()
        with _tracer.start_as_current_span(
            f"{QUEUE} process",
            kind=trace.SpanKind.CONSUMER,
            links=links,
            attributes={
                "messaging.system": "rabbitmq",
                "messaging.destination.name": QUEUE,
                "messaging.operation": "process",
                "messaging.batch.message_count": len(batch),
            },
        ) as batch_span:
            with self.uow() as uow:
                outcomes = ingest(uow, items, self.partners)
        ended = time.time_ns()
        for i, context in traced:
            method, outcome = batch[i][0], outcomes[i]
            span = _tracer.start_span(
                f"{QUEUE} receive {method.routing_key}",
                context=context,
                kind=trace.SpanKind.CONSUMER,
                start_time=started,
                links=[trace.Link(batch_span.get_span_context())],
                attributes={
                    "messaging.system": "rabbitmq",
                    "messaging.destination.name": QUEUE,
                    "ekm.partner": items[i].partner_id or "",
                    "ekm.record_type": items[i].record_type,
                    "ekm.record_id": outcome.record_id,
                    "ekm.outcome": outcome.status,
                },
            )
            span.end(end_time=ended)
        for (method, properties, body), outcome in zip(batch, outcomes):
            if outcome.status == "dead":
                log.warning("dead record from %s (%s): %s", properties.user_id, method.routing_key, outcome.reason)
                channel.basic_publish(
                    "",
                    DEAD,
                    body,
                    pika.BasicProperties(
                        delivery_mode=2,
                        content_type="application/json",
                        headers={
                            "x-ekm-reason": outcome.reason[:500],
                            "x-ekm-partner": self.sender(properties) or "",
                            "x-ekm-record-type": self.record_type(method, properties),
                        },
                    ),
                )
        channel.basic_ack(batch[-1][0].delivery_tag, multiple=True)  # every earlier delivery is settled already


_tracer = trace.get_tracer("registry_gateway.feed_consumer")


def _header_text(carrier: dict, key: str):
    value = carrier.get(key)
    return [value.decode("latin-1") if isinstance(value, bytes) else str(value)] if value is not None else None


class _HeadersGetter:
    def get(self, carrier, key):
        return _header_text(carrier, key)

    def keys(self, carrier):
        return list(carrier)


def _incoming_context(properties):
    """The trace context a partner sent in the AMQP headers (W3C ``traceparent``), or None."""
    headers = properties.headers or {}
    if "traceparent" not in headers:
        return None
    context = extract(headers, getter=_HeadersGetter())
    return context if trace.get_current_span(context).get_span_context().is_valid else None


def dead_letters(amqp_uri: str, replay: bool) -> int:
    """List the dead records (they stay queued), or move them all back for another try."""
    connection = pika.BlockingConnection(pika.URLParameters(amqp_uri))
    channel = connection.channel()
    declare(channel)
    count = 0
    while True:
        method, properties, body = channel.basic_get(DEAD, auto_ack=False)
        if method is None:
            break
        headers = properties.headers or {}
        count += 1
        print(
            f"{count:>5}  {headers.get('x-ekm-partner', '?'):<16} {headers.get('x-ekm-record-type', '?'):<32} "
            f"{headers.get('x-ekm-reason', '')}"
        )
        if replay:
            user = pika.URLParameters(amqp_uri).credentials.username
            channel.basic_publish(
                EXCHANGE,
                headers.get("x-ekm-record-type", ""),
                body,
                pika.BasicProperties(
                    delivery_mode=2,
                    content_type="application/json",
                    user_id=user,
                    headers={"x-ekm-replayed": 1, "x-ekm-partner": headers.get("x-ekm-partner", "")},
                ),
            )
            channel.basic_ack(method.delivery_tag)
    connection.close()  # unacknowledged (listed) records return to the dead queue
    print(f"{count} dead record(s) {'replayed' if replay else 'listed'}")
    return 0


def main(argv=None) -> None:
    from ekm_platform.supervisor import die_with_parent

    die_with_parent()
    parser = argparse.ArgumentParser(prog="registry_gateway.feed_consumer")
    parser.add_argument("--dead", choices=["list", "replay"])
    args = parser.parse_args(argv)
    if args.dead:
        sys.exit(dead_letters(config.amqp_uri(), args.dead == "replay"))
    setup_logging("registry-gateway-feed")
    if os.environ.get("EKM_TRACING", "on") != "off":  # a span per batch and per traced record; no SQL spans
        from ekm_platform.tracing import setup_tracing

        setup_tracing("registry-gateway-feed")
    consumer = FeedConsumer(config.amqp_uri(), config.database_url("registry-gateway"))
    signal.signal(signal.SIGTERM, lambda *a: setattr(consumer, "running", False))
    while consumer.running:
        try:
            consumer.run()
        except pika.exceptions.AMQPConnectionError:
            log.warning("broker unavailable; retrying in 2 s")
            time.sleep(2)
    from ekm_platform.tracing import shutdown_tracing

    shutdown_tracing()


if __name__ == "__main__":
    main()
