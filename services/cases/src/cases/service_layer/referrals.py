"""What cases does for the interagency service's referrals and case conferences.

- ``person_data_for_agency``: the fields of a referred person an agency may see — the contact
  fields always, the rest only for the data categories of the person's active consent (purpose
  ``referral``, recipient the agency's code) — audited in cases' log (``person.shared``);
- ``add_plan_steps``: a case conference's decisions as steps of the case's current plan, under
  the plan's rules (a known goal, who, by when; an agreed plan gets a new version that is
  approved and agreed again), audited and in the social history; the same step ids again add
  nothing;
- ``mark_agency_step``: an agency marks done a plan step the plan gives to it (a shared task);
- ``apply_referral_event``: every transition of a referral (``interagency.referral.*``) in the
  person's social history, once per referral and status (identifiers and codes only).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone

from cases.domain import labels
from cases.domain.assessment import Domain
from cases.domain.plan import NO_SIGN_OFF, Step, validate_plan
from cases.service_layer.access import audit, load_case, require_staff
from cases.service_layer.consents import active_consent
from cases.service_layer.plans import PLAN_STAGES, missing_step_before_plan
from ekm.interagency.v1 import interagency_pb2
from ekm_platform.auth import Principal
from ekm_platform.codes import CodeList
from ekm_platform.dependencies import PermanentEventError
from ekm_platform.envelope import Envelope
from ekm_platform.errors import FailedPrecondition, NotFound, PermissionDenied, ValidationError
from ekm_platform.sharing import filter_fields
from ekm_platform.unit_of_work import UnitOfWork

SECTOR = CodeList(interagency_pb2.Sector)
STATE = CodeList(interagency_pb2.ReferralState)
REASON = CodeList(interagency_pb2.RejectionReason)
NOT_FOUND = {"status": "not_found"}
SHARE_PURPOSE = "направлення до установи-партнера / referral to a partner agency"


def _uk(codes: CodeList, code: str) -> str:
    return codes.label(code).split(" / ")[0]


def _person_fields(uow: UnitOfWork, case) -> dict:
    person = uow.repo.get_person(case.person_id)
    household = uow.repo.household_of(case.case_id)
    latest = uow.repo.latest_assessment(case.case_id)
    data = {
        "last_name": person.last_name,
        "first_name": person.first_name,
        "patronymic": person.patronymic,
        "phone": person.phone,
        "rnokpp": person.rnokpp,
        "unzr": person.unzr,
        "birth_date": person.birth_date,
        "email": person.email,
        "address": household[1] if household else "",
        "disability_group": person.disability_group,
        "veteran_statuses": list(person.veteran_statuses),
        "household": [
            {
                "full_name": m.get("full_name", ""),
                "relation": m.get("relation", ""),
                "birth_date": m.get("birth_date", ""),
            }
            for m in (household[2] if household else ())
        ],
        "case_stage": case.stage.value,
    }
    if latest is not None:
        data.update(
            health_need_level=latest.level(Domain.HEALTH),
            mental_health_need_level=latest.level(Domain.MENTAL_HEALTH),
            housing_need_level=latest.level(Domain.HOUSING),
        )
    return data


def _agency(actor: dict) -> Principal | None:
    """The partner agency acting (a ``partner_agency`` with its organisation), or None."""
    try:
        principal = Principal.from_actor(actor)
    except PermissionDenied:
        return None
    return principal if principal.role == "partner_agency" and principal.organisation else None


def person_data_for_agency(uow: UnitOfWork, actor: dict, case_number: str, categories) -> dict:
    """The referred person as the agency (``actor.organisation``) may see them. The categories
    asked are cut to those of the person's active consent for this agency, whatever was asked."""
    principal = _agency(actor)
    if principal is None:
        return NOT_FOUND
    case = uow.repo.get(case_number=str(case_number or "").strip().upper()) if case_number else None
    if case is None:
        return NOT_FOUND
    consent = active_consent(uow, case.person_id, "referral", principal.organisation)
    consented = set(consent["data_categories"]) if consent else set()
    granted = sorted(set(categories or ()) & consented)
    shared = filter_fields(_person_fields(uow, case), granted)
    audit(
        uow,
        principal,
        "person.shared",
        case,
        SHARE_PURPOSE,
        agency_code=principal.organisation,
        consent_id=consent["consent_id"] if consent else "",
        categories=granted,
        fields=sorted(shared),
    )
    uow.commit()
    return {
        "status": "ok",
        "consent_id": consent["consent_id"] if consent else "",
        "categories": granted,
        "person": shared,
    }


