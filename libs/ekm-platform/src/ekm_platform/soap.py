"""SOAP 1.1 envelopes from outside, parsed safely: no DTD, no entities, no network, bounded
size; faults and envelopes built. Used wherever XML enters (gateway inbound, simulators)."""
from __future__ import annotations

from lxml import etree

SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
MAX_BODY = 1024 * 1024
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                         dtd_validation=False, huge_tree=False, remove_comments=True)


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
        root = etree.fromstring(body, PARSER)
    except etree.XMLSyntaxError as exc:
        raise SoapFault("Client", f"Некоректний XML / malformed XML: {exc}", 400) from exc
    if root.tag != f"{{{SOAP_ENV}}}Envelope":
        raise SoapFault("Client", "Очікується SOAP 1.1 Envelope / a SOAP 1.1 Envelope is expected", 400)
    header = root.find(f"{{{SOAP_ENV}}}Header")
    body_el = root.find(f"{{{SOAP_ENV}}}Body")
    if body_el is None or len(body_el) == 0:
        raise SoapFault("Client", "Порожнє тіло SOAP / empty SOAP body", 400)
    return header, body_el[0]


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
