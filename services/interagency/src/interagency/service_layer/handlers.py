"""The interagency service's use cases. None knows about gRPC or nameko."""
from __future__ import annotations

from ekm_platform.audit import AuditEntry
from ekm_platform.auth import Principal
from ekm_platform.case_access import CaseCheck, require_case
from ekm_platform.errors import AlreadyExists, FailedPrecondition, NotFound
from ekm_platform.unit_of_work import UnitOfWork

from interagency.domain.model import Referral, Sector, validate_referral

REFERRAL_CREATED = "referral.created"
REFERRAL_NOT_FOUND = "Направлення не знайдено / referral not found"
PURPOSE = "міжвідомча взаємодія / interagency referral"

# ``check_case_access(actor, case_number) -> dict`` asks the cases service (see
# ekm_platform.case_access): may this caller see the case (own case; a supervisor's team).


def create_referral(uow: UnitOfWork, check_case_access: CaseCheck, principal: Principal, case_number: str,
                    sector: Sector | None, agency_code: str, reason: str,
                    client_request_id: str = "") -> Referral:
    """A referral of a case the caller may see; another manager's case or an unknown one is
    NOT_FOUND, a closed one FAILED_PRECONDITION, and nothing is stored or published then."""
    validate_referral(case_number, sector, agency_code, reason)
    case = require_case(check_case_access, principal.as_actor(), case_number)
    if client_request_id:
        existing = uow.repo.by_client_request_id(client_request_id)
        if existing:
            if existing.case_number != case["case_number"] or existing.created_by != principal.user_id:
                raise AlreadyExists("Ідентифікатор запиту вже використано для іншого направлення / "
                                    "client_request_id was already used for another referral")
            return existing
    if case.get("stage") == "closed":
        raise FailedPrecondition(f"Випадок {case['case_number']} закрито / the case is closed")
    referral = Referral(case_number=case["case_number"], sector=sector, agency_code=agency_code,
                        reason=reason.strip(), created_by=principal.user_id, client_request_id=client_request_id)
    uow.repo.add(referral)
    uow.publish(REFERRAL_CREATED, referral.created_event())
    audit(uow, principal, "referral.create", referral, case_id=case.get("case_id", ""))
    uow.commit()
    return referral


def get_referral(uow: UnitOfWork, check_case_access: CaseCheck, principal: Principal, referral_id: str) -> Referral:
    """A partner agency sees only referrals addressed to it (its organisation); staff only the
    referrals of cases they may see (own case; a supervisor's team); an operator identifiers.
    Anything else is NOT_FOUND, as an unknown referral is."""
    referral = uow.repo.get(referral_id.strip()) if referral_id.strip() else None
    if referral is None:
        raise NotFound(REFERRAL_NOT_FOUND)
    if principal.role == "partner_agency":
        if not principal.organisation or referral.agency_code != principal.organisation:
            raise NotFound(REFERRAL_NOT_FOUND)
    else:
        try:
            require_case(check_case_access, principal.as_actor(), referral.case_number)
        except NotFound:
            raise NotFound(REFERRAL_NOT_FOUND) from None
    audit(uow, principal, "referral.read", referral)
    uow.commit()
    return referral


def audit(uow: UnitOfWork, principal: Principal, action: str, referral: Referral, **details) -> None:
    """One entry of interagency's hash-chained audit log: identifiers only (the reason stays out)."""
    uow.audit(AuditEntry(principal.user_id, principal.role, action, "referral", referral.referral_id, PURPOSE,
                         {"case_number": referral.case_number, "agency_code": referral.agency_code,
                          "sector": referral.sector.value, **details}))
