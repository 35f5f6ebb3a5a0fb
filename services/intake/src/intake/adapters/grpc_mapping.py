"""Protobuf messages to domain objects and back."""

from __future__ import annotations

from ekm.common.v1 import common_pb2
from ekm.intake.v1 import intake_pb2
from ekm_platform.codes import CodeList
from ekm_platform.grpc_mapping import timestamp
from intake.domain.match_review import mask
from intake.domain.model import Appeal, AppealState, Channel, PersonData, ScreeningLevel, Submission
from intake.domain.routing import Address

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
    AppealState.MERGED: intake_pb2.APPEAL_STATE_MERGED,
    AppealState.REGION_QUEUE: intake_pb2.APPEAL_STATE_REGION_QUEUE,
    AppealState.MATCH_REVIEW: intake_pb2.APPEAL_STATE_MATCH_REVIEW,
    AppealState.CASE_LINKED: intake_pb2.APPEAL_STATE_CASE_LINKED,
}


STATE_LABELS = CodeList(intake_pb2.AppealState)
LEVEL_NUMBERS = {level.value: number for level, number in LEVELS.items()}
LEVEL_CODES = {number: level.value for level, number in LEVELS.items()}
CHANNEL_NUMBERS = {channel: number for number, channel in CHANNELS.items()}


def _person(message: common_pb2.PersonIdentity) -> PersonData:
    return PersonData(
        rnokpp=message.rnokpp.strip(),
        unzr=message.unzr.strip(),
        last_name=message.last_name.strip(),
        first_name=message.first_name.strip(),
        patronymic=message.patronymic.strip(),
        birth_date=message.birth_date.strip(),
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
        registered_address=_address(request.registered_address),
        actual_address=_address(request.actual_address),
    )


def _address(message: intake_pb2.Address) -> Address:
    return Address(
        katottg=message.katottg.strip().upper(),
        region=message.region.strip(),
        settlement=message.settlement.strip(),
        street=message.street.strip(),
    )


def submit_response(appeal: Appeal) -> intake_pb2.SubmitAppealResponse:
    return intake_pb2.SubmitAppealResponse(
        # a near-duplicate: the applicant follows the first appeal
        tracking_number=appeal.merged_into_tracking or appeal.tracking_number,
        appeal_id=appeal.appeal_id,
        merged_into_tracking_number=appeal.merged_into_tracking,
        screening_level=LEVELS[appeal.screening_level],
        state=STATES[appeal.state],
        screening=screening(appeal.screening) if appeal.screening else None,
    )


def status_response(appeal: Appeal, merged_appeals: int = 0) -> intake_pb2.AppealStatus:
    return intake_pb2.AppealStatus(
        merged_into_tracking_number=appeal.merged_into_tracking,
        merged_appeals=merged_appeals,
        community_code=appeal.submission.community_code,
        provider_code=appeal.provider_code,
        region_code=appeal.region_code,
        routing_basis=appeal.routing_basis,
        tracking_number=appeal.tracking_number,
        state=STATES[appeal.state],
        screening_level=LEVELS[appeal.screening_level],
        case_number=appeal.case_number,
        submitted_at=timestamp(appeal.submitted_at),
        updated_at=timestamp(appeal.updated_at),
        state_label_uk=_label(appeal.state, "uk"),
        state_label_en=_label(appeal.state, "en"),
        channel=CHANNEL_NUMBERS.get(appeal.submission.channel, 0),
    )


def _label(state: AppealState, language: str) -> str:
    entry = next((e for e in STATE_LABELS.entries if e.code == state.value), None)
    if entry is None:
        return state.value
    return entry.label_uk if language == "uk" else entry.label_en


def screening(decision) -> intake_pb2.Screening:
    return intake_pb2.Screening(
        screening_level=LEVEL_NUMBERS.get(decision.outcome, 0),
        rules_version=decision.rules_version,
        fired_rules=[
            intake_pb2.FiredRule(
                rule_id=r.rule_id, outcome=LEVEL_NUMBERS.get(r.outcome, 0), text_uk=r.text_uk, text_en=r.text_en
            )
            for r in decision.fired
        ],
        decided_by=decision.decided_by,
        reason=decision.reason,
        previous_level=LEVEL_NUMBERS.get(decision.previous, 0),
        decided_at=timestamp(decision.decided_at),
    )


