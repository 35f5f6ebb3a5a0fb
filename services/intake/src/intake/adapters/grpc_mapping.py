"""Protobuf messages to domain objects and back."""
from __future__ import annotations

from ekm.common.v1 import common_pb2
from ekm.intake.v1 import intake_pb2

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
    )


def submit_response(appeal: Appeal) -> intake_pb2.SubmitAppealResponse:
    return intake_pb2.SubmitAppealResponse(
        tracking_number=appeal.tracking_number, appeal_id=appeal.appeal_id,
        screening_level=LEVELS[appeal.screening_level], state=STATES[appeal.state])


def status_response(appeal: Appeal) -> intake_pb2.AppealStatus:
    return intake_pb2.AppealStatus(
        tracking_number=appeal.tracking_number, state=STATES[appeal.state],
        screening_level=LEVELS[appeal.screening_level], case_number=appeal.case_number,
        submitted_at=timestamp(appeal.submitted_at), updated_at=timestamp(appeal.updated_at))
