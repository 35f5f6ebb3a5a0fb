"""The interagency service's referral use cases. None knows about gRPC or nameko."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timezone

from ekm_platform.audit import AuditEntry
from ekm_platform.auth import Principal
from ekm_platform.case_access import CaseCheck, require_case
from ekm_platform.errors import AlreadyExists, FailedPrecondition, NotFound, PermissionDenied, ValidationError
from ekm_platform.sharing import filter_fields
from ekm_platform.unit_of_work import UnitOfWork
from interagency.domain.model import (
    Referral,
    ReferralState,
    Sector,
    Transition,
    deadlines,
    validate_complete_by,
    validate_referral,
)

REFERRAL_CREATED = "referral.created"
REFERRAL_NOT_FOUND = "Направлення не знайдено / referral not found"
PURPOSE = "міжвідомча взаємодія / interagency referral"
STAFF = ("case_manager", "supervisor")
SHARED_STATES = (ReferralState.IN_PROGRESS, ReferralState.ACCEPTED)

# ``check_case_access(actor, case_number) -> dict`` asks the cases service (see
# ekm_platform.case_access): may this caller see the case (own case; a supervisor's team).
# ``active_consent(person_id, purpose, recipient) -> dict | None`` and
# ``person_data(actor, case_number, categories) -> dict`` ask cases too (see sharing).
ConsentSource = Callable[[str, str, str], "dict | None"]
PersonSource = Callable[[dict, str, list], dict]


def _days(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    try:
        days = int(value) if value else default
    except ValueError:
        raise ValueError(f"{name} must be a whole number of days, not {value!r}") from None
    if not 1 <= days <= 366:
        raise ValueError(f"{name} must be between 1 and 366 days, not {days}")
    return days


def response_days() -> int:
    """``EKM_REFERRAL_RESPONSE_DAYS`` (default 5): the agency accepts or rejects within it."""
    return _days("EKM_REFERRAL_RESPONSE_DAYS", 5)


def completion_days() -> int:
    """``EKM_REFERRAL_COMPLETION_DAYS`` (default 30): the action is done within it unless the
    case manager asked for another date."""
    return _days("EKM_REFERRAL_COMPLETION_DAYS", 30)


def create_referral(
    uow: UnitOfWork,
    check_case_access: CaseCheck,
    principal: Principal,
    case_number: str,
    sector: Sector | None,
    agency_code: str,
    reason: str,
    client_request_id: str = "",
    action: str = "",
    complete_by: str = "",
) -> Referral:
    """A referral of a case the caller may see, to a known agency; another manager's case or an
    unknown one is NOT_FOUND, a closed one FAILED_PRECONDITION, and nothing is stored or published
    then. The sector is the agency's (a request naming another sector is refused)."""
    agency = uow.repo.get_agency(agency_code.strip()) if agency_code.strip() else None
    if agency is not None and agency.active and sector is None:
        sector = agency.sector
    if agency is None or not agency.active:
        validate_referral(case_number, sector or Sector.HEALTH, agency_code, reason, action)  # the other fields
        raise ValidationError.single("agency_code", "невідома установа / unknown agency (see ListAgencies)")
    validate_referral(case_number, sector, agency_code, reason, action)
    if sector is not agency.sector:
        raise ValidationError.single(
            "sector",
            f"установа {agency.agency_code} належить до сектору "
            f"{agency.sector.value} / the agency's sector is {agency.sector.value}",
        )
    now = datetime.now(timezone.utc)
    validate_complete_by(complete_by, now.date())
    case = require_case(check_case_access, principal.as_actor(), case_number)
    if client_request_id:
        existing = uow.repo.by_client_request_id(client_request_id)
        if existing:
            if existing.case_number != case["case_number"] or existing.created_by != principal.user_id:
                raise AlreadyExists(
                    "Ідентифікатор запиту вже використано для іншого направлення / "
                    "client_request_id was already used for another referral"
                )
            return existing
    if case.get("stage") == "closed":
        raise FailedPrecondition(f"Випадок {case['case_number']} закрито / the case is closed")
    respond_by, complete_by = deadlines(now, response_days(), complete_by, completion_days())
    referral = Referral(
        case_number=case["case_number"],
        sector=sector,
        agency_code=agency.agency_code,
        reason=reason.strip(),
        created_by=principal.user_id,
        client_request_id=client_request_id,
        created_at=now,
        person_id=str(case.get("person_id") or ""),
        action=action.strip(),
        respond_by=respond_by,
        complete_by=complete_by,
        updated_at=now,
    )
    uow.repo.add(referral)
    uow.repo.add_transition(
        Transition(
            referral.referral_id,
            "",
            referral.state.value,
            now,
            principal.user_id,
            principal.role,
            principal.organisation,
        )
    )
    uow.publish(REFERRAL_CREATED, {**referral.created_event(), "by_role": principal.role})
    audit(uow, principal, "referral.create", referral, case_id=case.get("case_id", ""))
    uow.commit()
    return referral


