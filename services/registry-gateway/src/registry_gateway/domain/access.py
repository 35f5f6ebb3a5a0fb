"""Which registries a caller may ask, for whom: by role, and by the person's consent.

Statutory data for case management (border crossings, education) may be asked by case
managers and supervisors; health and disability data only with the person's recorded
consent.
"""
from __future__ import annotations

ROLES = {"border_guard": {"case_manager", "supervisor"}, "education": {"case_manager", "supervisor"},
         "health": {"case_manager", "supervisor"}, "disability": {"case_manager", "supervisor"},
         "housing": {"case_manager", "supervisor"}, "children": {"case_manager", "supervisor"}}
NEEDS_CONSENT = {"health", "disability"}


def refusal(registry: str, role: str, consent_recorded: bool) -> str | None:
    """Why this registry may not be asked, or None."""
    if role not in ROLES.get(registry, set()):
        return f"Роль '{role}' не має доступу до реєстру / role may not query this registry"
    if registry in NEEDS_CONSENT and not consent_recorded:
        return "Потрібна згода особи / the person's consent is required"
    return None
