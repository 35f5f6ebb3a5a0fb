"""Relation checks through the real processes (issue 8, items 1, 4 and 16): the delivery log
and referrals are shown only to whoever may see the case; a referral of another manager's case
or an unknown case is NOT_FOUND and stores nothing; a re-sent ``appeal.accepted`` (a new event
id for the same appeal, published for real) sends no second SMS; the audit logs of
notifications and interagency stay intact."""

import json
import sqlite3
import subprocess
import sys
import time
import uuid

import grpc
import pika
import pytest
from nameko.standalone.rpc import ServiceRpcClient

from ekm.intake.v1 import intake_pb2, intake_pb2_grpc
from ekm.interagency.v1 import interagency_pb2, interagency_pb2_grpc
from ekm.notifications.v1 import notifications_pb2, notifications_pb2_grpc
from ekm_platform.testing.platform import running_platform
from tests.appeals import appeal_request

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(150)]
COMMUNITY = "UA80000000000093317"
AGENCY = "12345678"


@pytest.fixture(scope="module")
def platform(tmp_path_factory, ekm_amqp_uri):
    with running_platform(
        tmp_path_factory.mktemp("ekm"),
        ekm_amqp_uri,
        services=("intake", "cases", "notifications", "interagency"),
        extra_env={"EKM_AUDIT_ANCHOR_INTERVAL": "1"},
    ) as running:
        with ServiceRpcClient("cases", uri=running.env["EKM_AMQP_URI"], timeout=20) as cases:
            cases.register_case_manager("cm-rel-1", COMMUNITY, 10, ["veterans"], "sv-rel-1")
        with ServiceRpcClient("interagency", uri=running.env["EKM_AMQP_URI"], timeout=20) as interagency:
            interagency.register_agency(
                {"agency_code": AGENCY, "name": "Лікарня", "sector": "health", "community_code": COMMUNITY}
            )
        yield running


@pytest.fixture(scope="module")
def appeal(platform):
    """One appeal whose case goes to cm-rel-1 (the only manager of the community)."""
    md = platform.bearer("case_manager", "cm-rel-1")
    with platform.channel("intake") as ch:
        intake = intake_pb2_grpc.IntakeServiceStub(ch)
        accepted = intake.SubmitAppeal(appeal_request(), metadata=md, timeout=10)
        number = until(
            lambda: (
                intake.GetAppealStatus(
                    intake_pb2.GetAppealStatusRequest(tracking_number=accepted.tracking_number), metadata=md, timeout=5
                ).case_number
            )
        )
    assert number, platform.log("cases")[-2000:]
    return accepted, number


def until(probe, timeout=30.0, interval=0.2):
    deadline = time.monotonic() + timeout
    while True:
        try:
            value = probe()
        except grpc.RpcError as exc:
            if exc.code() != grpc.StatusCode.NOT_FOUND:
                raise
            value = None
        if value or time.monotonic() > deadline:
            return value
        time.sleep(interval)


def code_of(call):
    with pytest.raises(grpc.RpcError) as caught:
        call()
    return caught.value.code()


def deliveries(platform, reference, role, user, **extra):
    with platform.channel("notifications") as ch:
        return list(
            notifications_pb2_grpc.NotificationServiceStub(ch)
            .ListDeliveries(
                notifications_pb2.ListDeliveriesRequest(reference=reference),
                metadata=platform.bearer(role, user),
                timeout=10,
            )
            .deliveries
        )


def status_name(delivery) -> str:
    """ "sent" whether the field is still a string or already the DeliveryStatus enum."""
    status = delivery.status
    return status if isinstance(status, str) else notifications_pb2.DeliveryStatus.Name(status).lower()


def rows(platform, service, sql, *args):
    with sqlite3.connect(platform.home / "var" / f"{service}.db") as db:
        return db.execute(sql, args).fetchall()


def test_the_delivery_log_is_shown_only_to_whoever_may_see_the_appeals_case(platform, appeal):
    accepted, _ = appeal
    [mine] = until(
        lambda: [
            d
            for d in deliveries(platform, accepted.appeal_id, "case_manager", "cm-rel-1")
            if d.status == notifications_pb2.DELIVERY_STATUS_SENT
        ]
    )  # queued, then sent
    assert mine.recipient_masked.startswith("+380") and "*" in mine.recipient_masked
    assert (
        code_of(lambda: deliveries(platform, accepted.appeal_id, "case_manager", "cm-rel-2"))
        == grpc.StatusCode.NOT_FOUND
    )
    assert (
        code_of(lambda: deliveries(platform, accepted.appeal_id, "supervisor", "sv-other")) == grpc.StatusCode.NOT_FOUND
    )
    assert (
        code_of(lambda: deliveries(platform, str(uuid.uuid4()), "case_manager", "cm-rel-1"))
        == grpc.StatusCode.NOT_FOUND
    )
    assert (
        code_of(lambda: deliveries(platform, accepted.appeal_id, "recipient", "p-1"))
        == grpc.StatusCode.PERMISSION_DENIED
    )
    [team] = deliveries(platform, accepted.appeal_id, "supervisor", "sv-rel-1")
    [operator] = deliveries(platform, accepted.appeal_id, "operator", "op-rel")
    assert team.delivery_id == operator.delivery_id == mine.delivery_id
    assert operator.recipient_masked == "" and status_name(operator).endswith("sent")


