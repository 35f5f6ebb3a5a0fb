"""The first flow, end to end, the way `make run` runs it: real processes, RabbitMQ, gRPC."""

import importlib.util
import json
import sqlite3
import subprocess
import sys
import time

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha.proto_reflection_descriptor_database import ProtoReflectionDescriptorDatabase

from ekm.cases.v1 import cases_pb2, cases_pb2_grpc
from ekm.intake.v1 import intake_pb2, intake_pb2_grpc
from ekm.notifications.v1 import notifications_pb2, notifications_pb2_grpc
from ekm_platform import config
from ekm_platform.testing.platform import running_platform
from ekm_platform.tracing import TraceStore
from tests.appeals import appeal_request

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(240)]

SERVICE_NAMES = {
    "intake": "ekm.intake.v1.IntakeService",
    "cases": "ekm.cases.v1.CaseService",
    "registry-gateway": "ekm.registry.v1.RegistryGateway",
    "interagency": "ekm.interagency.v1.InteragencyService",
    "notifications": "ekm.notifications.v1.NotificationService",
}


@pytest.fixture(scope="module")
def platform(tmp_path_factory, ekm_amqp_uri):
    simulators = importlib.util.find_spec("registry_simulators") is not None
    services = [s for s in config.SERVICES if importlib.util.find_spec(config.package_name(s))]
    with running_platform(
        tmp_path_factory.mktemp("ekm"), ekm_amqp_uri, services=services, simulators=simulators
    ) as running:
        yield running


def until(probe, timeout=30.0, interval=0.1):
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(interval)


def count_appeals(platform) -> int:
    with sqlite3.connect(platform.home / "var" / "intake.db") as db:
        return db.execute("SELECT count(*) FROM appeals").fetchone()[0]


