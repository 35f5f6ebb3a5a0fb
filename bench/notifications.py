"""Notifications per second from events to the SMTP server, with 10,000 queued, beside raw pika
consume measured in the same run.

    .venv/bin/python -m bench.notifications [--n 10000] [--database-url URL]

Starts the notifications service as a real process (own home folder, own vhost), an SMTP server
(aiosmtpd, in this process, counting what it receives) and a stand-in for intake's
``get_applicant_contact`` (a nameko service answering from memory over the real broker). The
notifications process is stopped, ``n`` ``appeal.accepted`` events are published to intake's
exchange (persistent, confirmed) and wait in its queue; it is started again and the clock runs
until the SMTP server has received ``n`` messages. Each event: handled once (inbox), a notification
stored (dedupe key); each notification: claimed, its contact asked over RPC, rendered (Jinja2,
uk+en), sent over SMTP, its attempt and audit entry recorded. The raw baseline: the same number
of 1 KB persistent messages, already queued, consumed with pika (prefetch 500, acks per 100).
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import resource
import subprocess
import sys
import tempfile
import time

import pika

from bench.baselines import format_row
from ekm_platform import client
from ekm_platform.envelope import Envelope
from ekm_platform.testing.broker import create_vhost, delete_vhost
from ekm_platform.testing.platform import running_platform
from notifications.adapters.smtp_sink import SmtpSink

QUEUE = "evt-intake-appeal.accepted--notifications.on_appeal_accepted"


def publish(uri: str, exchange: str, routing_key: str, bodies, queue: str | None = None) -> None:
    connection = pika.BlockingConnection(pika.URLParameters(uri))
    try:
        channel = connection.channel()
        channel.confirm_delivery()
        if queue:  # the handler's own queue: declared as the platform declares it (EKM_QUEUE_TYPE)
            from ekm_platform.topology import queue_arguments

            channel.queue_declare(queue, durable=True, arguments=queue_arguments() or None)
        properties = pika.BasicProperties(content_type="application/json", delivery_mode=2)
        for body in bodies:
            channel.basic_publish(exchange, routing_key, body, properties)
    finally:
        connection.close()


def raw_consume(uri: str, n: int) -> dict:
    """``n`` queued 1 KB persistent messages consumed with pika: messages per second."""
    queue = f"bench-raw-consume-{os.getpid()}"
    publish(uri, "", queue, (b"x" * 1024 for _ in range(n)), queue=queue)
    connection = pika.BlockingConnection(pika.URLParameters(uri))
    try:
        channel = connection.channel()
        channel.basic_qos(prefetch_count=500)
        seen, start = 0, time.perf_counter()
        for method, _, _ in channel.consume(queue, inactivity_timeout=60):
            if method is None:
                raise TimeoutError("raw consumer idle")
            seen += 1
            if seen % 100 == 0 or seen == n:
                channel.basic_ack(method.delivery_tag, multiple=True)
            if seen == n:
                break
        elapsed = time.perf_counter() - start
        channel.cancel()
        channel.queue_delete(queue)
    finally:
        connection.close()
    return {"per_second": n / elapsed, "seconds": elapsed}


def queued(uri: str) -> int:
    connection = pika.BlockingConnection(pika.URLParameters(uri))
    try:
        return connection.channel().queue_declare(QUEUE, passive=True).method.message_count
    finally:
        connection.close()


def process_cpu(pid: int) -> float:
    """User + system CPU seconds of a process so far (Linux /proc)."""
    fields = pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def events(n: int):
    run = f"{os.getpid()}-{int(time.time())}"
    for i in range(n):
        yield json.dumps(
            Envelope(
                "appeal.accepted",
                "intake",
                {
                    "appeal_id": f"bench-{run}-{i}",
                    "tracking_number": f"EKM-BENCH-{i:06d}",
                    "screening_level": "assessment",
                    "channel": "phone",
                },
            ).to_message()
        ).encode()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=10000)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--verbose", action="store_true", help="print the queue and the SMTP count every second")
    args = parser.parse_args()

    vhost, uri = create_vhost("ekm-bench-notify")
    stub = None
    try:
        print("raw pika consume …", flush=True)
        raw = raw_consume(uri, args.n)
        with SmtpSink(keep=False) as smtp, tempfile.TemporaryDirectory() as home:
            stub = subprocess.Popen(
                [sys.executable, "-m", "bench.contact_stub", uri], stdout=subprocess.PIPE, text=True
            )
            assert stub.stdout.readline().strip() == "contact stub ready"
            env = {
                "EKM_SMTP_HOST": "127.0.0.1",
                "EKM_SMTP_PORT": str(smtp.port),
                "EKM_NOTIFY_RATE_LIMIT": "0",
                "EKM_QUIET_HOURS": "off",
                "EKM_NOTIFY_TICK_SECONDS": "0.2",
            }
            env.update({k: v for k, v in os.environ.items() if k.startswith(("EKM_NOTIFY_", "EKM_TRACING"))})
            with running_platform(
                pathlib.Path(home), uri, args.database_url, services=("notifications",), extra_env=env
            ) as platform:
                program = next(p for p in platform.supervisor.programs if p.name == "notifications")
                program.process.terminate()  # its queue stays (durable): the events wait there
                program.process.wait(30)
                print(f"publishing {args.n} appeal.accepted …", flush=True)
                publish(uri, "intake.events", "appeal.accepted", events(args.n))
                waiting = queued(uri)
                platform.supervisor.check()  # starts it again, as `ekm run` does
                client.wait_healthy("notifications", timeout=60, env=platform.env)
                pid = program.process.pid
                cpu_service, cpu_bench = process_cpu(pid), resource.getrusage(resource.RUSAGE_SELF)
                start = time.perf_counter()
                start_mono = time.monotonic()
                deadline = start + 900
                progress = []
                while smtp.count < args.n and time.perf_counter() < deadline:
                    time.sleep(0.05)
                    if args.verbose and (not progress or time.perf_counter() - progress[-1][0] >= 1):
                        progress.append((time.perf_counter(), queued(uri), smtp.count))
                        print(
                            f"  t={progress[-1][0] - start:5.1f}s queued events {progress[-1][1]:6d}  "
                            f"SMTP received {progress[-1][2]:6d}",
                            flush=True,
                        )
                elapsed = time.perf_counter() - start
                received = smtp.count
                cpu_service = process_cpu(pid) - cpu_service
                usage = resource.getrusage(resource.RUSAGE_SELF)
                cpu_bench = usage.ru_utime + usage.ru_stime - cpu_bench.ru_utime - cpu_bench.ru_stime
                first, last = smtp.keeper.first_at or start_mono, smtp.keeper.last_at or start_mono
                steady = (received - 1) / (last - first) if received > 1 and last > first else 0.0
                time.sleep(2)  # nothing more arrives: each once
                after = smtp.count
    finally:
        if stub is not None:
            stub.terminate()
            stub.wait(10)
        delete_vhost(vhost)
        if args.database_url:
            from ekm_platform import config
            from ekm_platform.db import drop_database

            saved = os.environ.get("EKM_DATABASE_URL")
            os.environ["EKM_DATABASE_URL"] = args.database_url
            try:
                drop_database(config.database_url("notifications"))
            finally:
                if saved is None:
                    os.environ.pop("EKM_DATABASE_URL")
                else:
                    os.environ["EKM_DATABASE_URL"] = saved

    rate = received / elapsed
    print(
        f"\nЕКМ bench — notifications from events to the SMTP server, "
        f"{'PostgreSQL' if args.database_url else 'SQLite'}, {waiting} events queued"
    )
    format_row("notifications/s, events → SMTP (from healthy)", rate, raw["per_second"], "/s")
    format_row("notifications/s, first to last SMTP message", steady, raw["per_second"], "/s")
    print(
        f"  {received} of {args.n} messages received in {elapsed:.1f} s "
        f"(raw pika consumed {args.n} in {raw['seconds']:.2f} s); {after - received} more after 2 s "
        f"— {'OK' if after == received == args.n else 'MISMATCH'}; target ≥ 500/s: "
        f"{'met' if rate >= 500 else 'NOT met'}"
    )
    print(
        f"  CPU: notifications process {cpu_service:.1f} s ({1000 * cpu_service / max(1, received):.2f} ms per "
        f"notification), this process (SMTP server, polling) {cpu_bench:.1f} s; load average "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )


if __name__ == "__main__":
    main()
