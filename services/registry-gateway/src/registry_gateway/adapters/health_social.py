"""Health (FHIR R4), the disability data bank (ЦБІ) and the housing-damage register, over
REST through X-Road. Each answer's evidence hashes the raw bodies it was built from."""

from __future__ import annotations

import hashlib
import os
from datetime import date

from registry_gateway.adapters import xroad
from registry_gateway.adapters.education import rest_get
from registry_gateway.domain.lookup import NotApplicable, Query, RegistryReply


def _base(name: str, path: str) -> str:
    port = os.environ.get("EKM_SIMULATORS_PORT", "8081")
    return os.environ.get(f"EKM_{name.upper()}_URL", f"http://127.0.0.1:{port}{path}")


def _need_rnokpp(query: Query, registry: str) -> None:
    if not query.rnokpp:
        raise NotApplicable(f"{registry}: пошук за РНОКПП / the search needs an RNOKPP")


class HealthClient:
    def __init__(self, timeout: float = 5.0):
        self.url, self.timeout, self.session = _base("health", "/health/fhir"), timeout, xroad.tls_session()

    def records(self, query: Query, date_from: date, date_to: date) -> RegistryReply:
        _need_rnokpp(query, "health")
        patients, xroad_id, first = rest_get(
            self.session,
            f"{self.url}/Patient",
            {"identifier": f"urn:ekm:rnokpp|{query.rnokpp}"},
            query,
            self.timeout,
            registry="health",
        )
        entries = patients.get("entry") or []
        if not entries:
            return RegistryReply(False, [], xroad_id, first)
        patient = entries[0]["resource"]
        records, digests = [], [first]
        if patient.get("generalPractitioner"):
            signed = next(
                (e.get("valueDate") for e in patient.get("extension", []) if e.get("url") == "declaration-signed"), None
            )
            if signed:
                records.append({"kind": "declaration", "on": date.fromisoformat(signed)})
        for resource in ("Encounter", "Condition"):
            bundle, _, digest = rest_get(
                self.session,
                f"{self.url}/{resource}",
                {"patient": patient["id"]},
                query,
                self.timeout,
                registry="health",
            )
            digests.append(digest)
            for entry in bundle.get("entry") or []:
                item = entry["resource"]
                if resource == "Encounter" and item.get("class") == "rehab":
                    records.append({"kind": "rehabilitation", "on": date.fromisoformat(item["start"])})
                if resource == "Condition" and str(item.get("code", "")).startswith("disability-group-"):
                    records.append({"kind": "disability", "on": date.fromisoformat(item["recorded"])})
        combined = hashlib.sha256("".join(digests).encode()).hexdigest()
        return RegistryReply(True, records, xroad_id, combined)


class SocialRegistriesClient:
    """ЦБІ (disability data bank) and the housing-damage register."""

    def __init__(self, timeout: float = 5.0):
        self.disability_url = _base("disability", "/social/v1/disability")
        self.housing_url = _base("housing", "/restoration/v1/damage")
        self.timeout, self.session = timeout, xroad.tls_session()

    def disability(self, query: Query, date_from: date, date_to: date) -> RegistryReply:
        _need_rnokpp(query, "disability")
        body, xroad_id, digest = rest_get(
            self.session, self.disability_url, {"rnokpp": query.rnokpp}, query, self.timeout, registry="disability"
        )
        found = body.get("disability")
        records = (
            [{"kind": "disability", "on": date.fromisoformat(found["established_on"]), "group": found["group"]}]
            if found
            else []
        )
        return RegistryReply(bool(found), records, xroad_id, digest)

    def housing(self, query: Query, date_from: date, date_to: date) -> RegistryReply:
        _need_rnokpp(query, "housing")
        body, xroad_id, digest = rest_get(
            self.session, self.housing_url, {"rnokpp": query.rnokpp}, query, self.timeout, registry="housing"
        )
        found = body.get("damage")
        records = (
            [{"kind": "housing", "on": date.fromisoformat(found["assessed_on"]), "category": found["damage_category"]}]
            if found
            else []
        )
        return RegistryReply(bool(found), records, xroad_id, digest)
