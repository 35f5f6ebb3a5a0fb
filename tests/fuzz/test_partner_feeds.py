"""Every partner-feed payload — REST (JSON), SOAP (X-Road) and AMQP — random and mutated valid
records sent to the registry gateway's real processes. Property: a clear refusal (a 4xx
with a JSON error, a 4xx SOAP fault, or a dead letter with its reason), never a 5xx or a
crash; nothing stored on refusal; a valid record stored exactly once (a resend is a
duplicate)."""

from __future__ import annotations

import json
import time
import urllib.parse
import uuid

import pika
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from ekm_platform import soap, xroad
from ekm_platform.identifiers import make_rnokpp
from tests.fuzz.hostile_xml.make_corpus import HEADER, envelope
from tests.fuzz.partners import https, json_bytes, record, soap_fault_text, soap_record, xroad_rest
from tests.fuzz.profile import THOROUGH, scaled

pytestmark = [pytest.mark.integration, pytest.mark.timeout(1800 if THOROUGH else 240)]

JUNK_TEXT = st.text(max_size=30) | st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "\n",
        "' OR 1=1 --",
        "🙂" * 40,
        "A" * 70,
        "Київ-01",
        "2026-02-30",
        "20261120",
        "2026-W47-5",
        "322151234\n",
    ]
)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.integers(-(10**80), 10**80) | st.floats() | JUNK_TEXT,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(JUNK_TEXT, children, max_size=3),
    max_leaves=8,
)
FIELDS = ["source_id", "rnokpp", "registered_on", "center_code", "started_on", "facility_code"]
RECORD_TYPES = st.sampled_from(
    ["employment.registered", "health.rehabilitation_started", "education.enrolled", "unknown.type", ""]
) | st.text(min_size=1, max_size=20)


def valid_record(record_type: str) -> dict:
    if record_type == "health.rehabilitation_started":
        return {
            "source_id": f"fz-{uuid.uuid4().hex[:12]}",
            "rnokpp": make_rnokpp("312345678"),
            "started_on": "2026-10-01",
            "facility_code": "MOZ-KYIV-7",
        }
    return record()


@st.composite
def records(draw):
    """(record type, the record as a dict or None, the body bytes, source id or None)."""
    record_type = draw(
        st.sampled_from(["employment.registered", "health.rehabilitation_started"])
        if draw(st.booleans())
        else RECORD_TYPES
    )
    body = valid_record(record_type if record_type == "health.rehabilitation_started" else "employment.registered")
    for _ in range(draw(st.integers(0, 3))):
        action = draw(st.sampled_from(["set", "drop", "add", "source"]))
        if action == "set":
            body[draw(st.sampled_from(FIELDS))] = draw(JSON_VALUES)
        elif action == "drop" and body:
            body.pop(draw(st.sampled_from(sorted(body))))
        elif action == "add":
            body[draw(JUNK_TEXT)] = draw(JSON_VALUES)
        else:
            body["source_id"] = draw(JUNK_TEXT) + uuid.uuid4().hex[:6]
    shape = draw(st.sampled_from(["record"] * 6 + ["bytes", "nested", "not-object", "invalid-utf8", "nan"]))
    if shape == "bytes":
        raw = draw(st.binary(max_size=200))
    elif shape == "nested":
        depth = draw(st.integers(500, 16_000))
        raw = b"[" * depth + b"]" * depth
    elif shape == "not-object":
        raw = json_bytes([body])
    elif shape == "invalid-utf8":
        raw = json_bytes(body)[:-2] + b'\xff\xfe"}'
    elif shape == "nan":
        raw = json_bytes(body)[:-1] + b', "x": NaN}'
    else:
        raw = json_bytes(body)
    source_id = body.get("source_id") if isinstance(body.get("source_id"), str) else None
    return record_type, body, raw, source_id


def expect_outcome(gateway, source_id, before_total, accepted: bool):
    """Accepted: exactly one row with that source id; refused: no row added."""
    if accepted:
        assert gateway.stored(source_id) == 1
        assert gateway.stored() == before_total + 1
    else:
        assert gateway.stored() == before_total
        if source_id:
            assert gateway.stored(source_id) == 0


# --- REST ------------------------------------------------------------------------------------


