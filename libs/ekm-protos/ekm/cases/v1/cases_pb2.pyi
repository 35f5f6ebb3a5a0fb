import datetime

from ekm.common.v1 import common_pb2 as _common_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Stage(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    STAGE_UNSPECIFIED: _ClassVar[Stage]
    STAGE_SCREENING: _ClassVar[Stage]
    STAGE_ASSESSMENT: _ClassVar[Stage]
    STAGE_PLANNING: _ClassVar[Stage]
    STAGE_IMPLEMENTATION: _ClassVar[Stage]
    STAGE_MONITORING: _ClassVar[Stage]
    STAGE_REVIEW: _ClassVar[Stage]
    STAGE_CLOSED: _ClassVar[Stage]
STAGE_UNSPECIFIED: Stage
STAGE_SCREENING: Stage
STAGE_ASSESSMENT: Stage
STAGE_PLANNING: Stage
STAGE_IMPLEMENTATION: Stage
STAGE_MONITORING: Stage
STAGE_REVIEW: Stage
STAGE_CLOSED: Stage

class Case(_message.Message):
    __slots__ = ("case_id", "case_number", "stage", "screening_level", "appeal_id", "community_code", "person_id", "assigned_to", "opened_at", "version")
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    CASE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    STAGE_FIELD_NUMBER: _ClassVar[int]
    SCREENING_LEVEL_FIELD_NUMBER: _ClassVar[int]
    APPEAL_ID_FIELD_NUMBER: _ClassVar[int]
    COMMUNITY_CODE_FIELD_NUMBER: _ClassVar[int]
    PERSON_ID_FIELD_NUMBER: _ClassVar[int]
    ASSIGNED_TO_FIELD_NUMBER: _ClassVar[int]
    OPENED_AT_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    case_id: str
    case_number: str
    stage: Stage
    screening_level: _common_pb2.ScreeningLevel
    appeal_id: str
    community_code: str
    person_id: str
    assigned_to: str
    opened_at: _timestamp_pb2.Timestamp
    version: int
    def __init__(self, case_id: _Optional[str] = ..., case_number: _Optional[str] = ..., stage: _Optional[_Union[Stage, str]] = ..., screening_level: _Optional[_Union[_common_pb2.ScreeningLevel, str]] = ..., appeal_id: _Optional[str] = ..., community_code: _Optional[str] = ..., person_id: _Optional[str] = ..., assigned_to: _Optional[str] = ..., opened_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., version: _Optional[int] = ...) -> None: ...

class GetCaseRequest(_message.Message):
    __slots__ = ("case_number", "case_id")
    CASE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    CASE_ID_FIELD_NUMBER: _ClassVar[int]
    case_number: str
    case_id: str
    def __init__(self, case_number: _Optional[str] = ..., case_id: _Optional[str] = ...) -> None: ...

class ListCasesRequest(_message.Message):
    __slots__ = ("stage", "community_code", "page_size", "page_token")
    STAGE_FIELD_NUMBER: _ClassVar[int]
    COMMUNITY_CODE_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    stage: Stage
    community_code: str
    page_size: int
    page_token: str
    def __init__(self, stage: _Optional[_Union[Stage, str]] = ..., community_code: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListCasesResponse(_message.Message):
    __slots__ = ("cases", "next_page_token")
    CASES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    cases: _containers.RepeatedCompositeFieldContainer[Case]
    next_page_token: str
    def __init__(self, cases: _Optional[_Iterable[_Union[Case, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...
