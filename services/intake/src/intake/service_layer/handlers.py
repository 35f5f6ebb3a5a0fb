"""Intake's use cases. Each takes a unit of work; none knows about gRPC or nameko."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import asdict, replace

from ekm_platform.audit import AuditEntry
from ekm_platform.auth import Principal
from ekm_platform.dependencies import PermanentEventError
from ekm_platform.envelope import Envelope
from ekm_platform.errors import AlreadyExists, FailedPrecondition, NotFound, PermissionDenied, ValidationError
from ekm_platform.unit_of_work import UnitOfWork
from intake.domain import screening
from intake.domain.channels import channel_problem, source_reference_problem
from intake.domain.consultation import Consultation, HistoryEntry
from intake.domain.model import (
    Appeal,
    AppealState,
    Channel,
    DuplicateRequest,
    PersonData,
    ScreeningLevel,
    Submission,
    request_hash,
)
from intake.domain.routing import outreach_community
from intake.domain.validation import validate
from intake.service_layer import dedup, routing

APPEAL_ACCEPTED = "appeal.accepted"
APPEAL_RESCREENED = "appeal.rescreened"  # a case manager's override: cases opens a case if it now needs one
APPEAL_CONSULTED = "appeal.consulted"


SUBMITTED = "подання звернення / submitting an appeal"
STATUS_READ = "статус звернення для заявника / appeal status for the applicant"
OUTREACH = "проактивне звернення за сигналом реєстру / proactive outreach after a registry signal"
OUTREACH_ACTOR = ("registry_gateway", "service")  # who "submits" a proactive appeal
OUTREACH_COMMUNITY = os.environ.get("EKM_OUTREACH_COMMUNITY", "")


def submit_appeal(submission: Submission, uow: UnitOfWork, principal: Principal) -> Appeal:
    """Validate, route, store, audit and announce an appeal.

    Idempotent per (caller, ``client_request_id``): the same request again — or the same
    request sent concurrently — gets the stored appeal; a different request under a used key
    is refused (ALREADY_EXISTS). An appeal no community of the platform would own is refused.
    The channel must be the caller's (``channels.WHO_MAY``)."""
    check_submission(submission, principal.role)
    fingerprint = request_hash(submission)
    key = submission.client_request_id
    if key and (existing := uow.repo.by_client_request_id(principal.user_id, key)):
        return _replayed(existing, fingerprint)
    where = routing.route_submission(submission, principal, uow)  # a community, a region's queue, or refused
    appeal = routing.routed(
        Appeal.accept(
            submission, submitted_by=principal.user_id, submitter_role=principal.role, request_hash=fingerprint
        ),
        where,
    )
    appeal = dedup.merge_if_duplicate(appeal, uow)  # a near-duplicate follows the first appeal
    try:
        uow.repo.add(appeal)
    except DuplicateRequest:  # a concurrent call with the same key was stored first
        uow.rollback()
        existing = uow.repo.by_client_request_id(principal.user_id, key) if key else None
        if existing is None:
            raise
        return _replayed(existing, fingerprint)
    audit(
        uow,
        principal.user_id,
        principal.role,
        "appeal.write",
        appeal,
        SUBMITTED,
        channel=appeal.submission.channel.value,
        routing_basis=appeal.routing_basis,
        merged_into=appeal.merged_into,
        screening_rules=appeal.screening.rule_ids,
        rules_version=appeal.screening.rules_version,
    )
    _accepted_history(uow, appeal, principal.user_id, principal.role)
    if appeal.merged_into:
        dedup.merged_history(uow, appeal, principal.user_id, principal.role)
        uow.publish(dedup.APPEAL_MERGED, dedup.merged_event(appeal))
    elif where.queued:
        uow.publish(routing.APPEAL_REGION_QUEUED, routing.region_queued_event(appeal))
    else:
        uow.publish(APPEAL_ACCEPTED, appeal.accepted_event())
    uow.commit()
    return appeal


def check_submission(submission: Submission, role: str, proactive: bool = False) -> None:
    """Every problem of the request at once, each named by its field: the fields themselves,
    the channel (is it the caller's?) and the source reference."""
    extra = [
        p
        for p in (channel_problem(submission.channel, role), source_reference_problem(submission.source_reference))
        if p
    ]
    try:
        validate(submission, proactive=proactive)
    except ValidationError as exc:
        raise ValidationError(exc.violations + extra) from None
    if extra:
        raise ValidationError(extra)


