"""The State Border Guard Service registry over SOAP (zeep), through X-Road.

zeep is configured so that nothing from outside can reach our parser's dangerous parts:
DTDs, entities and external references are forbidden, huge trees refused, every call has
a timeout, and responses over a size limit are refused before they are parsed.
"""

from __future__ import annotations

import os
import threading
import uuid
from datetime import date

import requests
import urllib3
import zeep
from lxml import etree
from zeep import Settings
from zeep.exceptions import Error as ZeepError
from zeep.loader import parse_xml

from ekm_platform.tracing import outbound_identifiers
from registry_gateway.adapters import xroad
from registry_gateway.domain.lookup import Query, RegistryReply, RegistryUnavailable, sha256

REGISTRY = "border_guard"
SERVICE = xroad.MemberId("UA", "GOV", "14321469", "DPSU")  # ДПСУ, ЄДРПОУ 14321469
SERVICE_CODE = "GetBorderCrossings"
MAX_RESPONSE = 2 * 1024 * 1024
NETWORK_ERRORS = (requests.RequestException, urllib3.exceptions.HTTPError, OSError)


def read_reply(client: zeep.Client, operation_name: str, response, message_id: str):
    """zeep's ``SoapBinding.process_reply`` for one X-Road reply, parsed with the client's
    hardened settings. The reply's X-Road header must echo our message id (the security
    server returns the request's headers); once checked, it is taken out before zeep reads
    the body, so that it is not deserialised through the schema for nothing."""
    binding = client.service._binding
    operation = binding.get(operation_name)
    document = parse_xml(response.content, client.transport, settings=client.settings)
    fault = document.find("soap-env:Body/soap-env:Fault", namespaces=binding.nsmap)
    if response.status_code != 200 or fault is not None:
        return binding.process_error(document, operation)  # raises zeep's Fault
    header = document.find("soap-env:Header", namespaces=binding.nsmap)
    echoed = header.findtext(f"{{{xroad.XROAD}}}id") if header is not None else None
    if echoed != message_id:
        raise ValueError(f"the reply answers X-Road message {echoed!r}, not {message_id!r}")
    document.remove(header)
    return operation.process_reply(document)


class BorderGuardClient:
    def __init__(self, url: str | None = None, timeout: float | None = None):
        port = os.environ.get("EKM_SIMULATORS_PORT", "8081")
        self.url = url or os.environ.get("EKM_BORDER_GUARD_URL", f"http://127.0.0.1:{port}/border-guard")
        self.timeout = timeout or float(os.environ.get("EKM_BORDER_GUARD_TIMEOUT", "5"))
        self._client: zeep.Client | None = None
        self._lock = threading.Lock()

    def _zeep(self) -> zeep.Client:
        """The WSDL is loaded on first use, so the gateway starts while a registry is down."""
        with self._lock:
            if self._client is None:
                settings = Settings(
                    strict=True,
                    forbid_dtd=True,
                    forbid_entities=True,
                    forbid_external=True,
                    xml_huge_tree=False,
                    raw_response=True,
                )  # replies are size-checked, then read by read_reply
                transport = xroad.zeep_transport(self.timeout, MAX_RESPONSE)
                try:
                    self._client = zeep.Client(f"{self.url}?wsdl", settings=settings, transport=transport)
                except (requests.RequestException, ZeepError, OSError) as exc:
                    raise RegistryUnavailable(f"WSDL: {exc}") from exc
            return self._client

    SERVICE, OPERATION = SERVICE, SERVICE_CODE

    def _call(self, query: Query, **arguments):
        """The registry's query for a case: the case manager is ``userId``, the case ``issue``."""
        with outbound_identifiers(case_number=query.case_number):
            return self._exchange(self.OPERATION, query.user_id, query.case_number, **arguments)

    def _exchange(self, operation: str, user_id: str, issue: str, **arguments):
        """One SOAP exchange through X-Road: (body, X-Road message id, SHA-256 of the raw reply)."""
        with outbound_identifiers(registry=self.SERVICE.subsystem, operation="WSDL"):  # loaded on first use
            client = self._zeep()
        message_id = str(uuid.uuid4())
        headers = xroad.headers(xroad.client_id(), self.SERVICE, operation, message_id, user_id, issue)
        try:
            with outbound_identifiers(registry=self.SERVICE.subsystem, operation=operation, xroad_id=message_id):
                response = getattr(client.service, operation)(_soapheaders=headers, **arguments)
        except NETWORK_ERRORS as exc:
            raise RegistryUnavailable(f"{type(exc).__name__}: {exc}") from exc
        raw = response.content
        if len(raw) > MAX_RESPONSE:
            raise RegistryUnavailable(f"response of {len(raw)} bytes is over the {MAX_RESPONSE} limit")
        if response.status_code >= 400 and b"Fault" not in raw:
            raise RegistryUnavailable(f"HTTP {response.status_code}")
        try:
            result = read_reply(client, operation, response, message_id)
        except (ZeepError, ValueError, etree.XMLSyntaxError) as exc:
            raise RegistryUnavailable(f"{type(exc).__name__}: {exc}") from exc
        try:
            body = result["body"]  # an output with X-Road headers: {header, body}
        except (KeyError, TypeError, IndexError, AttributeError):
            body = result
        return body, message_id, sha256(raw)

    def crossings(self, query: Query, date_from: date, date_to: date) -> RegistryReply:
        """The person's crossings in the period, with the X-Road id and the response hash."""
        arguments = {"dateFrom": date_from, "dateTo": date_to}
        if query.rnokpp:
            arguments["rnokpp"] = query.rnokpp
        if query.unzr:
            arguments["unzr"] = query.unzr
        body, message_id, digest = self._call(query, **arguments)
        crossings = [
            {
                "date": c["date"],
                "direction": c["direction"],
                "checkpoint": c["checkpoint"],
                "returnedFromService": bool(c["returnedFromService"]),
            }
            for c in (body["crossing"] or [])
        ]
        return RegistryReply(found=bool(body["found"]), records=crossings, xroad_id=message_id, response_sha256=digest)

    def new_returns(self, since: date) -> tuple[list[dict], str, str]:
        """The feed of people returned from service since a date: (records, X-Road id, hash)."""
        body, message_id, digest = self._exchange("GetNewReturns", "ekm-registry-gateway", "feed", since=since)
        items = body if isinstance(body, list) else ((body["return"] if body is not None else None) or [])
        records = [
            {
                "source_id": r["sourceId"],
                "rnokpp": r["rnokpp"] or "",
                "unzr": r["unzr"] or "",
                "last_name": r["lastName"],
                "first_name": r["firstName"],
                "occurred_on": r["returnedOn"],
                "checkpoint": r["checkpoint"],
            }
            for r in items
        ]
        return records, message_id, digest
