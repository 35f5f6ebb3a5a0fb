import datetime

from ekm.common.v1 import common_pb2 as _common_pb2
from ekm.common.v1 import labels_pb2 as _labels_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class AppealState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    APPEAL_STATE_UNSPECIFIED: _ClassVar[AppealState]
    APPEAL_STATE_ACCEPTED: _ClassVar[AppealState]
    APPEAL_STATE_CASE_OPENED: _ClassVar[AppealState]
    APPEAL_STATE_CONSULTED: _ClassVar[AppealState]
    APPEAL_STATE_MERGED: _ClassVar[AppealState]
    APPEAL_STATE_REGION_QUEUE: _ClassVar[AppealState]
    APPEAL_STATE_MATCH_REVIEW: _ClassVar[AppealState]
    APPEAL_STATE_CASE_LINKED: _ClassVar[AppealState]
APPEAL_STATE_UNSPECIFIED: AppealState
APPEAL_STATE_ACCEPTED: AppealState
APPEAL_STATE_CASE_OPENED: AppealState
APPEAL_STATE_CONSULTED: AppealState
APPEAL_STATE_MERGED: AppealState
APPEAL_STATE_REGION_QUEUE: AppealState
APPEAL_STATE_MATCH_REVIEW: AppealState
APPEAL_STATE_CASE_LINKED: AppealState

class Applicant(_message.Message):
    __slots__ = ("person", "phone", "email", "is_subject", "relation_to_subject")
    PERSON_FIELD_NUMBER: _ClassVar[int]
    PHONE_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    IS_SUBJECT_FIELD_NUMBER: _ClassVar[int]
    RELATION_TO_SUBJECT_FIELD_NUMBER: _ClassVar[int]
    person: _common_pb2.PersonIdentity
    phone: str
    email: str
    is_subject: bool
    relation_to_subject: str
    def __init__(self, person: _Optional[_Union[_common_pb2.PersonIdentity, _Mapping]] = ..., phone: _Optional[str] = ..., email: _Optional[str] = ..., is_subject: _Optional[bool] = ..., relation_to_subject: _Optional[str] = ...) -> None: ...

class SubmitAppealRequest(_message.Message):
    __slots__ = ("applicant", "subject", "channel", "description", "consent_to_processing", "urgent", "community_code", "client_request_id", "registered_address", "actual_address", "source_reference", "information_only")
    APPLICANT_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    CONSENT_TO_PROCESSING_FIELD_NUMBER: _ClassVar[int]
    URGENT_FIELD_NUMBER: _ClassVar[int]
    COMMUNITY_CODE_FIELD_NUMBER: _ClassVar[int]
    CLIENT_REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    REGISTERED_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    ACTUAL_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    SOURCE_REFERENCE_FIELD_NUMBER: _ClassVar[int]
    INFORMATION_ONLY_FIELD_NUMBER: _ClassVar[int]
    applicant: Applicant
    subject: _common_pb2.PersonIdentity
    channel: _common_pb2.Channel
    description: str
    consent_to_processing: bool
    urgent: bool
    community_code: str
    client_request_id: str
    registered_address: Address
    actual_address: Address
    source_reference: str
    information_only: bool
    def __init__(self, applicant: _Optional[_Union[Applicant, _Mapping]] = ..., subject: _Optional[_Union[_common_pb2.PersonIdentity, _Mapping]] = ..., channel: _Optional[_Union[_common_pb2.Channel, str]] = ..., description: _Optional[str] = ..., consent_to_processing: _Optional[bool] = ..., urgent: _Optional[bool] = ..., community_code: _Optional[str] = ..., client_request_id: _Optional[str] = ..., registered_address: _Optional[_Union[Address, _Mapping]] = ..., actual_address: _Optional[_Union[Address, _Mapping]] = ..., source_reference: _Optional[str] = ..., information_only: _Optional[bool] = ...) -> None: ...

class Address(_message.Message):
    __slots__ = ("katottg", "region", "settlement", "street")
    KATOTTG_FIELD_NUMBER: _ClassVar[int]
    REGION_FIELD_NUMBER: _ClassVar[int]
    SETTLEMENT_FIELD_NUMBER: _ClassVar[int]
    STREET_FIELD_NUMBER: _ClassVar[int]
    katottg: str
    region: str
    settlement: str
    street: str
    def __init__(self, katottg: _Optional[str] = ..., region: _Optional[str] = ..., settlement: _Optional[str] = ..., street: _Optional[str] = ...) -> None: ...

