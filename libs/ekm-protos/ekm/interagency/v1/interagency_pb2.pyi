import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Sector(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SECTOR_UNSPECIFIED: _ClassVar[Sector]
    SECTOR_HEALTH: _ClassVar[Sector]
    SECTOR_EDUCATION: _ClassVar[Sector]
    SECTOR_EMPLOYMENT: _ClassVar[Sector]
    SECTOR_BORDER_GUARD: _ClassVar[Sector]
    SECTOR_CHILD_SERVICES: _ClassVar[Sector]
    SECTOR_PROBATION: _ClassVar[Sector]
    SECTOR_HOUSING: _ClassVar[Sector]

class ReferralState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    REFERRAL_STATE_UNSPECIFIED: _ClassVar[ReferralState]
    REFERRAL_STATE_SENT: _ClassVar[ReferralState]
    REFERRAL_STATE_ACCEPTED: _ClassVar[ReferralState]
    REFERRAL_STATE_DECLINED: _ClassVar[ReferralState]
    REFERRAL_STATE_COMPLETED: _ClassVar[ReferralState]
SECTOR_UNSPECIFIED: Sector
SECTOR_HEALTH: Sector
SECTOR_EDUCATION: Sector
SECTOR_EMPLOYMENT: Sector
SECTOR_BORDER_GUARD: Sector
SECTOR_CHILD_SERVICES: Sector
SECTOR_PROBATION: Sector
SECTOR_HOUSING: Sector
REFERRAL_STATE_UNSPECIFIED: ReferralState
REFERRAL_STATE_SENT: ReferralState
REFERRAL_STATE_ACCEPTED: ReferralState
REFERRAL_STATE_DECLINED: ReferralState
REFERRAL_STATE_COMPLETED: ReferralState

class CreateReferralRequest(_message.Message):
    __slots__ = ("case_number", "sector", "agency_code", "reason", "client_request_id")
    CASE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    SECTOR_FIELD_NUMBER: _ClassVar[int]
    AGENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    CLIENT_REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    case_number: str
    sector: Sector
    agency_code: str
    reason: str
    client_request_id: str
    def __init__(self, case_number: _Optional[str] = ..., sector: _Optional[_Union[Sector, str]] = ..., agency_code: _Optional[str] = ..., reason: _Optional[str] = ..., client_request_id: _Optional[str] = ...) -> None: ...

class GetReferralRequest(_message.Message):
    __slots__ = ("referral_id",)
    REFERRAL_ID_FIELD_NUMBER: _ClassVar[int]
    referral_id: str
    def __init__(self, referral_id: _Optional[str] = ...) -> None: ...

class Referral(_message.Message):
    __slots__ = ("referral_id", "case_number", "sector", "agency_code", "state", "created_at")
    REFERRAL_ID_FIELD_NUMBER: _ClassVar[int]
    CASE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    SECTOR_FIELD_NUMBER: _ClassVar[int]
    AGENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    referral_id: str
    case_number: str
    sector: Sector
    agency_code: str
    state: ReferralState
    created_at: _timestamp_pb2.Timestamp
    def __init__(self, referral_id: _Optional[str] = ..., case_number: _Optional[str] = ..., sector: _Optional[_Union[Sector, str]] = ..., agency_code: _Optional[str] = ..., state: _Optional[_Union[ReferralState, str]] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
