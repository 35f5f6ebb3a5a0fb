"""Partners push records over HTTPS (REST and SOAP), authenticated by client certificates;
hostile input is refused with a 4xx or a SOAP fault and never stored."""

import http.client
import json
import pathlib
import socket
import sqlite3
import ssl
import subprocess
import sys
import threading
import time
import uuid
import warnings

import pytest

from ekm_platform.identifiers import make_rnokpp
from ekm_platform.migrations import migrate
from ekm_platform.testing.pki import make_pki

pytestmark = [pytest.mark.integration, pytest.mark.timeout(60)]
PARTNERS = pathlib.Path(__file__).resolve().parents[4] / "deploy" / "demo" / "partners.json"
NS = "http://ekm.gov.ua/partner/v1"
MAX_CONNECTIONS = 6


def xroad_rest(**changes):
    headers = {
        "X-Road-Client": "UA/GOV/37508470/DCZ",
        "X-Road-Id": f"dcz-{uuid.uuid4()}",
        "X-Road-UserId": "dcz-officer-7",
        "X-Road-Issue": "DCZ-2026-118",
    }
    headers.update(changes)
    return {k: v for k, v in headers.items() if v is not None}


@pytest.fixture(scope="module")
def inbound(tmp_path_factory):
    home = tmp_path_factory.mktemp("gw")
    pki = make_pki(home / "pki", clients=("partner-dcz", "partner-unknown"))
    database = home / "gateway.db"
    migrate(f"sqlite:///{database}", "registry_gateway.adapters.migrations")
    from ekm_platform.testing import broker

    vhost, amqp_uri = broker.create_vhost("ekm-inbound")
    env = {
        "PATH": "/usr/bin:/bin",
        "EKM_HOME": str(home),
        "EKM_AMQP_URI": amqp_uri,
        "EKM_REGISTRY_GATEWAY_DATABASE_URL": f"sqlite:///{database}",
        "EKM_PARTNERS_FILE": str(PARTNERS),
        "EKM_PARTNER_TLS_CERT": str(pki / "server.pem"),
        "EKM_PARTNER_TLS_KEY": str(pki / "server.key"),
        "EKM_PARTNER_TLS_CLIENT_CA": str(pki / "ca.pem"),
        "EKM_PARTNER_HANDSHAKE_TIMEOUT": "2",
        "EKM_PARTNER_HEADER_TIMEOUT": "2",
        "EKM_PARTNER_BODY_TIMEOUT": "2",
        "EKM_PARTNER_MAX_HEADER_BYTES": "8192",
        "EKM_PARTNER_MAX_CONNECTIONS": str(MAX_CONNECTIONS),
        "EKM_TRACE_DB": str(home / "traces.db"),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "registry_gateway.partner_inbound", "--port", "0"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        port = int(process.stdout.readline().split()[1])
        # keep reading what it prints: a full pipe would block the process, and with it its stop
        threading.Thread(target=process.stdout.read, daemon=True).start()
        yield port, pki, database, amqp_uri, home
    finally:
        process.terminate()  # uvicorn: 5 s of graceful shutdown for open keep-alive connections
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:  # known: uvicorn's stop can hang here; leave nothing running
            process.kill()
            process.wait(10)
            warnings.warn("partner inbound did not stop within 30 s of SIGTERM; killed", stacklevel=1)
        finally:
            broker.delete_vhost(vhost)


def call(inbound, path, body: bytes, client="partner-dcz", headers=None, content_type="application/json"):
    port, pki = inbound[0], inbound[1]
    context = ssl.create_default_context(cafile=str(pki / "ca.pem"))
    if client:
        context.load_cert_chain(str(pki / f"{client}.pem"), str(pki / f"{client}.key"))
    connection = http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=10)
    if headers is None:
        headers = xroad_rest() if path.startswith("/partner/v1/") else {}
    connection.request("POST", path, body, {"Content-Type": content_type, **headers})
    response = connection.getresponse()
    call.last_headers = dict(response.getheaders())
    return response.status, response.read().decode()