@scaled(12, factor=40)
@given(records())
@example(("employment.registered", {}, b"[" * 5000 + b"]" * 5000, None))
def test_rest_records_are_stored_once_or_refused_clearly(gateway, sample):
    record_type, body, raw, source_id = sample
    before = gateway.stored()
    path = "/partner/v1/records/" + urllib.parse.quote(record_type, safe="")
    status, content_type, reply, _ = https(gateway, path, raw, headers=xroad_rest())
    assert status < 500, (status, reply[:300])
    if status == 200:
        answer = json.loads(reply)
        assert answer["status"] == "stored" and answer["record_id"]
        expect_outcome(gateway, source_id, before, accepted=True)
        status, _, reply, _ = https(gateway, path, raw, headers=xroad_rest())
        assert status == 200 and json.loads(reply)["status"] == "duplicate"
        assert gateway.stored(source_id) == 1
    else:
        assert 400 <= status < 500 and json.loads(reply)["error"], reply[:300]
        expect_outcome(gateway, source_id, before, accepted=False)
    assert not gateway.exited()


def test_a_valid_rest_record_is_stored_exactly_once(gateway):
    body = record()
    before = gateway.stored()
    for expected in ("stored", "duplicate", "duplicate"):
        status, _, reply, _ = https(
            gateway, "/partner/v1/records/employment.registered", json_bytes(body), headers=xroad_rest()
        )
        assert status == 200 and json.loads(reply)["status"] == expected
    assert gateway.stored(body["source_id"]) == 1 and gateway.stored() == before + 1


# --- SOAP ------------------------------------------------------------------------------------


def _xroad_text(draw, name):
    return (
        draw(st.sampled_from([None, "", " ", "A" * 201]) | JUNK_TEXT)
        if draw(st.booleans())
        else {"id": f"dcz-{uuid.uuid4()}", "userId": "dcz-officer-7", "protocolVersion": "4.0"}[name]
    )


@st.composite
def soap_requests(draw):
    """A SubmitRecord request whose X-Road header and fields are mutated: headers missing, empty,
    too long, identifiers without their namespace or in another, other operations and
    namespaces."""
    from xml.sax.saxutils import escape

    record_type, body, _, source_id = draw(records())
    fields = {
        str(k): ("" if v is None else v if isinstance(v, str) else json.dumps(v)) for k, v in (body or {}).items()
    }
    text = soap_record(fields).decode()
    text = text.replace(
        "<p:recordType>employment.registered</p:recordType>", f"<p:recordType>{escape(record_type)}</p:recordType>"
    )
    for name in ("id", "userId", "protocolVersion"):
        value = _xroad_text(draw, name)
        old_start = text.index(f"<xrd:{name}>")
        old_end = text.index(f"</xrd:{name}>") + len(f"</xrd:{name}>")
        text = (
            text[:old_start] + ("" if value is None else f"<xrd:{name}>{escape(value)}</xrd:{name}>") + text[old_end:]
        )
    mutation = draw(
        st.sampled_from(
            ["none"] * 4
            + [
                "id-no-ns",
                "id-other-ns",
                "no-client",
                "no-service",
                "other-service",
                "other-operation",
                "other-ns",
                "empty-body",
                "no-header",
                "pi-in-body",
                "comment",
                "cdata",
                "empty-client",
            ]
        )
    )
    replacements = {
        "id-no-ns": ("<id:memberCode>37508470</id:memberCode>", "<memberCode>37508470</memberCode>"),
        "id-other-ns": (
            "<id:memberCode>37508470</id:memberCode>",
            '<q:memberCode xmlns:q="urn:x">37508470</q:memberCode>',
        ),
        "no-client": (text[text.index("<xrd:client") : text.index("</xrd:client>") + 13], ""),
        "no-service": (text[text.index("<xrd:service") : text.index("</xrd:service>") + 14], ""),
        "other-service": ("<id:serviceCode>SubmitRecord</id:serviceCode>", "<id:serviceCode>Other</id:serviceCode>"),
        "other-operation": ("p:SubmitRecord>", "p:DeleteEverything>"),
        "other-ns": ('xmlns:p="http://ekm.gov.ua/partner/v1"', 'xmlns:p="http://ekm.gov.ua/partner/v2"'),
        "empty-body": (text[text.index("<soapenv:Body>") : text.index("</soapenv:Body>")], "<soapenv:Body>"),
        "no-header": (text[text.index("<soapenv:Header>") : text.index("</soapenv:Header>") + 17], ""),
        "pi-in-body": ("<p:recordType>", "<?evil x?><p:recordType>"),
        "comment": ("<p:recordType>", "<!-- a comment --><p:recordType>"),
        "cdata": ('name="center_code">', 'name="center_code"><![CDATA[KYIV-01]]>'),
        "empty-client": (
            text[text.index("<xrd:client") : text.index("</xrd:client>") + 13],
            '<xrd:client id:objectType="SUBSYSTEM"/>',
        ),
    }
    if mutation in replacements:
        old, new = replacements[mutation]
        text = text.replace(old, new)
    return text.encode(), source_id


