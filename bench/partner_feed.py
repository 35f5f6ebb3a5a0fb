"""Partner records per second through the AMQP feed (batches, manual acks, one transaction
per batch), beside raw pika publish+consume measured in the same run.

    .venv/bin/python -m bench.partner_feed [--records 20000]
"""
from __future__ import annotations

import argparse
import json
import pathlib
import sqlite3
import tempfile
import time
import uuid

import pika

from ekm_platform.identifiers import make_rnokpp
from ekm_platform.testing import broker
from ekm_platform.testing.platform import running_platform

from bench.baselines import format_row, pika_publish_consume

PARTNERS = pathlib.Path(__file__).resolve().parent.parent / "deploy" / "demo" / "partners.json"


def publish(uri: str, n: int) -> float:
    connection = pika.BlockingConnection(pika.URLParameters(uri))
    channel = connection.channel()
    started = time.perf_counter()
    for i in range(n):
        body = json.dumps({"source_id": f"b-{uuid.uuid4().hex[:12]}", "rnokpp": make_rnokpp(f"{300000000 + i:09d}"),
                           "registered_on": "2026-11-20", "center_code": "KYIV-01"}).encode()
        channel.basic_publish("partner.feed", "employment.registered", body,
                              pika.BasicProperties(user_id="partner-dcz", delivery_mode=2))
    connection.close()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=20000)
    args = parser.parse_args()
    raw = pika_publish_consume(args.records)
    vhost, uri = broker.create_vhost("ekm-bench")
    broker.create_user("partner-dcz", "dcz-secret", vhost, write=r"^partner\.feed$")
    try:
        with tempfile.TemporaryDirectory() as home, running_platform(
                pathlib.Path(home), uri, services=("registry-gateway",),
                extra_env={"EKM_PARTNERS_FILE": str(PARTNERS)}) as platform:
            db = pathlib.Path(home) / "var" / "registry_gateway.db"
            started = time.perf_counter()
            published = publish(uri.replace("guest:guest", "partner-dcz:dcz-secret"), args.records)
            count = 0
            while count < args.records and time.perf_counter() - started < 300:
                time.sleep(0.05)
                with sqlite3.connect(db) as conn:
                    count = conn.execute("SELECT count(*) FROM feed_records").fetchone()[0]
            elapsed = time.perf_counter() - started
    finally:
        broker.delete_user("partner-dcz")
        broker.delete_vhost(vhost)
    print(f"\nЕКМ bench — partner feed over AMQP ({args.records} records, SQLite)")
    format_row("records stored per second (publish → stored)", count / elapsed, raw["per_second"], "/s")
    print(f"  published in {published:.2f}s; all {count} stored after {elapsed:.2f}s; target ≥ 5,000/s")


if __name__ == "__main__":
    main()
