"""Nothing lost, nothing twice: real RabbitMQ, real service processes, SQLite and PostgreSQL."""

import json
import time

import pika
import pytest

from ekm.cases.v1 import cases_pb2, cases_pb2_grpc
from ekm.intake.v1 import intake_pb2, intake_pb2_grpc
from ekm.notifications.v1 import notifications_pb2, notifications_pb2_grpc
from ekm_platform.testing.platform import running_platform
from tests.appeals import appeal_request

pytestmark = [pytest.mark.integration, pytest.mark.timeout(240)]
SERVICES = ("intake", "cases", "notifications")


@pytest.fixture
def platform(tmp_path, ekm_amqp_uri, database_url):
    with running_platform(tmp_path, ekm_amqp_uri, database_url=database_url, services=SERVICES) as running:
        yield running


def until(probe, timeout=30.0):
    deadline = time.monotonic() + timeout
    while not (value := probe()) and time.monotonic() < deadline:
        time.sleep(0.1)
    return value


def case_number(platform, tracking_number, md):
    with platform.channel("intake") as ch:
        stub = intake_pb2_grpc.IntakeServiceStub(ch)
        return stub.GetAppealStatus(
            intake_pb2.GetAppealStatusRequest(tracking_number=tracking_number), metadata=md, timeout=5
        ).case_number


def all_cases(platform, md):
    md = platform.bearer("operator", "op-int")  # operators see every case's identifiers
    with platform.channel("cases") as ch:
        return (
            cases_pb2_grpc.CaseServiceStub(ch)
            .ListCases(cases_pb2.ListCasesRequest(page_size=500), metadata=md, timeout=5)
            .cases
        )


def deliveries(platform, appeal_id, md):
    md = platform.bearer("operator", "op-int")  # no case manager owns these cases; operators see identifiers
    with platform.channel("notifications") as ch:
        return (
            notifications_pb2_grpc.NotificationServiceStub(ch)
            .ListDeliveries(notifications_pb2.ListDeliveriesRequest(reference=appeal_id), metadata=md, timeout=5)
            .deliveries
        )


def test_an_event_delivered_again_writes_nothing_twice(platform):
    md = platform.bearer("case_manager", "cm-int")
    connection = pika.BlockingConnection(pika.URLParameters(platform.env["EKM_AMQP_URI"]))
    channel = connection.channel()
    spy = channel.queue_declare("", exclusive=True).method.queue
    channel.queue_bind(spy, "intake.events", routing_key="appeal.accepted")
    try:
        with platform.channel("intake") as ch:
            accepted = intake_pb2_grpc.IntakeServiceStub(ch).SubmitAppeal(appeal_request(), metadata=md, timeout=10)
        number = until(lambda: case_number(platform, accepted.tracking_number, md))
        assert number
        assert until(lambda: deliveries(platform, accepted.appeal_id, md))
        for _ in range(20):
            method, properties, body = channel.basic_get(spy, auto_ack=True)
            if method:
                break
            time.sleep(0.1)
        assert json.loads(body)["data"]["appeal_id"] == accepted.appeal_id
        for _ in range(2):  # the broker redelivers the very same message
            channel.basic_publish("intake.events", "appeal.accepted", body, properties)
        time.sleep(2)
        assert until(lambda: _queues_drained(channel))
    finally:
        connection.close()
    assert [c.case_number for c in all_cases(platform, md)] == [number]
    assert len(deliveries(platform, accepted.appeal_id, md)) == 1


def _queues_drained(channel) -> bool:
    names = (
        "evt-intake-appeal.accepted--cases.on_appeal_accepted",
        "evt-intake-appeal.accepted--notifications.on_appeal_accepted",
    )
    return all(channel.queue_declare(name, passive=True).method.message_count == 0 for name in names)


def test_a_consumer_crash_loses_nothing(platform):
    """Appeals accepted while the cases service is down get their cases when it is back."""
    md = platform.bearer("case_manager", "cm-int")
    cases_program = next(p for p in platform.supervisor.programs if p.name == "cases")
    cases_program.process.kill()  # SIGKILL: no clean shutdown
    cases_program.process.wait(10)
    with platform.channel("intake") as ch:
        stub = intake_pb2_grpc.IntakeServiceStub(ch)
        tracking = [stub.SubmitAppeal(appeal_request(), metadata=md, timeout=10).tracking_number for _ in range(10)]
    assert not any(case_number(platform, t, md) for t in tracking)
    platform.supervisor.check()  # restarts what died, as `ekm run` does every second

    def every_case_opened():
        platform.supervisor.check()  # and keeps doing so while we wait, as `ekm run` does
        return all(case_number(platform, t, md) for t in tracking)

    numbers = until(every_case_opened, timeout=60)
    assert numbers, platform.log("cases")[-2000:]
    assert len({case_number(platform, t, md) for t in tracking}) == 10


def test_a_poison_event_is_a_dead_letter_and_an_operator_can_replay_it(platform):
    """An event cases cannot use goes to its dead letters with the reason; replayed after
    the cause is fixed (here: it was fine all along, for another consumer) it is handled."""
    import subprocess
    import sys
    import uuid

    md = platform.bearer("case_manager", "cm-int")
    with platform.channel("intake") as ch:
        accepted = intake_pb2_grpc.IntakeServiceStub(ch).SubmitAppeal(appeal_request(), metadata=md, timeout=10)
    assert until(lambda: case_number(platform, accepted.tracking_number, md))
    poison = {
        "event_id": str(uuid.uuid4()),
        "event_type": "appeal.accepted",
        "source": "intake",
        "data": {"appeal_id": accepted.appeal_id, "screening_level": "nonsense"},
    }
    connection = pika.BlockingConnection(pika.URLParameters(platform.env["EKM_AMQP_URI"]))
    try:
        connection.channel().basic_publish(
            "intake.events",
            "appeal.accepted",
            json.dumps(poison),
            pika.BasicProperties(content_type="application/json", delivery_mode=2),
        )
    finally:
        connection.close()

    def listing():
        out = subprocess.run(
            [sys.executable, "-m", "ekm_platform.cli", "dead-letters", "cases"],
            env=platform.env,
            capture_output=True,
            text=True,
            timeout=30,
        )
        return out.stdout if "screening_level" in out.stdout else ""

    shown = until(listing)
    assert "cases.on_appeal_accepted" in shown and "1 dead letter" in shown
    seq = shown.split()[0]
    replay = subprocess.run(
        [sys.executable, "-m", "ekm_platform.cli", "dead-letters", "cases", "--replay", seq],
        env=platform.env,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert replay.returncode == 0 and "replayed" in replay.stdout
    # still unusable for cases: it comes back as a dead letter, and nothing else changed
    assert until(listing)
    assert len(all_cases(platform, md)) == 1
