"""EKM_QUEUE_TYPE=quorum: every queue the platform and nameko declare is a quorum queue
(RPC reply queues stay classic, on purpose: see ekm_platform.topology), and events still
flow, are retried through the (quorum) delay queues and become dead letters; the partner
feed's queues are quorum queues, a record that failed comes back from a delay queue, and one
that keeps failing is a dead record an operator replays.

Real RabbitMQ (a vhost of this test alone, checked through the management API), real
intake, notifications and registry-gateway processes (with the partner feed consumer)."""

import base64
import json
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import uuid

import pika
import pytest

from ekm.intake.v1 import intake_pb2_grpc
from ekm_platform.identifiers import make_rnokpp
from ekm_platform.testing import broker
from ekm_platform.testing.platform import running_platform
from tests.appeals import appeal_request

pytestmark = [pytest.mark.integration, pytest.mark.timeout(240)]
PARTNER = f"partner-qq-{uuid.uuid4().hex[:6]}"
ENV = {"EKM_QUEUE_TYPE": "quorum", "EKM_EVENT_MAX_ATTEMPTS": "3", "EKM_EVENT_RETRY_DELAY": "1.5"}


def until(probe, timeout=45.0):
    deadline = time.monotonic() + timeout
    while not (value := probe()) and time.monotonic() < deadline:
        time.sleep(0.2)
    return value


def management_queues(vhost: str) -> list[dict]:
    request = urllib.request.Request(
        f"{broker.MANAGEMENT}/api/queues/{urllib.parse.quote(vhost, safe='')}?columns=name,type,durable,"
        f"auto_delete,exclusive,arguments",
        headers={"authorization": "Basic " + base64.b64encode(f"{broker.USER}:{broker.PASSWORD}".encode()).decode()},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


@pytest.fixture
def vhost():
    name, uri = broker.create_vhost("ekm-quorum")
    yield name, uri
    broker.delete_vhost(name)


@pytest.fixture
def platform(tmp_path, vhost):
    name, uri = vhost
    partners = tmp_path / "partners.json"
    partners.write_text(json.dumps([{"partner_id": PARTNER, "record_types": ["employment.registered"]}]))
    broker.create_user(PARTNER, "qq-secret", name, write=r"^partner\.feed$")
    try:
        with running_platform(
            tmp_path,
            uri,
            services=("intake", "notifications", "registry-gateway"),
            extra_env={**ENV, "EKM_PARTNERS_FILE": str(partners)},
        ) as running:
            yield running
    finally:
        broker.delete_user(PARTNER)


def count(path, sql) -> int:
    with sqlite3.connect(path) as db:
        return db.execute(sql).fetchone()[0]


def rename(path, old, new) -> None:
    with sqlite3.connect(path) as db:
        db.execute(f"ALTER TABLE {old} RENAME TO {new}")


def dead_letters(platform) -> str:
    return subprocess.run(
        [sys.executable, "-m", "ekm_platform.cli", "dead-letters", "notifications"],
        env=platform.env,
        capture_output=True,
        text=True,
        timeout=30,
    ).stdout


def feed_dead(platform, action: str) -> str:
    return subprocess.run(
        [sys.executable, "-m", "registry_gateway.feed_consumer", "--dead", action],
        env=platform.env,
        capture_output=True,
        text=True,
        timeout=30,
    ).stdout


def push_record(platform) -> None:
    uri = platform.env["EKM_AMQP_URI"].replace("guest:guest", f"{PARTNER}:qq-secret")
    connection = pika.BlockingConnection(pika.URLParameters(uri))
    try:
        channel = connection.channel()
        channel.confirm_delivery()
        body = {
            "source_id": f"qq-{uuid.uuid4().hex[:10]}",
            "rnokpp": make_rnokpp("322151234"),
            "registered_on": "2026-11-20",
            "center_code": "KYIV-01",
        }
        channel.basic_publish(
            "partner.feed",
            "employment.registered",
            json.dumps(body).encode(),
            pika.BasicProperties(user_id=PARTNER, delivery_mode=2),
        )
    finally:
        connection.close()


def test_quorum_queues_everywhere_but_reply_queues_and_events_flow_retry_and_dead_letter(platform, vhost):
    var = platform.home / "var"
    notifications_db, gateway_db = var / "notifications.db", var / "registry_gateway.db"
    md = platform.bearer("case_manager", "cm-qq")

    # an event flows: intake's outbox -> a quorum event queue -> notifications' batch handler
    with platform.channel("intake") as ch:
        first = intake_pb2_grpc.IntakeServiceStub(ch).SubmitAppeal(appeal_request(), metadata=md, timeout=10)
    assert until(
        lambda: count(notifications_db, f"SELECT count(*) FROM deliveries WHERE reference = '{first.appeal_id}'")
    ), platform.log("notifications")[-3000:]

    # a handler that keeps failing: retried through quorum delay queues, then a dead letter
    rename(notifications_db, "deliveries", "deliveries_away")
    with platform.channel("intake") as ch:
        intake_pb2_grpc.IntakeServiceStub(ch).SubmitAppeal(appeal_request(), metadata=md, timeout=10)
    listing = until(lambda: (out := dead_letters(platform)) and "3 attempts failed" in out and out)
    assert listing and "notifications.on_appeal_accepted" in listing, platform.log("notifications")[-3000:]

    # the partner feed: a record that failed (its table away) waits in a delay queue and comes back
    rename(gateway_db, "feed_records", "feed_records_away")
    push_record(platform)
    assert until(lambda: "attempt 1 of 3" in platform.log("registry-gateway-feed")), platform.log(
        "registry-gateway-feed"
    )[-3000:]
    rename(gateway_db, "feed_records_away", "feed_records")
    assert until(lambda: count(gateway_db, "SELECT count(*) FROM feed_records")), platform.log("registry-gateway-feed")[
        -3000:
    ]

    # one that keeps failing goes to the (quorum) dead queue; the operator replays it once fixed
    rename(gateway_db, "feed_records", "feed_records_away")
    push_record(platform)
    dead = until(lambda: "3 attempts failed" in (out := feed_dead(platform, "list")) and out)
    assert dead and "1 dead record" in dead, platform.log("registry-gateway-feed")[-3000:]
    rename(gateway_db, "feed_records_away", "feed_records")
    assert "1 dead record(s) replayed" in feed_dead(platform, "replay")
    assert until(lambda: count(gateway_db, "SELECT count(*) FROM feed_records") == 2), platform.log(
        "registry-gateway-feed"
    )[-3000:]

    queues = {q["name"]: q for q in management_queues(vhost[0])}
    expected = {
        "evt-intake-appeal.accepted--notifications.on_appeal_accepted",
        "evt-cases-case.opened--intake.on_case_opened",
        "rpc-intake",
        "rpc-registry_gateway",
        "ekm.retry.1500",
        "ekm.retry.3000",
        "partner.feed.records",
        "partner.feed.dead",
    }
    assert expected <= set(queues), sorted(queues)
    replies = [q for name, q in queues.items() if name.startswith("rpc.reply-")]
    assert replies and all(q["type"] == "classic" for q in replies), replies
    not_quorum = {
        name: q["type"] for name, q in queues.items() if not name.startswith("rpc.reply-") and q["type"] != "quorum"
    }
    assert not not_quorum, not_quorum
    assert all(
        q["durable"] and not q["auto_delete"] and not q["exclusive"]
        for name, q in queues.items()
        if not name.startswith("rpc.reply-")
    )
    assert queues["ekm.retry.1500"]["arguments"]["x-dead-letter-strategy"] == "at-least-once"
