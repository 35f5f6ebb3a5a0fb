"""Health (FHIR R4: Patient with the family-doctor declaration, rehabilitation Encounters,
disability Conditions), the disability data bank (ЦБІ) and the Ministry of Restoration's
housing-damage register — REST JSON behind the X-Road REST headers."""

from __future__ import annotations

from urllib.parse import parse_qs

REQUIRED = ("HTTP_X_ROAD_CLIENT", "HTTP_X_ROAD_ID", "HTTP_X_ROAD_USERID")
PATIENTS = {"3221512349": "pat-0001"}
ENCOUNTERS = {
    "pat-0001": [
        {
            "id": "enc-77",
            "class": "rehab",
            "start": "2026-11-03",
            "end": "2026-11-24",
            "facility": "Центр реабілітації «Незламні»",
        }
    ]
}
CONDITIONS = {"pat-0001": [{"id": "cond-9", "code": "disability-group-2", "recorded": "2026-11-10"}]}
DISABILITY = {"3221512349": {"group": 2, "established_on": "2026-11-10", "cause": "war_injury"}}
HOUSING = {
    "3378612352": {
        "damage_category": "partially_destroyed",
        "assessed_on": "2026-03-02",
        "compensation_status": "approved",
    }
}


def _headers_missing(environ):
    missing = [h for h in REQUIRED if not environ.get(h, "").strip()]
    if missing:
        name = missing[0][5:].replace("_", "-").title().replace("X-Road-Userid", "X-Road-UserId")
        return "400 Bad Request", {"error": f"Відсутній заголовок {name} / missing header {name}"}
    return None


def _query(environ, name):
    return (parse_qs(environ.get("QUERY_STRING", "")).get(name) or [""])[0]


def fhir(environ):
    if refused := _headers_missing(environ):
        return refused
    resource = environ["PATH_INFO"].rsplit("/", 1)[1]
    if resource == "Patient":
        identifier = _query(environ, "identifier")
        rnokpp = identifier.rsplit("|", 1)[-1]
        entries = []
        if rnokpp in PATIENTS:
            entries.append(
                {
                    "resource": {
                        "resourceType": "Patient",
                        "id": PATIENTS[rnokpp],
                        "generalPractitioner": [
                            {"reference": "Practitioner/pr-15", "display": "Сімейний лікар (декларація)"}
                        ],
                        "extension": [{"url": "declaration-signed", "valueDate": "2024-05-14"}],
                    }
                }
            )
    elif resource in ("Encounter", "Condition"):
        patient = _query(environ, "patient")
        source = ENCOUNTERS if resource == "Encounter" else CONDITIONS
        entries = [{"resource": {"resourceType": resource, **item}} for item in source.get(patient, [])]
    else:
        return "404 Not Found", {"resourceType": "OperationOutcome", "issue": [{"diagnostics": "unknown resource"}]}
    return "200 OK", {"resourceType": "Bundle", "type": "searchset", "total": len(entries), "entry": entries}


def disability(environ):
    if refused := _headers_missing(environ):
        return refused
    rnokpp = _query(environ, "rnokpp")
    return "200 OK", {"rnokpp": rnokpp, "found": rnokpp in DISABILITY, "disability": DISABILITY.get(rnokpp)}


def housing(environ):
    if refused := _headers_missing(environ):
        return refused
    rnokpp = _query(environ, "rnokpp")
    return "200 OK", {"rnokpp": rnokpp, "found": rnokpp in HOUSING, "damage": HOUSING.get(rnokpp)}