def _visible(uow: UnitOfWork, check_case_access: CaseCheck, principal: Principal, referral_id: str) -> Referral:
    """A partner agency sees only referrals addressed to it (its token's organisation); staff only
    the referrals of cases they may see (own case; a supervisor's team); an operator identifiers.
    Anything else is NOT_FOUND, as an unknown referral is."""
    referral = uow.repo.get(referral_id.strip()) if referral_id.strip() else None
    if referral is None:
        raise NotFound(REFERRAL_NOT_FOUND)
    if principal.role == "partner_agency":
        if not principal.organisation or referral.agency_code != principal.organisation:
            raise NotFound(REFERRAL_NOT_FOUND)
    elif principal.role in (*STAFF, "operator"):
        try:
            require_case(check_case_access, principal.as_actor(), referral.case_number)
        except NotFound:
            raise NotFound(REFERRAL_NOT_FOUND) from None
    else:
        raise NotFound(REFERRAL_NOT_FOUND)
    return referral


def get_referral(uow: UnitOfWork, check_case_access: CaseCheck, principal: Principal, referral_id: str) -> Referral:
    referral = _visible(uow, check_case_access, principal, referral_id)
    audit(uow, principal, "referral.read", referral)
    uow.commit()
    return identifiers_for(principal, referral)


def referral_details(
    uow: UnitOfWork,
    check_case_access: CaseCheck,
    principal: Principal,
    referral_id: str,
    active_consent: ConsentSource | None = None,
    person_data: PersonSource | None = None,
) -> tuple[Referral, list[Transition], dict]:
    """The referral, its transitions and — for the agency it is addressed to, while it is in
    progress or accepted — the person as their consent allows: the fields of the data categories
    of their active consent (purpose referral, recipient this agency), else only the contact
    fields. The consent is asked at every read (a withdrawn one shares nothing more); every read
    by an agency is audited with the categories it saw."""
    referral = _visible(uow, check_case_access, principal, referral_id)
    shared: dict = {}
    if principal.role == "partner_agency" and referral.state in SHARED_STATES and active_consent and person_data:
        consent = active_consent(referral.person_id, "referral", referral.agency_code) if referral.person_id else None
        categories = sorted(consent.get("data_categories") or ()) if consent else []
        answer = person_data(principal.as_actor(), referral.case_number, categories) or {}
        if answer.get("status") != "ok":
            raise NotFound(REFERRAL_NOT_FOUND)
        granted = [c for c in answer.get("categories", ()) if c in categories]
        shared = {
            "consent_id": consent.get("consent_id", "") if consent else "",
            "categories": granted,
            "person": filter_fields(answer.get("person"), granted),
        }
        audit(
            uow,
            principal,
            "referral.person_shared",
            referral,
            consent_id=shared["consent_id"],
            categories=granted,
            fields=sorted(shared["person"]),
        )
    else:
        audit(uow, principal, "referral.read", referral)
    transitions = uow.repo.transitions(referral.referral_id)
    uow.commit()
    if principal.role == "operator":
        transitions = [replace(t, note="") for t in transitions]
    return identifiers_for(principal, referral), transitions, shared


def identifiers_for(principal: Principal, referral: Referral) -> Referral:
    """An operator sees identifiers, states and dates only: the need, the action and the outcome
    (the case manager's and the agency's words) are blanked."""
    if principal.role != "operator":
        return referral
    return replace(referral, reason="", action="", outcome="")