def record(**changes):
    body = {
        "source_id": f"dcz-{uuid.uuid4().hex[:10]}",
        "rnokpp": make_rnokpp("322151234"),
        "registered_on": "2026-11-20",
        "center_code": "KYIV-01",
    }
    return {**body, **changes}


XROAD_HEADERS = {
    "client": '<xrd:client id:objectType="SUBSYSTEM"><id:xRoadInstance>UA</id:xRoadInstance>'
    "<id:memberClass>GOV</id:memberClass><id:memberCode>37508470</id:memberCode>"
    "<id:subsystemCode>DCZ</id:subsystemCode></xrd:client>",
    "service": '<xrd:service id:objectType="SERVICE"><id:xRoadInstance>UA</id:xRoadInstance>'
    "<id:memberClass>GOV</id:memberClass><id:memberCode>00000000</id:memberCode>"
    "<id:subsystemCode>EKM</id:subsystemCode><id:serviceCode>SubmitRecord</id:serviceCode></xrd:service>",
    "id": "<xrd:id>{message_id}</xrd:id>",
    "userId": "<xrd:userId>dcz-officer-7</xrd:userId>",
    "issue": "<xrd:issue>DCZ-2026-118</xrd:issue>",
    "protocolVersion": "<xrd:protocolVersion>4.0</xrd:protocolVersion>",
}


def soap_body(
    fields, record_type="employment.registered", ns=NS, without=(), message_id=None, service_code="SubmitRecord"
) -> bytes:
    parts = "".join(f'<p:field name="{k}">{v}</p:field>' for k, v in fields.items())
    header = "".join(
        v.format(message_id=message_id or f"dcz-{uuid.uuid4()}") for k, v in XROAD_HEADERS.items() if k not in without
    ).replace(">SubmitRecord<", f">{service_code}<")
    return (
        f'<?xml version="1.0"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" '
        f'xmlns:xrd="http://x-road.eu/xsd/xroad.xsd" xmlns:id="http://x-road.eu/xsd/identifiers" '
        f'xmlns:p="{ns}"><soapenv:Header>{header}</soapenv:Header><soapenv:Body><p:SubmitRecord>'
        f"<p:recordType>{record_type}</p:recordType>{parts}"
        f"</p:SubmitRecord></soapenv:Body></soapenv:Envelope>"
    ).encode()


def stored(inbound):
    with sqlite3.connect(inbound[2]) as db:
        return db.execute("SELECT count(*) FROM feed_records").fetchone()[0]


def test_rest_records_are_stored_once_and_bad_ones_refused(inbound):
    good = json.dumps(record()).encode()
    status, body = call(inbound, "/partner/v1/records/employment.registered", good)
    assert status == 200 and json.loads(body)["status"] == "stored"
    status, body = call(inbound, "/partner/v1/records/employment.registered", good)
    assert status == 200 and json.loads(body)["status"] == "duplicate"
    cases = [
        ("employment.registered", b"{not json", 400, "invalid JSON"),
        ("employment.registered", json.dumps(record(extra="x")).encode(), 400, "unknown fields"),
        ("employment.registered", json.dumps(record(rnokpp="1234567890")).encode(), 400, "check digit"),
        ("education.enrolled", json.dumps(record()).encode(), 403, "not authorised"),
    ]
    for record_type, body, expected, reason in cases:
        status, text = call(inbound, f"/partner/v1/records/{record_type}", body)
        assert (status, reason in text) == (expected, True), text
    status, text = call(
        inbound, "/partner/v1/records/employment.registered", json.dumps(record()).encode(), client="partner-unknown"
    )
    assert status == 403 and "not authenticated" in text
    assert stored(inbound) == 1
    import pika

    connection = pika.BlockingConnection(pika.URLParameters(inbound[3]))
    dead = connection.channel().queue_declare("partner.feed.dead", durable=True).method.message_count
    connection.close()
    assert dead == 5  # the refused records wait for the operator with their reasons


