"""The appeal behind a case, as its case manager sees it.

Intake keeps the appeal (description, channel, the applicant — who may not be the person
of the case — and the applicant's contact). Cases decides who may see it: the same rule as
GetCase (``access.load_case``); only then is intake asked (its internal RPC audits the read
in intake's log), and the read is audited here too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from cases.domain.model import Case
from cases.service_layer.access import audit, load_case, require_staff
from ekm_platform.auth import Principal
from ekm_platform.errors import NotFound, ValidationError
from ekm_platform.unit_of_work import UnitOfWork

# ``fetch(appeal_id, actor) -> dict | None`` (intake.get_appeal_details)
DetailsSource = Callable[[str, dict], "dict | None"]
NO_APPEAL = "Звернення не знайдено / appeal not found"


@dataclass(frozen=True)
class CaseAppeal:
    case: Case
    details: dict


def case_appeal(
    uow: UnitOfWork,
    principal: Principal,
    fetch: DetailsSource,
    case_id: str = "",
    case_number: str = "",
    appeal_id: str = "",
    purpose: str = "",
) -> CaseAppeal:
    require_staff(principal)  # an operator sees identifiers only; the appeal is personal data
    if not (case_id.strip() or case_number.strip()):
        raise ValidationError.single(
            "case_id", "потрібен номер або ідентифікатор випадку / case_number or case_id is required"
        )
    case = load_case(uow, principal, case_id=case_id, case_number=case_number)
    appeal_id = appeal_id.strip() or (case.appeal_ids[0] if case.appeal_ids else "")
    if not appeal_id or appeal_id not in case.appeal_ids:
        raise NotFound(NO_APPEAL)
    uow.rollback()  # no transaction is held while intake is asked
    details = fetch(appeal_id, principal.as_actor())
    if not details:
        raise NotFound(NO_APPEAL)
    audit(uow, principal, "appeal.read", case, purpose, appeal_id=appeal_id)
    uow.commit()
    return CaseAppeal(case, details)