def _accepted_history(uow: UnitOfWork, appeal: Appeal, actor_id: str, actor_role: str) -> None:
    d = appeal.screening
    channel = appeal.submission.channel.value
    uow.repo.add_history(
        HistoryEntry(
            appeal.appeal_id,
            "accepted",
            actor_id,
            actor_role,
            f"звернення прийнято ({channel}); скринінг за правилами {d.rules_version}: {d.outcome} — {d.explanation}",
            {"screening": d.as_dict(), "channel": channel, "source_reference": appeal.submission.source_reference},
            appeal.submitted_at,
        )
    )


def _replayed(existing: Appeal, fingerprint: str) -> Appeal:
    if existing.request_hash and existing.request_hash != fingerprint:
        raise AlreadyExists(
            "client_request_id: цей ключ уже використано для іншого звернення / "
            "this client_request_id was already used for a different appeal"
        )
    return existing.as_accepted()


OUTREACH_EVENTS = set(os.environ.get("EKM_OUTREACH_EVENTS", "registry.person.returned_from_service").split(","))


def open_outreach_appeal(event: Envelope, uow: UnitOfWork, fetch_subject) -> Appeal | None:
    """A configured registry signal (e.g. a service member just returned) becomes a
    proactive appeal, once per signal, so that the person gets contacted."""
    if event.event_type not in OUTREACH_EVENTS:
        return None
    signal_id = event.data.get("signal_id")
    if not signal_id:
        raise PermanentEventError("registry signal without signal_id")
    request_id = f"signal:{signal_id}"[:64]
    actor_id, actor_role = OUTREACH_ACTOR
    existing = uow.repo.by_client_request_id(actor_id, request_id)
    if existing:
        return existing
    community = outreach_community(OUTREACH_COMMUNITY, uow.repo.served_communities())
    if community is None:
        raise PermanentEventError(
            f"registry signal {signal_id}: no community to route the proactive appeal to "
            "(set EKM_OUTREACH_COMMUNITY to a served community)"
        )
    subject = fetch_subject(signal_id)  # before any write
    person = PersonData(**{k: subject["person"].get(k, "") for k in ("rnokpp", "unzr", "last_name", "first_name")})
    submission = Submission(
        applicant=person,
        subject=PersonData(),
        channel=Channel.REGISTRY_SIGNAL,
        applicant_is_subject=True,
        description=f"Проактивне звернення: {event.event_type} ({event.data.get('occurred_on', '')}) / "
        f"proactive outreach after a registry signal",
        consent_to_processing=False,
        client_request_id=request_id,
        community_code=community,
        source_reference=request_id,
    )
    try:
        validate(submission, proactive=True)
    except ValidationError as exc:
        raise PermanentEventError(f"registry signal {signal_id}: {exc.message}") from exc
    appeal = Appeal.accept(
        submission, submitted_by=actor_id, submitter_role=actor_role, request_hash=request_hash(submission)
    )
    uow.repo.add(appeal)
    audit(uow, actor_id, actor_role, "appeal.write", appeal, OUTREACH, signal_id=signal_id)
    _accepted_history(uow, appeal, actor_id, actor_role)
    uow.publish(APPEAL_ACCEPTED, appeal.accepted_event())
    return appeal


# ``case_access(actor, case_number) -> {"status": "ok" | "not_found" | ...}`` (cases.check_case_access)
CaseAccess = Callable[[dict, str], dict]


def appeal_status(
    tracking_number: str, uow: UnitOfWork, principal: Principal, case_access: CaseAccess | None = None
) -> Appeal:
    """The state of an appeal by tracking number. A recipient sees only their own appeals:
    the ones they submitted, or the one that opened their own case (asked of cases); any
    other tracking number is NOT_FOUND for them, exactly as an unknown one."""
    appeal = dedup.with_first_case(uow.repo.by_tracking_number(tracking_number.strip().upper()), uow)
    if appeal is None or not _may_see(appeal, principal, case_access, uow):
        raise NotFound(f"Звернення {tracking_number!r} не знайдено / appeal not found")
    audit(uow, principal.user_id, principal.role, "appeal.status_read", appeal, STATUS_READ)
    uow.commit()
    return appeal


