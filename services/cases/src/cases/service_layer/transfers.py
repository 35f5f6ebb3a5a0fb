"""Transferring a case: requested by its side, accepted by the receiving side."""

from __future__ import annotations

from cases.domain.transfer import Transfer, validate_transfer
from cases.service_layer.access import audit, check_version, load_case, require_staff
from ekm_platform.auth import Principal
from ekm_platform.errors import FailedPrecondition, NotFound, PermissionDenied
from ekm_platform.unit_of_work import UnitOfWork

CASE_TRANSFERRED = "case.transferred"


def _consent_for(uow: UnitOfWork, case, to_community_code: str):
    return uow.repo.consents.active(case.person_id, "transfer", to_community_code)


def request_transfer(
    uow: UnitOfWork,
    principal: Principal,
    case_id: str,
    to_manager_id: str,
    to_community_code: str,
    to_provider: str,
    reason: str,
    expected_case_version: int,
) -> Transfer:
    """Needs the person's stored active consent to move their data to the receiving community."""
    require_staff(principal)
    case = load_case(uow, principal, case_id=case_id)
    check_version(case, expected_case_version)
    to_community = to_community_code.strip() or case.community_code
    consent = _consent_for(uow, case, to_community)
    transfer = Transfer(
        case.case_id,
        case.assigned_to,
        to_manager_id.strip(),
        to_community,
        to_provider.strip(),
        consent is not None,
        reason.strip(),
        principal.user_id,
        consent_id=consent.consent_id if consent else "",
    )
    validate_transfer(transfer)
    receiver = next(
        (m for m in uow.repo.managers(transfer.to_community_code) if m.manager_id == transfer.to_manager_id), None
    )
    if receiver is None:
        from ekm_platform.errors import ValidationError

        raise ValidationError.single(
            "to_manager_id", "немає такого кейс-менеджера в громаді / no such case manager in the community"
        )
    uow.repo.save_transfer(transfer)
    uow.repo.save_case(case, expected_case_version)
    audit(
        uow, principal, "case.transfer_request", case, transfer_id=transfer.transfer_id, consent_id=transfer.consent_id
    )
    uow.commit()
    return transfer


def accept_transfer(uow: UnitOfWork, principal: Principal, transfer_id: str) -> Transfer:
    """The receiving case manager accepts: the case, with its whole history, is theirs."""
    require_staff(principal)
    transfer = uow.repo.get_transfer(transfer_id.strip())
    if transfer is None or principal.user_id != transfer.to_manager_id:
        raise NotFound("Передачу не знайдено / transfer not found")
    accepted = transfer.accept()
    case = uow.repo.get(case_id=transfer.case_id)
    if not case.is_open:
        raise PermissionDenied("Закритий випадок не передають / a closed case is not transferred")
    if _consent_for(uow, case, transfer.to_community_code) is None:
        raise FailedPrecondition(
            "Згоду особи на передачу відкликано або її строк минув / the person's consent "
            "to the transfer was withdrawn or has expired"
        )
    case.assigned_to, case.community_code = transfer.to_manager_id, transfer.to_community_code
    case.assignment_explanation = f"Передано / transferred: {transfer.reason}"[:500]
    uow.repo.save_case(case, case.version)
    uow.repo.save_transfer(accepted)
    uow.repo.add_history(
        case.person_id,
        "case.transferred",
        case.case_number,
        f"передано {transfer.from_manager_id or '—'} → {transfer.to_manager_id} "
        f"({transfer.to_community_code}{', ' + transfer.to_provider if transfer.to_provider else ''})",
        "cases",
    )
    audit(uow, principal, "case.transfer_accept", case, transfer_id=transfer.transfer_id)
    uow.publish(
        CASE_TRANSFERRED,
        {
            "case_id": case.case_id,
            "transfer_id": transfer.transfer_id,
            "to_manager_id": transfer.to_manager_id,
            "to_community_code": transfer.to_community_code,
        },
    )
    uow.commit()
    return accepted