@scaled(40, factor=20)
@given(soap_requests())
def test_soap_parse_and_the_xroad_check_raise_only_soap_faults(request):
    """In-process and fast: many more shapes than the process test below."""
    raw, _ = request
    try:
        header, body = soap.parse(raw)
        found = xroad.check(header)
        xroad.member_path(found["client"]), xroad.identifier(found["service"]), xroad.echo(found)
    except soap.SoapFault as refused:
        assert 400 <= refused.status < 500 and refused.message


@scaled(12, factor=40)
@given(soap_requests())
@example(
    (
        envelope()
        .replace("__ID__", "fz-example-1")
        .replace("<id:memberCode>37508470</id:memberCode>", "<memberCode>37508470</memberCode>")
        .encode(),
        "fz-example-1",
    )
)
def test_soap_records_are_stored_once_or_refused_with_a_fault(gateway, request):
    raw, source_id = request
    before = gateway.stored()
    status, content_type, reply, _ = https(gateway, "/partner/soap", raw, content_type="text/xml; charset=utf-8")
    assert status < 500, (status, reply[:500])
    if status == 200:
        assert b"<p:status>stored</p:status>" in reply, reply[:500]
        expect_outcome(gateway, source_id, before, accepted=True)
    else:
        assert 400 <= status < 500 and soap_fault_text(reply), reply[:500]
        expect_outcome(gateway, source_id, before, accepted=False)
    assert not gateway.exited()


def test_the_soap_header_of_the_corpus_is_the_one_the_gateway_accepts():
    assert "<xrd:protocolVersion>4.0</xrd:protocolVersion>" in HEADER


# --- AMQP ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def feed(gateway):
    """A partner's publishing channel and an operator's view of the dead-letter queue."""
    partner = pika.BlockingConnection(pika.URLParameters(gateway.partner_amqp_uri))
    channel = partner.channel()
    channel.confirm_delivery()
    operator = pika.BlockingConnection(pika.URLParameters(gateway.amqp_uri))
    dead = operator.channel()
    dead.queue_declare("partner.feed.dead", durable=True)
    dead.queue_purge("partner.feed.dead")
    yield channel, dead
    partner.close()
    operator.close()


def wait_outcome(gateway, dead, raw: bytes, source_id, before: int, timeout: float = 20):
    """("stored", None) or ("dead", reason) of the record just published."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        method, properties, body = dead.basic_get("partner.feed.dead", auto_ack=True)
        if method is not None:
            assert body == raw, "a dead letter of another record"
            return "dead", (properties.headers or {}).get("x-ekm-reason")
        if gateway.stored() > before:
            return "stored", None
        time.sleep(0.02)
    raise AssertionError(f"no outcome within {timeout} s (processes exited: {gateway.exited()})")


@scaled(12, factor=40)
@given(records())
@example(("employment.registered", {}, b"[" * 5000 + b"]" * 5000, None))
def test_amqp_records_are_stored_once_or_dead_lettered_with_a_reason(gateway, feed, sample):
    channel, dead = feed
    record_type, body, raw, source_id = sample
    routing_key = record_type.encode("utf-8", "replace")[:255].decode("utf-8", "ignore")
    before = gateway.stored()
    channel.basic_publish(
        "partner.feed", routing_key, raw, pika.BasicProperties(user_id=gateway.amqp_partner, delivery_mode=2)
    )
    outcome, reason = wait_outcome(gateway, dead, raw, source_id, before)
    if outcome == "stored":
        expect_outcome(gateway, source_id, before, accepted=True)
        channel.basic_publish(
            "partner.feed", routing_key, raw, pika.BasicProperties(user_id=gateway.amqp_partner, delivery_mode=2)
        )
        time.sleep(0.3)
        assert gateway.stored(source_id) == 1 and gateway.stored() == before + 1
    else:
        assert reason, "a dead letter without its reason"
        expect_outcome(gateway, source_id, before, accepted=False)
    assert not gateway.exited()
