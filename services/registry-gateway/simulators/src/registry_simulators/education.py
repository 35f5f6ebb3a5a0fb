"""Education registry (like ЄДЕБО / АІКОМ): enrolments of children in schools and
kindergartens and their special educational needs — REST JSON behind X-Road REST headers."""

from __future__ import annotations

import json
from urllib.parse import parse_qs

CHILDREN = {
    # a child of the demo family (Шевченко): valid identifiers, invented
    "3956112346": [
        {
            "institution_code": "KYIV-SCH-118",
            "institution_type": "school",
            "grade": "4",
            "enrolled_on": "2022-09-01",
            "special_educational_needs": False,
        }
    ],
    "4271512340": [
        {
            "institution_code": "KYIV-KG-45",
            "institution_type": "kindergarten",
            "grade": "",
            "enrolled_on": "2024-09-01",
            "special_educational_needs": True,
        }
    ],
}
REQUIRED_HEADERS = ("HTTP_X_ROAD_CLIENT", "HTTP_X_ROAD_ID", "HTTP_X_ROAD_USERID")

OPENAPI = {
    "openapi": "3.0.3",
    "info": {"title": "Реєстр освіти (симулятор) / Education registry (simulator)", "version": "1.0"},
    "paths": {
        "/education/v1/enrolments": {
            "get": {
                "parameters": [
                    {"name": "rnokpp", "in": "query", "schema": {"type": "string"}},
                    {"name": "X-Road-Client", "in": "header", "required": True, "schema": {"type": "string"}},
                    {"name": "X-Road-Id", "in": "header", "required": True, "schema": {"type": "string"}},
                    {"name": "X-Road-UserId", "in": "header", "required": True, "schema": {"type": "string"}},
                    {"name": "X-Road-Issue", "in": "header", "schema": {"type": "string"}},
                ],
                "responses": {"200": {"description": "enrolments"}, "400": {"description": "bad request"}},
            }
        }
    },
}


def enrolments(environ) -> tuple[str, dict]:
    missing = [h for h in REQUIRED_HEADERS if not environ.get(h, "").strip()]
    if missing:
        name = missing[0][5:].replace("_", "-").title().replace("X-Road-Userid", "X-Road-UserId")
        return "400 Bad Request", {"error": f"Відсутній заголовок {name} / missing header {name}"}
    query = parse_qs(environ.get("QUERY_STRING", ""))
    rnokpp = (query.get("rnokpp") or [""])[0]
    if not rnokpp.isdigit() or len(rnokpp) != 10:
        return "400 Bad Request", {"error": "rnokpp: 10 цифр / 10 digits"}
    return "200 OK", {"rnokpp": rnokpp, "found": rnokpp in CHILDREN, "enrolments": CHILDREN.get(rnokpp, [])}


def openapi() -> bytes:
    return json.dumps(OPENAPI, ensure_ascii=False).encode()
