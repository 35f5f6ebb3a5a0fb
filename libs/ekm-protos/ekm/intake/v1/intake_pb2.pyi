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
APPEAL_STATE_UNSPECIFIED: AppealState
APPEAL_STATE_ACCEPTED: AppealState
APPEAL_STATE_CASE_OPENED: AppealState
APPEAL_STATE_CONSULTED: AppealState

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
    __slots__ = ("applicant", "subject", "channel", "description", "consent_to_processing", "urgent", "community_code", "client_request_id", "source_reference", "information_only")
    APPLICANT_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    CONSENT_TO_PROCESSING_FIELD_NUMBER: _ClassVar[int]
    URGENT_FIELD_NUMBER: _ClassVar[int]
    COMMUNITY_CODE_FIELD_NUMBER: _ClassVar[int]
    CLIENT_REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
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
    source_reference: str
    information_only: bool
    def __init__(self, applicant: _Optional[_Union[Applicant, _Mapping]] = ..., subject: _Optional[_Union[_common_pb2.PersonIdentity, _Mapping]] = ..., channel: _Optional[_Union[_common_pb2.Channel, str]] = ..., description: _Optional[str] = ..., consent_to_processing: _Optional[bool] = ..., urgent: _Optional[bool] = ..., community_code: _Optional[str] = ..., client_request_id: _Optional[str] = ..., source_reference: _Optional[str] = ..., information_only: _Optional[bool] = ...) -> None: ...

class SubmitAppealResponse(_message.Message):
    __slots__ = ("tracking_number", "appeal_id", "screening_level", "state", "screening")
    TRACKING_NUMBER_FIELD_NUMBER: _ClassVar[int]
    APPEAL_ID_FIELD_NUMBER: _ClassVar[int]
    SCREENING_LEVEL_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    SCREENING_FIELD_NUMBER: _ClassVar[int]
    tracking_number: str
    appeal_id: str
    screening_level: _common_pb2.ScreeningLevel
    state: AppealState
    screening: Screening
    def __init__(self, tracking_number: _Optional[str] = ..., appeal_id: _Optional[str] = ..., screening_level: _Optional[_Union[_common_pb2.ScreeningLevel, str]] = ..., state: _Optional[_Union[AppealState, str]] = ..., screening: _Optional[_Union[Screening, _Mapping]] = ...) -> None: ...

class GetAppealStatusRequest(_message.Message):
    __slots__ = ("tracking_number",)
    TRACKING_NUMBER_FIELD_NUMBER: _ClassVar[int]
    tracking_number: str
    def __init__(self, tracking_number: _Optional[str] = ...) -> None: ...

class AppealStatus(_message.Message):
    __slots__ = ("tracking_number", "state", "screening_level", "case_number", "submitted_at", "updated_at", "state_label_uk", "state_label_en", "channel")
    TRACKING_NUMBER_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    SCREENING_LEVEL_FIELD_NUMBER: _ClassVar[int]
    CASE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    SUBMITTED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    STATE_LABEL_UK_FIELD_NUMBER: _ClassVar[int]
    STATE_LABEL_EN_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    tracking_number: str
    state: AppealState
    screening_level: _common_pb2.ScreeningLevel
    case_number: str
    submitted_at: _timestamp_pb2.Timestamp
    updated_at: _timestamp_pb2.Timestamp
    state_label_uk: str
    state_label_en: str
    channel: _common_pb2.Channel
    def __init__(self, tracking_number: _Optional[str] = ..., state: _Optional[_Union[AppealState, str]] = ..., screening_level: _Optional[_Union[_common_pb2.ScreeningLevel, str]] = ..., case_number: _Optional[str] = ..., submitted_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., state_label_uk: _Optional[str] = ..., state_label_en: _Optional[str] = ..., channel: _Optional[_Union[_common_pb2.Channel, str]] = ...) -> None: ...

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
