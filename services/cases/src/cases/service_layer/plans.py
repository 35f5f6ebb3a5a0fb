"""The individual plan, the person's agreement, steps done, and reviews."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone

from cases.domain import labels
from cases.domain.assessment import Status
from cases.domain.closure import require_open
from cases.domain.labels import uk
from cases.domain.model import Stage
from cases.domain.plan import NO_SIGN_OFF, Plan, validate_plan
from cases.domain.review import Review, validate_review
from cases.service_layer.access import audit, check_version, load_case, require_staff
from cases.service_layer.stages import move
from ekm_platform.auth import Principal
from ekm_platform.errors import FailedPrecondition, NotFound
from ekm_platform.unit_of_work import UnitOfWork

PLAN_STAGES = (Stage.PLANNING, Stage.IMPLEMENTATION, Stage.MONITORING, Stage.REVIEW)
PLAN_CHANGED = "case.plan_changed"


def _plan(uow, case_id, version=0) -> Plan:
    found = uow.repo.latest_plan(case_id, version)
    if found is None:
        raise NotFound("План не знайдено / plan not found")
    return found


def missing_step_before_plan(uow: UnitOfWork, case) -> str:
    """What must happen before this case can have a plan, named as the next thing to do."""
    if case.stage is Stage.CLOSED:
        return (
            "Випадок закрито; щоб скласти план, відкрийте його знову (потрібна нова оцінка потреб) / "
            "the case is closed; reopen it to plan (a new needs assessment is needed)"
        )
    latest = uow.repo.latest_assessment(case.case_id)
    if latest is None:
        return (
            "Спершу збережіть і подайте оцінку потреб; план складають після її затвердження / "
            "save and submit the needs assessment first; a plan follows its approval"
        )
    if latest.status is Status.DRAFT:
        return (
            f"Спершу подайте оцінку потреб (версія {latest.version}) на затвердження / "
            f"submit the needs assessment (version {latest.version}) for approval first"
        )
    if latest.status is Status.SUBMITTED:
        return (
            f"Оцінка потреб (версія {latest.version}) чекає затвердження керівником / "
            f"the needs assessment (version {latest.version}) awaits the supervisor's approval"
        )
    return (
        "Оцінку потреб затверджено: переведіть випадок на етап планування / "
        "the needs assessment is approved: move the case to the planning stage"
    )


def save_plan(uow: UnitOfWork, principal: Principal, plan: Plan, expected_case_version: int) -> Plan:
    """A new plan, or a revision (a new version) once the current one was agreed."""
    require_staff(principal)
    case = load_case(uow, principal, case_id=plan.case_id)
    check_version(case, expected_case_version)
    if case.stage not in PLAN_STAGES:
        raise FailedPrecondition(missing_step_before_plan(uow, case))
    assessment = uow.repo.latest_assessment(case.case_id)
    validate_plan(plan, assessment)
    latest = uow.repo.latest_plan(case.case_id)
    version = 1 if latest is None else latest.version + latest.agreed
    plan = replace(plan, version=version, **NO_SIGN_OFF)
    uow.repo.save_case(case, expected_case_version)
    uow.repo.save_plan(plan)
    uow.repo.add_history(case.person_id, "plan", case.case_number, f"індивідуальний план v{version}", "cases")
    audit(uow, principal, "plan.write", case, version=version)
    if latest is not None and latest.agreed:  # a revision of an agreed plan: the person is told (notifications)
        uow.publish(
            PLAN_CHANGED,
            {
                "case_id": case.case_id,
                "case_number": case.case_number,
                "version": version,
                "previous_version": latest.version,
            },
        )
    uow.commit()
    return plan


def get_plan(uow: UnitOfWork, principal: Principal, case_id: str, version: int = 0) -> Plan:
    require_staff(principal)
    case = load_case(uow, principal, case_id=case_id)
    plan = _plan(uow, case.case_id, version)
    audit(uow, principal, "plan.read", case, version=plan.version)
    uow.commit()
    return plan


def approve_plan(uow: UnitOfWork, principal: Principal, case_id: str, version: int) -> Plan:
    """A supervisor approves a plan version; then the person can agree to it."""
    require_staff(principal, "supervisor")
    case = load_case(uow, principal, case_id=case_id)
    require_open(case, "план не затверджують")
    plan = _plan(uow, case.case_id, version)
    if plan.version != _plan(uow, case.case_id).version:
        raise FailedPrecondition("Затверджують лише чинну версію плану / only the current plan version is approved")
    approved = plan.approve(principal.user_id, datetime.now(timezone.utc))
    uow.repo.save_plan(approved)
    uow.repo.add_history(case.person_id, "plan", case.case_number, f"план v{plan.version} затверджено", "cases")
    audit(uow, principal, "plan.approve", case, version=plan.version)
    uow.commit()
    return approved


def agree_plan(uow: UnitOfWork, principal: Principal, case_id: str, version: int, channel: str) -> Plan:
    """The person of the case agrees: recorded by the case manager in person (the recipient
    cabinet records it with channel "cabinet")."""
    require_staff(principal)
    case = load_case(uow, principal, case_id=case_id)
    require_open(case, "план не погоджують")
    plan = _plan(uow, case.case_id, version)
    if plan.version != _plan(uow, case.case_id).version:
        raise FailedPrecondition("Погоджують лише чинну версію плану / only the current plan version is agreed")
    agreed = plan.agree(channel, datetime.now(timezone.utc), case.person_id)
    uow.repo.save_plan(agreed)
    uow.repo.add_history(
        case.person_id,
        "plan",
        case.case_number,
        f"план v{agreed.version} погоджено ({uk(labels.AGREEMENT_CHANNEL, channel)})",
        "cases",
    )
    audit(uow, principal, "plan.agree", case, version=agreed.version, channel=channel)
    uow.publish("case.plan_agreed", {"case_id": case.case_id, "version": agreed.version, "channel": channel})
    uow.commit()
    return agreed


def mark_step_done(uow: UnitOfWork, principal: Principal, case_id: str, step_id: str) -> Plan:
    require_staff(principal)
    case = load_case(uow, principal, case_id=case_id)
    require_open(case, "кроки плану не змінюють")
    plan = _plan(uow, case.case_id).mark_step_done(step_id, principal.role)
    uow.repo.save_plan(plan)
    audit(uow, principal, "plan.step_done", case, step_id=step_id)
    uow.commit()
    return plan


def record_review(uow: UnitOfWork, principal: Principal, review: Review, expected_case_version: int) -> Review:
    """A review in the review stage; when it finds a re-assessment is needed, the case goes
    back to assessment with a new draft of the last assessment."""
    require_staff(principal)
    case = load_case(uow, principal, case_id=review.case_id)
    check_version(case, expected_case_version)
    if case.stage is not Stage.REVIEW:
        raise FailedPrecondition("Перегляд проводять на етапі перегляду / a review happens in the review stage")
    validate_review(review, uow.repo.latest_plan(case.case_id))
    review = replace(review, reviewer_id=principal.user_id)
    uow.repo.add_review(review)
    uow.repo.add_history(
        case.person_id,
        "review",
        case.case_number,
        f"перегляд {review.held_on}: послуги {'актуальні' if review.services_relevant else 'неактуальні'}",
        "cases",
    )
    if review.reassessment_needed:
        move(uow, principal, case, Stage.ASSESSMENT, expected_case_version, reason="перегляд: потрібна переоцінка")
        latest = uow.repo.latest_assessment(case.case_id)
        if latest is not None:
            uow.repo.save_assessment(latest.next_version())
    else:
        uow.repo.save_case(case, expected_case_version)
    audit(uow, principal, "review.write", case)
    uow.commit()
    return review


STEP_DUE, STEP_OVERDUE = "case.step_due", "case.step_overdue"


def announce_due_steps(uow: UnitOfWork, today, horizon_days: int = 3) -> int:
    """Emit each step that is due within ``horizon_days`` or overdue, once per kind, for
    notifications (identifiers and dates only). Returns how many were announced."""
    from datetime import timedelta

    pending = uow.repo.steps_to_remind((today + timedelta(days=horizon_days)).isoformat(), today.isoformat())
    for case_id, step_id, due_on, kind, responsible in pending:
        uow.repo.mark_reminded(case_id, step_id, kind)
        uow.publish(
            STEP_OVERDUE if kind == "overdue" else STEP_DUE,
            {"case_id": case_id, "step_id": step_id, "due_on": due_on, "responsible_kind": responsible},
        )
    uow.commit()
    return len(pending)
