"""The platform's boundaries are in the trace, through the real processes: a LookupPerson's
outbound SOAP call to the registry is a client span of its trace (traceparent injected,
identifiers only) that `ekm trace <case number>` prints; a partner's HTTPS POST and AMQP
record continue the partner's own trace (traceparent from the HTTP or AMQP headers)."""

import http.client
import json
import ssl
import subprocess
import sys
import time
import uuid

import pika
import pytest
from nameko.standalone.rpc import ServiceRpcClient

from ekm.common.v1 import common_pb2
from ekm.intake.v1 import intake_pb2, intake_pb2_grpc
from ekm.registry.v1 import registry_pb2 as rg
from ekm.registry.v1 import registry_pb2_grpc
from ekm_platform.identifiers import make_rnokpp
from ekm_platform.testing import broker
from ekm_platform.testing.pki import make_pki
from ekm_platform.testing.platform import running_platform
from ekm_platform.tracing import TraceStore
from tests.appeals import appeal_request

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(180)]
COMMUNITY = "UA80000000000093317"
PERSON = "3221512349"  # known to the border guard simulator
AMQP_PARTNER = f"partner-trace-{uuid.uuid4().hex[:6]}"  # broker users are global: one per run


@pytest.fixture(scope="module")
def platform(tmp_path_factory, ekm_amqp_uri):
    home = tmp_path_factory.mktemp("ekm")
    pki = make_pki(home / "pki", clients=("partner-dcz",))
    partners = home / "partners.json"
    partners.write_text(
        json.dumps(
            [
                {"partner_id": "partner-dcz", "record_types": ["employment.registered"]},
                {"partner_id": AMQP_PARTNER, "record_types": ["employment.registered"]},
            ]
        )
    )
    vhost = ekm_amqp_uri.rsplit("/", 1)[1]
    broker.create_user(AMQP_PARTNER, "trace-secret", vhost, write=r"^partner\.feed$")
    env = {
        "EKM_PARTNERS_FILE": str(partners),
        "EKM_PARTNER_TLS_CERT": str(pki / "server.pem"),
        "EKM_PARTNER_TLS_KEY": str(pki / "server.key"),
        "EKM_PARTNER_TLS_CLIENT_CA": str(pki / "ca.pem"),
    }
    try:
        with running_platform(
            home, ekm_amqp_uri, services=("intake", "cases", "registry-gateway"), simulators=True, extra_env=env
        ) as running:
            with ServiceRpcClient("cases", uri=running.env["EKM_AMQP_URI"], timeout=20) as cases:
                cases.register_case_manager("cm-t", COMMUNITY, 10, ["veterans"], "sv-t")
            person = common_pb2.PersonIdentity(
                rnokpp=PERSON,
                unzr="19880314-43212",
                last_name="Коваленко",
                first_name="Андрій",
                birth_date="1988-03-14",
            )
            cm = running.bearer("case_manager", "cm-t")
            with running.channel("intake") as ch:
                intake = intake_pb2_grpc.IntakeServiceStub(ch)
                request = appeal_request()
                request.applicant.person.CopyFrom(person)
                tracking = intake.SubmitAppeal(request, metadata=cm, timeout=20).tracking_number
                number = until(
                    lambda: (
                        intake.GetAppealStatus(
                            intake_pb2.GetAppealStatusRequest(tracking_number=tracking), metadata=cm, timeout=10
                        ).case_number
                    )
                )
            assert number, "the appeal should open a case"
            running.case_number, running.pki = number, pki
            yield running
    finally:
        broker.delete_user(AMQP_PARTNER)


