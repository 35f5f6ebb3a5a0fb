"""No event lost, none looping: real RabbitMQ, real intake and notifications processes.

A handler that keeps failing (any error) is tried again with a growing delay (the message
waits in a broker delay queue), then becomes a dead letter with the reason; an operator
fixes the cause and replays it. Messages that cannot be decoded are dead letters at once
(nameko alone logs them and drops them)."""

import subprocess
import sys
import time

import pika
import pytest
from sqlalchemy import text

from ekm.intake.v1 import intake_pb2_grpc
from ekm_platform import config
from ekm_platform.db import make_engine
from ekm_platform.testing import broker
from ekm_platform.testing.platform import running_platform
from tests.appeals import appeal_request

pytestmark = [pytest.mark.integration, pytest.mark.timeout(240)]
QUEUE = "evt-intake-appeal.accepted--notifications.on_appeal_accepted"
RETRIES = {"EKM_EVENT_MAX_ATTEMPTS": "3", "EKM_EVENT_RETRY_DELAY": "0.5"}


def until(probe, timeout=30.0):
    deadline = time.monotonic() + timeout
    while not (value := probe()) and time.monotonic() < deadline:
        time.sleep(0.2)
    return value


def dead_letters(platform, *extra):
    return subprocess.run(
        [sys.executable, "-m", "ekm_platform.cli", "dead-letters", "notifications", *extra],
        env=platform.env,
        capture_output=True,
        text=True,
        timeout=30,
    )


def listing_with(platform, text):
    out = dead_letters(platform).stdout
    return out if text in out else ""


def queue_depths(platform, names):
    connection = pika.BlockingConnection(pika.URLParameters(platform.env["EKM_AMQP_URI"]))
    try:
        channel = connection.channel()
        depths = {}
        for name in names:
            try:
                depths[name] = channel.queue_declare(name, passive=True).method.message_count
            except pika.exceptions.ChannelClosedByBroker:  # never declared: nothing waits there
                depths[name] = 0
                channel = connection.channel()
        return depths
    finally:
        connection.close()


def publish_raw(platform, body: bytes, content_type: str | None):
    connection = pika.BlockingConnection(pika.URLParameters(platform.env["EKM_AMQP_URI"]))
    try:
        connection.channel().basic_publish(
            "intake.events", "appeal.accepted", body, pika.BasicProperties(content_type=content_type, delivery_mode=2)
        )
    finally:
        connection.close()


@pytest.fixture
def own_vhost():
    """A vhost of this test alone: the junk and the failing events it publishes must not reach
    the queues other tests of the session declared in the shared one."""
    name, uri = broker.create_vhost("ekm-retries")
    yield uri
    broker.delete_vhost(name)


@pytest.fixture
def platform(tmp_path, own_vhost, database_url):
    with running_platform(
        tmp_path, own_vhost, database_url=database_url, services=("intake", "notifications"), extra_env=RETRIES
    ) as running:
        yield running


def test_a_handler_that_keeps_failing_backs_off_then_is_a_dead_letter_an_operator_replays(platform, monkeypatch):
    for name, value in platform.env.items():
        if name.startswith("EKM_"):
            monkeypatch.setenv(name, value)
    engine = make_engine(config.database_url("notifications"))
    try:
        with engine.begin() as conn:  # a table gone (say, a migration not applied): every attempt fails
            conn.execute(text("ALTER TABLE deliveries RENAME TO deliveries_away"))
        md = platform.bearer("case_manager", "cm-int")
        with platform.channel("intake") as ch:
            accepted = intake_pb2_grpc.IntakeServiceStub(ch).SubmitAppeal(appeal_request(), metadata=md, timeout=10)
        started = time.monotonic()

        listing = until(lambda: listing_with(platform, "3 attempts failed"), 60)
        waited = time.monotonic() - started
        assert listing, platform.log("notifications")[-3000:]
        assert "notifications.on_appeal_accepted" in listing and "deliveries" in listing
        assert "1 dead letter" in listing
        log = platform.log("notifications")
        assert log.count("failed (attempt 1 of 3), retrying in 0.5 s") == 1
        assert log.count("failed (attempt 2 of 3), retrying in 1.0 s") == 1
        assert "attempt 3 of 3" not in log  # the third failure is the last: a dead letter, no fourth try
        assert waited >= 1.5  # 0.5 s + 1.0 s of back-off, spent in the broker's delay queues
        assert queue_depths(platform, [QUEUE, "ekm.retry.500", "ekm.retry.1000"]) == {
            QUEUE: 0,
            "ekm.retry.500": 0,
            "ekm.retry.1000": 0,
        }  # nothing left looping

        with engine.begin() as conn:  # the operator fixes the cause, then replays
            conn.execute(text("ALTER TABLE deliveries_away RENAME TO deliveries"))
        seq = listing.split()[0]
        replay = dead_letters(platform, "--replay", seq)
        assert replay.returncode == 0 and "replayed" in replay.stdout, replay.stderr

        def delivered():
            with engine.connect() as conn:
                return conn.execute(
                    text("SELECT count(*) FROM deliveries WHERE reference = :a"), {"a": accepted.appeal_id}
                ).scalar()

        assert until(delivered) == 1
        assert "0 dead letter" in dead_letters(platform).stdout
    finally:
        engine.dispose()


def test_messages_that_cannot_be_decoded_are_dead_letters_not_dropped(platform):
    publish_raw(platform, b"{not json", "application/json")
    publish_raw(platform, "привіт".encode(), "text/plain")
    listing = until(lambda: listing_with(platform, "2 dead letter"))
    assert listing, platform.log("notifications")[-3000:]
    assert listing.count("undecodable message") == 2
    assert "'text/plain'" in listing and "'application/json'" in listing
    seq = listing.split()[0]
    replay = dead_letters(platform, "--replay", seq)
    assert replay.returncode == 1 and "not a replayable event" in replay.stderr
    assert queue_depths(platform, [QUEUE]) == {QUEUE: 0}


def test_the_attempt_count_survives_a_restart_of_the_service(tmp_path, own_vhost, monkeypatch):
    """The count travels with the message (a header), so a crash between attempts neither
    resets it nor loses the event."""
    slow = {**RETRIES, "EKM_EVENT_RETRY_DELAY": "3"}
    with running_platform(tmp_path, own_vhost, services=("intake", "notifications"), extra_env=slow) as platform:
        for name, value in platform.env.items():
            if name.startswith("EKM_"):
                monkeypatch.setenv(name, value)
        engine = make_engine(config.database_url("notifications"))
        try:
            with engine.begin() as conn:
                conn.execute(text("ALTER TABLE deliveries RENAME TO deliveries_away"))
            md = platform.bearer("case_manager", "cm-int")
            with platform.channel("intake") as ch:
                intake_pb2_grpc.IntakeServiceStub(ch).SubmitAppeal(appeal_request(), metadata=md, timeout=10)
            assert until(lambda: "attempt 1 of 3" in platform.log("notifications"))
            program = next(p for p in platform.supervisor.programs if p.name == "notifications")
            program.process.kill()  # SIGKILL while the event waits in the delay queue
            program.process.wait(10)
            platform.supervisor.check()  # restarted, as `ekm run` does
            assert until(lambda: listing_with(platform, "3 attempts failed"), 60), platform.log("notifications")[-3000:]
            log = platform.log("notifications")
            assert log.count("attempt 1 of 3") == 1 and log.count("attempt 2 of 3") == 1
        finally:
            engine.dispose()
