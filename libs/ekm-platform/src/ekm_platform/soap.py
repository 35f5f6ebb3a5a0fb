"""SOAP 1.1 envelopes from outside, parsed safely: no DTD, no entities, no network, bounded
size; faults and envelopes built. Used wherever XML enters (gateway inbound, simulators).

Refused with a client fault (4xx), each naming its reason: a body over ``MAX_BODY``; any
DTD (internal, external or public — in any encoding, also UTF-16/32 where a byte search does
not see it); a document that is not UTF-8; malformed XML (also nesting deeper than
libxml2's 256 levels); processing instructions (SOAP 1.1 forbids them); XInclude elements
and schema-location hints (never followed: refused so that nobody thinks they were); more
than ``MAX_ELEMENTS`` elements, ``MAX_ATTRIBUTES`` attributes on one element,
``MAX_NAMESPACES`` namespace declarations, or an attribute value or text over ``MAX_VALUE``
characters. The tests under tests/fuzz/hostile_xml/ send a corpus of such documents."""

from __future__ import annotations

from lxml import etree

SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
MAX_BODY = 1024 * 1024
MAX_ELEMENTS = 10_000
MAX_ATTRIBUTES = 64
MAX_NAMESPACES = 100
MAX_VALUE = 64 * 1024
XINCLUDE = ("http://www.w3.org/2001/XInclude", "http://www.w3.org/2003/XInclude")
SCHEMA_LOCATIONS = (
    "{http://www.w3.org/2001/XMLSchema-instance}schemaLocation",
    "{http://www.w3.org/2001/XMLSchema-instance}noNamespaceSchemaLocation",
)
PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False, huge_tree=False, remove_comments=True
)


class SoapFault(Exception):
    def __init__(self, code: str, message: str, status: int = 500):
        super().__init__(message)
        self.code, self.message, self.status = code, message, status


def parse(body: bytes):
    """(headers element or None, first body child) of a request envelope."""
    if len(body) > MAX_BODY:
        raise SoapFault("Client", f"Запит більший за {MAX_BODY} байт / request too large", 413)
    if b"<!DOCTYPE" in body.upper() or b"<!ENTITY" in body.upper():
        raise SoapFault("Client", "DTD та сутності заборонені / DTDs and entities are forbidden", 400)
    try:
        body.decode("utf-8")
        utf8 = b"\x00" not in body
    except UnicodeDecodeError:
        utf8 = False
    if not utf8:
        raise SoapFault("Client", "Приймається лише XML у UTF-8 / only UTF-8 XML is accepted", 400)
    if body.count(b"xmlns") > MAX_NAMESPACES:
        raise SoapFault(
            "Client",
            f"Більше {MAX_NAMESPACES} оголошень просторів імен / over {MAX_NAMESPACES} namespace declarations",
            400,
        )
    try:
        root = etree.fromstring(body, PARSER)
    except etree.XMLSyntaxError as exc:
        raise SoapFault("Client", f"Некоректний XML / malformed XML: {exc}", 400) from exc
    _refuse_hostile(root)
    if root.tag != f"{{{SOAP_ENV}}}Envelope":
        raise SoapFault("Client", "Очікується SOAP 1.1 Envelope / a SOAP 1.1 Envelope is expected", 400)
    header = root.find(f"{{{SOAP_ENV}}}Header")
    body_el = root.find(f"{{{SOAP_ENV}}}Body")
    if body_el is None or len(body_el) == 0:
        raise SoapFault("Client", "Порожнє тіло SOAP / empty SOAP body", 400)
    return header, body_el[0]


def _refuse_hostile(root) -> None:
    """What the parser took but a partner's request must not hold (see the module's list)."""
    tree = root.getroottree()
    info = tree.docinfo
    if info.doctype or info.internalDTD is not None or info.externalDTD is not None:
        raise SoapFault("Client", "DTD та сутності заборонені / DTDs and entities are forbidden", 400)
    if (info.encoding or "UTF-8").upper().replace("_", "-") not in ("UTF-8", "UTF8"):
        raise SoapFault("Client", "Приймається лише XML у UTF-8 / only UTF-8 XML is accepted", 400)
    sibling = root.getprevious()
    while sibling is not None:
        if isinstance(sibling, etree._ProcessingInstruction):
            raise SoapFault("Client", "Інструкції обробки заборонені / processing instructions are forbidden", 400)
        sibling = sibling.getprevious()
    for count, element in enumerate(root.iter(), 1):
        if count > MAX_ELEMENTS:
            raise SoapFault("Client", f"Більше {MAX_ELEMENTS} елементів / over {MAX_ELEMENTS} elements", 400)
        tag = element.tag
        if not isinstance(tag, str):
            if isinstance(element, etree._Entity):
                raise SoapFault("Client", "DTD та сутності заборонені / DTDs and entities are forbidden", 400)
            if isinstance(element, etree._ProcessingInstruction):
                raise SoapFault("Client", "Інструкції обробки заборонені / processing instructions are forbidden", 400)
            continue
        if tag.startswith("{") and tag[1:].split("}", 1)[0] in XINCLUDE:
            raise SoapFault("Client", "XInclude заборонено / XInclude is forbidden", 400)
        attributes = element.attrib
        if len(attributes) > MAX_ATTRIBUTES:
            raise SoapFault("Client", f"Більше {MAX_ATTRIBUTES} атрибутів / over {MAX_ATTRIBUTES} attributes", 400)
        if any(name in attributes for name in SCHEMA_LOCATIONS):
            raise SoapFault("Client", "Посилання на схеми не приймаються / schema locations are not accepted", 400)
        if (
            any(len(value) > MAX_VALUE for value in attributes.values())
            or len(element.text or "") > MAX_VALUE
            or len(element.tail or "") > MAX_VALUE
        ):
            raise SoapFault("Client", f"Значення довше {MAX_VALUE} символів / a value over {MAX_VALUE} characters", 400)


def envelope(headers: list, payload) -> bytes:
    root = etree.Element(f"{{{SOAP_ENV}}}Envelope", nsmap={"soapenv": SOAP_ENV})
    header = etree.SubElement(root, f"{{{SOAP_ENV}}}Header")
    for element in headers:
        header.append(element)
    etree.SubElement(root, f"{{{SOAP_ENV}}}Body").append(payload)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def fault(code: str, message: str) -> bytes:
    root = etree.Element(f"{{{SOAP_ENV}}}Envelope", nsmap={"soapenv": SOAP_ENV})
    body = etree.SubElement(root, f"{{{SOAP_ENV}}}Body")
    element = etree.SubElement(body, f"{{{SOAP_ENV}}}Fault")
    etree.SubElement(element, "faultcode").text = f"soapenv:{code}"
    etree.SubElement(element, "faultstring").text = message
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")
