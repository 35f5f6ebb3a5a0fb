"""Who may see and change which case, and the audit entry every personal-data access leaves.

- a case manager: the cases assigned to them;
- a supervisor: their team's cases (managers whose supervisor they are) and the
  unassigned cases of their community;
- an operator: case identifiers and stages, never a person's data (no audit needed);
- recipients and partner agencies reach cases only through the cabinet and referrals.
"""

from __future__ import annotations

from cases.domain import labels
from cases.domain.labels import uk
from cases.domain.model import Case
from ekm_platform.audit import AuditEntry
from ekm_platform.auth import Principal
from ekm_platform.errors import Aborted, NotFound, PermissionDenied
from ekm_platform.unit_of_work import UnitOfWork

STAFF = ("case_manager", "supervisor")
DEFAULT_PURPOSE = "ведення випадку / case management"


def team_of(uow: UnitOfWork, supervisor: Principal) -> list[str]:
    return [m.manager_id for m in uow.repo.managers() if m.supervisor_id == supervisor.user_id]


def may_see(uow: UnitOfWork, principal: Principal, case: Case) -> bool:
    if principal.role == "operator":
        return True
    if principal.role == "case_manager":
        return case.assigned_to == principal.user_id
    if principal.role == "supervisor":
        if case.assigned_to in team_of(uow, principal):
            return True
        return not case.assigned_to and (
            not principal.community_code or principal.community_code == case.community_code
        )
    return False


def load_case(uow: UnitOfWork, principal: Principal, case_id: str = "", case_number: str = "") -> Case:
    """The case, if the caller may see it; NOT_FOUND otherwise (its existence is not revealed)."""
    case = uow.repo.get(case_id=case_id.strip(), case_number=case_number.strip().upper())
    if case is None or not may_see(uow, principal, case):
        raise NotFound("Випадок не знайдено / case not found")
    return case


def require_staff(principal: Principal, *roles: str) -> None:
    if principal.role not in (roles or STAFF):
        raise PermissionDenied(
            f"Роль «{uk(labels.ROLE, principal.role)}» не може цього / role '{principal.role}' may not do this"
        )


def audit(uow: UnitOfWork, principal: Principal, action: str, case: Case, purpose: str = "", **details) -> None:
    """Record an access to a person's data in the same transaction as the access."""
    uow.repo.audit(
        AuditEntry(
            principal.user_id,
            principal.role,
            action,
            "case",
            case.case_id,
            (purpose or DEFAULT_PURPOSE)[:200],
            {"case_number": case.case_number, **details},
        )
    )


def check_version(case: Case, expected_version: int) -> None:
    """A stale view is refused before anything else is judged (the write checks again)."""
    if case.version != expected_version:
        raise Aborted(
            f"Випадок змінено (версія {case.version}, а не {expected_version}); оновіть і повторіть / "
            f"the case changed (version {case.version}, not {expected_version}); reload and retry"
        )