def test_an_appeal_becomes_a_case_and_an_acknowledgement_under_one_trace(platform):
    md = platform.bearer("case_manager", "cm-e2e")
    with platform.channel("intake") as ch:
        intake = intake_pb2_grpc.IntakeServiceStub(ch)
        accepted = intake.SubmitAppeal(appeal_request(), metadata=md, timeout=10)
        assert accepted.tracking_number.startswith("EKM-")

        def case_number():
            status = intake.GetAppealStatus(
                intake_pb2.GetAppealStatusRequest(tracking_number=accepted.tracking_number), metadata=md, timeout=5
            )
            return status.case_number

        number = until(case_number)
    assert number.startswith("CASE-")

    operator = platform.bearer("operator", "op-e2e")  # no case manager is registered in this test
    with platform.channel("cases") as ch:
        case = cases_pb2_grpc.CaseServiceStub(ch).GetCase(
            cases_pb2.GetCaseRequest(case_number=number), metadata=operator, timeout=5
        )
    assert case.appeal_id == accepted.appeal_id and case.stage == cases_pb2.STAGE_ASSESSMENT

    with platform.channel("notifications") as ch:  # the operator: cm-e2e owns no case (relation checked)
        stub = notifications_pb2_grpc.NotificationServiceStub(ch)
        deliveries = until(
            lambda: [
                d
                for d in stub.ListDeliveries(  # queued, then sent by the dispatcher
                    notifications_pb2.ListDeliveriesRequest(reference=accepted.appeal_id), metadata=operator, timeout=5
                ).deliveries
                if d.status != notifications_pb2.DELIVERY_STATUS_QUEUED
            ]
        )
    assert [(d.channel, d.status, d.template) for d in deliveries] == [
        (notifications_pb2.DELIVERY_CHANNEL_SMS, notifications_pb2.DELIVERY_STATUS_SENT, "appeal.accepted")
    ]
    sent = (platform.home / "var" / "outgoing" / "sms.jsonl").read_text(encoding="utf-8")
    assert accepted.tracking_number in sent

    store = TraceStore(platform.home / "var" / "traces.db")

    wanted = {
        ("intake", "intake.SubmitAppeal"),
        ("cases", "cases.on_appeal_accepted"),
        ("intake", "intake.get_appeal_subject"),
        ("notifications", "notifications.on_appeal_accepted"),
        ("notifications", "notifications.send"),
    }  # the dispatcher's send joins the appeal's trace

    def services_in_trace():
        # a parent span is exported when it ends, often after its children: wait for all of them
        for trace_id in store.find_trace_ids(accepted.tracking_number):
            spans = store.spans(trace_id)
            if wanted <= {(s["service"], s["name"]) for s in spans}:
                return spans

    spans = until(services_in_trace, timeout=15)
    assert spans, "intake, cases and notifications spans should share one trace id"
    names = {(s["service"], s["name"]) for s in spans}
    assert ("intake", "intake.SubmitAppeal") in names
    assert ("cases", "cases.on_appeal_accepted") in names
    assert ("intake", "intake.get_appeal_subject") in names  # the AMQP RPC cases made
    assert any(s["name"].startswith("INSERT") for s in spans)  # SQL
    shown = subprocess.run(
        [sys.executable, "-m", "ekm_platform.cli", "trace", accepted.tracking_number],
        env=platform.env,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert shown.returncode == 0, shown.stderr
    for part in (
        "[intake] intake.SubmitAppeal",
        "[cases] cases.on_appeal_accepted",
        "[notifications] notifications.on_appeal_accepted",
        "[intake] intake.get_appeal_subject",
    ):
        assert part in shown.stdout
    dump = json.dumps(spans, ensure_ascii=False)
    request = appeal_request()
    for personal in ("Тестенко", "+380501234567", "реабілітація"):
        assert personal not in dump
    assert request.applicant.person.last_name not in dump


@pytest.mark.parametrize(
    "change, field",
    [
        ({"channel": 99}, "channel"),
        ({"channel": 0}, "channel"),
        ({"description": "x" * (64 * 1024 + 1)}, "description"),
        ({"description": ""}, "description"),
        ({"consent_to_processing": False}, "consent_to_processing"),
    ],
)
def test_bad_input_is_invalid_argument_naming_the_field_and_stores_nothing(platform, change, field):
    md = platform.bearer("case_manager", "cm-e2e")
    before = count_appeals(platform)
    with platform.channel("intake") as ch, pytest.raises(grpc.RpcError) as caught:
        intake_pb2_grpc.IntakeServiceStub(ch).SubmitAppeal(appeal_request(**change), metadata=md, timeout=10)
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert field in caught.value.details()
    assert count_appeals(platform) == before


def test_wrong_check_digit_and_missing_subject(platform):
    md = platform.bearer("case_manager", "cm-e2e")
    request = appeal_request()
    request.applicant.person.rnokpp = request.applicant.person.rnokpp[:9] + str(
        (int(request.applicant.person.rnokpp[9]) + 1) % 10
    )
    request.applicant.person.ClearField("unzr")
    with platform.channel("intake") as ch:
        stub = intake_pb2_grpc.IntakeServiceStub(ch)
        with pytest.raises(grpc.RpcError) as caught:
            stub.SubmitAppeal(request, metadata=md, timeout=10)
        assert "applicant.person.rnokpp" in caught.value.details()
        request = appeal_request()
        request.applicant.is_subject = False
        with pytest.raises(grpc.RpcError) as caught:
            stub.SubmitAppeal(request, metadata=md, timeout=10)
        assert "subject." in caught.value.details()


def test_malformed_protobuf_is_invalid_argument(platform):
    with platform.channel("intake") as ch:
        call = ch.unary_unary("/ekm.intake.v1.IntakeService/SubmitAppeal")
        with pytest.raises(grpc.RpcError) as caught:
            call(b"\x0a\xff\xff\xff\xff\x0f garbage", metadata=platform.bearer("case_manager", "x"), timeout=10)
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT


@pytest.mark.parametrize("service", config.SERVICES)
def test_health_reflection_and_authentication_on_every_service(platform, service):
    if service not in platform.supervisor_services:
        pytest.fail(f"{service} is not installed")
    with platform.channel(service) as ch:
        health = health_pb2_grpc.HealthStub(ch).Check(health_pb2.HealthCheckRequest(), timeout=5)
        assert health.status == health_pb2.HealthCheckResponse.SERVING
        services = set(ProtoReflectionDescriptorDatabase(ch).get_services())
        assert SERVICE_NAMES[service] in services and "grpc.health.v1.Health" in services


def test_calls_without_a_valid_token_are_unauthenticated(platform):
    request = intake_pb2.GetAppealStatusRequest(tracking_number="EKM-000000-00000000")
    with platform.channel("intake") as ch:
        stub = intake_pb2_grpc.IntakeServiceStub(ch)
        for metadata in ([], [("authorization", "Bearer not.a.jwt")], [("authorization", "Basic abc")]):
            with pytest.raises(grpc.RpcError) as caught:
                stub.GetAppealStatus(request, metadata=metadata, timeout=5)
            assert caught.value.code() == grpc.StatusCode.UNAUTHENTICATED
        with pytest.raises(grpc.RpcError) as caught:  # valid token, role not allowed
            stub.GetAppealStatus(request, metadata=platform.bearer("donor", "d-1"), timeout=5)
        assert caught.value.code() == grpc.StatusCode.PERMISSION_DENIED


def test_registry_lookup_through_xroad_to_the_simulator_with_evidence(platform):
    from ekm.registry.v1 import registry_pb2, registry_pb2_grpc

    # a lookup is bound to a case the caller may see whose person is the one looked up: the
    # supervisor sees the community's unassigned case of the person the simulators know
    md = platform.bearer("supervisor", "sv-e2e")
    request = appeal_request()
    request.applicant.person.rnokpp, request.applicant.person.unzr = "3221512349", "19880314-43212"
    request.applicant.person.birth_date = "1988-03-14"
    with platform.channel("intake") as ch:
        intake = intake_pb2_grpc.IntakeServiceStub(ch)
        tracking = intake.SubmitAppeal(request, metadata=md, timeout=10).tracking_number
        number = until(
            lambda: (
                intake.GetAppealStatus(
                    intake_pb2.GetAppealStatusRequest(tracking_number=tracking), metadata=md, timeout=5
                ).case_number
            )
        )
    with platform.channel("registry-gateway") as ch:
        stub = registry_pb2_grpc.RegistryGatewayStub(ch)
        reply = stub.LookupPerson(
            registry_pb2.LookupPersonRequest(rnokpp="3221512349", case_number=number, purpose="оцінка потреб"),
            metadata=md,
            timeout=20,
        )
        results = {r.registry: r for r in reply.results}
        assert results["education"].status == registry_pb2.REGISTRY_STATUS_NOT_FOUND  # an adult: no enrolments
        result = results["border_guard"]
        assert result.status == registry_pb2.REGISTRY_STATUS_OK, result.message
        assert "registry.person.returned_from_service" in {f.kind for f in result.facts}
        evidence = stub.GetEvidence(registry_pb2.GetEvidenceRequest(query_id=result.query_id), metadata=md, timeout=5)
    assert (evidence.user_id, evidence.issue, evidence.registry) == ("sv-e2e", number, "border_guard")
    assert len(evidence.response_sha256) == 64 and evidence.xroad_id