def _may_see(appeal: Appeal, principal: Principal, case_access: CaseAccess | None, uow: UnitOfWork) -> bool:
    if principal.role != "recipient":
        return True
    if appeal.submitted_by and appeal.submitted_by == principal.user_id:
        return True
    if any(m.submitted_by == principal.user_id for m in uow.repo.merged_into(appeal.appeal_id)):
        return True  # they submitted a near-duplicate and were given this appeal's tracking number
    if not appeal.case_number or case_access is None:
        return False
    uow.rollback()  # no transaction is held across the network
    answer = case_access(principal.as_actor(), appeal.case_number) or {}
    return answer.get("status") == "ok" and answer.get("person_id") == principal.user_id


def record_case_opened(event: Envelope, uow: UnitOfWork) -> None:
    """``cases.case.opened``: the applicant can now see the case number."""
    appeal_id, case_number = event.data.get("appeal_id"), event.data.get("case_number")
    if not appeal_id or not case_number:
        raise PermanentEventError("case.opened without appeal_id or case_number")
    appeal = uow.repo.get(appeal_id)
    if appeal is None:
        raise PermanentEventError(f"case.opened for unknown appeal {appeal_id}")
    if appeal.case_number != case_number:
        linked = event.event_type != "case.opened"
        uow.repo.save_case(appeal.with_case(case_number, linked=linked))
        for merged in uow.repo.merged_into(appeal_id):  # near-duplicates follow the first appeal's case
            uow.repo.save_case(replace(merged, case_number=case_number))
        uow.repo.add_history(
            HistoryEntry(
                appeal_id,
                "case_linked" if linked else "case_opened",
                "cases",
                "service",
                f"звернення приєднано до випадку {case_number} / attached to case {case_number}"
                if linked
                else f"відкрито випадок {case_number} / case {case_number} opened",
                {"case_number": case_number},
            )
        )


def _appeal(appeal_id: str, uow: UnitOfWork) -> Appeal:
    appeal = uow.repo.get(appeal_id)
    if appeal is None:
        raise NotFound(f"Звернення {appeal_id} не знайдено / appeal not found")
    return appeal


SUBJECT_READ = "відкриття випадку за зверненням / opening a case for the appeal"
CONTACT_READ = "повідомлення заявнику / notifying the applicant"


def appeal_subject(appeal_id: str, uow: UnitOfWork, caller: str = "") -> dict:
    """The person an appeal is about, for the cases service (internal RPC); the read is
    audited with the calling service as the actor."""
    appeal = _appeal(appeal_id, uow)
    audit(uow, caller or "unknown", "service", "appeal.subject_read", appeal, SUBJECT_READ)
    uow.commit()
    return {
        "appeal_id": appeal_id,
        "person": asdict(appeal.submission.effective_subject),
        "community_code": appeal.submission.community_code,
        "screening_level": appeal.screening_level.value,
    }


def applicant_contact(appeal_id: str, uow: UnitOfWork, caller: str = "") -> dict:
    """How to reach the applicant, for the notifications service (internal RPC); the read
    is audited with the calling service as the actor."""
    appeal = _appeal(appeal_id, uow)
    audit(uow, caller or "unknown", "service", "appeal.contact_read", appeal, CONTACT_READ)
    uow.commit()
    s = appeal.submission
    return {
        "appeal_id": appeal_id,
        "tracking_number": appeal.tracking_number,
        "phone": s.applicant_phone,
        "email": s.applicant_email,
        "locale": "uk",
        "first_name": s.applicant.first_name,
    }


def applicant_contacts(appeal_ids: list[str], uow: UnitOfWork, caller: str = "") -> dict:
    """``applicant_contact`` for many appeals in one transaction: ``{appeal_id: contact | None}``
    (None: no such appeal). Each read is audited as ``applicant_contact`` audits it."""
    found: dict = {}
    for appeal_id in dict.fromkeys(appeal_ids[:1000]):
        appeal = uow.repo.get(appeal_id)
        if appeal is None:
            found[appeal_id] = None
            continue
        audit(uow, caller or "unknown", "service", "appeal.contact_read", appeal, CONTACT_READ)
        s = appeal.submission
        found[appeal_id] = {
            "appeal_id": appeal_id,
            "tracking_number": appeal.tracking_number,
            "phone": s.applicant_phone,
            "email": s.applicant_email,
            "locale": "uk",
        }
    uow.commit()
    return found


