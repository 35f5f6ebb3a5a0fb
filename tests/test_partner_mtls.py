"""The listener that faces partners (partner inbound, HTTPS) takes only a client certificate of
the partner CA: none, another CA's (even with a known partner's name) or an expired one never
gets a connection, and a partner cannot name another partner's X-Road client. Certificates
from the dev PKI of the tests (ekm_platform.testing.pki)."""

import datetime
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
PARTNERS = pathlib.Path(__file__).resolve().parents[1] / "deploy" / "demo" / "partners.json"
DCZ_CLIENT = next(p["xroad_client"] for p in json.loads(PARTNERS.read_text()) if p["partner_id"] == "partner-dcz")


@pytest.fixture(scope="module")
def inbound(tmp_path_factory):
    home = tmp_path_factory.mktemp("mtls")
    pki = make_pki(home / "pki", clients=("partner-dcz",))
    rogue = make_pki(home / "rogue", clients=("partner-dcz",))  # the same name, another CA
    expired = make_pki(home / "old", clients=("partner-dcz",), valid_for=datetime.timedelta(seconds=-30))
    (home / "ca-bundle.pem").write_bytes((pki / "ca.pem").read_bytes() + (expired / "ca.pem").read_bytes())
    database = home / "gateway.db"
    migrate(f"sqlite:///{database}", "registry_gateway.adapters.migrations")
    env = {
        "PATH": "/usr/bin:/bin",
        "EKM_HOME": str(home),
        "EKM_AMQP_URI": "amqp://127.0.0.1:1/none",
        "EKM_REGISTRY_GATEWAY_DATABASE_URL": f"sqlite:///{database}",
        "EKM_PARTNERS_FILE": str(PARTNERS),
        "EKM_PARTNER_TLS_CERT": str(pki / "server.pem"),
        "EKM_PARTNER_TLS_KEY": str(pki / "server.key"),
        # the expired certificate's CA is trusted too: it is refused for its dates alone
        "EKM_PARTNER_TLS_CLIENT_CA": str(home / "ca-bundle.pem"),
        "EKM_TRACING": "off",
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
        yield {"port": port, "pki": pki, "rogue": rogue, "expired": expired, "database": database}
    finally:
        process.terminate()
        process.wait(10)


def post(inbound, certificate_folder, client=DCZ_CLIENT):
    context = ssl.create_default_context(cafile=str(inbound["pki"] / "ca.pem"))
    if certificate_folder is not None:
        context.load_cert_chain(
            str(certificate_folder / "partner-dcz.pem"), str(certificate_folder / "partner-dcz.key")
        )
    body = json.dumps(
        {
            "source_id": f"dcz-{uuid.uuid4().hex[:10]}",
            "rnokpp": make_rnokpp("322151234"),
            "registered_on": "2026-11-20",
            "center_code": "KYIV-01",
        }
    ).encode()
    connection = http.client.HTTPSConnection("127.0.0.1", inbound["port"], context=context, timeout=10)
    try:
        connection.request(
            "POST",
            "/partner/v1/records/employment.registered",
            body,
            {
                "Content-Type": "application/json",
                "X-Road-Client": client,
                "X-Road-Id": f"dcz-{uuid.uuid4()}",
                "X-Road-UserId": "dcz-officer-7",
            },
        )
        response = connection.getresponse()
        return response.status, response.read().decode()
    finally:
        connection.close()


def stored(inbound) -> int:
    with sqlite3.connect(inbound["database"]) as db:
        return db.execute("SELECT count(*) FROM feed_records").fetchone()[0]


def test_the_partner_cas_certificate_is_taken(inbound):
    before = stored(inbound)
    status, text = post(inbound, inbound["pki"])
    assert status == 200 and json.loads(text)["status"] == "stored", text
    assert stored(inbound) == before + 1


@pytest.mark.parametrize("certificate", [None, "rogue", "expired"])
def test_no_certificate_another_cas_or_an_expired_one_gets_no_connection(inbound, certificate):
    before = stored(inbound)
    with pytest.raises((ssl.SSLError, ConnectionError, OSError)):
        post(inbound, inbound[certificate] if certificate else None)
    assert stored(inbound) == before


def test_a_partner_cannot_name_another_partners_xroad_client(inbound):
    before = stored(inbound)
    status, text = post(inbound, inbound["pki"], client="UA/GOV/00012925/MOZ")
    assert status == 403 and "X-Road" in text, text
    assert stored(inbound) == before
