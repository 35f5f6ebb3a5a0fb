"""Assignment of cases to case managers and the load report."""

from __future__ import annotations

from cases.domain.model import Case
from cases.domain.workload import Assignment, CaseManager, choose_case_manager, choose_on_duty
from cases.service_layer.access import audit, load_case, require_staff, team_of
from ekm_platform.auth import Principal
from ekm_platform.errors import FailedPrecondition, ValidationError
from ekm_platform.unit_of_work import UnitOfWork

CASE_ASSIGNED = "case.assigned"


def auto_assign(uow: UnitOfWork, case: Case, needed_skills: set[str]) -> Assignment | None:
    """The best case manager of the case's community, or None (the case waits unassigned
    in the supervisors' queue) when nobody has capacity."""
    managers = uow.repo.managers(case.community_code)
    loads = {k: v[0] for k, v in uow.repo.loads([m.manager_id for m in managers]).items()}
    if case.screening_level == "crisis" and (assignment := choose_on_duty(case.community_code, managers, loads)):
        case.assigned_to, case.assignment_explanation = assignment.manager_id, assignment.explanation
        return assignment
    try:
        assignment = choose_case_manager(case.community_code, needed_skills, case.complexity, managers, loads)
    except FailedPrecondition as exc:
        case.assignment_explanation = exc.message
        return None
    case.assigned_to, case.assignment_explanation = assignment.manager_id, assignment.explanation
    return assignment


def assign_case(uow: UnitOfWork, principal: Principal, case_id: str, manager_id: str, reason: str) -> Case:
    require_staff(principal, "supervisor")
    case = load_case(uow, principal, case_id=case_id)
    if manager_id not in team_of(uow, principal):
        raise ValidationError.single("manager_id", "не у вашій команді / not in your team")
    case.assigned_to = manager_id
    case.assignment_explanation = f"Перепризначено керівником / reassigned by a supervisor: {reason.strip()}"[:500]
    uow.repo.save_case(case, case.version)
    audit(uow, principal, "case.assign", case, manager_id=manager_id)
    uow.publish(CASE_ASSIGNED, {"case_id": case.case_id, "manager_id": manager_id, "by": "supervisor"})
    uow.commit()
    return case


def workload_report(uow: UnitOfWork, principal: Principal, community_code: str) -> list[tuple[CaseManager, int, int]]:
    require_staff(principal, "supervisor", "operator")
    managers = uow.repo.managers(community_code.strip())
    loads = uow.repo.loads([m.manager_id for m in managers])
    return [(m, *loads.get(m.manager_id, (0, 0))) for m in sorted(managers, key=lambda m: m.manager_id)]


def register_manager(uow: UnitOfWork, manager: CaseManager) -> None:
    """Configuration of the case-manager roster (internal RPC / demo data)."""
    if manager.capacity < 1 or not manager.manager_id or not manager.community_code:
        raise ValidationError.single(
            "capacity", "потрібні ідентифікатор, громада і ємність ≥ 1 / id, community, capacity ≥ 1"
        )
    uow.repo.save_manager(manager)
    uow.commit()
