"""Intake's use cases. Each takes a unit of work; none knows about gRPC or nameko."""
from __future__ import annotations

import os
from dataclasses import asdict

from ekm_platform.audit import AuditEntry
from ekm_platform.auth import Principal
from ekm_platform.dependencies import PermanentEventError
from ekm_platform.envelope import Envelope
from ekm_platform.errors import NotFound, ValidationError
from ekm_platform.unit_of_work import UnitOfWork

from intake.domain.model import Appeal, Channel, PersonData, Submission
from intake.domain.validation import validate

APPEAL_ACCEPTED = "appeal.accepted"


def submit_appeal(submission: Submission, uow: UnitOfWork) -> Appeal:
    """Validate, store and announce an appeal; the same client_request_id gives the same appeal."""
    validate(submission)
    if submission.client_request_id:
        existing = uow.repo.by_client_request_id(submission.client_request_id)
        if existing:
            return existing
    appeal = Appeal.accept(submission)
    uow.repo.add(appeal)
    uow.publish(APPEAL_ACCEPTED, appeal.accepted_event())
    uow.commit()
    return appeal


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
    existing = uow.repo.by_client_request_id(request_id)
    if existing:
        return existing
    subject = fetch_subject(signal_id)  # before any write
    person = PersonData(**{k: subject["person"].get(k, "") for k in ("rnokpp", "unzr", "last_name", "first_name")})
    submission = Submission(
        applicant=person, subject=PersonData(), channel=Channel.REGISTRY_SIGNAL, applicant_is_subject=True,
        description=f"Проактивне звернення: {event.event_type} ({event.data.get('occurred_on', '')}) / "
                    f"proactive outreach after a registry signal",
        consent_to_processing=False, client_request_id=request_id)
    try:
        validate(submission, proactive=True)
    except ValidationError as exc:
        raise PermanentEventError(f"registry signal {signal_id}: {exc.message}") from exc
    appeal = Appeal.accept(submission)
    uow.repo.add(appeal)
    uow.publish(APPEAL_ACCEPTED, appeal.accepted_event())
    return appeal


def appeal_status(tracking_number: str, uow: UnitOfWork) -> Appeal:
    appeal = uow.repo.by_tracking_number(tracking_number.strip().upper())
    if appeal is None:
        raise NotFound(f"Звернення {tracking_number!r} не знайдено / appeal not found")
    return appeal


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


def appeal_subject(appeal_id: str, uow: UnitOfWork) -> dict:
    """The person an appeal is about, for the cases service (internal RPC)."""
    appeal = _appeal(appeal_id, uow)
    return {"appeal_id": appeal_id, "person": asdict(appeal.submission.effective_subject),
            "community_code": appeal.submission.community_code,
            "screening_level": appeal.screening_level.value}


def applicant_contact(appeal_id: str, uow: UnitOfWork) -> dict:
    """How to reach the applicant, for the notifications service (internal RPC)."""
    appeal = _appeal(appeal_id, uow)
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
