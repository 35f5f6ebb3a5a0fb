"""Moving a case through its stages: validated, time-stamped, attributed, announced."""

from __future__ import annotations

from datetime import datetime, timezone

from cases.domain import labels
from cases.domain.assessment import Status
from cases.domain.labels import uk
from cases.domain.lifecycle import CaseFacts, Outcome, apply_transition, check_transition
from cases.domain.model import Case, Stage
from cases.service_layer.access import audit, check_version, load_case, require_staff
from ekm_platform.auth import Principal
from ekm_platform.errors import FailedPrecondition
from ekm_platform.unit_of_work import UnitOfWork

STAGE_CHANGED = "case.stage_changed"


def facts_of(uow: UnitOfWork, case: Case) -> CaseFacts:
    plan = uow.repo.latest_plan(case.case_id)
    return CaseFacts(
        has_approved_assessment=uow.repo.has_approved_assessment(case.case_id),
        has_agreed_plan=bool(plan and plan.agreed),
        has_review=uow.repo.has_review_since(case.case_id, uow.repo.last_reopened_on(case)),
    )


def move(
    uow: UnitOfWork,
    principal: Principal,
    case: Case,
    target: Stage,
    expected_version: int,
    outcome: Outcome | None = None,
    reason: str = "",
) -> Case:
    """Apply one transition inside the caller's unit of work (the caller commits)."""
    change = apply_transition(
        case.stage,
        target,
        facts_of(uow, case),
        principal.user_id,
        principal.role,
        datetime.now(timezone.utc),
        reason,
        outcome,
    )
    case.stage, case.stage_entered_at = target, change.at
    if case.closure_requested and target is not Stage.CLOSED:
        uow.repo.add_history(
            case.person_id,
            "case.closure_request_lapsed",
            case.case_number,
            f"запит на закриття ({uk(labels.OUTCOME, case.closure_requested)}) знято: випадок "
            f"перейшов на інший етап / "
            f"closure request withdrawn: the case moved to another stage",
            "cases",
        )
    case.closure_requested = ""  # a pending request is decided by closing, or lapses when the case moves on
    case.outcome = outcome.value if outcome else ("" if target is not Stage.CLOSED else case.outcome)
    uow.repo.save_case(case, expected_version)
    uow.repo.add_stage_change(case.case_id, change)
    if change.from_stage is Stage.CLOSED:
        _new_assessment_on_reopening(uow, case)
    uow.repo.add_history(
        case.person_id,
        "case.stage",
        case.case_number,
        f"{uk(labels.STAGE, change.from_stage.value)} → {uk(labels.STAGE, target.value)}"
        + (f" ({uk(labels.OUTCOME, outcome.value)})" if outcome else ""),
        "cases",
    )
    uow.publish(
        STAGE_CHANGED,
        {
            "case_id": case.case_id,
            "case_number": case.case_number,
            "from_stage": change.from_stage.value,
            "to_stage": target.value,
            "outcome": outcome.value if outcome else "",
            "actor_role": principal.role,
            "at": change.at.isoformat(),
        },
    )
    return case


def _new_assessment_on_reopening(uow: UnitOfWork, case: Case) -> None:
    """A reopened case is assessed again: the last approved assessment becomes the draft of a
    new version (the case cannot go on to planning until that version is approved). The
    earlier closure and its outcome stay in the stage changes (and in the KPIs)."""
    latest = uow.repo.latest_assessment(case.case_id)
    if latest is not None and latest.status is Status.APPROVED:
        uow.repo.save_assessment(latest.next_version())


def transition_case(
    uow: UnitOfWork,
    principal: Principal,
    case_id: str,
    target: Stage,
    expected_version: int,
    outcome: Outcome | None = None,
    reason: str = "",
) -> Case:
    """Move a case on. A case manager's closure is a request that waits for the supervisor."""
    require_staff(principal)
    case = load_case(uow, principal, case_id=case_id)
    check_version(case, expected_version)
    if target is Stage.CLOSED and principal.role == "case_manager":
        check_transition(case.stage, target, facts_of(uow, case), outcome)
        case.closure_requested = outcome.value
        uow.repo.save_case(case, expected_version)
        uow.repo.add_history(
            case.person_id,
            "case.closure_requested",
            case.case_number,
            f"запит на закриття ({uk(labels.OUTCOME, outcome.value)})",
            "cases",
        )
        audit(uow, principal, "case.closure_request", case, outcome=outcome.value)
        uow.publish("case.closure_requested", {"case_id": case.case_id, "outcome": outcome.value})
        uow.commit()
        return case
    move(uow, principal, case, target, expected_version, outcome, reason)
    audit(uow, principal, "case.transition", case, to_stage=target.value)
    uow.commit()
    return case


def approve_closure(uow: UnitOfWork, principal: Principal, case_id: str, expected_version: int) -> Case:
    """The supervisor approves a case manager's closure request: the case closes."""
    require_staff(principal, "supervisor")
    case = load_case(uow, principal, case_id=case_id)
    check_version(case, expected_version)
    if not case.closure_requested:
        raise FailedPrecondition("Запиту на закриття немає / no closure was requested")
    move(uow, principal, case, Stage.CLOSED, expected_version, Outcome(case.closure_requested), "закриття затверджено")
    audit(uow, principal, "case.close", case)
    uow.commit()
    return case
