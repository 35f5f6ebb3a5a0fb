"""The canonical, versioned vocabulary of what registries know about a person.

Every adapter maps its source into these facts; consumers never see a source's format.
Facts carry dates and codes, never names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

VOCABULARY_VERSION = 1
RETURNED_FROM_SERVICE = "registry.person.returned_from_service"
CROSSED_BORDER = "registry.person.crossed_border"


@dataclass(frozen=True)
class Fact:
    kind: str
    occurred_on: date
    attributes: dict = field(default_factory=dict)


def from_border_crossings(crossings: list[dict]) -> list[Fact]:
    """Border guard records (date, direction, checkpoint, returnedFromService) to facts."""
    facts = []
    for crossing in crossings:
        attributes = {"direction": crossing["direction"], "checkpoint": crossing["checkpoint"]}
        facts.append(Fact(CROSSED_BORDER, crossing["date"], attributes))
        if crossing.get("returnedFromService"):
            facts.append(Fact(RETURNED_FROM_SERVICE, crossing["date"], {"checkpoint": crossing["checkpoint"]}))
    return sorted(facts, key=lambda f: (f.occurred_on, f.kind))


CHILD_ENROLLED = "registry.child.enrolled"
SPECIAL_EDUCATIONAL_NEEDS = "registry.child.special_educational_needs"


def from_enrolments(enrolments: list[dict]) -> list[Fact]:
    """Education records (institution type, enrolment date, special needs) to facts."""
    facts = []
    for e in enrolments:
        facts.append(Fact(CHILD_ENROLLED, e["enrolled_on"], {"institution_type": e["institution_type"]}))
        if e["special_educational_needs"]:
            facts.append(Fact(SPECIAL_EDUCATIONAL_NEEDS, e["enrolled_on"], {}))
    return sorted(facts, key=lambda f: (f.occurred_on, f.kind))


FAMILY_DOCTOR_DECLARED = "registry.health.family_doctor_declared"
REHABILITATION_EPISODE = "registry.health.rehabilitation_episode"
DISABILITY_ESTABLISHED = "registry.disability.established"
HOUSING_DAMAGED = "registry.housing.damaged"
_KINDS = {
    "declaration": FAMILY_DOCTOR_DECLARED,
    "rehabilitation": REHABILITATION_EPISODE,
    "disability": DISABILITY_ESTABLISHED,
    "housing": HOUSING_DAMAGED,
}


def from_social_records(records: list[dict]) -> list[Fact]:
    """Health, disability and housing records ({kind, on, …}) to facts; codes, no diagnoses."""
    facts = [
        Fact(_KINDS[r["kind"]], r["on"], {k: str(v) for k, v in r.items() if k in ("group", "category")})
        for r in records
    ]
    return sorted(facts, key=lambda f: (f.occurred_on, f.kind))


CHILD_IN_HOUSEHOLD = "registry.child.in_household"
CHILD_STATUS = "registry.child.status"


def from_household_children(children: list[dict]) -> list[Fact]:
    """Children of a household and their status (orphan, under guardianship, difficult
    circumstances) to facts; the child is referred to by the registry's reference only."""
    facts = []
    for child in children:
        facts.append(Fact(CHILD_IN_HOUSEHOLD, child["birth_date"], {"child_ref": child["child_ref"]}))
        for status in child["statuses"]:
            facts.append(
                Fact(
                    CHILD_STATUS,
                    child["since"] or child["birth_date"],
                    {"child_ref": child["child_ref"], "status": status},
                )
            )
    return sorted(facts, key=lambda f: (f.occurred_on, f.kind))