def test_a_huge_body_is_refused_before_it_is_read(inbound):
    port, pki = inbound[0], inbound[1]
    context = ssl.create_default_context(cafile=str(pki / "ca.pem"))
    context.load_cert_chain(str(pki / "partner-dcz.pem"), str(pki / "partner-dcz.key"))
    connection = http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=10)
    connection.putrequest("POST", "/partner/v1/records/employment.registered")
    connection.putheader("Content-Length", str(100 * 1024 * 1024))
    for name, value in xroad_rest().items():
        connection.putheader(name, value)
    connection.endheaders()
    connection.send(b"{" * 1024)  # a 100 MB body announced, a little sent
    assert connection.getresponse().status == 413


def test_soap_records_and_hostile_xml(inbound):
    before = stored(inbound)
    status, text = call(inbound, "/partner/soap", soap_body(record()), content_type="text/xml")
    assert status == 200 and "stored" in text
    hostile = [
        (
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
            b'<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>&xxe;'
            b"</soapenv:Body></soapenv:Envelope>",
            "DTDs and entities are forbidden",
        ),
        (
            b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;">]>'
            b'<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>&lol1;'
            b"</soapenv:Body></soapenv:Envelope>",
            "DTDs and entities are forbidden",
        ),
        (b'<?xml version="1.0"?><!DOCTYPE x SYSTEM "http://127.0.0.1:1/evil.dtd"><x/>', "DTDs and entities"),
        (soap_body(record())[:120], "malformed XML"),
        (soap_body(record(), ns="http://evil.example/partner"), "unknown operation"),
        (soap_body(record(salary="1")), "unknown fields"),
    ]
    for body, reason in hostile:
        status, text = call(inbound, "/partner/soap", body, content_type="text/xml")
        assert status == 400 and "Fault" in text and reason in text, text
    assert stored(inbound) == before + 1


def test_without_a_client_certificate_there_is_no_connection(inbound):
    with pytest.raises((ssl.SSLError, ConnectionError, OSError)):
        call(inbound, "/partner/v1/records/employment.registered", b"{}", client=None)


# --- X-Road 4.0 service provider -----------------------------------------------------------


def evidence(inbound, record_id):
    with sqlite3.connect(inbound[2]) as db:
        return db.execute(
            "SELECT xroad_id, xroad_user_id, xroad_client, xroad_issue FROM feed_records WHERE record_id = ?",
            (record_id,),
        ).fetchone()


def test_rest_needs_the_xroad_headers_stores_them_and_echoes_them(inbound):
    before = stored(inbound)
    path = "/partner/v1/records/employment.registered"
    for missing in ("X-Road-Client", "X-Road-Id", "X-Road-UserId"):
        status, text = call(inbound, path, json.dumps(record()).encode(), headers=xroad_rest(**{missing: None}))
        assert status == 400 and f"missing header {missing}" in text, text
    status, text = call(inbound, path, json.dumps(record()).encode(), headers=xroad_rest(**{"X-Road-Client": "DCZ"}))
    assert status == 400 and "INSTANCE/CLASS/CODE" in text
    assert stored(inbound) == before
    headers = xroad_rest()
    status, text = call(inbound, path, json.dumps(record()).encode(), headers=headers)
    assert status == 200, text
    echoed = {k.lower(): v for k, v in call.last_headers.items()}
    assert all(echoed[name.lower()] == value for name, value in headers.items()), echoed
    assert "server" not in echoed  # the server does not name itself
    assert evidence(inbound, json.loads(text)["record_id"]) == (
        headers["X-Road-Id"],
        "dcz-officer-7",
        "UA/GOV/37508470/DCZ",
        "DCZ-2026-118",
    )


