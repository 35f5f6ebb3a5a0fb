"""Protobuf messages to domain objects and back."""
from __future__ import annotations

from ekm.common.v1 import common_pb2
from ekm.intake.v1 import intake_pb2

from ekm_platform.codes import CodeList
from ekm_platform.grpc_mapping import timestamp

from intake.domain.model import Appeal, AppealState, Channel, PersonData, ScreeningLevel, Submission

CHANNELS = {
    common_pb2.CHANNEL_IN_PERSON: Channel.IN_PERSON,
    common_pb2.CHANNEL_PHONE: Channel.PHONE,
    common_pb2.CHANNEL_RECIPIENT_CABINET: Channel.RECIPIENT_CABINET,
    common_pb2.CHANNEL_MOBILE_APP: Channel.MOBILE_APP,
    common_pb2.CHANNEL_DIIA: Channel.DIIA,
    common_pb2.CHANNEL_CHATBOT: Channel.CHATBOT,
    common_pb2.CHANNEL_AGENCY_REFERRAL: Channel.AGENCY_REFERRAL,
    common_pb2.CHANNEL_REGISTRY_SIGNAL: Channel.REGISTRY_SIGNAL,
}
LEVELS = {
    ScreeningLevel.INFORMATION: common_pb2.SCREENING_LEVEL_INFORMATION,
    ScreeningLevel.ASSESSMENT: common_pb2.SCREENING_LEVEL_ASSESSMENT,
    ScreeningLevel.CRISIS: common_pb2.SCREENING_LEVEL_CRISIS,
}
STATES = {
    AppealState.ACCEPTED: intake_pb2.APPEAL_STATE_ACCEPTED,
    AppealState.CASE_OPENED: intake_pb2.APPEAL_STATE_CASE_OPENED,
    AppealState.CONSULTED: intake_pb2.APPEAL_STATE_CONSULTED,
}


STATE_LABELS = CodeList(intake_pb2.AppealState)
LEVEL_NUMBERS = {level.value: number for level, number in LEVELS.items()}
LEVEL_CODES = {number: level.value for level, number in LEVELS.items()}
CHANNEL_NUMBERS = {channel: number for number, channel in CHANNELS.items()}


def _person(message: common_pb2.PersonIdentity) -> PersonData:
    return PersonData(
        rnokpp=message.rnokpp.strip(), unzr=message.unzr.strip(),
        last_name=message.last_name.strip(), first_name=message.first_name.strip(),
        patronymic=message.patronymic.strip(), birth_date=message.birth_date.strip(),
    )


def submission_from_proto(request: intake_pb2.SubmitAppealRequest) -> Submission:
    applicant = request.applicant
    return Submission(
        applicant=_person(applicant.person),
        subject=_person(request.subject),
        channel=CHANNELS.get(request.channel),  # unknown or unspecified -> None -> invalid
        description=request.description,
        consent_to_processing=request.consent_to_processing,
        applicant_phone=applicant.phone.strip(),
        applicant_email=applicant.email.strip(),
        applicant_is_subject=applicant.is_subject,
        relation_to_subject=applicant.relation_to_subject.strip(),
        urgent=request.urgent,
        community_code=request.community_code.strip(),
        client_request_id=request.client_request_id.strip(),
        source_reference=request.source_reference.strip(),
        information_only=request.information_only,
    )


def submit_response(appeal: Appeal) -> intake_pb2.SubmitAppealResponse:
    return intake_pb2.SubmitAppealResponse(
        tracking_number=appeal.tracking_number, appeal_id=appeal.appeal_id,
        screening_level=LEVELS[appeal.screening_level], state=STATES[appeal.state],
        screening=screening(appeal.screening) if appeal.screening else None)


def status_response(appeal: Appeal) -> intake_pb2.AppealStatus:
    return intake_pb2.AppealStatus(
        tracking_number=appeal.tracking_number, state=STATES[appeal.state],
        screening_level=LEVELS[appeal.screening_level], case_number=appeal.case_number,
        submitted_at=timestamp(appeal.submitted_at), updated_at=timestamp(appeal.updated_at),
        state_label_uk=_label(appeal.state, "uk"), state_label_en=_label(appeal.state, "en"),
        channel=CHANNEL_NUMBERS.get(appeal.submission.channel, 0))


def _label(state: AppealState, language: str) -> str:
    entry = next((e for e in STATE_LABELS.entries if e.code == state.value), None)
    if entry is None:
        return state.value
    return entry.label_uk if language == "uk" else entry.label_en


def screening(decision) -> intake_pb2.Screening:
    return intake_pb2.Screening(
        screening_level=LEVEL_NUMBERS.get(decision.outcome, 0), rules_version=decision.rules_version,
        fired_rules=[intake_pb2.FiredRule(rule_id=r.rule_id, outcome=LEVEL_NUMBERS.get(r.outcome, 0),
                                          text_uk=r.text_uk, text_en=r.text_en) for r in decision.fired],
        decided_by=decision.decided_by, reason=decision.reason,
        previous_level=LEVEL_NUMBERS.get(decision.previous, 0), decided_at=timestamp(decision.decided_at))


def consultation(appeal: Appeal, c) -> intake_pb2.Consultation:
    return intake_pb2.Consultation(
        tracking_number=appeal.tracking_number, advice=c.advice, topics=list(c.topics), advised_by=c.advised_by,
        advised_by_role=c.advised_by_role, advised_at=timestamp(c.advised_at))


def history_response(appeal: Appeal, decisions, c, entries) -> intake_pb2.AppealHistory:
    return intake_pb2.AppealHistory(
        tracking_number=appeal.tracking_number, state=STATES[appeal.state],
        channel=CHANNEL_NUMBERS.get(appeal.submission.channel, 0),
        source_reference=appeal.submission.source_reference, screening=screening(decisions[-1]),
        decisions=[screening(d) for d in decisions], consultation=consultation(appeal, c) if c else None,
        case_number=appeal.case_number,
        entries=[intake_pb2.AppealHistoryEntry(at=timestamp(e.at), kind=e.kind, actor_id=e.actor_id,
                                               actor_role=e.actor_role, text=e.text) for e in entries])