class SubmitAppealResponse(_message.Message):
    __slots__ = ("tracking_number", "appeal_id", "screening_level", "state", "screening", "merged_into_tracking_number")
    TRACKING_NUMBER_FIELD_NUMBER: _ClassVar[int]
    APPEAL_ID_FIELD_NUMBER: _ClassVar[int]
    SCREENING_LEVEL_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    SCREENING_FIELD_NUMBER: _ClassVar[int]
    MERGED_INTO_TRACKING_NUMBER_FIELD_NUMBER: _ClassVar[int]
    tracking_number: str
    appeal_id: str
    screening_level: _common_pb2.ScreeningLevel
    state: AppealState
    screening: Screening
    merged_into_tracking_number: str
    def __init__(self, tracking_number: _Optional[str] = ..., appeal_id: _Optional[str] = ..., screening_level: _Optional[_Union[_common_pb2.ScreeningLevel, str]] = ..., state: _Optional[_Union[AppealState, str]] = ..., screening: _Optional[_Union[Screening, _Mapping]] = ..., merged_into_tracking_number: _Optional[str] = ...) -> None: ...

class GetAppealStatusRequest(_message.Message):
    __slots__ = ("tracking_number",)
    TRACKING_NUMBER_FIELD_NUMBER: _ClassVar[int]
    tracking_number: str
    def __init__(self, tracking_number: _Optional[str] = ...) -> None: ...

class AppealStatus(_message.Message):
    __slots__ = ("tracking_number", "state", "screening_level", "case_number", "submitted_at", "updated_at", "state_label_uk", "state_label_en", "channel", "merged_into_tracking_number", "merged_appeals", "community_code", "provider_code", "region_code", "routing_basis")
    TRACKING_NUMBER_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    SCREENING_LEVEL_FIELD_NUMBER: _ClassVar[int]
    CASE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    SUBMITTED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    STATE_LABEL_UK_FIELD_NUMBER: _ClassVar[int]
    STATE_LABEL_EN_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    MERGED_INTO_TRACKING_NUMBER_FIELD_NUMBER: _ClassVar[int]
    MERGED_APPEALS_FIELD_NUMBER: _ClassVar[int]
    COMMUNITY_CODE_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_CODE_FIELD_NUMBER: _ClassVar[int]
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    ROUTING_BASIS_FIELD_NUMBER: _ClassVar[int]
    tracking_number: str
    state: AppealState
    screening_level: _common_pb2.ScreeningLevel
    case_number: str
    submitted_at: _timestamp_pb2.Timestamp
    updated_at: _timestamp_pb2.Timestamp
    state_label_uk: str
    state_label_en: str
    channel: _common_pb2.Channel
    merged_into_tracking_number: str
    merged_appeals: int
    community_code: str
    provider_code: str
    region_code: str
    routing_basis: str
    def __init__(self, tracking_number: _Optional[str] = ..., state: _Optional[_Union[AppealState, str]] = ..., screening_level: _Optional[_Union[_common_pb2.ScreeningLevel, str]] = ..., case_number: _Optional[str] = ..., submitted_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., state_label_uk: _Optional[str] = ..., state_label_en: _Optional[str] = ..., channel: _Optional[_Union[_common_pb2.Channel, str]] = ..., merged_into_tracking_number: _Optional[str] = ..., merged_appeals: _Optional[int] = ..., community_code: _Optional[str] = ..., provider_code: _Optional[str] = ..., region_code: _Optional[str] = ..., routing_basis: _Optional[str] = ...) -> None: ...

class ListMyAppealsRequest(_message.Message):
    __slots__ = ("page_size",)
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    def __init__(self, page_size: _Optional[int] = ...) -> None: ...

class ListMyAppealsResponse(_message.Message):
    __slots__ = ("appeals",)
    APPEALS_FIELD_NUMBER: _ClassVar[int]
    appeals: _containers.RepeatedCompositeFieldContainer[AppealStatus]
    def __init__(self, appeals: _Optional[_Iterable[_Union[AppealStatus, _Mapping]]] = ...) -> None: ...

