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
    def parse(cls, text: str) -> MemberId:
        """``UA/GOV/00000000/EKM`` (instance/class/code[/subsystem])."""
        parts = text.split("/")
        if len(parts) not in (3, 4) or not all(parts):
            raise ValueError(f"X-Road member id must be INSTANCE/CLASS/CODE[/SUBSYSTEM]: {text!r}")
        return cls(*parts)


def tls_session():
    """A requests session with the platform's X-Road client certificate (mTLS), from
    ``EKM_XROAD_TLS_CERT`` / ``EKM_XROAD_TLS_KEY`` and the trusted ``EKM_XROAD_TLS_CA``.

    The environment's proxy and CA settings (``HTTP(S)_PROXY``, ``REQUESTS_CA_BUNDLE``,
    ``.netrc``) are not used: the security server is reached directly, with our own CA.
    (requests would also scan the whole environment for proxies on every call, which
    cost ~14 % of a SOAP exchange's CPU.)"""
    import requests

    session = requests.Session()
    session.trust_env = False
    cert, key, ca = (os.environ.get(f"EKM_XROAD_TLS_{n}") for n in ("CERT", "KEY", "CA"))
    if cert:
        session.cert = (cert, key) if key else cert
    if ca:
        session.verify = ca
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
    for tag, value in (
        ("xRoadInstance", member.instance),
        ("memberClass", member.member_class),
        ("memberCode", member.member_code),
        ("subsystemCode", member.subsystem),
        ("serviceCode", service_code),
    ):
        if value:
            element.append(_element(tag, value, IDENTIFIERS))
    return element


def headers(client: MemberId, service: MemberId, service_code: str, message_id: str, user_id: str, issue: str) -> list:
    return [
        _identifier("client", client, "SUBSYSTEM" if client.subsystem else "MEMBER"),
        _identifier("service", service, "SERVICE", service_code),
        _element("id", message_id),
        _element("userId", user_id),
        _element("issue", issue),
        _element("protocolVersion", "4.0"),
    ]


class RawReply:
    """What zeep reads of an HTTP reply: status, headers and the body (already size-limited)."""

    __slots__ = ("status_code", "headers", "content", "encoding")

    def __init__(self, status_code: int, headers, content: bytes):
        self.status_code, self.headers, self.content, self.encoding = status_code, headers, content, None


def http_pool():
    """One urllib3 pool with the same mTLS settings as ``tls_session`` (client certificate,
    trusted CA), no proxies from the environment and no retries of its own."""
    import certifi
    import urllib3

    cert, key, ca = (os.environ.get(f"EKM_XROAD_TLS_{n}") for n in ("CERT", "KEY", "CA"))
    trust = {"ca_cert_dir": ca} if ca and os.path.isdir(ca) else {"ca_certs": ca or certifi.where()}
    return urllib3.PoolManager(
        num_pools=8,
        maxsize=32,
        cert_file=cert or None,
        key_file=key or None,
        cert_reqs="CERT_REQUIRED",
        retries=False,
        **trust,
    )


def zeep_transport(timeout: float, max_bytes: int):
    """A zeep transport whose SOAP calls go straight through urllib3.

    The WSDL is still loaded through requests (once). Each call has ``timeout`` for
    connecting and for each read, follows no redirect, and reads at most ``max_bytes + 1``
    bytes of the reply: a larger reply is cut there (the caller refuses it by its length)
    and its connection closed, so a huge reply is never held in memory.
    Errors are urllib3's (``urllib3.exceptions.HTTPError``) or ``OSError``.
    """
    import urllib3
    from zeep.transports import Transport

    class XRoadTransport(Transport):
        def __init__(self):
            super().__init__(session=tls_session(), timeout=timeout, operation_timeout=timeout)
            self.pool = http_pool()
            self.call_timeout = urllib3.Timeout(connect=timeout, read=timeout)

        def post(self, address, message, headers):
            response = self.pool.request(
                "POST",
                address,
                body=message,
                headers=headers,
                timeout=self.call_timeout,
                redirect=False,
                preload_content=False,
            )
            try:
                content = response.read(max_bytes + 1)
                complete = len(content) <= max_bytes
            except BaseException:
                response.close()
                raise
            if complete:
                response.release_conn()
            else:
                response.close()
            return RawReply(response.status, response.headers, content)

    return XRoadTransport()
