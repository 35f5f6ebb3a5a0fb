"""Workload: who should lead a new case, and why; load per case manager and community."""
from __future__ import annotations

from dataclasses import dataclass

from ekm_platform.errors import FailedPrecondition

WEIGHTS = {"low": 1, "medium": 2, "high": 3, "": 2}  # unscored cases weigh as medium


@dataclass(frozen=True)
class CaseManager:
    manager_id: str
    community_code: str
    capacity: int                    # weighted units
    skills: frozenset = frozenset()  # e.g. {"veterans", "children"}
    supervisor_id: str = ""


@dataclass(frozen=True)
class Assignment:
    manager_id: str
    explanation_uk: str
    explanation_en: str

    @property
    def explanation(self) -> str:
        return f"{self.explanation_uk} / {self.explanation_en}"


def choose_case_manager(community_code: str, needed_skills: set[str], complexity: str,
                        managers: list[CaseManager], loads: dict[str, int]) -> Assignment:
    """The case manager of the community with the needed skills and the most free
    capacity after taking the case; ties go to the lower current load, then the id."""
    weight = WEIGHTS.get(complexity, 2)
    local = [m for m in managers if m.community_code == community_code]
    fitting = [m for m in local if m.capacity - loads.get(m.manager_id, 0) >= weight]
    if not fitting:
        raise FailedPrecondition(
            f"У громаді {community_code or '—'} немає вільного кейс-менеджера / "
            f"no case manager with free capacity in the community")
    skilled = [m for m in fitting if needed_skills <= set(m.skills)] or fitting
    best = min(skilled, key=lambda m: (-(m.capacity - loads.get(m.manager_id, 0)), loads.get(m.manager_id, 0),
                                       m.manager_id))
    free = best.capacity - loads.get(best.manager_id, 0)
    skills = ", ".join(sorted(needed_skills & set(best.skills))) or "—"
    return Assignment(
        best.manager_id,
        f"Громада {community_code}; навички: {skills}; вільна ємність {free} з {best.capacity}; "
        f"вага випадку {weight}",
        f"community {community_code}; skills: {skills}; free capacity {free} of {best.capacity}; "
        f"case weight {weight}")
