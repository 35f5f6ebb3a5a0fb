"""``ekm status`` and ``ekm dead-letters`` against real processes (intake, notifications), a
private RabbitMQ vhost and its management API: the figures it prints are the broker's and
the databases', and it says "unhealthy" (exit 1) exactly when something is.

The management API samples queue figures every few seconds, so each look is repeated
until the broker's figures have caught up (or the deadline passes and the test fails)."""

import json
import subprocess
import sys
import time

import pika
import pytest

from ekm_platform.testing import broker
from ekm_platform.testing.platform import running_platform

pytestmark = [pytest.mark.integration, pytest.mark.timeout(180)]
HANDLER = "evt-intake-appeal.accepted--notifications.on_appeal_accepted"
STALE = "evt-intake-appeal.accepted--notifications.on_a_handler_since_removed"


def ekm(platform, *args, timeout=60):
    return subprocess.run(
        [sys.executable, "-m", "ekm_platform.cli", *args],
        env=platform.env,
        check=False,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def status_until(platform, wanted, timeout=40.0):
    """``ekm status intake notifications --json`` until ``wanted(rc, data)``; the last look."""
    deadline = time.monotonic() + timeout
    while True:
        done = ekm(platform, "status", "intake", "notifications", "--json")
        data = json.loads(done.stdout)
        if wanted(done.returncode, data) or time.monotonic() > deadline:
            return done.returncode, data
        time.sleep(1)


def service(data, name):
    return next(s for s in data["services"] if s["service"] == name)


def queue(data, owner, name):
    return next((q for q in service(data, owner)["queues"] if q["name"] == name), None)


def publish(platform, exchange, routing_key, body: bytes, content_type="application/json", declare=None):
    connection = pika.BlockingConnection(pika.URLParameters(platform.env["EKM_AMQP_URI"]))
    try:
        channel = connection.channel()
        if declare:
            channel.queue_declare(declare, durable=True)
        channel.basic_publish(
            exchange, routing_key, body, pika.BasicProperties(content_type=content_type, delivery_mode=2)
        )
    finally:
        connection.close()


@pytest.fixture
def platform(tmp_path):
    """SQLite only: what is looked at (gRPC, the management API, a dead_letters table) is the
    same on PostgreSQL, and one platform start keeps this test short."""
    vhost, uri = broker.create_vhost("ekm-status")
    try:
        with running_platform(tmp_path, uri, services=("intake", "notifications")) as p:
            yield p
    finally:
        broker.delete_vhost(vhost)


def test_status_reports_health_queues_and_dead_letters_as_they_are(platform):
    # all up: both SERVING, every queue consumed, no dead letter -> exit 0
    rc, data = status_until(platform, lambda rc, d: rc == 0)
    assert rc == 0 and data["healthy"] and data["problems"] == [], data["problems"]
    assert data["vhost"].startswith("ekm-status-")
    assert [service(data, s)["health"] for s in ("intake", "notifications")] == ["SERVING", "SERVING"]
    assert queue(data, "intake", "rpc-intake")["consumers"] >= 1
    assert queue(data, "notifications", HANDLER)["consumers"] >= 1
    assert service(data, "notifications")["dead_letters"] == 0

    # a queue nobody consumes (a handler since removed) with 3 messages in it
    for n in range(3):
        publish(platform, "", STALE, json.dumps({"n": n}).encode(), declare=STALE)
    # two events notifications can never read (event_id not a UUID): dead letters at once
    for n in range(2):
        publish(
            platform,
            "intake.events",
            "appeal.accepted",
            json.dumps(
                {
                    "source": "intake",
                    "event_type": "appeal.accepted",
                    "event_id": f"not-a-uuid-{n}",
                    "data": {"appeal_id": "x"},
                }
            ).encode(),
        )
    # and a refused partner record in the feed's dead-letter queue (as the feed consumer puts it there)
    publish(platform, "", "partner.feed.dead", b'{"record": 1}', declare="partner.feed.dead")
    rc, data = status_until(
        platform,
        lambda rc, d: (
            service(d, "notifications")["dead_letters"] == 2
            and (queue(d, "notifications", STALE) or {}).get("ready") == 3
        ),
    )
    stale = queue(data, "notifications", STALE)
    assert (stale["ready"], stale["unacked"], stale["consumers"], stale["kind"]) == (3, 0, 0, "events")
    assert service(data, "notifications")["dead_letters"] == 2
    assert rc == 1 and not data["healthy"]
    assert f"notifications: queue {STALE} has no consumer (3 message(s) waiting)" in data["problems"]
    assert "notifications: 2 dead letter(s) (ekm dead-letters notifications)" in data["problems"]
    assert not any(p.startswith("intake") for p in data["problems"]), data["problems"]

    # the dead letters listed with attempts and age, then replayed: they fail again (still no UUID),
    # so they come back under new numbers
    listed = ekm(platform, "dead-letters", "notifications", "--json")
    views = json.loads(listed.stdout)
    assert [(v["attempts"], v["replayable"], v["reason"]) for v in views] == [(1, True, "event_id is not a UUID")] * 2
    assert all(0 <= v["age_seconds"] < 120 for v in views)
    replay = ekm(platform, "dead-letters", "notifications", "--replay-all")
    assert replay.returncode == 0 and "replayed: 2 of 2" in replay.stdout, replay.stderr
    assert "\r" not in replay.stderr and "replay: 2 letters in " in replay.stderr  # a pipe: one plain line, no bar
    deadline = time.monotonic() + 30
    while len(again := json.loads(ekm(platform, "dead-letters", "notifications", "--json").stdout)) < 2:
        assert time.monotonic() < deadline, again
        time.sleep(0.5)
    assert min(v["created_at"] for v in again) > max(v["created_at"] for v in views)  # new ones (SQLite reuses seq)

    # notifications killed: reported UNREACHABLE, its handler queue left without a consumer
    process = next(p.process for p in platform.supervisor.programs if p.name == "notifications")
    process.kill()
    process.wait(10)
    rc, data = status_until(
        platform,
        lambda rc, d: (
            service(d, "notifications")["health"] == "UNREACHABLE"
            and queue(d, "notifications", HANDLER)["consumers"] == 0
            and service(d, "notifications")["dead_letters"] == 2
        ),
    )
    assert rc == 1
    assert service(data, "notifications")["health"] == "UNREACHABLE"
    assert service(data, "intake")["health"] == "SERVING"
    assert queue(data, "notifications", HANDLER)["consumers"] == 0
    assert service(data, "notifications")["dead_letters"] == 2, data  # read from its database, not from the service
    assert any(p.startswith("notifications: gRPC health UNREACHABLE") for p in data["problems"])

    # the table, with the registry gateway (not started here) and its feed's dead record
    table = ekm(platform, "status", "intake", "notifications", "registry-gateway")
    assert table.returncode == 1
    services_table, queues_table = table.stdout.split("ЧЕРГИ / QUEUES")
    rows = {line.split()[0]: line.split() for line in services_table.splitlines() if line.split()}
    assert rows["notifications"][1] == "UNREACHABLE" and rows["intake"][1] == "SERVING"
    assert rows["notifications"][-1] == "2"  # its dead letters
    assert rows["registry-gateway"][1] == "UNREACHABLE" and rows["registry-gateway"][-1] == "1"
    queues = {line.split()[1]: line.split() for line in queues_table.splitlines()[1:] if len(line.split()) == 6}
    assert queues["partner.feed.dead"] == ["registry-gateway", "partner.feed.dead", "dead", "1", "0", "0"]
    assert queues[STALE][3:] == ["3", "0", "0"]
    assert "registry-gateway: 1 dead record(s) in partner.feed.dead" in table.stdout
