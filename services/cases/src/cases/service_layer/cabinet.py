"""The recipient cabinet: a person sees their own case — plan, steps, services — agrees to
the plan, marks their own steps done, and rates the services they received.

A recipient's token names the person (``sub`` = the person's id, as the identity
provider maps it); internal notes, assessments and other people's data never reach it.

A closed case stays in the cabinet, read-only: the person still sees their plan and steps,
and rates the services they received for ``EKM_RATING_AFTER_CLOSURE_DAYS`` after closure.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from cases.domain.closure import closed_at, rating_days, rating_open_until, require_open, require_rating_open
from cases.domain.model import Case
from cases.domain.plan import Plan
from cases.service_layer.access import audit
from ekm_platform.auth import Principal
from ekm_platform.errors import FailedPrecondition, NotFound, PermissionDenied, ValidationError
from ekm_platform.unit_of_work import UnitOfWork

MAX_COMMENT = 2000


@dataclass(frozen=True)
class CabinetView:
    case: Case
    plan: Plan | None
    my_ratings: dict
    read_only: bool = False  # the case is closed
    closed_at: datetime | None = None
    rating_open_until: datetime | None = None


def _own_case(uow: UnitOfWork, principal: Principal) -> Case:
    if principal.role != "recipient":
        raise PermissionDenied("Кабінет отримувача — лише для отримувача / the cabinet is for recipients")
    case = uow.repo.latest_case_of(principal.user_id)  # the open case, else the one closed last
    if case is None:
        raise NotFound("Випадку немає / no case")
    return case


def _view(uow, case) -> CabinetView:
    return CabinetView(
        case,
        uow.repo.latest_plan(case.case_id),
        uow.repo.ratings.of_case(case.case_id),
        read_only=not case.is_open,
        closed_at=closed_at(case),
        rating_open_until=rating_open_until(case, rating_days()),
    )


def cabinet(uow: UnitOfWork, principal: Principal) -> CabinetView:
    case = _own_case(uow, principal)
    audit(uow, principal, "cabinet.read", case, "кабінет отримувача / recipient cabinet")
    uow.commit()
    return _view(uow, case)


def agree_in_cabinet(uow: UnitOfWork, principal: Principal, plan_version: int) -> CabinetView:
    case = _own_case(uow, principal)
    require_open(case, "план не погоджують")
    plan = uow.repo.latest_plan(case.case_id)
    if plan is None or plan.version != plan_version:
        raise FailedPrecondition("Погоджують чинну версію плану / only the current plan version can be agreed")
    uow.repo.save_plan(plan.agree("cabinet", datetime.now(timezone.utc), principal.user_id))
    uow.repo.add_history(
        case.person_id, "plan", case.case_number, f"план v{plan.version} погоджено в кабінеті", "cabinet"
    )
    audit(uow, principal, "plan.agree", case, "кабінет отримувача / recipient cabinet", channel="cabinet")
    uow.publish("case.plan_agreed", {"case_id": case.case_id, "version": plan.version, "channel": "cabinet"})
    uow.commit()
    return _view(uow, case)


def mark_own_step_done(uow: UnitOfWork, principal: Principal, step_id: str) -> CabinetView:
    case = _own_case(uow, principal)
    require_open(case, "кроки плану не змінюють")
    plan = uow.repo.latest_plan(case.case_id)
    if plan is None:
        raise NotFound("План не знайдено / plan not found")
    uow.repo.save_plan(plan.mark_step_done(step_id, "recipient"))
    audit(uow, principal, "plan.step_done", case, "кабінет отримувача / recipient cabinet", step_id=step_id)
    uow.commit()
    return _view(uow, case)


def rate_service(uow: UnitOfWork, principal: Principal, service_id: str, rating: int, comment: str):
    case = _own_case(uow, principal)
    require_rating_open(case, datetime.now(timezone.utc), rating_days())
    if not 1 <= rating <= 5:
        raise ValidationError.single("rating", "від 1 до 5 / from 1 to 5")
    if len(comment) > MAX_COMMENT:
        raise ValidationError.single("comment", f"до {MAX_COMMENT} символів / up to {MAX_COMMENT} characters")
    plan = uow.repo.latest_plan(case.case_id)
    if plan is None or service_id not in {s.service_id for s in plan.services}:
        raise ValidationError.single("service_id", "такої послуги немає у плані / no such service in the plan")
    at = uow.repo.ratings.save(case, service_id, rating, comment.strip())
    audit(uow, principal, "service.rate", case, "кабінет отримувача / recipient cabinet", service_id=service_id)
    uow.publish("case.service_rated", {"case_id": case.case_id, "service_id": service_id, "rating": rating})
    uow.commit()
    return case, service_id, rating, comment.strip(), at
