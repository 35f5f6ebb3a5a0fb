"""The cases service's use cases. Each takes a unit of work; none knows about gRPC or nameko."""
from __future__ import annotations

from typing import Callable

from ekm_platform.dependencies import PermanentEventError
from ekm_platform.envelope import Envelope
from ekm_platform.errors import NotFound, ValidationError
from ekm_platform.unit_of_work import UnitOfWork

from cases.domain.model import SCREENING_LEVELS, Case, Person, Stage

CASE_OPENED = "case.opened"
APPEAL_LINKED = "case.appeal_linked"

# ``fetch_subject(appeal_id) -> {"person": {...}, "community_code": ..., "screening_level": ...}``
SubjectSource = Callable[[str], dict]


def open_case_for_appeal(event: Envelope, uow: UnitOfWork, fetch_subject: SubjectSource) -> Case | None:
    """``intake.appeal.accepted``: open a case for the appeal's subject, once.

    The event carries identifiers only; the subject's identity is asked from intake.
    A person already in an open case gets the appeal linked to that case instead.
    Information-level appeals need no case.
    """
    appeal_id = event.data.get("appeal_id")
    level = event.data.get("screening_level")
    if not appeal_id or level not in SCREENING_LEVELS:
        raise PermanentEventError("appeal.accepted without appeal_id or a known screening_level")
    if level == "information":
        return None
    existing = uow.repo.case_for_appeal(appeal_id)
    if existing:
        return existing
    subject = fetch_subject(appeal_id)  # before any write: see ekm_platform.db on SQLite locks
    identity = subject["person"]
    person = uow.repo.find_person(identity.get("rnokpp", ""), identity.get("unzr", ""))
    if person is None:
        person = Person.new(**{k: identity.get(k, "") for k in (
            "rnokpp", "unzr", "last_name", "first_name", "patronymic", "birth_date")})
        uow.repo.add_person(person)
    case = uow.repo.open_case_of(person.person_id)
    if case is not None:
        uow.repo.link_appeal(case.case_id, appeal_id)
        uow.publish(APPEAL_LINKED, case.opened_event(appeal_id, new_case=False))
        return case
    case = Case.open(person.person_id, appeal_id, level, event.data.get("community_code", ""))
    uow.repo.add_case(case)
    uow.publish(CASE_OPENED, case.opened_event(appeal_id, new_case=True))
    return case


def get_case(uow: UnitOfWork, case_id: str = "", case_number: str = "") -> Case:
    if not (case_id or case_number):
        raise ValidationError.single("case_number", "потрібен номер або id випадку / case_number or case_id is required")
    case = uow.repo.get(case_id=case_id, case_number=case_number.strip().upper())
    if case is None:
        raise NotFound("Випадок не знайдено / case not found")
    return case


def list_cases(uow: UnitOfWork, stage: str = "", community_code: str = "", offset: int = 0,
               limit: int = 50) -> list[Case]:
    if stage and stage not in {s.value for s in Stage}:
        raise ValidationError.single("stage", "невідомий етап / unknown stage")
    if not 1 <= limit <= 500:
        raise ValidationError.single("page_size", "від 1 до 500 / between 1 and 500")
    return uow.repo.list(stage=stage, community_code=community_code, offset=offset, limit=limit)


def case_is_open(uow: UnitOfWork, case_number: str) -> bool:
    case = uow.repo.get(case_number=case_number.strip().upper())
    return case is not None and case.is_open