class FiredRule(_message.Message):
    __slots__ = ("rule_id", "outcome", "text_uk", "text_en")
    RULE_ID_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    TEXT_UK_FIELD_NUMBER: _ClassVar[int]
    TEXT_EN_FIELD_NUMBER: _ClassVar[int]
    rule_id: str
    outcome: _common_pb2.ScreeningLevel
    text_uk: str
    text_en: str
    def __init__(self, rule_id: _Optional[str] = ..., outcome: _Optional[_Union[_common_pb2.ScreeningLevel, str]] = ..., text_uk: _Optional[str] = ..., text_en: _Optional[str] = ...) -> None: ...

class Screening(_message.Message):
    __slots__ = ("screening_level", "rules_version", "fired_rules", "decided_by", "reason", "previous_level", "decided_at")
    SCREENING_LEVEL_FIELD_NUMBER: _ClassVar[int]
    RULES_VERSION_FIELD_NUMBER: _ClassVar[int]
    FIRED_RULES_FIELD_NUMBER: _ClassVar[int]
    DECIDED_BY_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_LEVEL_FIELD_NUMBER: _ClassVar[int]
    DECIDED_AT_FIELD_NUMBER: _ClassVar[int]
    screening_level: _common_pb2.ScreeningLevel
    rules_version: str
    fired_rules: _containers.RepeatedCompositeFieldContainer[FiredRule]
    decided_by: str
    reason: str
    previous_level: _common_pb2.ScreeningLevel
    decided_at: _timestamp_pb2.Timestamp
    def __init__(self, screening_level: _Optional[_Union[_common_pb2.ScreeningLevel, str]] = ..., rules_version: _Optional[str] = ..., fired_rules: _Optional[_Iterable[_Union[FiredRule, _Mapping]]] = ..., decided_by: _Optional[str] = ..., reason: _Optional[str] = ..., previous_level: _Optional[_Union[_common_pb2.ScreeningLevel, str]] = ..., decided_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class OverrideScreeningRequest(_message.Message):
    __slots__ = ("tracking_number", "screening_level", "reason")
    TRACKING_NUMBER_FIELD_NUMBER: _ClassVar[int]
    SCREENING_LEVEL_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    tracking_number: str
    screening_level: _common_pb2.ScreeningLevel
    reason: str
    def __init__(self, tracking_number: _Optional[str] = ..., screening_level: _Optional[_Union[_common_pb2.ScreeningLevel, str]] = ..., reason: _Optional[str] = ...) -> None: ...

class RecordConsultationRequest(_message.Message):
    __slots__ = ("tracking_number", "advice", "topics")
    TRACKING_NUMBER_FIELD_NUMBER: _ClassVar[int]
    ADVICE_FIELD_NUMBER: _ClassVar[int]
    TOPICS_FIELD_NUMBER: _ClassVar[int]
    tracking_number: str
    advice: str
    topics: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, tracking_number: _Optional[str] = ..., advice: _Optional[str] = ..., topics: _Optional[_Iterable[str]] = ...) -> None: ...

