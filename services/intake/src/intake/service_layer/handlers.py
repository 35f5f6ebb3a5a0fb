"""Intake's use cases. Each takes a unit of work; none knows about gRPC or nameko."""
from __future__ import annotations

import os
from dataclasses import asdict, replace
from typing import Callable

from ekm_platform.audit import AuditEntry
from ekm_platform.auth import Principal
from ekm_platform.dependencies import PermanentEventError
from ekm_platform.envelope import Envelope
from ekm_platform.errors import AlreadyExists, NotFound, ValidationError
from ekm_platform.unit_of_work import UnitOfWork

from intake.domain.model import Appeal, Channel, DuplicateRequest, PersonData, Submission, request_hash
from intake.domain.routing import community_for, outreach_community
from intake.domain.validation import validate

APPEAL_ACCEPTED = "appeal.accepted"


SUBMITTED = "подання звернення / submitting an appeal"
STATUS_READ = "статус звернення для заявника / appeal status for the applicant"
OUTREACH = "проактивне звернення за сигналом реєстру / proactive outreach after a registry signal"
OUTREACH_ACTOR = ("registry_gateway", "service")  # who "submits" a proactive appeal
OUTREACH_COMMUNITY = os.environ.get("EKM_OUTREACH_COMMUNITY", "")


def submit_appeal(submission: Submission, uow: UnitOfWork, principal: Principal) -> Appeal:
    """Validate, route, store, audit and announce an appeal.

    Idempotent per (caller, ``client_request_id``): the same request again — or the same
    request sent concurrently — gets the stored appeal; a different request under a used key
    is refused (ALREADY_EXISTS). An appeal no community of the platform would own is refused."""
    validate(submission)
    fingerprint = request_hash(submission)
    key = submission.client_request_id
    if key and (existing := uow.repo.by_client_request_id(principal.user_id, key)):
        return _replayed(existing, fingerprint)
    community = community_for(submission.community_code, principal.community_code, uow.repo.community_served)
    appeal = Appeal.accept(replace(submission, community_code=community), submitted_by=principal.user_id,
                           submitter_role=principal.role, request_hash=fingerprint)
    try:
        uow.repo.add(appeal)
    except DuplicateRequest:  # a concurrent call with the same key was stored first
        uow.rollback()
        existing = uow.repo.by_client_request_id(principal.user_id, key) if key else None
        if existing is None:
            raise
        return _replayed(existing, fingerprint)
    audit(uow, principal.user_id, principal.role, "appeal.write", appeal, SUBMITTED,
          channel=appeal.submission.channel.value)
    uow.publish(APPEAL_ACCEPTED, appeal.accepted_event())
    uow.commit()
    return appeal


def _replayed(existing: Appeal, fingerprint: str) -> Appeal:
    if existing.request_hash and existing.request_hash != fingerprint:
        raise AlreadyExists("client_request_id: цей ключ уже використано для іншого звернення / "
                            "this client_request_id was already used for a different appeal")
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
        raise PermanentEventError(f"registry signal {signal_id}: no community to route the proactive appeal to "
                                  "(set EKM_OUTREACH_COMMUNITY to a served community)")
    subject = fetch_subject(signal_id)  # before any write
    person = PersonData(**{k: subject["person"].get(k, "") for k in ("rnokpp", "unzr", "last_name", "first_name")})
    submission = Submission(
        applicant=person, subject=PersonData(), channel=Channel.REGISTRY_SIGNAL, applicant_is_subject=True,
        description=f"Проактивне звернення: {event.event_type} ({event.data.get('occurred_on', '')}) / "
                    f"proactive outreach after a registry signal",
        consent_to_processing=False, client_request_id=request_id, community_code=community)
    try:
        validate(submission, proactive=True)
    except ValidationError as exc:
        raise PermanentEventError(f"registry signal {signal_id}: {exc.message}") from exc
    appeal = Appeal.accept(submission, submitted_by=actor_id, submitter_role=actor_role,
                           request_hash=request_hash(submission))
    uow.repo.add(appeal)
    audit(uow, actor_id, actor_role, "appeal.write", appeal, OUTREACH, signal_id=signal_id)
    uow.publish(APPEAL_ACCEPTED, appeal.accepted_event())
    return appeal


# ``case_access(actor, case_number) -> {"status": "ok" | "not_found" | ...}`` (cases.check_case_access)
CaseAccess = Callable[[dict, str], dict]


def appeal_status(tracking_number: str, uow: UnitOfWork, principal: Principal,
                  case_access: CaseAccess | None = None) -> Appeal:
    """The state of an appeal by tracking number. A recipient sees only their own appeals:
    the ones they submitted, or the one that opened their own case (asked of cases); any
    other tracking number is NOT_FOUND for them, exactly as an unknown one."""
    appeal = uow.repo.by_tracking_number(tracking_number.strip().upper())
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
        uow.repo.save_case(appeal.with_case(case_number))


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
    return {"appeal_id": appeal_id, "person": asdict(appeal.submission.effective_subject),
            "community_code": appeal.submission.community_code,
            "screening_level": appeal.screening_level.value}


def applicant_contact(appeal_id: str, uow: UnitOfWork, caller: str = "") -> dict:
    """How to reach the applicant, for the notifications service (internal RPC); the read
    is audited with the calling service as the actor."""
    appeal = _appeal(appeal_id, uow)
    audit(uow, caller or "unknown", "service", "appeal.contact_read", appeal, CONTACT_READ)
    uow.commit()
    s = appeal.submission
    return {"appeal_id": appeal_id, "tracking_number": appeal.tracking_number,
            "phone": s.applicant_phone, "email": s.applicant_email, "locale": "uk",
            "first_name": s.applicant.first_name}


def audit(uow: UnitOfWork, actor_id: str, actor_role: str, action: str, appeal: Appeal, purpose: str,
          **details) -> None:
    """One entry of intake's audit log: identifiers only (appeal id, tracking and case numbers)."""
    uow.audit(AuditEntry(actor_id, actor_role, action, "appeal", appeal.appeal_id, purpose[:200],
                         {"tracking_number": appeal.tracking_number, "case_number": appeal.case_number,
                          **details}))


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
        "appeal_id": appeal.appeal_id, "tracking_number": appeal.tracking_number,
        "case_number": appeal.case_number, "state": appeal.state.value,
        "screening_level": appeal.screening_level.value, "urgent": s.urgent,
        "channel": s.channel.value, "community_code": s.community_code,
        "description": s.description,
        # where the appeal came from outside a person's hands: "signal:<id>" for a registry signal
        "source_reference": s.client_request_id if s.channel is Channel.REGISTRY_SIGNAL else "",
        "submitted_at": appeal.submitted_at.isoformat(),
        "applicant": {"last_name": applicant.last_name, "first_name": applicant.first_name,
                      "patronymic": applicant.patronymic, "is_subject": s.applicant_is_subject,
                      "relation_to_subject": s.relation_to_subject},
        "contact": {"phone": s.applicant_phone, "email": s.applicant_email},
    }


def appeal_case_number(appeal_id: str, uow: UnitOfWork) -> str | None:
    """The case the appeal opened or was attached to; None while there is none (or no such appeal)."""
    appeal = uow.repo.get(appeal_id)
    return (appeal.case_number or None) if appeal else None