def audit(
    uow: UnitOfWork, actor_id: str, actor_role: str, action: str, appeal: Appeal, purpose: str, **details
) -> None:
    """One entry of intake's audit log: identifiers only (appeal id, tracking and case numbers)."""
    uow.audit(
        AuditEntry(
            actor_id,
            actor_role,
            action,
            "appeal",
            appeal.appeal_id,
            purpose[:200],
            {"tracking_number": appeal.tracking_number, "case_number": appeal.case_number, **details},
        )
    )


CASE_APPEAL_VIEW = "картка випадку: звернення / the case's appeal, for its case worker"


def appeal_details(appeal_id: str, principal: Principal, uow: UnitOfWork) -> dict | None:
    """What the case worker needs to see of an appeal, for the cases service (internal RPC:
    cases checks the caller's relation to the case before it asks). None for an unknown appeal.
    The read is audited with the person who asked (``principal``), in intake's own log."""
    appeal = uow.repo.get(appeal_id)
    if appeal is None:
        return None
    s = appeal.submission
    audit(uow, principal.user_id, principal.role, "appeal.read", appeal, CASE_APPEAL_VIEW)
    uow.commit()
    applicant = s.applicant
    return {
        "appeal_id": appeal.appeal_id,
        "tracking_number": appeal.tracking_number,
        "case_number": appeal.case_number,
        "state": appeal.state.value,
        "screening_level": appeal.screening_level.value,
        "urgent": s.urgent,
        "channel": s.channel.value,
        "community_code": s.community_code,
        "description": s.description,
        # where it came from: a call or visit number, a bot's conversation, a referral, "signal:<id>"
        "source_reference": s.source_reference or (s.client_request_id if s.channel is Channel.REGISTRY_SIGNAL else ""),
        "submitted_at": appeal.submitted_at.isoformat(),
        "applicant": {
            "last_name": applicant.last_name,
            "first_name": applicant.first_name,
            "patronymic": applicant.patronymic,
            "is_subject": s.applicant_is_subject,
            "relation_to_subject": s.relation_to_subject,
        },
        "contact": {"phone": s.applicant_phone, "email": s.applicant_email},
    }


def appeal_case_number(appeal_id: str, uow: UnitOfWork) -> str | None:
    """The case the appeal opened or was attached to; None while there is none (or no such appeal)."""
    appeal = dedup.with_first_case(uow.repo.get(appeal_id), uow)
    return (appeal.case_number or None) if appeal else None


# --- screening overrides, consultations, the appeal's history, the recipient cabinet --------

OVERRIDERS = ("case_manager", "supervisor")
COMMUNITY_STAFF = ("operator", "case_manager", "supervisor")
OVERRIDE = "зміна рішення скринінгу / overriding the screening decision"
CONSULTED = "консультація за зверненням / a consultation answering the appeal"
HISTORY_READ = "історія звернення / the appeal's history"
MY_APPEALS = "кабінет отримувача: мої звернення / recipient cabinet: my appeals"


def _community_appeal(uow: UnitOfWork, principal: Principal, tracking_number: str, roles: tuple) -> Appeal:
    """The appeal, for staff of its community only: another community's appeal is NOT_FOUND,
    exactly as an unknown one (its existence is not revealed)."""
    if principal.role not in roles:
        raise PermissionDenied("Недостатньо прав / not allowed for this role")
    appeal = uow.repo.by_tracking_number(tracking_number.strip().upper())
    if appeal is None or not principal.community_code or appeal.submission.community_code != principal.community_code:
        raise NotFound(f"Звернення {tracking_number!r} не знайдено / appeal not found")
    return appeal


def _decision_of(appeal: Appeal) -> screening.ScreeningDecision:
    """The decision in force; an appeal stored before screening was recorded gets its level
    as a decision without fired rules."""
    return appeal.screening or screening.ScreeningDecision(appeal.screening_level.value, "", ())


