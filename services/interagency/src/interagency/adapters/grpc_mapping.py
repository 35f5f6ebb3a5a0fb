"""Protobuf messages to domain objects and back."""

from datetime import datetime

from ekm.interagency.v1 import interagency_pb2
from ekm_platform.errors import ValidationError
from ekm_platform.grpc_mapping import moment, timestamp
from interagency.domain.agencies import Agency
from interagency.domain.conference import Conference, Decision, Participant
from interagency.domain.model import Referral, ReferralState, RejectionReason, Sector, Transition

SECTORS = {getattr(interagency_pb2, f"SECTOR_{s.name}"): s for s in Sector}
SECTOR_NUMBERS = {s: n for n, s in SECTORS.items()}
STATES = {s: getattr(interagency_pb2, f"REFERRAL_STATE_{s.name}") for s in ReferralState}
STATE_CODES = {n: s.value for s, n in STATES.items()}
REASONS = {r.value: getattr(interagency_pb2, f"REJECTION_REASON_{r.name}") for r in RejectionReason}
REASON_CODES = {n: code for code, n in REASONS.items()}


def create_arguments(request: interagency_pb2.CreateReferralRequest) -> dict:
    return {
        "case_number": request.case_number.strip().upper(),
        "sector": SECTORS.get(request.sector),
        "agency_code": request.agency_code.strip(),
        "reason": request.reason,
        "client_request_id": request.client_request_id.strip()[:64],
        "action": request.action,
        "complete_by": request.complete_by.strip(),
    }


def referral_message(referral: Referral) -> interagency_pb2.Referral:
    return interagency_pb2.Referral(
        referral_id=referral.referral_id,
        case_number=referral.case_number,
        sector=SECTOR_NUMBERS[referral.sector],
        agency_code=referral.agency_code,
        state=STATES[referral.state],
        created_at=timestamp(referral.created_at),
        need=referral.reason,
        action=referral.action,
        respond_by=timestamp(referral.respond_by),
        complete_by=referral.complete_by,
        overdue=referral.overdue(),
        updated_at=timestamp(referral.updated_at),
        rejection_reason=REASONS.get(referral.rejection_reason, 0),
        outcome=referral.outcome,
        success=bool(referral.success),
        created_by=referral.created_by,
        version=referral.version,
    )


def states_from(numbers) -> tuple[str, ...]:
    unknown = [n for n in numbers if n not in STATE_CODES]
    if unknown:
        raise ValidationError.single("states", f"невідомий стан / unknown state {unknown[0]}")
    return tuple(STATE_CODES[n] for n in numbers)


def reason_from(number: int) -> str:
    return REASON_CODES.get(number, "")


def agency_message(a: Agency) -> interagency_pb2.Agency:
    return interagency_pb2.Agency(
        agency_code=a.agency_code,
        name=a.name,
        sector=SECTOR_NUMBERS[a.sector],
        community_code=a.community_code,
        phone=a.phone,
        email=a.email,
    )


def transition_message(t: Transition) -> interagency_pb2.ReferralTransition:
    return interagency_pb2.ReferralTransition(
        from_state=STATES[ReferralState(t.from_state)] if t.from_state else 0,
        to_state=STATES[ReferralState(t.to_state)],
        at=timestamp(t.at),
        by_user=t.by_user,
        by_role=t.by_role,
        by_organisation=t.by_organisation,
        reason=REASONS.get(t.reason_code, 0),
        note=t.note,
    )


def shared_person_message(shared: dict) -> interagency_pb2.SharedPerson | None:
    if not shared:
        return None
    person = dict(shared.get("person") or {})
    household = [
        interagency_pb2.HouseholdMember(
            full_name=str(m.get("full_name", "")),
            relation=str(m.get("relation", "")),
            birth_date=str(m.get("birth_date", "")),
        )
        for m in person.pop("household", None) or ()
    ]
    scalar = {k: v for k, v in person.items() if k in interagency_pb2.SharedPerson.DESCRIPTOR.fields_by_name}
    message = interagency_pb2.SharedPerson(
        consent_id=shared.get("consent_id", ""),
        data_categories=list(shared.get("categories", ())),
        household=household,
        fields=sorted(shared.get("person") or {}),
    )
    for key, value in scalar.items():
        if key == "veteran_statuses":
            message.veteran_statuses.extend(value or ())
        elif value not in (None, ""):
            setattr(message, key, value)
    return message


