"""Contracts for planned services: a what-if fee calculation (nothing stored) and stored
drafts, listed and read by those who may see the case.

The fee is decided with the person's recorded categories (their veteran statuses from
UpdatePerson — УБД, released from captivity, disabled due to war, family of a fallen
defender — and "child" by birth date). A stored draft accepts no category the record does
not prove; a what-if calculation may add categories to see what they would change.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timezone
from decimal import Decimal, InvalidOperation

from cases.domain import labels
from cases.domain.contracts import ContractDraft, check_categories, compute_fee, recorded_categories
from cases.domain.labels import uk
from cases.service_layer.access import audit, load_case, require_staff
from ekm_platform.auth import Principal
from ekm_platform.errors import FailedPrecondition, FieldViolation, NotFound, ValidationError
from ekm_platform.unit_of_work import UnitOfWork

NO_CONTRACT = "Договір не знайдено / contract not found"


def _numbers(income: str, subsistence_minimum: str, tariff: str) -> tuple[dict, list]:
    numbers, problems = {}, []
    for name, text in (
        ("average_monthly_income", income),
        ("subsistence_minimum", subsistence_minimum),
        ("tariff", tariff),
    ):
        try:
            numbers[name] = Decimal(text.strip())
            if not numbers[name].is_finite():
                raise InvalidOperation
        except (InvalidOperation, AttributeError):
            problems.append(FieldViolation(name, "десяткове число, напр. 3028.00 / a decimal number"))
    return numbers, problems


def _decide(
    uow: UnitOfWork,
    principal: Principal,
    case_id: str,
    service_id: str,
    income: str,
    subsistence_minimum: str,
    categories: list[str],
    tariff: str,
    what_if: bool,
    today: date | None = None,
):
    require_staff(principal)
    case = load_case(uow, principal, case_id=case_id)
    if not case.is_open:
        raise FailedPrecondition(
            "Випадок закрито: договір для нього не укладають / the case is closed: no contract is drafted for it"
        )
    plan = uow.repo.latest_plan(case.case_id)
    service = next((s for s in plan.services if s.service_id == service_id), None) if plan else None
    numbers, problems = _numbers(income, subsistence_minimum, tariff)
    if service is None:
        problems.append(FieldViolation("service_id", "такої послуги немає у плані / no such service in the plan"))
    person = uow.repo.get_person(case.person_id)
    recorded = recorded_categories(
        person.veteran_statuses if person else (), person.birth_date if person else "", today or date.today()
    )
    try:
        used = check_categories(categories, recorded, what_if)
    except ValidationError as exc:
        problems += exc.violations
    if problems:
        raise ValidationError(problems)
    fee = compute_fee(numbers["average_monthly_income"], numbers["subsistence_minimum"], used, numbers["tariff"])
    draft = ContractDraft(
        case.case_id,
        service.provider,
        service.service_type,
        fee,
        service_id=service.service_id,
        categories=tuple(sorted(used)),
        tariff=numbers["tariff"].quantize(Decimal("0.01")),
        created_by=principal.user_id,
        created_at=datetime.now(timezone.utc),
        stored=not what_if,
    )
    return case, draft


def calculate_fee(
    uow: UnitOfWork,
    principal: Principal,
    case_id: str,
    service_id: str,
    income: str,
    subsistence_minimum: str,
    categories: list[str],
    tariff: str,
) -> ContractDraft:
    """What-if: the fee a contract would carry; no contract, no history entry (the read of the
    person's categories is audited)."""
    case, draft = _decide(
        uow, principal, case_id, service_id, income, subsistence_minimum, categories, tariff, what_if=True
    )
    draft = replace(draft, contract_id="", status="")
    audit(uow, principal, "contract.calculate", case, service_id=service_id)
    uow.commit()
    return draft


def draft_contract(
    uow: UnitOfWork,
    principal: Principal,
    case_id: str,
    service_id: str,
    income: str,
    subsistence_minimum: str,
    categories: list[str],
    tariff: str,
) -> ContractDraft:
    """A stored draft contract for a planned service of an open case."""
    case, draft = _decide(
        uow, principal, case_id, service_id, income, subsistence_minimum, categories, tariff, what_if=False
    )
    uow.repo.add_contract(draft, service_id)
    fee = draft.fee
    uow.repo.add_history(
        case.person_id,
        "contract",
        case.case_number,
        f"договір: {uk(labels.SERVICE, draft.service_type)} ({'безоплатно' if fee.free else f'{fee.amount} грн'})",
        "cases",
    )
    audit(uow, principal, "contract.draft", case, contract_id=draft.contract_id)
    uow.commit()
    return draft


def list_contracts(uow: UnitOfWork, principal: Principal, case_id: str) -> list[ContractDraft]:
    require_staff(principal)
    case = load_case(uow, principal, case_id=case_id)
    found = uow.repo.contracts_of(case.case_id)
    audit(uow, principal, "contract.list", case)
    uow.commit()
    return found


def get_contract(uow: UnitOfWork, principal: Principal, contract_id: str) -> ContractDraft:
    """A contract, for those who may see its case (NOT_FOUND otherwise: its existence is not revealed)."""
    require_staff(principal)
    found = uow.repo.get_contract(contract_id.strip()) if contract_id.strip() else None
    if found is None:
        raise NotFound(NO_CONTRACT)
    try:
        case = load_case(uow, principal, case_id=found.case_id)
    except NotFound:
        raise NotFound(NO_CONTRACT) from None
    audit(uow, principal, "contract.read", case, contract_id=found.contract_id)
    uow.commit()
    return found
