"""Partner agencies: health facilities, schools, employment centres, the border guard service,
child services, probation, legal aid, NGOs. Each has its own staff (partner_agency tokens whose
``org`` claim is the agency's code), a sector and a community. Plain Python."""

from __future__ import annotations

from dataclasses import dataclass

from ekm_platform.errors import FieldViolation, ValidationError
from ekm_platform.identifiers import edrpou_problem, katottg_problem
from interagency.domain.model import Sector


@dataclass(frozen=True)
class Agency:
    agency_code: str  # ЄДРПОУ, 8 digits: the org claim of its staff's tokens
    name: str
    sector: Sector
    community_code: str  # KATOTTH of the community it serves
    phone: str = ""
    email: str = ""
    active: bool = True


def validate_agency(agency: Agency) -> None:
    problems = []
    if edrpou_problem(agency.agency_code or ""):
        problems.append(FieldViolation("agency_code", "код ЄДРПОУ з 8 цифр / an 8-digit EDRPOU code"))
    if not agency.name.strip() or len(agency.name) > 300:
        problems.append(FieldViolation("name", "назва 1–300 символів / a name of 1–300 characters"))
    if not isinstance(agency.sector, Sector):
        problems.append(
            FieldViolation("sector", "невідомий сектор / unknown sector; one of: " + ", ".join(s.value for s in Sector))
        )
    if katottg_problem(agency.community_code or ""):
        problems.append(FieldViolation("community_code", "код громади: UA і 17 цифр / UA and 17 digits"))
    if problems:
        raise ValidationError(problems)


def agency_from_dict(data: dict) -> Agency:
    """An agency from the reference data (``deploy/demo/agencies.json``), validated."""
    try:
        sector = Sector(str(data.get("sector", "")))
    except ValueError:
        sector = None
    agency = Agency(
        agency_code=str(data.get("agency_code", "")).strip(),
        name=str(data.get("name", "")).strip(),
        sector=sector,  # type: ignore[arg-type]  # None: refused by validate_agency below
        community_code=str(data.get("community_code", "")).strip(),
        phone=str(data.get("phone", "")).strip(),
        email=str(data.get("email", "")).strip(),
        active=bool(data.get("active", True)),
    )
    validate_agency(agency)
    return agency