def add_plan_steps(uow: UnitOfWork, actor: dict, case_number: str, steps: list, source: str) -> dict:
    """Steps (dicts: step_id, goal_id, what, responsible_kind, responsible_ref, due_on) added to
    the case's current plan by whoever may change it. Answers ``{"status": "ok", "plan_version",
    "added"}``, ``not_found``, ``failed_precondition`` (with ``message``) or ``invalid`` (with
    ``violations``); nothing is stored unless ok."""
    try:
        principal = Principal.from_actor(actor)
        require_staff(principal)
        case = load_case(uow, principal, case_number=str(case_number or ""))
    except (PermissionDenied, NotFound):
        return NOT_FOUND
    if not case.is_open or case.stage not in PLAN_STAGES:
        return {"status": "failed_precondition", "message": missing_step_before_plan(uow, case)}
    plan = uow.repo.latest_plan(case.case_id)
    if plan is None:
        return {
            "status": "failed_precondition",
            "message": "У випадку ще немає плану: спершу складіть його / the case has no plan yet: save one first",
        }
    try:
        wanted = [
            Step(
                step_id=str(s["step_id"]),
                goal_id=str(s["goal_id"]),
                what=str(s["what"]),
                responsible_kind=str(s["responsible_kind"]),
                responsible_ref=str(s.get("responsible_ref", "")),
                due_on=str(s["due_on"]),
            )
            for s in steps
        ]
    except (KeyError, TypeError):
        return {
            "status": "invalid",
            "message": "кроки без обов'язкових полів / steps without required fields",
            "violations": [],
        }
    present = {s.step_id for s in plan.steps}
    new = [s for s in wanted if s.step_id not in present]
    if not new:
        return {"status": "ok", "plan_version": plan.version, "added": []}
    version = plan.version + plan.agreed  # an agreed plan is not changed: its next version is
    candidate = replace(plan, version=version, steps=plan.steps + tuple(new), **NO_SIGN_OFF)
    try:
        validate_plan(candidate, uow.repo.latest_assessment(case.case_id))
    except ValidationError as exc:
        first = len(plan.steps)
        return {
            "status": "invalid",
            "message": exc.message,
            "violations": [{"field": _renumber(v.field, first), "description": v.description} for v in exc.violations],
        }
    uow.repo.save_case(case, case.version)
    uow.repo.save_plan(candidate)
    uow.repo.add_history(
        case.person_id,
        "plan",
        case.case_number,
        f"план v{version}: {len(new)} крок(и) з міждисциплінарної наради; потрібні затвердження "
        f"і згода особи / steps from a case conference",
        "interagency",
    )
    audit(
        uow,
        principal,
        "plan.steps_added",
        case,
        source=str(source)[:80],
        version=version,
        step_ids=[s.step_id for s in new],
    )
    uow.commit()
    return {"status": "ok", "plan_version": version, "added": [s.step_id for s in new]}


def _renumber(field: str, first: int) -> str:
    """``steps[7].goal_id`` of the whole plan → ``steps[1].goal_id`` of the steps sent."""
    if field.startswith("steps["):
        index, _, rest = field[6:].partition("]")
        if index.isdigit() and int(index) >= first:
            return f"steps[{int(index) - first}]{rest}"
    return field


def apply_referral_event(event: Envelope, uow: UnitOfWork) -> bool:
    """``interagency.referral.<status>``: one social-history line per referral and status."""
    data = event.data
    referral_id = str(data.get("referral_id", ""))
    # events published before the closed loop carried no status: their type says it
    status = str(
        data.get("status")
        or {"created": "in_progress"}.get(event.event_type.rpartition(".")[2], event.event_type.rpartition(".")[2])
    )
    case = uow.repo.get(case_number=str(data.get("case_number", "")).upper())
    if case is None or not referral_id or status not in STATE.codes:
        raise PermanentEventError("referral event without a known case, referral_id or status")
    source_id = f"referral:{referral_id}:{status}"
    if uow.repo.history_seen(source_id):
        return False
    try:
        at = datetime.fromisoformat(str(data["at"]))
    except (KeyError, ValueError):
        at = datetime.now(timezone.utc)
    line = f"направлення до установи {data.get('agency_code', '')}"
    if data.get("sector"):
        line += f" ({_uk(SECTOR, str(data['sector']))})"
    line += f": {_uk(STATE, status)}"
    if data.get("reason_code"):
        line += f" — {_uk(REASON, str(data['reason_code']))}"
    if status == "completed" and "success" in data:
        line += ", потребу задоволено" if data["success"] else ", потребу не задоволено"
    if data.get("by_role"):
        line += f"; хто: {labels.ROLE.get(str(data['by_role']), str(data['by_role']))}"
    uow.repo.add_history(
        case.person_id,
        "referral",
        referral_id,
        f"{line} / referral {status}",
        "interagency",
        source_id=source_id,
        at=at,
    )
    return True


def mark_agency_step(uow: UnitOfWork, actor: dict, case_number: str, step_id: str) -> dict:
    """A partner agency marks done a step of the case's current plan that names it as responsible
    (``responsible_kind`` agency, ``responsible_ref`` its code). Any other step, or another
    agency's, is ``not_found``; a step already done or a closed case ``failed_precondition``."""
    principal = _agency(actor)
    if principal is None:
        return NOT_FOUND
    case = uow.repo.get(case_number=str(case_number or "").strip().upper()) if case_number else None
    plan = uow.repo.latest_plan(case.case_id) if case is not None else None
    step = next((s for s in plan.steps if s.step_id == step_id), None) if plan is not None else None
    if step is None or step.responsible_kind != "agency" or step.responsible_ref != principal.organisation:
        return NOT_FOUND
    if not case.is_open:
        return {"status": "failed_precondition", "message": "Випадок закрито / the case is closed"}
    try:
        done = plan.mark_step_done(step_id, principal.role)
    except FailedPrecondition as exc:
        return {"status": "failed_precondition", "message": exc.message}
    uow.repo.save_plan(done)
    uow.repo.add_history(
        case.person_id,
        "plan",
        case.case_number,
        f"крок плану {step_id} виконано установою {principal.organisation} / a plan step done by the agency",
        "interagency",
        source_id=f"step:{case.case_id}:{plan.version}:{step_id}:done"[:128],
    )
    audit(uow, principal, "plan.step_done", case, step_id=step_id, agency_code=principal.organisation)
    uow.commit()
    return {"status": "ok", "plan_version": plan.version}
