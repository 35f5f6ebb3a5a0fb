"""Persons and households: details, the family table, and merging duplicates."""

from __future__ import annotations

import uuid
from dataclasses import replace

from cases.domain.assessment import FamilyMember
from cases.domain.closure import require_open
from cases.domain.model import VETERAN_STATUSES, Person
from cases.service_layer.access import audit, load_case, require_staff
from ekm_platform.auth import Principal
from ekm_platform.errors import (
    FailedPrecondition,
    FieldViolation,
    NotFound,
    ValidationError,
)
from ekm_platform.identifiers import email_problem, phone_problem
from ekm_platform.unit_of_work import UnitOfWork


def _case_of_person(uow: UnitOfWork, principal: Principal, person_id: str):
    case = uow.repo.latest_case_of(person_id)  # the open case, else the last closed one: it stays readable
    if case is None:
        raise NotFound("Особу не знайдено / person not found")
    return load_case(uow, principal, case_id=case.case_id)


def get_person(uow: UnitOfWork, principal: Principal, person_id: str) -> Person:
    require_staff(principal)
    case = _case_of_person(uow, principal, person_id)
    person = uow.repo.get_person(person_id)
    audit(uow, principal, "person.read", case, person_id=person_id)
    uow.commit()
    return person


def update_person(
    uow: UnitOfWork,
    principal: Principal,
    person_id: str,
    phone: str,
    email: str,
    statuses: list[str],
    disability_group: int,
) -> Person:
    require_staff(principal)
    case = _case_of_person(uow, principal, person_id)
    problems = []
    if phone and phone_problem(phone):
        problems.append(FieldViolation("phone", "формат +380XXXXXXXXX / E.164 format"))
    if email and email_problem(email):
        problems.append(FieldViolation("email", "невірна адреса / invalid address"))
    if any(s not in VETERAN_STATUSES for s in statuses):
        problems.append(FieldViolation("veteran_statuses", "невідомий статус / unknown status"))
    if not 0 <= disability_group <= 3:
        problems.append(FieldViolation("disability_group", "0 (немає) або 1–3 / 0 (none) or 1–3"))
    if problems:
        raise ValidationError(problems)
    person = replace(
        uow.repo.get_person(person_id),
        phone=phone,
        email=email,
        veteran_statuses=tuple(sorted(set(statuses))),
        disability_group=disability_group,
    )
    uow.repo.save_person(person)
    audit(uow, principal, "person.write", case, person_id=person_id)
    uow.commit()
    return person


def save_household(
    uow: UnitOfWork, principal: Principal, case_id: str, address: str, members: list[FamilyMember]
) -> tuple:
    from cases.domain.assessment import Assessment, validate_assessment

    require_staff(principal)
    case = load_case(uow, principal, case_id=case_id)
    require_open(case, "склад сім'ї не змінюють")
    # the family table follows the same rules as in the assessment act
    validate_assessment(Assessment(case.case_id, 1, "2000-01-01", "-", family=tuple(members)))
    if not members:
        raise ValidationError.single("members", "склад сім'ї обов'язковий / the family table is required")
    existing = uow.repo.household_of(case.case_id)
    household_id = existing[0] if existing else str(uuid.uuid4())
    rows = [m.__dict__ for m in members]
    uow.repo.save_household(household_id, case.case_id, address.strip(), rows)
    uow.repo.add_history(case.person_id, "household", case.case_number, f"склад сім'ї: {len(members)} осіб", "cases")
    audit(uow, principal, "household.write", case)
    uow.commit()
    return household_id, case.case_id, address.strip(), rows


def get_household(uow: UnitOfWork, principal: Principal, case_id: str) -> tuple:
    require_staff(principal)
    case = load_case(uow, principal, case_id=case_id)
    found = uow.repo.household_of(case.case_id)
    if found is None:
        raise NotFound("Домогосподарство не знайдено / household not found")
    audit(uow, principal, "household.read", case)
    uow.commit()
    return (found[0], case.case_id, found[1], found[2])


def merge_persons(uow: UnitOfWork, principal: Principal, keep_id: str, merge_id: str, reason: str) -> Person:
    """A supervisor merges a duplicate person into another; both histories are kept."""
    require_staff(principal, "supervisor")
    keep, merge = uow.repo.get_person(keep_id), uow.repo.get_person(merge_id)
    if keep is None or merge is None or keep_id == merge_id:
        raise NotFound("Особу не знайдено / person not found")
    if keep.merged_into or merge.merged_into:
        raise FailedPrecondition("Особу вже об'єднано / a person was already merged")
    if not reason.strip():
        raise ValidationError.single("reason", "обов'язкове поле / required")
    open_keep, open_merge = uow.repo.open_case_of(keep_id), uow.repo.open_case_of(merge_id)
    if open_keep and open_merge:
        raise FailedPrecondition(
            "Обидві особи мають відкриті випадки: спершу закрийте один / both persons have open cases: close one first"
        )
    case = open_keep or open_merge
    if case is not None:
        load_case(uow, principal, case_id=case.case_id)  # the supervisor must be allowed to see it
    uow.repo.merge_person(keep_id, merge_id)
    uow.repo.add_history(
        keep_id, "person.merged", merge_id, f"об'єднано дублікат / duplicate merged: {reason.strip()}", "cases"
    )
    if case is not None:
        audit(uow, principal, "person.merge", case, keep=keep_id, merged=merge_id)
    uow.publish("person.merged", {"person_id": keep_id, "merged_person_id": merge_id})
    uow.commit()
    return uow.repo.get_person(keep_id)
