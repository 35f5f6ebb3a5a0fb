"""The AMQP partner feed: ``python -m registry_gateway.feed_consumer``.

Partners publish JSON records to the topic exchange ``partner.feed`` with routing key
``<record type>`` and the ``user_id`` property set to their AMQP user (the broker refuses a
``user_id`` that is not the connection's user, so it authenticates the sender). Records
are taken in batches (manual acknowledgements, acknowledged only after the batch is
committed); a record that cannot be accepted goes to ``partner.feed.dead`` with its reason
in the ``x-ekm-reason`` header. ``--dead list|replay`` is the operator's view of that queue.
"""
from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import time

import pika

from ekm_platform import config
from ekm_platform.db import make_engine, make_session_factory
from ekm_platform.logs import setup_logging
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
    channel.exchange_declare(EXCHANGE, "topic", durable=True)
    channel.queue_declare(QUEUE, durable=True)
    channel.queue_bind(QUEUE, EXCHANGE, "#")
    channel.queue_declare(DEAD, durable=True)


class FeedConsumer:
    def __init__(self, amqp_uri: str, database_url: str):
        self.parameters = pika.URLParameters(amqp_uri)
        self.engine = make_engine(database_url)
        self.sessions = make_session_factory(self.engine)
        self.partners = load_partners()
        self.running = True

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
        finally:
            if batch:
                channel.basic_nack(batch[-1][0].delivery_tag, multiple=True, requeue=True)
            connection.close()
            self.engine.dispose()

    def sender(self, properties) -> str | None:
        """The authenticated partner: the broker-checked ``user_id``; for a record an operator
        replayed from the dead queue (published as an operator user), the partner it came from."""
        headers = properties.headers or {}
        if properties.user_id in OPERATORS and headers.get("x-ekm-replayed") and headers.get("x-ekm-partner"):
            return str(headers["x-ekm-partner"])
        return properties.user_id

    def handle(self, channel, batch) -> None:
        items = [Incoming(self.sender(p), m.routing_key, b) for m, p, b in batch]
        with self.uow() as uow:
            outcomes = ingest(uow, items, self.partners)
        for (method, properties, body), outcome in zip(batch, outcomes):
            if outcome.status == "dead":
                log.warning("dead record from %s (%s): %s", properties.user_id, method.routing_key, outcome.reason)
                channel.basic_publish("", DEAD, body, pika.BasicProperties(
                    delivery_mode=2, content_type="application/json",
                    headers={"x-ekm-reason": outcome.reason[:500], "x-ekm-partner": properties.user_id or "",
                             "x-ekm-record-type": method.routing_key}))
        channel.basic_ack(batch[-1][0].delivery_tag, multiple=True)


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
        print(f"{count:>5}  {headers.get('x-ekm-partner', '?'):<16} {headers.get('x-ekm-record-type', '?'):<32} "
              f"{headers.get('x-ekm-reason', '')}")
        if replay:
            user = pika.URLParameters(amqp_uri).credentials.username
            channel.basic_publish(EXCHANGE, headers.get("x-ekm-record-type", ""), body, pika.BasicProperties(
                delivery_mode=2, content_type="application/json", user_id=user,
                headers={"x-ekm-replayed": 1, "x-ekm-partner": headers.get("x-ekm-partner", "")}))
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
    consumer = FeedConsumer(config.amqp_uri(), config.database_url("registry-gateway"))
    signal.signal(signal.SIGTERM, lambda *a: setattr(consumer, "running", False))
    while consumer.running:
        try:
            consumer.run()
        except pika.exceptions.AMQPConnectionError:
            log.warning("broker unavailable; retrying in 2 s")
            time.sleep(2)


if __name__ == "__main__":
    main()
