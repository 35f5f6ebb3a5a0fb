"""The X-Road message protocol 4.0 headers, as a Trembita security server checks them."""
from __future__ import annotations

import copy

from ekm_platform.soap import SoapFault

XROAD = "http://x-road.eu/xsd/xroad.xsd"
IDENTIFIERS = "http://x-road.eu/xsd/identifiers"
REQUIRED = ("client", "service", "id", "userId", "protocolVersion")


def check(header) -> dict:
    """The X-Road headers of a request; a SOAP fault names the first missing one."""
    found = {}
    if header is not None:
        for element in header:
            if element.tag.startswith(f"{{{XROAD}}}"):
                found[element.tag.split("}", 1)[1]] = element
    for name in REQUIRED:
        if name not in found or (name not in ("client", "service") and not (found[name].text or "").strip()):
            raise SoapFault("Client", f"Відсутній заголовок X-Road '{name}' / missing X-Road header '{name}'", 400)
    if found["protocolVersion"].text.strip() != "4.0":
        raise SoapFault("Client", "Підтримується protocolVersion 4.0 / protocolVersion 4.0 is supported", 400)
    client = {child.tag.split("}", 1)[1]: child.text for child in found["client"]}
    if not client.get("memberCode"):
        raise SoapFault("Client", "Некоректний ідентифікатор клієнта X-Road / malformed X-Road client", 400)
    return found


def echo(found: dict) -> list:
    """A security server returns the request's X-Road headers with the response."""
    return [copy.deepcopy(found[name]) for name in ("client", "service", "id", "userId", "issue", "protocolVersion")
            if name in found]
