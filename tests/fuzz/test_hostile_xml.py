"""A corpus of hostile XML (tests/fuzz/hostile_xml/, made by make_corpus.py) sent to every XML
entry point: ``ekm_platform.soap.parse`` (partner inbound and the registry simulators), the
partner inbound SOAP endpoint (the real mTLS process) and the SOAP client reading registry
replies (zeep, hardened). Each document is refused clearly (a 4xx SOAP fault naming why, or
RegistryUnavailable), no entity is expanded, no file is read back, nothing connects out
(a canary server on loopback records any connection), in bounded time and memory, and
nothing is stored."""

from __future__ import annotations

import http.server
import pathlib
import threading
import time
import tracemalloc
import uuid
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ekm_platform import soap
from tests.fuzz.hostile_xml.make_corpus import corpus, envelope
from tests.fuzz.partners import https, soap_fault_text, xroad_rest
from tests.fuzz.profile import THOROUGH, scaled

pytestmark = pytest.mark.timeout(1200 if THOROUGH else 180)
CORPUS = pathlib.Path(__file__).parent / "hostile_xml"
FILES = sorted(CORPUS.glob("*.xml"))
ENCODINGS = ("utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be", "cp037")
SECONDS = 5.0  # each document is answered within
PEAK_BYTES = 64 * 1024 * 1024


def hostile(path: pathlib.Path, canary, secret, message_id: str = "m-1") -> bytes:
    """The corpus file with its tokens filled in, in the file's own encoding."""
    body = path.read_bytes()
    for token, value in (("__CANARY__", canary.url), ("__SECRET__", secret.uri), ("__ID__", message_id)):
        for encoding in ENCODINGS:
            body = body.replace(token.encode(encoding), value.encode(encoding))
    return body


def test_the_corpus_files_are_the_generators_documents():
    made = corpus()
    assert sorted(made) == [f.name for f in FILES]
    for path in FILES:
        assert path.read_bytes() == made[path.name], f"{path.name} differs: run make_corpus.py"


def test_without_its_hostile_part_a_document_is_a_valid_request():
    header, request = soap.parse(envelope().encode())
    assert request.tag == "{http://ekm.gov.ua/partner/v1}SubmitRecord" and header is not None


@pytest.mark.parametrize("path", FILES, ids=[f.name for f in FILES])
def test_soap_parse_refuses_every_hostile_document(path, canary, secret):
    body = hostile(path, canary, secret)
    before = len(canary.connections)
    tracemalloc.start()
    started = time.monotonic()
    try:
        with pytest.raises(soap.SoapFault) as refused:
            soap.parse(body)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert time.monotonic() - started < SECONDS and peak < PEAK_BYTES
    assert 400 <= refused.value.status < 500 and refused.value.code == "Client" and refused.value.message
    assert secret.marker not in refused.value.message and "lollol" not in refused.value.message
    assert len(canary.connections) == before


@pytest.mark.integration
def test_partner_inbound_refuses_every_hostile_document_with_a_soap_fault(gateway, canary, secret):
    """The real process: each document answered with a 4xx SOAP fault within SECONDS; nothing
    stored, nothing fetched; the same envelope without its hostile part is stored once."""
    before_rows, before_connections = gateway.stored(), len(canary.connections)
    for path in FILES:
        status, content_type, body, seconds = https(
            gateway, "/partner/soap", hostile(path, canary, secret), content_type="text/xml; charset=utf-8"
        )
        reason = soap_fault_text(body)
        assert 400 <= status < 500 and reason, (path.name, status, body[:300])
        assert secret.marker.encode() not in body and b"lollol" not in body, path.name
        assert seconds < SECONDS, (path.name, seconds)
        # the REST endpoint takes JSON: the same bytes are refused there too
        status, _, body, _ = https(
            gateway, "/partner/v1/records/employment.registered", hostile(path, canary, secret), headers=xroad_rest()
        )
        assert 400 <= status < 500 and b"error" in body, (path.name, status, body[:300])
    assert gateway.stored() == before_rows and len(canary.connections) == before_connections
    assert not gateway.exited()
    clean = envelope().replace("__ID__", f"fz-{uuid.uuid4().hex[:12]}").encode()
    status, _, body, _ = https(gateway, "/partner/soap", clean, content_type="text/xml; charset=utf-8")
    assert status == 200 and b"stored" in body, body[:500]
    assert gateway.stored() == before_rows + 1


MUTATIONS = st.sampled_from(["insert", "delete", "replace", "duplicate"])


@scaled(60, factor=20)
@given(
    st.sampled_from(FILES + [None]),
    st.lists(st.tuples(MUTATIONS, st.integers(0, 10**6), st.binary(max_size=12)), max_size=6),
)
def test_soap_parse_raises_only_soap_faults_on_mutated_documents(path, mutations):
    """Byte-level mutations of the clean envelope and of the corpus: a SoapFault (4xx) or a
    parsed envelope, never another exception; the X-Road check after it likewise."""
    from ekm_platform import xroad

    body = bytearray(path.read_bytes() if path else envelope().encode())
    for kind, position, data in mutations:
        i = position % (len(body) + 1)
        if kind == "insert":
            body[i:i] = data
        elif kind == "delete":
            del body[i : i + len(data) + 1]
        elif kind == "replace":
            body[i : i + len(data)] = data
        else:
            body[i:i] = body[i : i + 64]
    try:
        header, request = soap.parse(bytes(body))
        found = xroad.check(header)
        xroad.member_path(found["client"]), xroad.identifier(found["service"])
    except soap.SoapFault as refused:
        assert 400 <= refused.status < 500 and refused.message


# --- the SOAP client reading a registry's replies ------------------------------------------------


@pytest.fixture
def hostile_registry(canary, secret):
    """A registry on loopback that serves the border guard's WSDL and answers every SOAP call
    with ``replies[0]``."""
    from importlib import resources

    wsdl = (resources.files("registry_simulators") / "wsdl" / "border_guard.wsdl").read_text(encoding="utf-8")
    replies = [b""]

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            text = wsdl.replace("http://127.0.0.1:8081/", f"http://127.0.0.1:{self.server.server_port}/")
            self._send(text.encode())

        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self._send(replies[0])

        def _send(self, body: bytes):
            self.send_response(200)
            self.send_header("Content-Type", "text/xml; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/border-guard", replies
    server.shutdown()
    server.server_close()


def test_the_registry_client_refuses_every_hostile_reply(hostile_registry, canary, secret):
    from registry_gateway.adapters.border_guard import BorderGuardClient
    from registry_gateway.domain.lookup import Query, RegistryUnavailable

    url, replies = hostile_registry
    client = BorderGuardClient(url, timeout=3)
    query = Query(
        rnokpp="3221512349", unzr="", case_number="CASE-2026-AAAAAAA", purpose="оцінка потреб", user_id="cm-7"
    )
    before = len(canary.connections)
    for path in FILES:
        replies[0] = hostile(path, canary, secret)
        started = time.monotonic()
        with pytest.raises(RegistryUnavailable) as refused:
            client.crossings(query, date(2020, 1, 1), date(2026, 12, 31))
        assert time.monotonic() - started < SECONDS, path.name
        assert secret.marker not in str(refused.value) and "lollol" not in str(refused.value), path.name
    assert len(canary.connections) == before
