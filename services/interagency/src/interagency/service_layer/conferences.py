"""Case conferences: a case's manager calls one with participants from several agencies and an
agenda; its decisions become steps of the case's current plan through the cases service
(``cases.add_plan_steps``, which checks the caller's relation to the case, the plan's rules and
audits the change). None knows about gRPC or nameko."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timezone

from ekm_platform.audit import AuditEntry
from ekm_platform.auth import Principal
from ekm_platform.case_access import CaseCheck, require_case
from ekm_platform.errors import FailedPrecondition, FieldViolation, NotFound, PermissionDenied, ValidationError
from ekm_platform.unit_of_work import UnitOfWork
from interagency.domain.conference import Conference, Decision, validate_conference

NOT_FOUND = "Нараду не знайдено / conference not found"
PURPOSE = "міждисциплінарна нарада / case conference"
STAFF = ("case_manager", "supervisor")
# ``add_plan_steps(actor, case_number, steps, source) -> dict`` (cases)
PlanSteps = Callable[[dict, str, list, str], dict]
# ``mark_agency_step(actor, case_number, step_id) -> dict`` (cases)
MarkStep = Callable[[dict, str, str], dict]


def _audit(uow: UnitOfWork, principal: Principal, action: str, c: Conference, **details) -> None:
    uow.audit(
        AuditEntry(
            principal.user_id,
            principal.role,
            action,
            "conference",
            c.conference_id,
            PURPOSE,
            {"case_number": c.case_number, "agencies": sorted(c.agencies), **details},
        )
    )


def create_conference(
    uow: UnitOfWork, check_case_access: CaseCheck, principal: Principal, draft: Conference
) -> Conference:
    if principal.role not in STAFF:
        raise PermissionDenied("Нараду скликає кейс-менеджер випадку / the case's manager calls a conference")
    known = {p.agency_code for p in draft.participants if p.agency_code and uow.repo.get_agency(p.agency_code)}
    validate_conference(draft, known)
    case = require_case(check_case_access, principal.as_actor(), draft.case_number)
    if case.get("stage") == "closed":
        raise FailedPrecondition(f"Випадок {case['case_number']} закрито / the case is closed")
    conference = Conference(
        case_number=case["case_number"],
        scheduled_at=draft.scheduled_at,
        agenda=tuple(a.strip() for a in draft.agenda if a.strip()),
        participants=draft.participants,
        organised_by=principal.user_id,
    )
    uow.repo.add_conference(conference)
    uow.publish(
        "conference.scheduled",
        {
            "conference_id": conference.conference_id,
            "case_number": conference.case_number,
            "agency_codes": sorted(conference.agencies),
            "scheduled_at": conference.scheduled_at.isoformat(),
        },
    )
    _audit(uow, principal, "conference.create", conference)
    uow.commit()
    return conference


def _visible(uow: UnitOfWork, check_case_access: CaseCheck, principal: Principal, conference_id: str) -> Conference:
    """Staff who may see the case; an agency taking part; nobody else (NOT_FOUND)."""
    conference = uow.repo.get_conference(conference_id.strip()) if conference_id.strip() else None
    if conference is None:
        raise NotFound(NOT_FOUND)
    if principal.role == "partner_agency":
        if not principal.organisation or principal.organisation not in conference.agencies:
            raise NotFound(NOT_FOUND)
    elif principal.role in STAFF:
        try:
            require_case(check_case_access, principal.as_actor(), conference.case_number)
        except NotFound:
            raise NotFound(NOT_FOUND) from None
    else:
        raise NotFound(NOT_FOUND)
    return conference


def get_conference(
    uow: UnitOfWork, check_case_access: CaseCheck, principal: Principal, conference_id: str
) -> Conference:
    conference = _visible(uow, check_case_access, principal, conference_id)
    _audit(uow, principal, "conference.read", conference)
    uow.commit()
    return conference


def list_conferences(
    uow: UnitOfWork, check_case_access: CaseCheck, principal: Principal, case_number: str = ""
) -> list[Conference]:
    if principal.role == "partner_agency":
        if not principal.organisation:
            raise PermissionDenied("Токен установи без організації / an agency token without its organisation")
        found = uow.repo.conferences(case_number=case_number.strip().upper(), agency_code=principal.organisation)
    elif principal.role in STAFF:
        case = require_case(check_case_access, principal.as_actor(), case_number)
        found = uow.repo.conferences(case_number=case["case_number"])
    else:
        raise PermissionDenied("Роль не бачить нарад / this role sees no conferences")
    if found or principal.role == "partner_agency":  # every access by an agency
        uow.audit(
            AuditEntry(
                principal.user_id,
                principal.role,
                "conference.list",
                "conferences",
                principal.organisation or case_number.strip().upper(),
                PURPOSE,
                {"conference_ids": [c.conference_id for c in found]},
            )
        )
        uow.commit()
    return found


def conclude_conference(
    uow: UnitOfWork,
    check_case_access: CaseCheck,
    add_plan_steps: PlanSteps,
    principal: Principal,
    conference_id: str,
    decisions: tuple[Decision, ...],
) -> Conference:
    """Record the decisions; each becomes a step of the case's current plan (cases adds them under
    the plan's rules: a known goal, who and by when; an agreed plan gets a new version to be
    approved and agreed again). Step ids are stable, so a retry adds nothing twice. Refused by
    cases: nothing is recorded here either."""
    if principal.role not in STAFF:
        raise PermissionDenied("Рішення наради фіксує кейс-менеджер випадку / the case's manager records them")
    conference = _visible(uow, check_case_access, principal, conference_id)
    concluded = conference.conclude(decisions, principal.user_id)
    steps = [
        {
            "step_id": d.step_id,
            "goal_id": d.goal_id,
            "what": d.text,
            "responsible_kind": d.responsible_kind,
            "responsible_ref": d.responsible_ref,
            "due_on": d.due_on,
        }
        for d in concluded.decisions
    ]
    answer = (
        add_plan_steps(principal.as_actor(), conference.case_number, steps, f"conference:{conference.conference_id}")
        or {}
    )
    status = answer.get("status")
    if status == "not_found":
        raise NotFound(NOT_FOUND)
    if status == "failed_precondition":
        raise FailedPrecondition(answer.get("message", "План не можна змінити / the plan cannot be changed"))
    if status == "invalid":
        raise ValidationError(
            [
                FieldViolation(v["field"].replace("steps", "decisions"), v["description"])
                for v in answer.get("violations", ())
            ]
            or [FieldViolation("decisions", answer.get("message", ""))]
        )
    if status != "ok":
        raise ValidationError.single("decisions", answer.get("message", "cases refused the steps"))
    concluded = replace(concluded, plan_version=int(answer.get("plan_version", 0)))
    if not uow.repo.save_conclusion(concluded):
        raise FailedPrecondition("Нараду вже завершено / the conference is already concluded")
    uow.publish(
        "conference.concluded",
        {
            "conference_id": concluded.conference_id,
            "case_number": concluded.case_number,
            "plan_version": concluded.plan_version,
            "step_ids": [d.step_id for d in concluded.decisions],
        },
    )
    _audit(
        uow,
        principal,
        "conference.conclude",
        concluded,
        plan_version=concluded.plan_version,
        step_ids=[d.step_id for d in concluded.decisions],
    )
    uow.commit()
    return concluded


# Shared tasks: the decisions a conference gave to an agency, which are steps of the case's plan --
def agency_tasks(uow: UnitOfWork, principal: Principal) -> list[tuple[Conference, Decision]]:
    """The agency's own tasks from concluded conferences (its token's organisation)."""
    if principal.role != "partner_agency" or not principal.organisation:
        raise PermissionDenied("Лише для установи-партнера / for a partner agency only")
    found = [
        (c, d)
        for c in uow.repo.conferences(agency_code=principal.organisation, limit=500)
        if c.status == "concluded"
        for d in c.decisions
        if d.responsible_kind == "agency" and d.responsible_ref == principal.organisation
    ]
    uow.audit(
        AuditEntry(
            principal.user_id,
            principal.role,
            "conference.tasks_read",
            "conferences",
            principal.organisation,
            PURPOSE,
            {"step_ids": [d.step_id for _, d in found]},
        )
    )
    uow.commit()
    return found


def complete_agency_task(
    uow: UnitOfWork, mark_step: MarkStep, principal: Principal, conference_id: str, step_id: str
) -> tuple[Conference, Decision]:
    """The agency marks its task done: cases marks the plan step done (checking again that the step
    is this agency's) and the decision records when. Another agency's task is NOT_FOUND."""
    if principal.role != "partner_agency" or not principal.organisation:
        raise PermissionDenied("Лише для установи-партнера / for a partner agency only")
    conference = uow.repo.get_conference(conference_id.strip()) if conference_id.strip() else None
    decision = conference.task(step_id.strip(), principal.organisation) if conference else None
    if decision is None:
        raise NotFound("Завдання не знайдено / task not found")
    if decision.done_at:
        raise FailedPrecondition("Завдання вже виконано / the task is already done")
    answer = mark_step(principal.as_actor(), conference.case_number, decision.step_id) or {}
    if answer.get("status") == "not_found":
        raise NotFound("Завдання не знайдено / task not found")
    if answer.get("status") != "ok":
        raise FailedPrecondition(answer.get("message", "Крок плану не можна змінити / the plan step cannot change"))
    updated = conference.task_done(decision.step_id, datetime.now(timezone.utc))
    uow.repo.save_decisions(updated)
    _audit(uow, principal, "conference.task_done", updated, step_id=decision.step_id)
    uow.commit()
    return updated, updated.task(decision.step_id, principal.organisation)
