"""X-Road message protocol 4.0 headers as a service provider checks them: the SOAP header
elements and the REST ``X-Road-*`` HTTP headers of a request, checked, and echoed back.

Used by every X-Road service provider of the platform (partner inbound, the registry
simulators), so that each checks the same headers the same way.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping

from ekm_platform.soap import SoapFault

XROAD = "http://x-road.eu/xsd/xroad.xsd"
IDENTIFIERS = "http://x-road.eu/xsd/identifiers"
HEADERS = ("client", "service", "id", "userId", "issue", "protocolVersion")
REQUIRED = ("client", "service", "id", "userId", "protocolVersion")  # `issue` is optional in the protocol
REST_HEADERS = ("X-Road-Client", "X-Road-Id", "X-Road-UserId", "X-Road-Issue")
REST_REQUIRED = ("X-Road-Client", "X-Road-Id", "X-Road-UserId")
MAX_VALUE = 200
_MEMBER = re.compile(r"^[^/\s]+/[^/\s]+/[^/\s]+(/[^/\s]+)?$")


def _missing(name: str) -> SoapFault:
    return SoapFault("Client", f"Відсутній заголовок X-Road '{name}' / missing X-Road header '{name}'", 400)


def check(header, required=REQUIRED) -> dict:
    """The X-Road header elements of a SOAP request by name; a SOAP fault names the first
    missing (or empty, or over-long) one, a protocolVersion other than 4.0, or a malformed
    client identifier."""
    found = {}
    if header is not None:
        for element in header:
            if isinstance(element.tag, str) and element.tag.startswith(f"{{{XROAD}}}"):
                found[element.tag.split("}", 1)[1]] = element
    for name in required:
        if name not in found or (name not in ("client", "service") and not (found[name].text or "").strip()):
            raise _missing(name)
    for name in ("id", "userId", "issue", "protocolVersion"):
        if name in found and len(found[name].text or "") > MAX_VALUE:
            raise SoapFault("Client", f"Заголовок X-Road '{name}' задовгий / X-Road header '{name}' too long", 400)
    if "protocolVersion" in found and found["protocolVersion"].text.strip() != "4.0":
        raise SoapFault("Client", "Підтримується protocolVersion 4.0 / protocolVersion 4.0 is supported", 400)
    if "client" in found and not identifier(found["client"]).get("memberCode"):
        raise SoapFault("Client", "Некоректний ідентифікатор клієнта X-Road / malformed X-Road client", 400)
    return found


def identifier(element) -> dict:
    """``{"xRoadInstance": ..., "memberClass": ..., "memberCode": ..., ...}`` of a client or
    service header element: its children in the X-Road identifiers namespace (others, and
    children without a namespace, are not identifiers and are left out)."""
    prefix = f"{{{IDENTIFIERS}}}"
    return {
        child.tag[len(prefix) :]: (child.text or "").strip()
        for child in element
        if isinstance(child.tag, str) and child.tag.startswith(prefix)
    }


def member_path(element) -> str:
    """``UA/GOV/12345678/SUBSYSTEM`` (and ``/serviceCode`` for a service) of a header element."""
    parts = identifier(element)
    return "/".join(
        parts[k] for k in ("xRoadInstance", "memberClass", "memberCode", "subsystemCode", "serviceCode") if parts.get(k)
    )


def text(found: dict, name: str) -> str | None:
    element = found.get(name)
    return (element.text or "").strip() or None if element is not None else None


def echo(found: dict) -> list:
    """A service provider returns the request's X-Road headers with its response."""
    return [copy.deepcopy(found[name]) for name in HEADERS if name in found]


def rest_check(headers: Mapping[str, str], required=REST_REQUIRED) -> dict[str, str]:
    """The ``X-Road-*`` headers of a REST request (``headers`` looked up case-insensitively
    by the caller's mapping, or given with these names); an error names the first missing one."""
    found = {}
    for name in REST_HEADERS:
        value = headers.get(name) or headers.get(name.lower())
        if value is not None and value.strip():
            if len(value) > MAX_VALUE:
                raise SoapFault("Client", f"Заголовок {name} задовгий / header {name} too long", 400)
            found[name] = value.strip()
    for name in required:
        if name not in found:
            raise SoapFault("Client", f"Відсутній заголовок {name} / missing header {name}", 400)
    if "X-Road-Client" in found and not _MEMBER.match(found["X-Road-Client"]):
        raise SoapFault(
            "Client",
            "X-Road-Client має вигляд INSTANCE/CLASS/CODE[/SUBSYSTEM] / "
            "X-Road-Client must be INSTANCE/CLASS/CODE[/SUBSYSTEM]",
            400,
        )
    return found
