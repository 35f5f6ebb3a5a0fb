"""A partner agency's side of the feeds: HTTPS with its client certificate (REST and SOAP,
X-Road headers) and AMQP publishing as its broker user."""

from __future__ import annotations

import http.client
import json
import ssl
import time
import uuid

from ekm_platform.identifiers import make_rnokpp
from tests.fuzz.hostile_xml.make_corpus import envelope


def xroad_rest() -> dict:
    return {
        "X-Road-Client": "UA/GOV/37508470/DCZ",
        "X-Road-Id": f"dcz-{uuid.uuid4()}",
        "X-Road-UserId": "dcz-officer-7",
        "X-Road-Issue": "DCZ-2026-118",
    }


def https(
    gateway,
    path: str,
    body: bytes,
    headers: dict | None = None,
    client: str = "partner-dcz",
    content_type: str = "application/json",
    timeout: float = 15,
):
    """(status, content type, body, seconds) of one request on its own connection."""
    context = ssl.create_default_context(cafile=str(gateway.pki / "ca.pem"))
    context.load_cert_chain(str(gateway.pki / f"{client}.pem"), str(gateway.pki / f"{client}.key"))
    connection = http.client.HTTPSConnection("127.0.0.1", gateway.port, context=context, timeout=timeout)
    started = time.monotonic()
    try:
        connection.request("POST", path, body, {"Content-Type": content_type, **(headers or {})})
        response = connection.getresponse()
        return response.status, response.getheader("content-type") or "", response.read(), time.monotonic() - started
    finally:
        connection.close()


def record(**changes) -> dict:
    body = {
        "source_id": f"fz-{uuid.uuid4().hex[:12]}",
        "rnokpp": make_rnokpp("322151234"),
        "registered_on": "2026-11-20",
        "center_code": "KYIV-01",
    }
    body.update(changes)
    return body


def soap_fault_text(body: bytes) -> str | None:
    """The faultstring of a SOAP 1.1 fault reply, or None when the reply is not one."""
    from lxml import etree

    try:
        root = etree.fromstring(body)
    except etree.XMLSyntaxError:
        return None
    fault = root.find(
        "{http://schemas.xmlsoap.org/soap/envelope/}Body/{http://schemas.xmlsoap.org/soap/envelope/}Fault"
    )
    return None if fault is None else (fault.findtext("faultstring") or "")


def soap_record(fields: dict, message_id: str | None = None) -> bytes:
    """A SubmitRecord request with valid X-Road headers carrying ``fields`` (XML-escaped)."""
    from xml.sax.saxutils import escape, quoteattr

    body = envelope().replace("__ID__", message_id or f"dcz-{uuid.uuid4()}")
    start, end = body.index("<p:field "), body.index("</p:SubmitRecord>")
    parts = "".join(f"<p:field name={quoteattr(str(k))}>{escape(str(v))}</p:field>" for k, v in fields.items())
    return (body[:start] + parts + body[end:]).encode()


def json_bytes(value) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode("utf-8", "surrogatepass")