def details_message(referral: Referral, transitions: list[Transition], shared: dict):
    return interagency_pb2.ReferralDetails(
        referral=referral_message(referral),
        transitions=[transition_message(t) for t in transitions],
        person=shared_person_message(shared),
    )


def participants_from(messages) -> tuple[Participant, ...]:
    return tuple(Participant(p.agency_code.strip(), p.user_id.strip(), p.role.strip()) for p in messages)


def decisions_from(messages) -> tuple[Decision, ...]:
    return tuple(
        Decision(
            d.text.strip(), d.goal_id.strip(), d.responsible_kind.strip(), d.responsible_ref.strip(), d.due_on.strip()
        )
        for d in messages
    )


def conference_from(request: interagency_pb2.CreateConferenceRequest) -> Conference:
    scheduled = moment(request, "scheduled_at")
    return Conference(
        case_number=request.case_number.strip().upper(),
        scheduled_at=scheduled,
        agenda=tuple(request.agenda),
        participants=participants_from(request.participants),
        organised_by="",
    )


def conference_message(c: Conference) -> interagency_pb2.Conference:
    return interagency_pb2.Conference(
        conference_id=c.conference_id,
        case_number=c.case_number,
        scheduled_at=timestamp(c.scheduled_at),
        agenda=list(c.agenda),
        organised_by=c.organised_by,
        status=c.status,
        plan_version=c.plan_version,
        participants=[
            interagency_pb2.ConferenceParticipant(agency_code=p.agency_code, user_id=p.user_id, role=p.role)
            for p in c.participants
        ],
        decisions=[decision_message(d) for d in c.decisions],
        concluded_at=timestamp(c.concluded_at),
    )


def decision_message(d: Decision) -> interagency_pb2.ConferenceDecision:
    return interagency_pb2.ConferenceDecision(
        text=d.text,
        goal_id=d.goal_id,
        responsible_kind=d.responsible_kind,
        responsible_ref=d.responsible_ref,
        due_on=d.due_on,
        step_id=d.step_id,
        done_at=timestamp(datetime.fromisoformat(d.done_at)) if d.done_at else None,
    )


def task_message(c: Conference, d: Decision) -> interagency_pb2.AgencyTask:
    return interagency_pb2.AgencyTask(
        conference_id=c.conference_id, case_number=c.case_number, decision=decision_message(d)
    )


def page(request) -> tuple[int, int]:
    """(offset, limit) of a page token (the offset as digits) and a page size (default 50)."""
    token = request.page_token.strip()
    if token and not token.isdigit():
        raise ValidationError.single("page_token", "недійсний маркер сторінки / invalid page token")
    return int(token or 0), request.page_size or 50


def referrals_page(found, offset: int, limit: int) -> interagency_pb2.ListReferralsResponse:
    return interagency_pb2.ListReferralsResponse(
        referrals=[referral_message(r) for r in found],
        next_page_token=str(offset + limit) if len(found) == limit else "",
    )


def inbound_referral(request) -> dict:
    """The JSON intake's ``submit_agency_referral`` takes: the person is applicant and subject."""
    person = {
        k: getattr(request.person, k).strip()
        for k in ("rnokpp", "unzr", "last_name", "first_name", "patronymic", "birth_date")
    }
    person = {k: v for k, v in person.items() if v}
    applicant = {**person, "is_subject": True}
    if request.phone.strip():
        applicant["phone"] = request.phone.strip()
    if request.email.strip():
        applicant["email"] = request.email.strip()
    referral = {
        "referral_number": request.referral_number.strip(),
        "applicant": applicant,
        "description": request.description,
        "urgent": request.urgent,
        "consent_to_processing": request.consent_to_processing,
    }
    if request.community_code.strip():
        referral["community_code"] = request.community_code.strip()
    return referral
