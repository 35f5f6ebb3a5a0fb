"""Demo people the simulators know: the same people as deploy/demo/appeals.json.

Identifiers are valid (check digits), invented, and belong to nobody.
"""

from datetime import date

PEOPLE = [
    {
        "rnokpp": "3221512349",
        "unzr": "19880314-43212",
        "crossings": [
            {"date": date(2026, 10, 30), "direction": "in", "checkpoint": "Ягодин", "returnedFromService": True},
            {"date": date(2024, 2, 11), "direction": "out", "checkpoint": "Ягодин", "returnedFromService": False},
        ],
    },
    {"rnokpp": "3378612352", "unzr": "19920702-43223", "crossings": []},
    {
        "rnokpp": "2918112360",
        "unzr": "19791123-43235",
        "crossings": [
            {"date": date(2025, 6, 1), "direction": "in", "checkpoint": "Шегині", "returnedFromService": False},
        ],
    },
]


def find(rnokpp: str = "", unzr: str = ""):
    for person in PEOPLE:
        if (rnokpp and person["rnokpp"] == rnokpp) or (unzr and person["unzr"] == unzr):
            return person
    return None


# The feed of new returns from service (ДПСУ): people who just came back across the border.
NEW_RETURNS = [
    {
        "sourceId": "dpsu-ret-000101",
        "rnokpp": "3221512349",
        "unzr": "19880314-43212",
        "lastName": "Коваленко",
        "firstName": "Андрій",
        "returnedOn": date(2026, 10, 30),
        "checkpoint": "Ягодин",
    },
    {
        "sourceId": "dpsu-ret-000102",
        "rnokpp": "3115812358",
        "unzr": "",
        "lastName": "Гнатюк",
        "firstName": "Петро",
        "returnedOn": date(2026, 11, 15),
        "checkpoint": "Краковець",
    },
]