def list_referrals(
    uow: UnitOfWork,
    check_case_access: CaseCheck,
    principal: Principal,
    case_number: str = "",
    states: tuple[str, ...] = (),
    offset: int = 0,
    limit: int = 50,
) -> list[Referral]:
    """An agency's inbox (only referrals addressed to its organisation), or a case's referrals
    for whoever may see the case."""
    if not 1 <= limit <= 200:
        raise ValidationError.single("page_size", "від 1 до 200 / between 1 and 200")
    unknown = set(states) - {s.value for s in ReferralState}
    if unknown:
        raise ValidationError.single("states", "невідомий стан / unknown state")
    if principal.role == "partner_agency":
        if not principal.organisation:
            raise PermissionDenied("Токен установи без організації / an agency token without its organisation")
        found = uow.repo.list(
            agency_code=principal.organisation,
            states=states,
            offset=offset,
            limit=limit,
            case_numbers=[case_number.strip().upper()] if case_number.strip() else None,
        )
    elif principal.role in (*STAFF, "operator"):
        if not case_number.strip():
            raise ValidationError.single("case_number", "обов'язкове поле / required")
        case = require_case(check_case_access, principal.as_actor(), case_number)
        found = uow.repo.list(case_numbers=[case["case_number"]], states=states, offset=offset, limit=limit)
    else:
        raise PermissionDenied("Роль не може бачити направлень / this role sees no referrals")
    found = [identifiers_for(principal, r) for r in found]
    if principal.role == "partner_agency" or (found and principal.role != "operator"):  # every agency access
        uow.audit(
            AuditEntry(
                principal.user_id,
                principal.role,
                "referral.list",
                "referrals",
                principal.organisation or case_number.strip().upper(),
                PURPOSE,
                {"referral_ids": [r.referral_id for r in found]},
            )
        )
        uow.commit()
    return found


def _answer(
    uow: UnitOfWork, principal: Principal, referral: Referral, moved: tuple[Referral, Transition], action: str
) -> Referral:
    after, transition = moved
    if not uow.repo.save_transition(referral, after, transition):
        raise FailedPrecondition(
            "Направлення щойно змінили; оновіть і повторіть / the referral changed meanwhile; reload and retry"
        )
    uow.publish(f"referral.{after.state.value}", after.transition_event(transition))
    audit(
        uow,
        principal,
        action,
        after,
        from_state=transition.from_state,
        to_state=transition.to_state,
        reason_code=transition.reason_code,
    )
    uow.commit()
    return after


def _addressed(uow: UnitOfWork, principal: Principal, referral_id: str) -> Referral:
    if principal.role != "partner_agency":
        raise PermissionDenied(
            "Відповідає лише установа, якій адресовано направлення / only the agency the "
            "referral is addressed to answers it"
        )
    return _visible(uow, None, principal, referral_id)


def accept_referral(uow: UnitOfWork, principal: Principal, referral_id: str, note: str = "") -> Referral:
    """The agency accepts; twice, or after a revocation, is FAILED_PRECONDITION."""
    referral = _addressed(uow, principal, referral_id)
    return _answer(
        uow, principal, referral, referral.accept(principal.user_id, principal.organisation, note), "referral.accept"
    )


def reject_referral(
    uow: UnitOfWork, principal: Principal, referral_id: str, reason_code: str, note: str = ""
) -> Referral:
    referral = _addressed(uow, principal, referral_id)
    return _answer(
        uow,
        principal,
        referral,
        referral.reject(principal.user_id, principal.organisation, reason_code, note),
        "referral.reject",
    )


def complete_referral(uow: UnitOfWork, principal: Principal, referral_id: str, outcome: str, success: bool) -> Referral:
    referral = _addressed(uow, principal, referral_id)
    return _answer(
        uow,
        principal,
        referral,
        referral.complete(principal.user_id, principal.organisation, outcome, success),
        "referral.complete",
    )