def test_referrals_only_of_cases_the_caller_may_see_and_nothing_stored_otherwise(platform, appeal):
    _, number = appeal
    with platform.channel("interagency") as ch:
        stub = interagency_pb2_grpc.InteragencyServiceStub(ch)

        def create(user, case_number, role="case_manager"):
            return stub.CreateReferral(
                interagency_pb2.CreateReferralRequest(
                    case_number=case_number,
                    sector=interagency_pb2.SECTOR_HEALTH,
                    agency_code=AGENCY,
                    reason="Потрібна реабілітація",
                ),
                metadata=platform.bearer(role, user),
                timeout=10,
            )

        assert code_of(lambda: create("cm-rel-2", number)) == grpc.StatusCode.NOT_FOUND
        assert code_of(lambda: create("cm-rel-1", "CASE-2026-ZZZZZZZ")) == grpc.StatusCode.NOT_FOUND
        assert rows(platform, "interagency", "SELECT count(*) FROM referrals") == [(0,)]
        assert rows(platform, "interagency", "SELECT count(*) FROM outbox") == [(0,)]

        referral = create("cm-rel-1", number)
        assert referral.case_number == number

        def get(role, user, org=""):
            md = [("authorization", "Bearer " + _token(platform, role, user, org))]
            return stub.GetReferral(
                interagency_pb2.GetReferralRequest(referral_id=referral.referral_id), metadata=md, timeout=10
            )

        assert code_of(lambda: get("case_manager", "cm-rel-2")) == grpc.StatusCode.NOT_FOUND
        assert code_of(lambda: get("partner_agency", "pa-2", "87654321")) == grpc.StatusCode.NOT_FOUND
        for role, user, org in (
            ("case_manager", "cm-rel-1", ""),
            ("supervisor", "sv-rel-1", ""),
            ("partner_agency", "pa-1", AGENCY),
        ):
            assert get(role, user, org).referral_id == referral.referral_id
    assert rows(platform, "interagency", "SELECT count(*) FROM referrals") == [(1,)]
    actions = rows(platform, "interagency", "SELECT actor_id, action FROM audit_log ORDER BY seq")
    assert actions == [
        ("cm-rel-1", "referral.create"),
        ("cm-rel-1", "referral.read"),
        ("sv-rel-1", "referral.read"),
        ("pa-1", "referral.read"),
    ]


def _token(platform, role, user, org):
    from ekm_platform.auth import issue_token

    return issue_token(
        user, role, organisation=org, private_key=(platform.home / "var/keys/jwt-private.pem").read_bytes()
    )


def test_a_resent_appeal_accepted_with_a_new_event_id_sends_no_second_sms(platform, appeal):
    accepted, _ = appeal
    assert until(
        lambda: [
            d for d in deliveries(platform, accepted.appeal_id, "operator", "op-rel") if status_name(d).endswith("sent")
        ]
    )  # queued first, then sent by the dispatcher
    again = {
        "event_id": str(uuid.uuid4()),
        "event_type": "appeal.accepted",
        "source": "intake",
        "occurred_at": "2026-12-03T12:00:00+00:00",
        "schema_version": 1,
        "data": {
            "appeal_id": accepted.appeal_id,
            "tracking_number": accepted.tracking_number,
            "screening_level": "assessment",
            "channel": "phone",
            "community_code": COMMUNITY,
            "urgent": False,
        },
    }
    connection = pika.BlockingConnection(pika.URLParameters(platform.env["EKM_AMQP_URI"]))
    try:  # through the exchange intake publishes to, as a re-sent event arrives
        connection.channel().basic_publish(
            "intake.events",
            "appeal.accepted",
            json.dumps(again),
            pika.BasicProperties(content_type="application/json", delivery_mode=2),
        )
    finally:
        connection.close()
    handled = until(
        lambda: rows(platform, "notifications", "SELECT consumer FROM inbox WHERE event_id = ?", again["event_id"])
    )
    assert handled == [("notifications.on_appeal_accepted",)], platform.log("notifications")[-2000:]
    assert len(deliveries(platform, accepted.appeal_id, "operator", "op-rel")) == 1
    sent = (platform.home / "var" / "outgoing" / "sms.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["reference"] for line in sent].count(accepted.appeal_id) == 1
    # the acknowledgement's handler dead-lettered nothing (the session's vhost may hold other modules'
    # leftover events — e.g. registry facts about their cases — which other consumers refuse)
    assert (
        rows(
            platform,
            "notifications",
            "SELECT consumer, reason FROM dead_letters WHERE consumer = ?",
            "notifications.on_appeal_accepted",
        )
        == []
    )


@pytest.mark.parametrize("service", ["notifications", "interagency"])
def test_the_audit_chains_are_intact_after_the_flow(platform, appeal, service):
    assert rows(platform, service, "SELECT count(*) FROM audit_log")[0][0] > 0

    outputs = []

    def verified():  # the service's chainer links and anchors the entries within a few seconds
        out = subprocess.run(
            [sys.executable, "-m", "ekm_platform.cli", "audit-verify", service],
            env=platform.env,
            capture_output=True,
            text=True,
            timeout=30,
        )
        outputs.append(out.stdout + out.stderr)
        return out.returncode == 0 and " 0 pending" in out.stdout and "anchor" in out.stdout

    assert until(verified, timeout=20, interval=1.0), outputs[-1]
    assert "audit log intact" in outputs[-1] and " 0 linked" not in outputs[-1]
