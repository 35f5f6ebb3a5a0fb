"""X-Road message protocol 4.0 SOAP headers, built from configuration."""
from __future__ import annotations

import os
from dataclasses import dataclass

from lxml import etree

XROAD = "http://x-road.eu/xsd/xroad.xsd"
IDENTIFIERS = "http://x-road.eu/xsd/identifiers"


@dataclass(frozen=True)
class MemberId:
    instance: str
    member_class: str
    member_code: str
    subsystem: str = ""

    @classmethod
    def parse(cls, text: str) -> "MemberId":
        """``UA/GOV/00000000/EKM`` (instance/class/code[/subsystem])."""
        parts = text.split("/")
        if len(parts) not in (3, 4) or not all(parts):
            raise ValueError(f"X-Road member id must be INSTANCE/CLASS/CODE[/SUBSYSTEM]: {text!r}")
        return cls(*parts)


def tls_session():
    """A requests session with the platform's X-Road client certificate (mTLS), from
    ``EKM_XROAD_TLS_CERT`` / ``EKM_XROAD_TLS_KEY`` and the trusted ``EKM_XROAD_TLS_CA``."""
    import requests

    session = requests.Session()
    cert, key, ca = (os.environ.get(f"EKM_XROAD_TLS_{n}") for n in ("CERT", "KEY", "CA"))
    if cert:
        session.cert = (cert, key) if key else cert
    if ca:
        session.verify = ca
        session.trust_env = False  # REQUESTS_CA_BUNDLE in the environment would override our CA
    return session


def client_id() -> MemberId:
    return MemberId.parse(os.environ.get("EKM_XROAD_CLIENT", "UA/GOV/00000000/EKM"))


def _element(name: str, text: str | None = None, ns: str = XROAD):
    element = etree.Element(f"{{{ns}}}{name}")
    element.text = text
    return element


def _identifier(name: str, member: MemberId, object_type: str, service_code: str = ""):
    element = _element(name)
    element.set(f"{{{IDENTIFIERS}}}objectType", object_type)
    for tag, value in (("xRoadInstance", member.instance), ("memberClass", member.member_class),
                       ("memberCode", member.member_code), ("subsystemCode", member.subsystem),
                       ("serviceCode", service_code)):
        if value:
            element.append(_element(tag, value, IDENTIFIERS))
    return element


def headers(client: MemberId, service: MemberId, service_code: str, message_id: str,
            user_id: str, issue: str) -> list:
    return [
        _identifier("client", client, "SUBSYSTEM" if client.subsystem else "MEMBER"),
        _identifier("service", service, "SERVICE", service_code),
        _element("id", message_id),
        _element("userId", user_id),
        _element("issue", issue),
        _element("protocolVersion", "4.0"),
    ]
