"""The interagency service's use cases. None knows about gRPC or nameko."""
from __future__ import annotations

from typing import Callable

from ekm_platform.errors import FailedPrecondition, NotFound
from ekm_platform.unit_of_work import UnitOfWork

from interagency.domain.model import Referral, Sector, validate_referral

REFERRAL_CREATED = "referral.created"

# ``case_is_open(case_number) -> bool`` asks the cases service.
CaseCheck = Callable[[str], bool]


def create_referral(uow: UnitOfWork, case_is_open: CaseCheck, case_number: str, sector: Sector | None,
                    agency_code: str, reason: str, created_by: str, client_request_id: str = "") -> Referral:
    validate_referral(case_number, sector, agency_code, reason)
    if client_request_id:
        existing = uow.repo.by_client_request_id(client_request_id)
        if existing:
            return existing
    if not case_is_open(case_number):
        raise FailedPrecondition(
            f"Випадок {case_number} не знайдено або закрито / case not found or closed")
    referral = Referral(case_number=case_number, sector=sector, agency_code=agency_code,
                        reason=reason.strip(), created_by=created_by, client_request_id=client_request_id)
    uow.repo.add(referral)
    uow.publish(REFERRAL_CREATED, referral.created_event())
    uow.commit()
    return referral


def get_referral(uow: UnitOfWork, referral_id: str, agency_code: str | None = None) -> Referral:
    """A partner agency (``agency_code`` = its organisation) sees only referrals addressed to it."""
    referral = uow.repo.get(referral_id.strip())
    if referral is None or (agency_code is not None and referral.agency_code != agency_code):
        raise NotFound("Направлення не знайдено / referral not found")
    return referral