def test_soap_needs_the_xroad_headers_stores_them_and_echoes_them(inbound):
    from lxml import etree

    before = stored(inbound)
    for missing in ("client", "service", "id", "userId", "protocolVersion"):
        status, text = call(inbound, "/partner/soap", soap_body(record(), without=(missing,)), content_type="text/xml")
        assert status == 400 and "Fault" in text and f"missing X-Road header '{missing}'" in text, text
    status, text = call(
        inbound, "/partner/soap", soap_body(record(), service_code="DeleteEverything"), content_type="text/xml"
    )
    assert status == 400 and "another X-Road service" in text
    status, text = call(
        inbound, "/partner/soap", soap_body(record(salary="1"), message_id="dcz-bad-1"), content_type="text/xml"
    )
    assert status == 400 and "unknown fields" in text
    assert etree.fromstring(text.encode()).findtext(".//{http://x-road.eu/xsd/xroad.xsd}id") == "dcz-bad-1"  # returned
    assert stored(inbound) == before
    status, text = call(inbound, "/partner/soap", soap_body(record(), message_id="dcz-msg-42"), content_type="text/xml")
    assert status == 200, text
    reply = etree.fromstring(text.encode())
    header = reply.find("{http://schemas.xmlsoap.org/soap/envelope/}Header")
    echoed = {el.tag.split("}")[1]: el for el in header}
    assert list(echoed) == ["client", "service", "id", "userId", "issue", "protocolVersion"]
    assert echoed["id"].text == "dcz-msg-42" and echoed["userId"].text == "dcz-officer-7"
    assert echoed["client"].findtext("{http://x-road.eu/xsd/identifiers}memberCode") == "37508470"
    record_id = reply.findtext(f".//{{{NS}}}recordId")
    assert evidence(inbound, record_id) == ("dcz-msg-42", "dcz-officer-7", "UA/GOV/37508470/DCZ", "DCZ-2026-118")


def test_the_wsdl_declares_the_xroad_headers(inbound):
    import zeep

    port, pki = inbound[0], inbound[1]
    context = ssl.create_default_context(cafile=str(pki / "ca.pem"))
    context.load_cert_chain(str(pki / "partner-dcz.pem"), str(pki / "partner-dcz.key"))
    connection = http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=10)
    connection.request("GET", "/partner/soap?wsdl")
    wsdl = connection.getresponse().read()
    path = pathlib.Path(inbound[4]) / "partner.wsdl"
    path.write_bytes(wsdl)
    operation = zeep.Client(str(path)).service._binding._operations["SubmitRecord"]
    for message in (operation.input, operation.output):
        names = [name for name, _ in message.header.type.elements]
        assert names == ["client", "service", "id", "userId", "issue", "protocolVersion"]


# --- one client never stalls the others ----------------------------------------------------


def timed_post(inbound) -> float:
    started = time.monotonic()
    status, text = call(inbound, "/partner/v1/records/employment.registered", json.dumps(record()).encode())
    assert status == 200, text
    return time.monotonic() - started


def client_hello(inbound) -> bytes:
    context = ssl.create_default_context(cafile=str(inbound[1] / "ca.pem"))
    incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
    tls = context.wrap_bio(incoming, outgoing, server_hostname="127.0.0.1")
    with pytest.raises(ssl.SSLWantReadError):
        tls.do_handshake()
    return outgoing.read()


