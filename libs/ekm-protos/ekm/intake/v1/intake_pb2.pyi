import datetime

from ekm.common.v1 import common_pb2 as _common_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
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
    __slots__ = ("applicant", "subject", "channel", "description", "consent_to_processing", "urgent", "community_code", "client_request_id")
    APPLICANT_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    CONSENT_TO_PROCESSING_FIELD_NUMBER: _ClassVar[int]
    URGENT_FIELD_NUMBER: _ClassVar[int]
    COMMUNITY_CODE_FIELD_NUMBER: _ClassVar[int]
    CLIENT_REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    applicant: Applicant
    subject: _common_pb2.PersonIdentity
    channel: _common_pb2.Channel
    description: str
    consent_to_processing: bool
    urgent: bool
    community_code: str
    client_request_id: str
    def __init__(self, applicant: _Optional[_Union[Applicant, _Mapping]] = ..., subject: _Optional[_Union[_common_pb2.PersonIdentity, _Mapping]] = ..., channel: _Optional[_Union[_common_pb2.Channel, str]] = ..., description: _Optional[str] = ..., consent_to_processing: _Optional[bool] = ..., urgent: _Optional[bool] = ..., community_code: _Optional[str] = ..., client_request_id: _Optional[str] = ...) -> None: ...

class SubmitAppealResponse(_message.Message):
    __slots__ = ("tracking_number", "appeal_id", "screening_level", "state")
    TRACKING_NUMBER_FIELD_NUMBER: _ClassVar[int]
    APPEAL_ID_FIELD_NUMBER: _ClassVar[int]
    SCREENING_LEVEL_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    tracking_number: str
    appeal_id: str
    screening_level: _common_pb2.ScreeningLevel
    state: AppealState
    def __init__(self, tracking_number: _Optional[str] = ..., appeal_id: _Optional[str] = ..., screening_level: _Optional[_Union[_common_pb2.ScreeningLevel, str]] = ..., state: _Optional[_Union[AppealState, str]] = ...) -> None: ...

class GetAppealStatusRequest(_message.Message):
    __slots__ = ("tracking_number",)
    TRACKING_NUMBER_FIELD_NUMBER: _ClassVar[int]
    tracking_number: str
    def __init__(self, tracking_number: _Optional[str] = ...) -> None: ...

class AppealStatus(_message.Message):
    __slots__ = ("tracking_number", "state", "screening_level", "case_number", "submitted_at", "updated_at")
    TRACKING_NUMBER_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    SCREENING_LEVEL_FIELD_NUMBER: _ClassVar[int]
    CASE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    SUBMITTED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    tracking_number: str
    state: AppealState
    screening_level: _common_pb2.ScreeningLevel
    case_number: str
    submitted_at: _timestamp_pb2.Timestamp
    updated_at: _timestamp_pb2.Timestamp
    def __init__(self, tracking_number: _Optional[str] = ..., state: _Optional[_Union[AppealState, str]] = ..., screening_level: _Optional[_Union[_common_pb2.ScreeningLevel, str]] = ..., case_number: _Optional[str] = ..., submitted_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
