"""The reference table of partner agencies."""

from __future__ import annotations

from ekm_platform.auth import Principal
from ekm_platform.errors import PermissionDenied, ValidationError
from ekm_platform.unit_of_work import UnitOfWork
from interagency.domain.agencies import Agency, agency_from_dict
from interagency.domain.model import Sector

READERS = ("case_manager", "supervisor", "partner_agency", "operator")


def register_agency(uow: UnitOfWork, data: dict) -> Agency:
    """Add or update an agency (internal RPC: demo data, an administrator's import)."""
    agency = agency_from_dict(data)
    uow.repo.save_agency(agency)
    uow.commit()
    return agency


def list_agencies(
    uow: UnitOfWork, principal: Principal, sector: Sector | None = None, community_code: str = ""
) -> list[Agency]:
    """Agencies a case manager can refer to (by sector and community); no personal data."""
    if principal.role not in READERS:
        raise PermissionDenied("Роль не може переглядати установи / this role may not list agencies")
    if community_code and len(community_code) != 19:
        raise ValidationError.single("community_code", "код громади: UA і 17 цифр / UA and 17 digits")
    return uow.repo.agencies(sector.value if sector else "", community_code.strip())
