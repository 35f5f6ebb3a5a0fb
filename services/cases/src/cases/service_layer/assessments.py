"""The needs assessment of a case: drafts, submission, approval, contributions, scoring."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone

from cases.domain import labels
from cases.domain.assessment import AgencyContribution, Assessment, Status, validate_assessment
from cases.domain.closure import require_open
from cases.domain.labels import uk
from cases.domain.model import Stage
from cases.domain.scoring import ScoringResult, score
from cases.service_layer.access import audit, check_version, load_case, require_staff
from cases.service_layer.stages import move
from ekm_platform.auth import Principal
from ekm_platform.errors import FailedPrecondition, NotFound
from ekm_platform.unit_of_work import UnitOfWork

EDITABLE_STAGES = (Stage.SCREENING, Stage.ASSESSMENT)


def _latest(uow, case_id, version=0) -> Assessment:
    found = uow.repo.latest_assessment(case_id, version)
    if found is None:
        raise NotFound("Оцінку потреб не знайдено / assessment not found")
    return found


def save_assessment(
    uow: UnitOfWork, principal: Principal, draft: Assessment, expected_case_version: int, submit: bool = False
) -> Assessment:
    """Save a draft (a new version when the latest was approved) and optionally submit it."""
    require_staff(principal)
    case = load_case(uow, principal, case_id=draft.case_id)
    check_version(case, expected_case_version)
    if case.stage not in EDITABLE_STAGES:
        raise FailedPrecondition("Оцінку змінюють на етапі оцінки / an assessment changes in the assessment stage")
    latest = uow.repo.latest_assessment(case.case_id)
    version = 1 if latest is None else latest.version + (latest.status is Status.APPROVED)
    if latest is not None and latest.status is Status.SUBMITTED and latest.version == version:
        raise FailedPrecondition("Оцінка подана на затвердження / the assessment awaits approval")
    assessment = replace(
        draft,
        version=version,
        status=Status.DRAFT,
        approved_by="",
        returned_by="",
        returned_reason="",
        contributions=latest.contributions if latest and latest.version == version else (),
    )
    validate_assessment(assessment)
    if submit:
        assessment = assessment.submit()
    uow.repo.save_case(case, expected_case_version)  # bumps the version: concurrent edits are refused
    uow.repo.save_assessment(assessment)
    uow.repo.add_history(
        case.person_id,
        "assessment",
        case.case_number,
        f"оцінка потреб, версія {version}: {uk(labels.ASSESSMENT_STATUS, assessment.status.value)}",
        "cases",
    )
    audit(uow, principal, "assessment.write", case, version=version)
    uow.commit()
    return assessment


def approve_assessment(uow: UnitOfWork, principal: Principal, case_id: str, version: int) -> Assessment:
    require_staff(principal, "supervisor")
    case = load_case(uow, principal, case_id=case_id)
    approved = _latest(uow, case.case_id, version).approve(principal.user_id)
    result = score(approved, case.screening_level)
    case.complexity = result.complexity
    uow.repo.save_assessment(approved)
    uow.repo.add_history(
        case.person_id,
        "assessment",
        case.case_number,
        f"оцінку потреб (версія {approved.version}) затверджено; складність: "
        f"{uk(labels.COMPLEXITY, result.complexity)}",
        "cases",
    )
    if case.stage is Stage.ASSESSMENT:  # the approved assessment moves the case on to planning
        move(uow, principal, case, Stage.PLANNING, case.version, reason="оцінку потреб затверджено")
    else:
        uow.repo.save_case(case, case.version)
    audit(uow, principal, "assessment.approve", case, version=approved.version)
    uow.publish(
        "case.assessment_approved",
        {"case_id": case.case_id, "version": approved.version, "complexity": result.complexity},
    )
    uow.commit()
    return approved


def get_assessment(uow: UnitOfWork, principal: Principal, case_id: str, version: int = 0) -> Assessment:
    require_staff(principal)
    case = load_case(uow, principal, case_id=case_id)
    assessment = _latest(uow, case.case_id, version)
    audit(uow, principal, "assessment.read", case, version=assessment.version)
    uow.commit()
    return assessment


def add_contribution(uow: UnitOfWork, principal: Principal, case_id: str, agency_code: str, text: str) -> Assessment:
    """Another agency's contribution, attached to the current version (partner access comes
    with interagency referrals; for now a case manager records it)."""
    require_staff(principal)
    case = load_case(uow, principal, case_id=case_id)
    require_open(case, "внесок іншої установи не додати")
    if not text.strip() or not agency_code.strip():
        from ekm_platform.errors import ValidationError

        raise ValidationError.single("text" if agency_code.strip() else "agency_code", "обов'язкове поле / required")
    assessment = _latest(uow, case.case_id).contribute(
        AgencyContribution(agency_code.strip(), principal.user_id, text.strip(), datetime.now(timezone.utc).isoformat())
    )
    uow.repo.save_assessment(assessment)
    audit(uow, principal, "assessment.contribution", case, agency_code=agency_code.strip())
    uow.commit()
    return assessment


def score_assessment(uow: UnitOfWork, principal: Principal, case_id: str) -> ScoringResult:
    require_staff(principal)
    case = load_case(uow, principal, case_id=case_id)
    result = score(_latest(uow, case.case_id), case.screening_level)
    audit(uow, principal, "assessment.score", case)
    uow.commit()
    return result
