"""Partner agencies push records over AMQP: authenticated by the broker, authorised per
record type, validated, stored once, announced; poison records go to the dead queue."""

import json
import sqlite3
import subprocess
import sys
import time
import uuid

import pika
import pytest

from ekm_platform.identifiers import make_rnokpp
from ekm_platform.testing import broker
from ekm_platform.testing.platform import running_platform

pytestmark = [pytest.mark.integration, pytest.mark.timeout(180)]


PARTNER = f"partner-dcz-{uuid.uuid4().hex[:6]}"  # broker users are global: one per test run


@pytest.fixture
def platform(tmp_path, ekm_amqp_uri):
    vhost = ekm_amqp_uri.rsplit("/", 1)[1]
    partners = tmp_path / "partners.json"
    partners.write_text(json.dumps([{"partner_id": PARTNER, "record_types": ["employment.registered"]}]))
    broker.create_user(PARTNER, "dcz-secret", vhost, write=r"^partner\.feed$")
    try:
        with running_platform(
            tmp_path, ekm_amqp_uri, services=("registry-gateway",), extra_env={"EKM_PARTNERS_FILE": str(partners)}
        ) as running:
            yield running
    finally:
        broker.delete_user(PARTNER)


def record(**changes):
    body = {
        "source_id": f"dcz-{uuid.uuid4().hex[:10]}",
        "rnokpp": make_rnokpp("322151234"),
        "registered_on": "2026-11-20",
        "center_code": "KYIV-01",
    }
    body.update(changes)
    return body


def stored(platform):
    with sqlite3.connect(platform.home / "var" / "registry_gateway.db") as db:
        return db.execute("SELECT count(*) FROM feed_records").fetchone()[0]


def test_records_are_authenticated_validated_stored_once_and_poison_goes_dead(platform):
    uri = platform.env["EKM_AMQP_URI"].replace("guest:guest", f"{PARTNER}:dcz-secret")
    spy_connection = pika.BlockingConnection(pika.URLParameters(platform.env["EKM_AMQP_URI"]))
    spy = spy_connection.channel()
    spy_queue = spy.queue_declare("", exclusive=True).method.queue
    spy.exchange_declare("registry_gateway.events", "topic", durable=True)
    spy.queue_bind(spy_queue, "registry_gateway.events", "registry.#")
    connection = pika.BlockingConnection(pika.URLParameters(uri))
    channel = connection.channel()
    channel.confirm_delivery()

    def push(record_type, body):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        channel.basic_publish("partner.feed", record_type, data, pika.BasicProperties(user_id=PARTNER, delivery_mode=2))

    good = record()
    push("employment.registered", good)
    push("employment.registered", good)  # duplicate source id
    push("employment.registered", record(rnokpp="1234567890"))  # wrong check digit
    push("employment.registered", record(salary="secret"))  # unknown field
    push("education.enrolled", record())  # not authorised
    push("employment.registered", b"{not json")  # invalid JSON
    with pytest.raises(pika.exceptions.ChannelClosedByBroker):  # pretending to be another partner
        channel.basic_publish(
            "partner.feed",
            "employment.registered",
            json.dumps(record()).encode(),
            pika.BasicProperties(user_id="partner-moz"),
        )
    connection.close()

    deadline = time.monotonic() + 30
    while stored(platform) < 1 and time.monotonic() < deadline:
        time.sleep(0.1)
    listing = ""
    while "4 dead record(s)" not in listing and time.monotonic() < deadline + 20:
        listing = subprocess.run(
            [sys.executable, "-m", "registry_gateway.feed_consumer", "--dead", "list"],
            env=platform.env,
            capture_output=True,
            text=True,
            timeout=30,
        ).stdout
        time.sleep(0.2)
    assert stored(platform) == 1
    assert "4 dead record(s)" in listing
    for reason in ("check digit", "unknown fields: salary", "not authorised", "invalid JSON"):
        assert reason in listing
    method, _, body = None, None, None
    for _ in range(50):
        method, _, body = spy.basic_get(spy_queue, auto_ack=True)
        if method:
            break
        time.sleep(0.1)
    spy_connection.close()
    event = json.loads(body)
    assert event["event_type"] == "registry.person.registered_job_seeker"
    assert good["rnokpp"] not in body.decode() and event["data"]["partner_id"] == PARTNER
