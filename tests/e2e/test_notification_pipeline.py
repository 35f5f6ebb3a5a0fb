"""The notification pipeline through the real processes: an appeal's acknowledgement reaches a
real SMTP server (aiosmtpd on loopback) in Ukrainian then English, once; ListDeliveries shows its
attempts and template version to the case's manager only; the manager's in-app inbox over gRPC
(nobody else's); PreviewTemplate and SendTest answer bad input with the field, sending nothing."""

import time

import grpc
import pytest
from nameko.standalone.rpc import ServiceRpcClient

from ekm.intake.v1 import intake_pb2, intake_pb2_grpc
from ekm.notifications.v1 import notifications_pb2, notifications_pb2_grpc
from ekm_platform.testing.platform import running_platform
from notifications.adapters.smtp_sink import SmtpSink
from tests.appeals import appeal_request, new_person

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(150)]
COMMUNITY = "UA80000000000093317"
N = notifications_pb2


def until(probe, timeout=30.0):
    deadline = time.monotonic() + timeout
    while not (value := probe()) and time.monotonic() < deadline:
        time.sleep(0.2)
    return value


@pytest.fixture(scope="module")
def smtp():
    with SmtpSink() as sink:
        yield sink


@pytest.fixture(scope="module")
def platform(tmp_path_factory, ekm_amqp_uri, smtp):
    with running_platform(
        tmp_path_factory.mktemp("ekm"),
        ekm_amqp_uri,
        services=("intake", "cases", "notifications"),
        extra_env={"EKM_SMTP_HOST": "127.0.0.1", "EKM_SMTP_PORT": str(smtp.port), "EKM_NOTIFY_TICK_SECONDS": "0.3"},
    ) as running:
        with ServiceRpcClient("cases", uri=running.env["EKM_AMQP_URI"], timeout=20) as cases:
            cases.register_case_manager("cm-np-1", COMMUNITY, 10, ["veterans"], "sv-np-1")
        yield running


@pytest.fixture(scope="module")
def appeal(platform, smtp):
    md = platform.bearer("case_manager", "cm-np-1")
    request = appeal_request()
    request.applicant.CopyFrom(
        intake_pb2.Applicant(person=new_person(), phone="", email="olena.np@example.org", is_subject=True)
    )
    with platform.channel("intake") as ch:
        intake = intake_pb2_grpc.IntakeServiceStub(ch)
        accepted = intake.SubmitAppeal(request, metadata=md, timeout=10)
        number = until(
            lambda: (
                intake.GetAppealStatus(
                    intake_pb2.GetAppealStatusRequest(tracking_number=accepted.tracking_number), metadata=md, timeout=5
                ).case_number
            )
        )
    assert number, platform.log("cases")[-2000:]
    return accepted, number


def test_the_acknowledgement_reaches_the_smtp_server_once_in_ukrainian_then_english(platform, smtp, appeal):
    accepted, _ = appeal
    mails = until(lambda: [m for m in smtp.messages if accepted.tracking_number in m.get_content()])
    assert mails, platform.log("notifications")[-3000:]
    [mail] = mails
    assert mail["To"] == "olena.np@example.org" and mail["Subject"].startswith("Звернення ")
    body = mail.get_content()
    assert body.index("звернення прийнято") < body.index("your appeal has been accepted")
    time.sleep(1.5)  # several more dispatcher ticks: nothing is sent twice
    assert len([m for m in smtp.messages if accepted.tracking_number in m.get_content()]) == 1


def test_the_case_manager_sees_the_attempts_another_manager_nothing(platform, smtp, appeal):
    accepted, _ = appeal
    with platform.channel("notifications") as ch:
        s = notifications_pb2_grpc.NotificationServiceStub(ch)
        listing = until(
            lambda: [
                d
                for d in s.ListDeliveries(
                    N.ListDeliveriesRequest(reference=accepted.appeal_id),
                    metadata=platform.bearer("case_manager", "cm-np-1"),
                    timeout=10,
                ).deliveries
                if d.status == N.DELIVERY_STATUS_SENT
            ]
        )
        assert listing
        [d] = listing
        assert (d.channel, d.template, d.template_version, d.attempt_count) == (
            N.DELIVERY_CHANNEL_EMAIL,
            "appeal.accepted",
            1,
            1,
        )
        assert [(a.channel, a.status) for a in d.attempts] == [(N.DELIVERY_CHANNEL_EMAIL, N.ATTEMPT_STATUS_SENT)]
        assert d.recipient_masked == "o***@example.org"
        with pytest.raises(grpc.RpcError) as denied:
            s.ListDeliveries(
                N.ListDeliveriesRequest(reference=accepted.appeal_id),
                metadata=platform.bearer("case_manager", "cm-np-other"),
                timeout=10,
            )
        assert denied.value.code() == grpc.StatusCode.NOT_FOUND


