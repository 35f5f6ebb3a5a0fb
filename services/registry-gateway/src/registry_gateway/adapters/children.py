"""ЄІАС «Діти» over SOAP (zeep, X-Road 4.0 headers): the children of a household and
their status. The same hardened zeep client as the border guard's."""

from __future__ import annotations

import os
from datetime import date

from registry_gateway.adapters import xroad
from registry_gateway.adapters.border_guard import BorderGuardClient
from registry_gateway.domain.lookup import NotApplicable, Query, RegistryReply

SERVICE = xroad.MemberId("UA", "GOV", "00015622", "EIAS-DITY")


class ChildrenClient(BorderGuardClient):
    """Reuses the border guard client's WSDL loading, settings, limits and reply handling."""

    SERVICE, OPERATION = SERVICE, "GetHouseholdChildren"

    def __init__(self, url: str | None = None, timeout: float = 5.0):
        port = os.environ.get("EKM_SIMULATORS_PORT", "8081")
        super().__init__(url or os.environ.get("EKM_CHILDREN_URL", f"http://127.0.0.1:{port}/children"), timeout)

    def household_children(self, query: Query, date_from: date, date_to: date) -> RegistryReply:
        if not query.rnokpp:
            raise NotApplicable("ЄІАС «Діти» шукає за РНОКПП батьків / the registry needs the parent's RNOKPP")
        body, message_id, digest = self._call(query, parentRnokpp=query.rnokpp)
        records = [
            {
                "child_ref": c["childRef"],
                "birth_date": c["birthDate"],
                "statuses": list(c["status"] or []),
                "since": c["statusSince"],
            }
            for c in (body["child"] or [])
        ]
        return RegistryReply(bool(body["found"]), records, message_id, digest)
