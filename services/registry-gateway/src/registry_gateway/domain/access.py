"""Who may ask which registry, about whom: the caller's relation to the case, the role,
the person's stored consent, and whether the registry can search by what was given.

- the caller must be allowed to see the case (the cases service decides, as for GetCase);
  an unknown case and one the caller may not see are the same NOT_FOUND;
- the looked-up person must be the case's person or a member of its household, else
  PERMISSION_DENIED; in both refusals nothing is stored or published;
- statutory data for case management (border crossings, education, housing, children) may
  be asked by case managers and supervisors; health and disability data only with the
  person's consent as stored by the cases service (a flag in the request proves nothing).
"""

from __future__ import annotations

from ekm_platform.errors import NotFound, PermissionDenied
from registry_gateway.domain.lookup import CaseAccess, Query

ROLES = {
    "border_guard": {"case_manager", "supervisor"},
    "education": {"case_manager", "supervisor"},
    "health": {"case_manager", "supervisor"},
    "disability": {"case_manager", "supervisor"},
    "housing": {"case_manager", "supervisor"},
    "children": {"case_manager", "supervisor"},
}
NEEDS_CONSENT = {"health", "disability"}
CONSENT_PURPOSE = "registry_lookup"
NEEDS_RNOKPP = {"education", "health", "disability", "housing", "children"}  # border guard: RNOKPP or УНЗР

CASE_NOT_FOUND = "Випадок не знайдено / case not found"
NOT_IN_CASE = (
    "Особа не є особою випадку чи членом її домогосподарства / "
    "the person is neither the case's person nor a member of its household"
)
NO_CONSENT = (
    "Немає чинної згоди особи на запит до цього реєстру / no stored, unexpired consent of the person for this registry"
)


def subjects(query: Query) -> list[dict]:
    """Each identifier given must belong to the case's person or a household member."""
    return [
        s
        for s in ({"rnokpp": query.rnokpp} if query.rnokpp else None, {"unzr": query.unzr} if query.unzr else None)
        if s
    ]


def case_access(answers: list[dict]) -> CaseAccess:
    """The cases service's answers (one per identifier) as a decision, or the refusal."""
    if not answers or any(a.get("status") == "not_found" for a in answers):
        raise NotFound(CASE_NOT_FOUND)
    if any(a.get("status") != "ok" for a in answers):
        raise PermissionDenied(NOT_IN_CASE)
    first = answers[0]
    return CaseAccess(
        case_id=first["case_id"],
        case_number=first["case_number"],
        person_id=first["person_id"],
        is_case_person=all(bool(a.get("is_case_person")) for a in answers),
    )


def refusal(registry: str, role: str) -> str | None:
    """Why this role may not ask this registry, or None."""
    if role not in ROLES.get(registry, set()):
        return f"Роль '{role}' не має доступу до реєстру / role may not query this registry"
    return None


def consent_holder(access: CaseAccess) -> str | None:
    """Whose consent a consent-bound lookup needs: the case's person when it is them. A
    household member's consent is not known by their person id here, so it is refused."""
    return access.person_id if access.is_case_person else None


def not_applicable(registry: str, query: Query) -> str | None:
    """Why this registry cannot make this search, or None."""
    if registry in NEEDS_RNOKPP and not query.rnokpp:
        return f"Реєстр шукає лише за РНОКПП / the {registry} registry searches by RNOKPP only"
    return None