class Consultation(_message.Message):
    __slots__ = ("tracking_number", "advice", "topics", "advised_by", "advised_by_role", "advised_at")
    TRACKING_NUMBER_FIELD_NUMBER: _ClassVar[int]
    ADVICE_FIELD_NUMBER: _ClassVar[int]
    TOPICS_FIELD_NUMBER: _ClassVar[int]
    ADVISED_BY_FIELD_NUMBER: _ClassVar[int]
    ADVISED_BY_ROLE_FIELD_NUMBER: _ClassVar[int]
    ADVISED_AT_FIELD_NUMBER: _ClassVar[int]
    tracking_number: str
    advice: str
    topics: _containers.RepeatedScalarFieldContainer[str]
    advised_by: str
    advised_by_role: str
    advised_at: _timestamp_pb2.Timestamp
    def __init__(self, tracking_number: _Optional[str] = ..., advice: _Optional[str] = ..., topics: _Optional[_Iterable[str]] = ..., advised_by: _Optional[str] = ..., advised_by_role: _Optional[str] = ..., advised_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class GetAppealHistoryRequest(_message.Message):
    __slots__ = ("tracking_number",)
    TRACKING_NUMBER_FIELD_NUMBER: _ClassVar[int]
    tracking_number: str
    def __init__(self, tracking_number: _Optional[str] = ...) -> None: ...

class AppealHistoryEntry(_message.Message):
    __slots__ = ("at", "kind", "actor_id", "actor_role", "text")
    AT_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    ACTOR_ID_FIELD_NUMBER: _ClassVar[int]
    ACTOR_ROLE_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    at: _timestamp_pb2.Timestamp
    kind: str
    actor_id: str
    actor_role: str
    text: str
    def __init__(self, at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., kind: _Optional[str] = ..., actor_id: _Optional[str] = ..., actor_role: _Optional[str] = ..., text: _Optional[str] = ...) -> None: ...

class AppealHistory(_message.Message):
    __slots__ = ("tracking_number", "state", "channel", "source_reference", "screening", "decisions", "consultation", "entries", "case_number")
    TRACKING_NUMBER_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    SOURCE_REFERENCE_FIELD_NUMBER: _ClassVar[int]
    SCREENING_FIELD_NUMBER: _ClassVar[int]
    DECISIONS_FIELD_NUMBER: _ClassVar[int]
    CONSULTATION_FIELD_NUMBER: _ClassVar[int]
    ENTRIES_FIELD_NUMBER: _ClassVar[int]
    CASE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    tracking_number: str
    state: AppealState
    channel: _common_pb2.Channel
    source_reference: str
    screening: Screening
    decisions: _containers.RepeatedCompositeFieldContainer[Screening]
    consultation: Consultation
    entries: _containers.RepeatedCompositeFieldContainer[AppealHistoryEntry]
    case_number: str
    def __init__(self, tracking_number: _Optional[str] = ..., state: _Optional[_Union[AppealState, str]] = ..., channel: _Optional[_Union[_common_pb2.Channel, str]] = ..., source_reference: _Optional[str] = ..., screening: _Optional[_Union[Screening, _Mapping]] = ..., decisions: _Optional[_Iterable[_Union[Screening, _Mapping]]] = ..., consultation: _Optional[_Union[Consultation, _Mapping]] = ..., entries: _Optional[_Iterable[_Union[AppealHistoryEntry, _Mapping]]] = ..., case_number: _Optional[str] = ...) -> None: ...

class ListMatchReviewsRequest(_message.Message):
    __slots__ = ("include_decided", "page_size")
    INCLUDE_DECIDED_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    include_decided: bool
    page_size: int
    def __init__(self, include_decided: _Optional[bool] = ..., page_size: _Optional[int] = ...) -> None: ...

class MatchReviewSummary(_message.Message):
    __slots__ = ("review_id", "appeal_id", "tracking_number", "community_code", "state", "best_score", "candidates", "created_at")
    REVIEW_ID_FIELD_NUMBER: _ClassVar[int]
    APPEAL_ID_FIELD_NUMBER: _ClassVar[int]
    TRACKING_NUMBER_FIELD_NUMBER: _ClassVar[int]
    COMMUNITY_CODE_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    BEST_SCORE_FIELD_NUMBER: _ClassVar[int]
    CANDIDATES_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    review_id: str
    appeal_id: str
    tracking_number: str
    community_code: str
    state: str
    best_score: float
    candidates: int
    created_at: _timestamp_pb2.Timestamp
    def __init__(self, review_id: _Optional[str] = ..., appeal_id: _Optional[str] = ..., tracking_number: _Optional[str] = ..., community_code: _Optional[str] = ..., state: _Optional[str] = ..., best_score: _Optional[float] = ..., candidates: _Optional[int] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ListMatchReviewsResponse(_message.Message):
    __slots__ = ("reviews",)
    REVIEWS_FIELD_NUMBER: _ClassVar[int]
    reviews: _containers.RepeatedCompositeFieldContainer[MatchReviewSummary]
    def __init__(self, reviews: _Optional[_Iterable[_Union[MatchReviewSummary, _Mapping]]] = ...) -> None: ...

class GetMatchReviewRequest(_message.Message):
    __slots__ = ("review_id",)
    REVIEW_ID_FIELD_NUMBER: _ClassVar[int]
    review_id: str
    def __init__(self, review_id: _Optional[str] = ...) -> None: ...

class PersonView(_message.Message):
    __slots__ = ("last_name", "first_name", "patronymic", "birth_date", "rnokpp_masked", "unzr_masked")
    LAST_NAME_FIELD_NUMBER: _ClassVar[int]
    FIRST_NAME_FIELD_NUMBER: _ClassVar[int]
    PATRONYMIC_FIELD_NUMBER: _ClassVar[int]
    BIRTH_DATE_FIELD_NUMBER: _ClassVar[int]
    RNOKPP_MASKED_FIELD_NUMBER: _ClassVar[int]
    UNZR_MASKED_FIELD_NUMBER: _ClassVar[int]
    last_name: str
    first_name: str
    patronymic: str
    birth_date: str
    rnokpp_masked: str
    unzr_masked: str
    def __init__(self, last_name: _Optional[str] = ..., first_name: _Optional[str] = ..., patronymic: _Optional[str] = ..., birth_date: _Optional[str] = ..., rnokpp_masked: _Optional[str] = ..., unzr_masked: _Optional[str] = ...) -> None: ...

class FieldComparison(_message.Message):
    __slots__ = ("field", "appeal_value", "candidate_value", "verdict", "similarity")
    FIELD_FIELD_NUMBER: _ClassVar[int]
    APPEAL_VALUE_FIELD_NUMBER: _ClassVar[int]
    CANDIDATE_VALUE_FIELD_NUMBER: _ClassVar[int]
    VERDICT_FIELD_NUMBER: _ClassVar[int]
    SIMILARITY_FIELD_NUMBER: _ClassVar[int]
    field: str
    appeal_value: str
    candidate_value: str
    verdict: str
    similarity: float
    def __init__(self, field: _Optional[str] = ..., appeal_value: _Optional[str] = ..., candidate_value: _Optional[str] = ..., verdict: _Optional[str] = ..., similarity: _Optional[float] = ...) -> None: ...

class MatchCandidate(_message.Message):
    __slots__ = ("person_id", "score", "band", "reasons", "person", "case_number", "case_stage", "case_community_code", "comparisons")
    PERSON_ID_FIELD_NUMBER: _ClassVar[int]
    SCORE_FIELD_NUMBER: _ClassVar[int]
    BAND_FIELD_NUMBER: _ClassVar[int]
    REASONS_FIELD_NUMBER: _ClassVar[int]
    PERSON_FIELD_NUMBER: _ClassVar[int]
    CASE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    CASE_STAGE_FIELD_NUMBER: _ClassVar[int]
    CASE_COMMUNITY_CODE_FIELD_NUMBER: _ClassVar[int]
    COMPARISONS_FIELD_NUMBER: _ClassVar[int]
    person_id: str
    score: float
    band: str
    reasons: _containers.RepeatedScalarFieldContainer[str]
    person: PersonView
    case_number: str
    case_stage: str
    case_community_code: str
    comparisons: _containers.RepeatedCompositeFieldContainer[FieldComparison]
    def __init__(self, person_id: _Optional[str] = ..., score: _Optional[float] = ..., band: _Optional[str] = ..., reasons: _Optional[_Iterable[str]] = ..., person: _Optional[_Union[PersonView, _Mapping]] = ..., case_number: _Optional[str] = ..., case_stage: _Optional[str] = ..., case_community_code: _Optional[str] = ..., comparisons: _Optional[_Iterable[_Union[FieldComparison, _Mapping]]] = ...) -> None: ...

class MatchReview(_message.Message):
    __slots__ = ("review_id", "appeal_id", "tracking_number", "community_code", "state", "subject", "candidates", "created_at", "decided_person_id", "decided_by", "decided_at", "decision_reason", "auto_link_score", "review_score")
    REVIEW_ID_FIELD_NUMBER: _ClassVar[int]
    APPEAL_ID_FIELD_NUMBER: _ClassVar[int]
    TRACKING_NUMBER_FIELD_NUMBER: _ClassVar[int]
    COMMUNITY_CODE_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    CANDIDATES_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    DECIDED_PERSON_ID_FIELD_NUMBER: _ClassVar[int]
    DECIDED_BY_FIELD_NUMBER: _ClassVar[int]
    DECIDED_AT_FIELD_NUMBER: _ClassVar[int]
    DECISION_REASON_FIELD_NUMBER: _ClassVar[int]
    AUTO_LINK_SCORE_FIELD_NUMBER: _ClassVar[int]
    REVIEW_SCORE_FIELD_NUMBER: _ClassVar[int]
    review_id: str
    appeal_id: str
    tracking_number: str
    community_code: str
    state: str
    subject: PersonView
    candidates: _containers.RepeatedCompositeFieldContainer[MatchCandidate]
    created_at: _timestamp_pb2.Timestamp
    decided_person_id: str
    decided_by: str
    decided_at: _timestamp_pb2.Timestamp
    decision_reason: str
    auto_link_score: float
    review_score: float
    def __init__(self, review_id: _Optional[str] = ..., appeal_id: _Optional[str] = ..., tracking_number: _Optional[str] = ..., community_code: _Optional[str] = ..., state: _Optional[str] = ..., subject: _Optional[_Union[PersonView, _Mapping]] = ..., candidates: _Optional[_Iterable[_Union[MatchCandidate, _Mapping]]] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., decided_person_id: _Optional[str] = ..., decided_by: _Optional[str] = ..., decided_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., decision_reason: _Optional[str] = ..., auto_link_score: _Optional[float] = ..., review_score: _Optional[float] = ...) -> None: ...

class DecideMatchReviewRequest(_message.Message):
    __slots__ = ("review_id", "person_id", "reason")
    REVIEW_ID_FIELD_NUMBER: _ClassVar[int]
    PERSON_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    review_id: str
    person_id: str
    reason: str
    def __init__(self, review_id: _Optional[str] = ..., person_id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class ListRegionQueueRequest(_message.Message):
    __slots__ = ("region_code", "page_size")
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    region_code: str
    page_size: int
    def __init__(self, region_code: _Optional[str] = ..., page_size: _Optional[int] = ...) -> None: ...

class RegionQueueItem(_message.Message):
    __slots__ = ("appeal_id", "tracking_number", "region_code", "region_name", "reason", "unit_code", "unit_name", "submitted_at", "screening_level")
    APPEAL_ID_FIELD_NUMBER: _ClassVar[int]
    TRACKING_NUMBER_FIELD_NUMBER: _ClassVar[int]
    REGION_CODE_FIELD_NUMBER: _ClassVar[int]
    REGION_NAME_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    UNIT_CODE_FIELD_NUMBER: _ClassVar[int]
    UNIT_NAME_FIELD_NUMBER: _ClassVar[int]
    SUBMITTED_AT_FIELD_NUMBER: _ClassVar[int]
    SCREENING_LEVEL_FIELD_NUMBER: _ClassVar[int]
    appeal_id: str
    tracking_number: str
    region_code: str
    region_name: str
    reason: str
    unit_code: str
    unit_name: str
    submitted_at: _timestamp_pb2.Timestamp
    screening_level: _common_pb2.ScreeningLevel
    def __init__(self, appeal_id: _Optional[str] = ..., tracking_number: _Optional[str] = ..., region_code: _Optional[str] = ..., region_name: _Optional[str] = ..., reason: _Optional[str] = ..., unit_code: _Optional[str] = ..., unit_name: _Optional[str] = ..., submitted_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., screening_level: _Optional[_Union[_common_pb2.ScreeningLevel, str]] = ...) -> None: ...

class ListRegionQueueResponse(_message.Message):
    __slots__ = ("appeals",)
    APPEALS_FIELD_NUMBER: _ClassVar[int]
    appeals: _containers.RepeatedCompositeFieldContainer[RegionQueueItem]
    def __init__(self, appeals: _Optional[_Iterable[_Union[RegionQueueItem, _Mapping]]] = ...) -> None: ...

class AssignRegionQueueAppealRequest(_message.Message):
    __slots__ = ("appeal_id", "community_code", "reason")
    APPEAL_ID_FIELD_NUMBER: _ClassVar[int]
    COMMUNITY_CODE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    appeal_id: str
    community_code: str
    reason: str
    def __init__(self, appeal_id: _Optional[str] = ..., community_code: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...
