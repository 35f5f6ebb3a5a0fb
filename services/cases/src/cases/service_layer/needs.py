"""Assessed needs for interagency's resource bank and its de-identified state reports.

Internal RPC contracts (identifiers and codes only — no names, no birth dates, no tax numbers):

``case_needs(actor, case_number)`` — for matching a case to resources; GetCase's relation rule
(a case manager their own case, a supervisor their team's); operators and other roles get
``not_found`` too (matching is case work):
    {"status": "ok", "case_number", "community_code", "stage",
     "needs": [{"service_type", "source": "assessment" | "plan", "domains": [...]}],
     "veteran_statuses": [...], "disability_group": 0..3, "age_years": int | None}
    {"status": "not_found"}

``community_needs(actor, community_code="", region="")`` — for the state report: one row per
open case with a submitted or approved assessment, ``[case_number, community_code, age_years,
[needed service types], [service types already in the plan]]``. A supervisor gets only their own
community, an operator any community or region (``UA80``) or all; anybody else ``denied``.
    {"status": "ok", "rows": [...], "truncated": bool}     {"status": "denied"}
"""

from __future__ import annotations

from datetime import date

from cases.domain.assessment import Status
from cases.domain.model import Case, Stage
from cases.domain.scoring import score
from cases.service_layer.consents import visible
from ekm_platform.auth import Principal
from ekm_platform.errors import PermissionDenied
from ekm_platform.unit_of_work import UnitOfWork

NOT_FOUND = {"status": "not_found"}
MAX_ROWS = 50_000


def _age(birth_date: str, today: date) -> int | None:
    try:
        born = date.fromisoformat(birth_date)
    except (TypeError, ValueError):
        return None
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _assessed(uow: UnitOfWork, case: Case):
    """The latest assessment that was submitted or approved (a draft re-assessment is not yet one)."""
    latest = uow.repo.latest_assessment(case.case_id)
    while latest is not None and latest.status is Status.DRAFT and latest.version > 1:
        latest = uow.repo.latest_assessment(case.case_id, latest.version - 1)
    return latest if latest is not None and latest.status is not Status.DRAFT else None


def needs_of(uow: UnitOfWork, case: Case) -> tuple[list[dict], list[str]]:
    """(needed services with where they come from, services already in the plan)."""
    needs: dict[str, dict] = {}
    assessment = _assessed(uow, case)
    if assessment is not None:
        for recommendation in score(assessment, case.screening_level or "").recommendations:
            domains = sorted({r.field.split(".")[1] for r in recommendation.because if r.field.startswith("domains.")})
            needs[recommendation.service_type] = {
                "service_type": recommendation.service_type,
                "source": "assessment",
                "domains": domains,
            }
    plan = uow.repo.latest_plan(case.case_id)
    planned = sorted({s.service_type for s in plan.services}) if plan else []
    for service_type in planned:
        needs.setdefault(service_type, {"service_type": service_type, "source": "plan", "domains": []})
    return [needs[k] for k in sorted(needs)], planned


def case_needs(uow: UnitOfWork, actor: dict, case_number: str, today: date | None = None) -> dict:
    try:
        principal = Principal.from_actor(actor)
    except PermissionDenied:
        return NOT_FOUND
    if principal.role not in ("case_manager", "supervisor"):
        return NOT_FOUND
    case = uow.repo.get(case_number=str(case_number or "").strip().upper()) if case_number else None
    if case is None or not visible(uow, principal, case):
        return NOT_FOUND
    needs, _ = needs_of(uow, case)
    person = uow.repo.get_person(case.person_id)
    return {
        "status": "ok",
        "case_number": case.case_number,
        "community_code": case.community_code,
        "stage": case.stage.value,
        "needs": needs,
        "veteran_statuses": sorted(person.veteran_statuses) if person else [],
        "disability_group": int(person.disability_group) if person else 0,
        "age_years": _age(person.birth_date, today or date.today()) if person else None,
    }


def community_needs(
    uow: UnitOfWork, actor: dict, community_code: str = "", region: str = "", today: date | None = None
) -> dict:
    try:
        principal = Principal.from_actor(actor)
    except PermissionDenied:
        return {"status": "denied"}
    if principal.role == "supervisor":
        if not principal.community_code:
            return {"status": "denied"}
        community_code, region = principal.community_code, ""
    elif principal.role != "operator":
        return {"status": "denied"}
    today = today or date.today()
    rows, offset, truncated = [], 0, False
    region = (region or "").strip().upper()
    while True:
        page = uow.repo.list(community_code=(community_code or "").strip().upper(), offset=offset, limit=1000)
        for case in page:
            if case.stage is Stage.CLOSED or (region and not case.community_code.startswith(region)):
                continue
            needs, planned = needs_of(uow, case)
            if not needs:
                continue
            person = uow.repo.get_person(case.person_id)
            rows.append(
                [
                    case.case_number,
                    case.community_code,
                    _age(person.birth_date, today) if person else None,
                    [n["service_type"] for n in needs],
                    planned,
                ]
            )
            if len(rows) >= MAX_ROWS:
                return {"status": "ok", "rows": rows, "truncated": True}
        if len(page) < 1000:
            break
        offset += 1000
    return {"status": "ok", "rows": rows, "truncated": truncated}