def override_screening(uow: UnitOfWork, principal: Principal, tracking_number: str, level: str, reason: str) -> Appeal:
    """A case manager's screening outcome instead of the table's, with a reason: audited, in
    the appeal's history, announced (``appeal.rescreened``) so that cases opens a case when
    the appeal now needs one. Refused once the appeal has a case (the case's priority is
    then changed in cases)."""
    appeal = _community_appeal(uow, principal, tracking_number, OVERRIDERS)
    decision = screening.override(_decision_of(appeal), level, principal.user_id, reason)  # validates
    if appeal.case_number:
        raise FailedPrecondition(
            f"Для звернення вже відкрито випадок {appeal.case_number}: рівень змінюють у "
            f"випадку / the appeal has a case already: change it in the case"
        )
    changed = appeal.rescreened(decision)
    uow.repo.save_screening(changed)
    uow.repo.add_history(
        HistoryEntry(
            appeal.appeal_id,
            "screening.overridden",
            principal.user_id,
            principal.role,
            f"рівень скринінгу змінено з {decision.previous} на {decision.outcome}: {decision.reason} / "
            f"screening changed from {decision.previous} to {decision.outcome}: {decision.reason}",
            {"screening": decision.as_dict()},
            decision.decided_at,
        )
    )
    audit(
        uow,
        principal.user_id,
        principal.role,
        "appeal.screening_override",
        changed,
        OVERRIDE,
        previous=decision.previous,
        screening_level=decision.outcome,
    )
    uow.publish(
        APPEAL_RESCREENED,
        {**changed.accepted_event(), "previous_level": decision.previous, "decided_by": principal.user_id},
    )
    uow.commit()
    return changed


def record_consultation(
    uow: UnitOfWork, principal: Principal, tracking_number: str, advice: str, topics=()
) -> tuple[Appeal, Consultation]:
    """An information-level appeal answered: what was advised, by whom. The appeal becomes
    CONSULTED; no case is opened. Staff of the appeal's community."""
    appeal = _community_appeal(uow, principal, tracking_number, COMMUNITY_STAFF)
    consultation = Consultation.give(appeal.appeal_id, advice, topics, principal.user_id, principal.role)
    if appeal.screening_level is not ScreeningLevel.INFORMATION or appeal.case_number:
        raise FailedPrecondition(
            "Консультацією відповідають лише на звернення рівня «інформування» без випадку "
            "(спершу змініть рішення скринінгу) / only an information-level appeal without a "
            "case is answered with a consultation (override the screening first)"
        )
    if appeal.state is AppealState.CONSULTED:
        raise AlreadyExists("На звернення вже надано консультацію / the appeal was answered already")
    try:
        uow.repo.add_consultation(consultation)
    except DuplicateRequest:
        uow.rollback()
        raise AlreadyExists("На звернення вже надано консультацію / the appeal was answered already") from None
    consulted = appeal.consulted(consultation.advised_at)
    uow.repo.save_state(consulted)
    uow.repo.add_history(
        HistoryEntry(
            appeal.appeal_id,
            "consulted",
            principal.user_id,
            principal.role,
            "надано консультацію; випадок не відкривається / consultation given; no case is opened",
            {"topics": list(consultation.topics)},
            consultation.advised_at,
        )
    )
    audit(uow, principal.user_id, principal.role, "appeal.consulted", consulted, CONSULTED)
    uow.publish(
        APPEAL_CONSULTED,
        {
            "appeal_id": appeal.appeal_id,
            "tracking_number": appeal.tracking_number,
            "community_code": appeal.submission.community_code,
            "advised_by": principal.user_id,
        },
    )
    uow.commit()
    return consulted, consultation


def appeal_history(uow: UnitOfWork, principal: Principal, tracking_number: str):
    """(appeal, every decision oldest first, the consultation or None, history entries)."""
    appeal = _community_appeal(uow, principal, tracking_number, COMMUNITY_STAFF)
    entries = uow.repo.history(appeal.appeal_id)
    decisions = [
        screening.ScreeningDecision.from_dict(e.details["screening"]) for e in entries if "screening" in e.details
    ]
    consultation = uow.repo.consultation(appeal.appeal_id)
    audit(uow, principal.user_id, principal.role, "appeal.history_read", appeal, HISTORY_READ)
    uow.commit()
    return appeal, decisions or [_decision_of(appeal)], consultation, entries


def my_appeals(uow: UnitOfWork, principal: Principal, limit: int = 20) -> list[Appeal]:
    """The recipient cabinet: the appeals this recipient submitted, newest first."""
    if principal.role != "recipient":
        raise PermissionDenied("Лише для отримувача / recipients only")
    if not 1 <= limit <= 100:
        raise ValidationError.single("page_size", "від 1 до 100 / between 1 and 100")
    found = uow.repo.submitted_by(principal.user_id, limit)
    for appeal in found:
        audit(uow, principal.user_id, principal.role, "appeal.status_read", appeal, MY_APPEALS)
    uow.commit()
    return found
