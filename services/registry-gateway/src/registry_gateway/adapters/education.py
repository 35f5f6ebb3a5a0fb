"""The education registry over REST JSON, through X-Road (``X-Road-Client``, ``X-Road-Id``,
``X-Road-UserId``, ``X-Road-Issue``), with a timeout and a response size limit."""

from __future__ import annotations

import json
import os
import uuid
from datetime import date

import requests

from ekm_platform.tracing import outbound_identifiers
from registry_gateway.adapters import xroad
from registry_gateway.domain.lookup import NotApplicable, Query, RegistryReply, RegistryUnavailable, sha256

REGISTRY = "education"
MAX_RESPONSE = 2 * 1024 * 1024


def rest_get(
    session, url: str, params: dict, query: Query, timeout: float, registry: str = ""
) -> tuple[dict, str, str]:
    """GET through X-Road: (JSON body, X-Road id, SHA-256 of the raw body)."""
    client = xroad.client_id()
    message_id = str(uuid.uuid4())
    headers = {
        "X-Road-Client": "/".join(
            filter(None, (client.instance, client.member_class, client.member_code, client.subsystem))
        ),
        "X-Road-Id": message_id,
        "X-Road-UserId": query.user_id,
        "X-Road-Issue": query.case_number,
    }
    try:
        with (
            outbound_identifiers(case_number=query.case_number, xroad_id=message_id, registry=registry),
            session.get(url, params=params, headers=headers, timeout=timeout, stream=True) as response,
        ):
            raw = response.raw.read(MAX_RESPONSE + 1, decode_content=True)
            status = response.status_code
    except (requests.RequestException, OSError) as exc:
        raise RegistryUnavailable(f"{type(exc).__name__}: {exc}") from exc
    if len(raw) > MAX_RESPONSE:
        raise RegistryUnavailable(f"response over the {MAX_RESPONSE} byte limit")
    if status != 200:
        raise RegistryUnavailable(f"HTTP {status}")
    try:
        return json.loads(raw), message_id, sha256(raw)
    except ValueError as exc:
        raise RegistryUnavailable(f"malformed response: {exc}") from exc


class EducationClient:
    def __init__(self, url: str | None = None, timeout: float = 5.0):
        port = os.environ.get("EKM_SIMULATORS_PORT", "8081")
        self.url = url or os.environ.get("EKM_EDUCATION_URL", f"http://127.0.0.1:{port}/education/v1")
        self.timeout = timeout
        self.session = xroad.tls_session()

    def enrolments(self, query: Query, date_from: date, date_to: date) -> RegistryReply:
        if not query.rnokpp:
            raise NotApplicable("реєстр освіти шукає за РНОКПП / the education registry needs an RNOKPP")
        body, message_id, digest = rest_get(
            self.session, f"{self.url}/enrolments", {"rnokpp": query.rnokpp}, query, self.timeout, registry=REGISTRY
        )
        try:
            records = [
                {
                    "institution_type": e["institution_type"],
                    "enrolled_on": date.fromisoformat(e["enrolled_on"]),
                    "special_educational_needs": bool(e["special_educational_needs"]),
                }
                for e in body["enrolments"]
            ]
        except (ValueError, KeyError, TypeError) as exc:
            raise RegistryUnavailable(f"malformed response: {exc}") from exc
        return RegistryReply(
            found=bool(body.get("found")), records=records, xroad_id=message_id, response_sha256=digest
        )
