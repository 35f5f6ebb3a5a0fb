"""Partners push records over HTTPS (REST and SOAP), authenticated by client certificates;
hostile input is refused with a 4xx or a SOAP fault and never stored."""
import http.client
import json
import pathlib
import sqlite3
import ssl
import subprocess
import sys
import uuid

import pytest

from ekm_platform.identifiers import make_rnokpp
from ekm_platform.migrations import migrate
from ekm_platform.testing.pki import make_pki

pytestmark = [pytest.mark.integration, pytest.mark.timeout(60)]
PARTNERS = pathlib.Path(__file__).resolve().parents[4] / "deploy" / "demo" / "partners.json"
NS = "http://ekm.gov.ua/partner/v1"


@pytest.fixture(scope="module")
def inbound(tmp_path_factory):
    home = tmp_path_factory.mktemp("gw")
    pki = make_pki(home / "pki", clients=("partner-dcz", "partner-unknown"))
    database = home / "gateway.db"
    migrate(f"sqlite:///{database}", "registry_gateway.adapters.migrations")
    from ekm_platform.testing import broker
    vhost, amqp_uri = broker.create_vhost("ekm-inbound")
    env = {"PATH": "/usr/bin:/bin", "EKM_HOME": str(home), "EKM_AMQP_URI": amqp_uri, "EKM_REGISTRY_GATEWAY_DATABASE_URL": f"sqlite:///{database}",
           "EKM_PARTNERS_FILE": str(PARTNERS), "EKM_PARTNER_TLS_CERT": str(pki / "server.pem"),
           "EKM_PARTNER_TLS_KEY": str(pki / "server.key"), "EKM_PARTNER_TLS_CLIENT_CA": str(pki / "ca.pem")}
    process = subprocess.Popen([sys.executable, "-m", "registry_gateway.partner_inbound", "--port", "0"], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        port = int(process.stdout.readline().split()[1])
        yield port, pki, database, amqp_uri
    finally:
        process.terminate()
        process.wait(10)
        broker.delete_vhost(vhost)


def call(inbound, path, body: bytes, client="partner-dcz", headers=None, content_type="application/json"):
    port, pki = inbound[0], inbound[1]
    context = ssl.create_default_context(cafile=str(pki / "ca.pem"))
    if client:
        context.load_cert_chain(str(pki / f"{client}.pem"), str(pki / f"{client}.key"))
    connection = http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=10)
    connection.request("POST", path, body, {"Content-Type": content_type, **(headers or {})})
    response = connection.getresponse()
    return response.status, response.read().decode()


def record(**changes):
    body = {"source_id": f"dcz-{uuid.uuid4().hex[:10]}", "rnokpp": make_rnokpp("322151234"),
            "registered_on": "2026-11-20", "center_code": "KYIV-01"}
    return {**body, **changes}


def soap_body(fields, record_type="employment.registered", ns=NS) -> bytes:
    parts = "".join(f'<p:field name="{k}">{v}</p:field>' for k, v in fields.items())
    return (f'<?xml version="1.0"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" '
            f'xmlns:p="{ns}"><soapenv:Body><p:SubmitRecord><p:recordType>{record_type}</p:recordType>{parts}'
            f'</p:SubmitRecord></soapenv:Body></soapenv:Envelope>').encode()


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
    status, text = call(inbound, "/partner/v1/records/employment.registered", json.dumps(record()).encode(),
                        client="partner-unknown")
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
    connection.endheaders()
    connection.send(b"{" * 1024)  # a 100 MB body announced, a little sent
    assert connection.getresponse().status == 413


def test_soap_records_and_hostile_xml(inbound):
    before = stored(inbound)
    status, text = call(inbound, "/partner/soap", soap_body(record()), content_type="text/xml")
    assert status == 200 and "stored" in text
    hostile = [
        (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
         b'<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>&xxe;'
         b'</soapenv:Body></soapenv:Envelope>', "DTDs and entities are forbidden"),
        (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;">]>'
         b'<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>&lol1;'
         b'</soapenv:Body></soapenv:Envelope>', "DTDs and entities are forbidden"),
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
