"""Workload: who should lead a new case, and why; load per case manager and community."""

from __future__ import annotations

from dataclasses import dataclass

from cases.domain import labels
from cases.domain.labels import uk
from ekm_platform.errors import FailedPrecondition

WEIGHTS = {"low": 1, "medium": 2, "high": 3, "": 2}  # unscored cases weigh as medium


@dataclass(frozen=True)
class CaseManager:
    manager_id: str
    community_code: str
    capacity: int  # weighted units
    skills: frozenset = frozenset()  # e.g. {"veterans", "children"}
    supervisor_id: str = ""
    on_duty: bool = False  # takes the community's crisis cases at once (the duty roster)


@dataclass(frozen=True)
class Assignment:
    manager_id: str
    explanation_uk: str
    explanation_en: str
    lacks_skills: bool = False  # nobody with the needed skills had capacity

    @property
    def explanation(self) -> str:
        return f"{self.explanation_uk} / {self.explanation_en}"


def choose_case_manager(
    community_code: str, needed_skills: set[str], complexity: str, managers: list[CaseManager], loads: dict[str, int]
) -> Assignment:
    """The case manager of the community with the needed skills and the most free
    capacity after taking the case; ties go to the lower current load, then the id. When
    nobody with the needed skills has capacity, the best available one without them, and
    the explanation says so."""
    weight = WEIGHTS.get(complexity, 2)
    local = [m for m in managers if m.community_code == community_code]
    fitting = [m for m in local if m.capacity - loads.get(m.manager_id, 0) >= weight]
    if not fitting:
        raise FailedPrecondition(
            f"У громаді {community_code or '—'} немає вільного кейс-менеджера / "
            f"no case manager with free capacity in the community"
        )
    skilled = [m for m in fitting if needed_skills <= set(m.skills)]
    best = min(
        skilled or fitting,
        key=lambda m: (-(m.capacity - loads.get(m.manager_id, 0)), loads.get(m.manager_id, 0), m.manager_id),
    )
    free = best.capacity - loads.get(best.manager_id, 0)
    if skilled:
        matched = sorted(needed_skills & set(best.skills))
        skills_uk = f"навички: {', '.join(uk(labels.SKILL, s) for s in matched) or '—'}"
        skills_en = f"skills: {', '.join(matched) or '—'}"
    else:
        skills_uk, skills_en = _no_skilled_capacity(needed_skills, best.skills)
    return Assignment(
        best.manager_id,
        f"Громада {community_code}; {skills_uk}; вільна ємність {free} з {best.capacity}; вага випадку {weight}",
        f"community {community_code}; {skills_en}; free capacity {free} of {best.capacity}; case weight {weight}",
        lacks_skills=not skilled,
    )


def choose_on_duty(community_code: str, managers: list[CaseManager], loads: dict[str, int]) -> Assignment | None:
    """A crisis case goes at once to the community's on-duty case manager — the least loaded
    one when several are on duty — whatever their free capacity (a crisis does not wait for
    capacity). None when nobody of the community is on duty."""
    on_duty = [m for m in managers if m.community_code == community_code and m.on_duty]
    if not on_duty:
        return None
    best = min(on_duty, key=lambda m: (loads.get(m.manager_id, 0), m.manager_id))
    load = loads.get(best.manager_id, 0)
    return Assignment(
        best.manager_id,
        f"Громада {community_code}; кризовий випадок — черговому кейс-менеджеру громади; навантаження {load} "
        f"з {best.capacity}",
        f"community {community_code}; a crisis case goes to the community's on-duty case manager; load {load} "
        f"of {best.capacity}",
    )


def _no_skilled_capacity(needed: set[str], has: frozenset) -> tuple[str, str]:
    """Why the case went to someone without the needed skills, in Ukrainian and English."""
    names, some = ", ".join(sorted(needed)), ", ".join(sorted(needed & set(has)))
    names_uk = ", ".join(uk(labels.SKILL, s) for s in sorted(needed))
    some_uk = ", ".join(uk(labels.SKILL, s) for s in sorted(needed & set(has)))
    text_uk = (
        f"жоден кейс-менеджер із потрібними навичками ({names_uk}) не мав вільної ємності, тому випадок "
        f"передано найкращому доступному кейс-менеджеру без них"
    )
    en = (
        f"no case manager with the needed skills ({names}) had capacity, so the case went to the best "
        f"available manager without them"
    )
    if some:
        text_uk, en = f"{text_uk} (з потрібних має: {some_uk})", f"{en} (has some of them: {some})"
    return text_uk, en