def until(probe, timeout=30.0, interval=0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = probe()
        if value:
            return value
        time.sleep(interval)
    return probe()


def spans_where(platform, key, predicate, timeout=20.0):
    store = TraceStore(platform.home / "var" / "traces.db")

    def probe():
        found = [(t, s) for t in store.find_trace_ids(key) for s in store.spans(t) if predicate(s)]
        return found or None

    return until(probe, timeout=timeout, interval=0.3) or []


def ekm_trace(platform, key) -> str:
    shown = subprocess.run(
        [sys.executable, "-m", "ekm_platform.cli", "trace", key, "--wait", "10"],
        env=platform.env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert shown.returncode == 0, shown.stderr
    return shown.stdout


def test_a_lookups_trace_holds_its_outbound_soap_call_and_ekm_trace_prints_it(platform):
    with platform.channel("registry-gateway") as channel:
        reply = registry_pb2_grpc.RegistryGatewayStub(channel).LookupPerson(
            rg.LookupPersonRequest(
                rnokpp=PERSON, case_number=platform.case_number, purpose="оцінка потреб", registries=["border_guard"]
            ),
            metadata=platform.bearer("case_manager", "cm-t"),
            timeout=30,
        )
    result = reply.results[0]
    assert result.status == rg.REGISTRY_STATUS_OK, result.message

    found = spans_where(
        platform,
        platform.case_number,
        lambda s: (
            s["kind"] == "CLIENT" and s["attributes"].get("ekm.registry") == "DPSU" and s["name"].startswith("POST")
        ),
    )  # the WSDL GET may be exported before it
    assert found, "the SOAP call to the border guard should be a client span of the case's trace"
    trace_id, client = found[-1]
    assert client["service"] == "registry-gateway" and client["name"] == "POST DPSU GetBorderCrossings"
    assert client["attributes"]["ekm.case_number"] == platform.case_number
    assert client["attributes"]["ekm.xroad_id"]
    store = TraceStore(platform.home / "var" / "traces.db")
    spans = store.spans(trace_id)
    by_id = {s["span_id"]: s for s in spans}
    parent = by_id.get(client["parent_span_id"])
    assert parent is not None and "LookupPerson" in parent["name"]  # a child of the gRPC call's span
    everything = json.dumps(spans, ensure_ascii=False)
    assert PERSON not in everything and "Коваленко" not in everything  # identifiers only

    printed = ekm_trace(platform, platform.case_number)
    assert "[registry-gateway] POST DPSU GetBorderCrossings (client)" in printed, printed
    assert "LookupPerson" in printed
    # every trace about the case, not only the lookup: the appeal that opened it too
    summaries = [line for line in printed.splitlines() if line.startswith("Траса / trace")]
    assert len(summaries) >= 2 and any("intake" in line and "cases" in line for line in summaries), printed


def test_a_refused_lookup_is_found_by_its_case_number_too(platform):
    import grpc

    with platform.channel("registry-gateway") as channel, pytest.raises(grpc.RpcError):
        registry_pb2_grpc.RegistryGatewayStub(channel).LookupPerson(
            rg.LookupPersonRequest(
                rnokpp=PERSON, case_number="CASE-NOPE-0001", purpose="оцінка потреб", registries=["border_guard"]
            ),
            metadata=platform.bearer("case_manager", "cm-t"),
            timeout=30,
        )
    assert spans_where(platform, "CASE-NOPE-0001", lambda s: "LookupPerson" in s["name"])


def partner_post(platform, headers):
    context = ssl.create_default_context(cafile=str(platform.pki / "ca.pem"))
    context.load_cert_chain(str(platform.pki / "partner-dcz.pem"), str(platform.pki / "partner-dcz.key"))
    port = int(platform.env["EKM_PARTNER_PORT"])
    body = json.dumps(
        {
            "source_id": f"dcz-{uuid.uuid4().hex[:10]}",
            "rnokpp": make_rnokpp("322151234"),
            "registered_on": "2026-11-20",
            "center_code": "KYIV-01",
        }
    ).encode()

    def post():
        try:
            connection = http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=10)
            connection.request(
                "POST",
                "/partner/v1/records/employment.registered",
                body,
                {"Content-Type": "application/json", **headers},
            )
            response = connection.getresponse()
            return response.status, response.read().decode()
        except OSError:
            return None  # partner inbound still starting

    return until(post, timeout=30, interval=0.3)


def test_a_partners_https_post_continues_the_partners_trace(platform):
    trace_id, parent = uuid.uuid4().hex, uuid.uuid4().hex[:16]
    xroad_id = f"dcz-{uuid.uuid4()}"
    status, text = partner_post(
        platform,
        {
            "traceparent": f"00-{trace_id}-{parent}-01",
            "X-Road-Client": "UA/GOV/37508470/DCZ",
            "X-Road-Id": xroad_id,
            "X-Road-UserId": "dcz-officer-7",
        },
    )
    assert status == 200, text
    found = spans_where(platform, xroad_id, lambda s: s["kind"] == "SERVER")
    assert found, "partner inbound should record a server span with the X-Road id"
    found_trace, server = found[0]
    assert found_trace == trace_id and server["parent_span_id"] == parent
    assert server["service"] == "registry-gateway-partners"
    assert server["attributes"]["ekm.record_id"] == json.loads(text)["record_id"]
    assert ekm_trace(platform, xroad_id).count("[registry-gateway-partners]") >= 1


def test_a_partners_amqp_record_continues_the_partners_trace(platform):
    trace_id, parent = uuid.uuid4().hex, uuid.uuid4().hex[:16]
    uri = platform.env["EKM_AMQP_URI"].replace("guest:guest", f"{AMQP_PARTNER}:trace-secret")
    connection = pika.BlockingConnection(pika.URLParameters(uri))
    try:
        channel = connection.channel()
        channel.confirm_delivery()
        channel.basic_publish(
            "partner.feed",
            "employment.registered",
            json.dumps(
                {
                    "source_id": f"amqp-{uuid.uuid4().hex[:10]}",
                    "rnokpp": make_rnokpp("322151234"),
                    "registered_on": "2026-11-20",
                    "center_code": "KYIV-01",
                }
            ).encode(),
            pika.BasicProperties(
                user_id=AMQP_PARTNER, delivery_mode=2, headers={"traceparent": f"00-{trace_id}-{parent}-01"}
            ),
        )
    finally:
        connection.close()
    spans = until(
        lambda: [s for s in TraceStore(platform.home / "var" / "traces.db").spans(trace_id) if s["kind"] == "CONSUMER"],
        timeout=20,
        interval=0.3,
    )
    assert spans, "the feed consumer should record a consumer span in the partner's trace"
    assert spans[0]["parent_span_id"] == parent and spans[0]["service"] == "registry-gateway-feed"
    assert spans[0]["attributes"]["ekm.outcome"] == "stored" and spans[0]["attributes"]["ekm.record_id"]
    assert "rnokpp" not in json.dumps(spans)