def consultation(appeal: Appeal, c) -> intake_pb2.Consultation:
    return intake_pb2.Consultation(
        tracking_number=appeal.tracking_number,
        advice=c.advice,
        topics=list(c.topics),
        advised_by=c.advised_by,
        advised_by_role=c.advised_by_role,
        advised_at=timestamp(c.advised_at),
    )


def history_response(appeal: Appeal, decisions, c, entries) -> intake_pb2.AppealHistory:
    return intake_pb2.AppealHistory(
        tracking_number=appeal.tracking_number,
        state=STATES[appeal.state],
        channel=CHANNEL_NUMBERS.get(appeal.submission.channel, 0),
        source_reference=appeal.submission.source_reference,
        screening=screening(decisions[-1]),
        decisions=[screening(d) for d in decisions],
        consultation=consultation(appeal, c) if c else None,
        case_number=appeal.case_number,
        entries=[
            intake_pb2.AppealHistoryEntry(
                at=timestamp(e.at), kind=e.kind, actor_id=e.actor_id, actor_role=e.actor_role, text=e.text
            )
            for e in entries
        ],
    )


# --- match reviews and the region queue (dedup-helper) ---


def person_view(person: dict) -> intake_pb2.PersonView:
    return intake_pb2.PersonView(
        last_name=person.get("last_name", ""),
        first_name=person.get("first_name", ""),
        patronymic=person.get("patronymic", ""),
        birth_date=person.get("birth_date", ""),
        rnokpp_masked=mask(person.get("rnokpp", "")),
        unzr_masked=mask(person.get("unzr", "")),
    )


def review_summary(review, tracking_number: str) -> intake_pb2.MatchReviewSummary:
    return intake_pb2.MatchReviewSummary(
        review_id=review.review_id,
        appeal_id=review.appeal_id,
        tracking_number=tracking_number,
        community_code=review.community_code,
        state=review.state,
        best_score=review.best_score,
        candidates=len(review.candidates),
        created_at=timestamp(review.created_at),
    )


def review_response(view: dict) -> intake_pb2.MatchReview:
    review = view["review"]
    return intake_pb2.MatchReview(
        review_id=review.review_id,
        appeal_id=review.appeal_id,
        tracking_number=view["tracking_number"],
        community_code=review.community_code,
        state=review.state,
        subject=person_view(view["subject"]),
        created_at=timestamp(review.created_at),
        decided_person_id=review.decided_person_id,
        decided_by=review.decided_by,
        decided_at=timestamp(review.decided_at) if review.decided_at else None,
        decision_reason=review.decision_reason,
        auto_link_score=view["bands"].auto_link,
        review_score=view["bands"].review,
        candidates=[
            intake_pb2.MatchCandidate(
                person_id=c["person_id"],
                score=c["score"],
                band=c["band"],
                reasons=c["reasons"],
                person=person_view(c.get("person") or {}),
                case_number=c.get("case_number", ""),
                case_stage=c.get("case_stage", ""),
                case_community_code=c.get("case_community_code", ""),
                comparisons=[intake_pb2.FieldComparison(**f) for f in c.get("comparisons", [])],
            )
            for c in view["candidates"]
        ],
    )


def queue_item(appeal: Appeal, region_name: str, unit_name: str, unit_code: str) -> intake_pb2.RegionQueueItem:
    return intake_pb2.RegionQueueItem(
        appeal_id=appeal.appeal_id,
        tracking_number=appeal.tracking_number,
        region_code=appeal.region_code,
        region_name=region_name,
        reason=appeal.routing_reason,
        unit_code=unit_code,
        unit_name=unit_name,
        submitted_at=timestamp(appeal.submitted_at),
        screening_level=LEVELS[appeal.screening_level],
    )
