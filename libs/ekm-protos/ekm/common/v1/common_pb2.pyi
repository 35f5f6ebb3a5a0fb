from ekm.common.v1 import labels_pb2 as _labels_pb2
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Optional as _Optional

DESCRIPTOR: _descriptor.FileDescriptor

class Channel(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CHANNEL_UNSPECIFIED: _ClassVar[Channel]
    CHANNEL_IN_PERSON: _ClassVar[Channel]
    CHANNEL_PHONE: _ClassVar[Channel]
    CHANNEL_RECIPIENT_CABINET: _ClassVar[Channel]
    CHANNEL_MOBILE_APP: _ClassVar[Channel]
    CHANNEL_DIIA: _ClassVar[Channel]
    CHANNEL_CHATBOT: _ClassVar[Channel]
    CHANNEL_AGENCY_REFERRAL: _ClassVar[Channel]
    CHANNEL_REGISTRY_SIGNAL: _ClassVar[Channel]

class ScreeningLevel(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SCREENING_LEVEL_UNSPECIFIED: _ClassVar[ScreeningLevel]
    SCREENING_LEVEL_INFORMATION: _ClassVar[ScreeningLevel]
    SCREENING_LEVEL_ASSESSMENT: _ClassVar[ScreeningLevel]
    SCREENING_LEVEL_CRISIS: _ClassVar[ScreeningLevel]
CHANNEL_UNSPECIFIED: Channel
CHANNEL_IN_PERSON: Channel
CHANNEL_PHONE: Channel
CHANNEL_RECIPIENT_CABINET: Channel
CHANNEL_MOBILE_APP: Channel
CHANNEL_DIIA: Channel
CHANNEL_CHATBOT: Channel
CHANNEL_AGENCY_REFERRAL: Channel
CHANNEL_REGISTRY_SIGNAL: Channel
SCREENING_LEVEL_UNSPECIFIED: ScreeningLevel
SCREENING_LEVEL_INFORMATION: ScreeningLevel
SCREENING_LEVEL_ASSESSMENT: ScreeningLevel
SCREENING_LEVEL_CRISIS: ScreeningLevel

class PersonIdentity(_message.Message):
    __slots__ = ("rnokpp", "unzr", "last_name", "first_name", "patronymic", "birth_date")
    RNOKPP_FIELD_NUMBER: _ClassVar[int]
    UNZR_FIELD_NUMBER: _ClassVar[int]
    LAST_NAME_FIELD_NUMBER: _ClassVar[int]
    FIRST_NAME_FIELD_NUMBER: _ClassVar[int]
    PATRONYMIC_FIELD_NUMBER: _ClassVar[int]
    BIRTH_DATE_FIELD_NUMBER: _ClassVar[int]
    rnokpp: str
    unzr: str
    last_name: str
    first_name: str
    patronymic: str
    birth_date: str
    def __init__(self, rnokpp: _Optional[str] = ..., unzr: _Optional[str] = ..., last_name: _Optional[str] = ..., first_name: _Optional[str] = ..., patronymic: _Optional[str] = ..., birth_date: _Optional[str] = ...) -> None: ...