def revoke_referral(
    uow: UnitOfWork, check_case_access: CaseCheck, principal: Principal, referral_id: str, reason: str
) -> Referral:
    """The case manager (or their supervisor) revokes a referral of a case they may see."""
    if principal.role not in STAFF:
        raise PermissionDenied("Відкликає кейс-менеджер випадку / the case's manager revokes a referral")
    referral = _visible(uow, check_case_access, principal, referral_id)
    return _answer(
        uow, principal, referral, referral.revoke(principal.user_id, principal.role, reason), "referral.revoke"
    )


HEALTH_ONLY = (
    "Обмін FHIR — лише для направлень до закладів охорони здоров'я / FHIR exchange is for health referrals only"
)


def export_fhir(uow: UnitOfWork, check_case_access: CaseCheck, principal: Principal, referral_id: str) -> Referral:
    """The referral (health sector only) for FHIR export, to whoever may see it; audited."""
    referral = _visible(uow, check_case_access, principal, referral_id)
    if referral.sector is not Sector.HEALTH:
        raise FailedPrecondition(HEALTH_ONLY)
    audit(uow, principal, "referral.fhir_export", referral)
    uow.commit()
    return referral


def import_fhir(uow: UnitOfWork, check_case_access: CaseCheck, principal: Principal, parsed) -> Referral:
    """A FHIR document about a health referral (``interagency.adapters.fhir.parse``):
    - from the agency: its Task's status answers the referral (accepted, rejected with a coded
      reason, completed with outcome and success), under the same rules as the RPCs; a Task
      saying what the referral already says changes nothing;
    - from a case manager: a Bundle for a referral not yet here creates it (once: a second import
      returns the same referral); a cancelled Task revokes it."""
    existing = uow.repo.get(parsed.referral_id) if parsed.referral_id else None
    if existing is None and principal.role in STAFF and parsed.has_service_request:
        if parsed.sector not in (None, Sector.HEALTH):
            raise FailedPrecondition(HEALTH_ONLY)
        return create_referral(
            uow,
            check_case_access,
            principal,
            parsed.case_number,
            Sector.HEALTH,
            parsed.agency_code,
            parsed.need,
            client_request_id=f"fhir:{parsed.referral_id}"[:64],
            action=parsed.action if parsed.action != parsed.need else "",
            complete_by=parsed.complete_by
            if parsed.complete_by >= datetime.now(timezone.utc).date().isoformat()
            else "",
        )
    if existing is None and principal.role in STAFF and parsed.referral_id:
        by_request = uow.repo.by_client_request_id(f"fhir:{parsed.referral_id}"[:64])
        existing = by_request
    if existing is None:
        raise NotFound(REFERRAL_NOT_FOUND)
    referral = _visible(uow, check_case_access, principal, existing.referral_id)
    if referral.sector is not Sector.HEALTH:
        raise FailedPrecondition(HEALTH_ONLY)
    if not parsed.has_task or parsed.state in (None, referral.state):
        return referral
    if parsed.state is ReferralState.REVOKED:
        return revoke_referral(
            uow,
            check_case_access,
            principal,
            referral.referral_id,
            parsed.note or "відкликано через FHIR / revoked through FHIR",
        )
    if parsed.state is ReferralState.ACCEPTED:
        return accept_referral(uow, principal, referral.referral_id)
    if parsed.state is ReferralState.REJECTED:
        return reject_referral(
            uow,
            principal,
            referral.referral_id,
            parsed.reason_code or "other",
            parsed.note or ("FHIR Task rejected" if not parsed.reason_code else ""),
        )
    if parsed.state is ReferralState.COMPLETED:
        if parsed.success is None:
            raise ValidationError.single("json", "Task.output success (valueBoolean) обов'язковий / is required")
        return complete_referral(uow, principal, referral.referral_id, parsed.outcome, parsed.success)
    raise FailedPrecondition("Стан завдання не можна застосувати / the Task status cannot be applied")


def audit(uow: UnitOfWork, principal: Principal, action: str, referral: Referral, **details) -> None:
    """One entry of interagency's hash-chained audit log: identifiers only (the reason stays out)."""
    uow.audit(
        AuditEntry(
            principal.user_id,
            principal.role,
            action,
            "referral",
            referral.referral_id,
            PURPOSE,
            {
                "case_number": referral.case_number,
                "agency_code": referral.agency_code,
                "sector": referral.sector.value,
                **details,
            },
        )
    )