def test_the_in_app_inbox_is_its_managers_alone(platform, appeal):
    _, number = appeal
    with platform.channel("notifications") as ch:
        s = notifications_pb2_grpc.NotificationServiceStub(ch)
        own = platform.bearer("case_manager", "cm-np-1")
        inbox = until(
            lambda: [
                i for i in s.ListInbox(N.ListInboxRequest(), metadata=own, timeout=10).items if i.reference == number
            ]
        )
        assert inbox, platform.log("notifications")[-3000:]
        assert " / " in inbox[0].text and not inbox[0].HasField("read_at")
        other = platform.bearer("case_manager", "cm-np-other")
        assert list(s.ListInbox(N.ListInboxRequest(), metadata=other, timeout=10).items) == []
        with pytest.raises(grpc.RpcError) as denied:
            s.MarkInboxRead(N.MarkInboxReadRequest(item_ids=[inbox[0].item_id]), metadata=other, timeout=10)
        assert denied.value.code() == grpc.StatusCode.NOT_FOUND
        assert (
            s.MarkInboxRead(N.MarkInboxReadRequest(item_ids=[inbox[0].item_id]), metadata=own, timeout=10).marked == 1
        )
        again = s.ListInbox(N.ListInboxRequest(unread_only=True), metadata=own, timeout=10).items
        assert inbox[0].item_id not in [i.item_id for i in again]
        with pytest.raises(grpc.RpcError) as refused:
            s.ListInbox(N.ListInboxRequest(), metadata=platform.bearer("recipient", "p-np"), timeout=10)
        assert refused.value.code() == grpc.StatusCode.PERMISSION_DENIED


def _field(error) -> str:
    from google.rpc import error_details_pb2, status_pb2

    for key, value in error.trailing_metadata() or ():
        if key == "grpc-status-details-bin":
            status = status_pb2.Status.FromString(value)
            for detail in status.details:
                bad = error_details_pb2.BadRequest()
                if detail.Unpack(bad):
                    return bad.field_violations[0].field
    return ""


@pytest.mark.parametrize(
    "request_, field",
    [
        (N.PreviewTemplateRequest(template="appeal.accepted"), "variables.tracking_number"),
        (
            N.PreviewTemplateRequest(template="appeal.accepted", variables={"tracking_number": "T", "x": "1"}),
            "variables.x",
        ),
        (N.PreviewTemplateRequest(template="no.such.template"), "template"),
    ],
)
def test_preview_answers_bad_input_with_the_field(platform, request_, field):
    with platform.channel("notifications") as ch:
        s = notifications_pb2_grpc.NotificationServiceStub(ch)
        with pytest.raises(grpc.RpcError) as error:
            s.PreviewTemplate(request_, metadata=platform.bearer("supervisor", "sv-np-1"), timeout=10)
    assert error.value.code() == grpc.StatusCode.INVALID_ARGUMENT and _field(error.value) == field
    assert " / " in error.value.details()


def test_a_test_send_to_an_invalid_phone_sends_nothing_a_valid_email_arrives(platform, smtp):
    md = platform.bearer("operator", "op-np")
    with platform.channel("notifications") as ch:
        s = notifications_pb2_grpc.NotificationServiceStub(ch)
        with pytest.raises(grpc.RpcError) as error:
            s.SendTest(
                N.SendTestRequest(
                    template="appeal.accepted",
                    variables={"tracking_number": "T-bad"},
                    channel=N.DELIVERY_CHANNEL_SMS,
                    address="+38050",
                ),
                metadata=md,
                timeout=10,
            )
        assert error.value.code() == grpc.StatusCode.INVALID_ARGUMENT and _field(error.value) == "address"
        sent = s.SendTest(
            N.SendTestRequest(
                template="appeal.accepted",
                variables={"tracking_number": "T-test-1"},
                channel=N.DELIVERY_CHANNEL_EMAIL,
                address="ops@example.org",
            ),
            metadata=md,
            timeout=10,
        )
    assert sent.delivery.status == N.DELIVERY_STATUS_SENT
    assert until(lambda: [m for m in smtp.messages if "T-test-1" in m.get_content()])
    assert not [m for m in smtp.messages if "T-bad" in m.get_content()]