def test_a_silent_connection_or_half_a_hello_does_not_stall_another_partner(inbound):
    port = inbound[0]
    silent = socket.create_connection(("127.0.0.1", port))
    half = socket.create_connection(("127.0.0.1", port))
    hello = client_hello(inbound)
    half.sendall(hello[: len(hello) // 2])
    try:
        assert timed_post(inbound) < 1.0
        assert timed_post(inbound) < 1.0
        # and the server lets them go after its handshake timeout (2 s here)
        for sock in (silent, half):
            sock.settimeout(6)
            started = time.monotonic()
            assert sock.recv(1024) == b""
            assert time.monotonic() - started < 4
    finally:
        silent.close()
        half.close()


def tls_connection(inbound):
    context = ssl.create_default_context(cafile=str(inbound[1] / "ca.pem"))
    context.load_cert_chain(str(inbound[1] / "partner-dcz.pem"), str(inbound[1] / "partner-dcz.key"))
    return context.wrap_socket(
        socket.create_connection(("127.0.0.1", inbound[0]), timeout=10), server_hostname="127.0.0.1"
    )


def test_headers_sent_a_byte_at_a_time_are_cut_off(inbound):
    slow = tls_connection(inbound)
    started = time.monotonic()
    try:
        slow.sendall(b"POST /partner/v1/records/employment.registered HTTP/1.1\r\nHost: x\r\n")
        assert timed_post(inbound) < 1.0
        slow.settimeout(0.3)
        while time.monotonic() - started < 8:
            try:
                slow.sendall(b"X")  # a head that never ends
                if slow.recv(1024) == b"":
                    break
            except TimeoutError:
                continue
            except (ConnectionError, ssl.SSLError):
                break
        closed_after = time.monotonic() - started
    finally:
        slow.close()
    assert closed_after < 4  # the head timeout is 2 s here


def test_a_body_that_never_comes_is_refused(inbound):
    slow = tls_connection(inbound)
    try:
        head = "".join(f"{k}: {v}\r\n" for k, v in xroad_rest().items())
        slow.sendall(
            f"POST /partner/v1/records/employment.registered HTTP/1.1\r\nHost: x\r\n{head}"
            f"Content-Type: application/json\r\nContent-Length: 200\r\n\r\n{{".encode()
        )
        started = time.monotonic()
        reply = slow.recv(4096)
        assert reply.startswith(b"HTTP/1.1 408") and time.monotonic() - started < 4, reply
    finally:
        slow.close()


def test_an_oversized_head_is_refused(inbound):  # (an oversized body: test_a_huge_body_is_refused_before_it_is_read)
    before = stored(inbound)
    status, text = call(
        inbound,
        "/partner/v1/records/employment.registered",
        json.dumps(record()).encode(),
        headers={**xroad_rest(), "X-Padding": "x" * 20000},
    )
    assert status == 431 and "headers over" in text
    head = tls_connection(inbound)  # a head that never ends, bigger than the limit, in one go
    try:
        head.sendall(b"POST /partner/v1/records/employment.registered HTTP/1.1\r\nX-Padding: " + b"x" * 40000)
        assert head.recv(4096).startswith(b"HTTP/1.1 400")
    finally:
        head.close()
    assert stored(inbound) == before


def test_connections_over_the_limit_are_refused(inbound):
    before = stored(inbound)
    idle = [tls_connection(inbound) for _ in range(MAX_CONNECTIONS)]
    try:
        status, text = call(inbound, "/partner/v1/records/employment.registered", json.dumps(record()).encode())
        assert status == 503, text
    finally:
        for sock in idle:
            sock.close()
    time.sleep(0.2)
    assert timed_post(inbound) < 1.0
    assert stored(inbound) == before + 1


def test_a_kept_alive_partner_waits_for_no_delayed_ack(inbound):
    """A reply's head and body are two writes: with Nagle's algorithm on, each reply waited
    ~40 ms for the client's delayed ACK."""
    port, pki = inbound[0], inbound[1]
    context = ssl.create_default_context(cafile=str(pki / "ca.pem"))
    context.load_cert_chain(str(pki / "partner-dcz.pem"), str(pki / "partner-dcz.key"))
    connection = http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=10)
    took = []
    for _ in range(9):
        started = time.monotonic()
        connection.request(
            "POST",
            "/partner/v1/records/employment.registered",
            json.dumps(record()).encode(),
            {"Content-Type": "application/json", **xroad_rest()},
        )
        response = connection.getresponse()
        assert response.status == 200, response.read()
        response.read()
        took.append(time.monotonic() - started)
    connection.close()
    assert sorted(took)[4] < 0.025, took
