import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class RegistryStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    REGISTRY_STATUS_UNSPECIFIED: _ClassVar[RegistryStatus]
    REGISTRY_STATUS_OK: _ClassVar[RegistryStatus]
    REGISTRY_STATUS_NOT_FOUND: _ClassVar[RegistryStatus]
    REGISTRY_STATUS_UNAVAILABLE: _ClassVar[RegistryStatus]
    REGISTRY_STATUS_PENDING: _ClassVar[RegistryStatus]
    REGISTRY_STATUS_DENIED: _ClassVar[RegistryStatus]
    REGISTRY_STATUS_NOT_APPLICABLE: _ClassVar[RegistryStatus]
REGISTRY_STATUS_UNSPECIFIED: RegistryStatus
REGISTRY_STATUS_OK: RegistryStatus
REGISTRY_STATUS_NOT_FOUND: RegistryStatus
REGISTRY_STATUS_UNAVAILABLE: RegistryStatus
REGISTRY_STATUS_PENDING: RegistryStatus
REGISTRY_STATUS_DENIED: RegistryStatus
REGISTRY_STATUS_NOT_APPLICABLE: RegistryStatus

class LookupPersonRequest(_message.Message):
    __slots__ = ("rnokpp", "unzr", "case_number", "purpose", "registries", "consent_recorded")
    RNOKPP_FIELD_NUMBER: _ClassVar[int]
    UNZR_FIELD_NUMBER: _ClassVar[int]
    CASE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    PURPOSE_FIELD_NUMBER: _ClassVar[int]
    REGISTRIES_FIELD_NUMBER: _ClassVar[int]
    CONSENT_RECORDED_FIELD_NUMBER: _ClassVar[int]
    rnokpp: str
    unzr: str
    case_number: str
    purpose: str
    registries: _containers.RepeatedScalarFieldContainer[str]
    consent_recorded: bool
    def __init__(self, rnokpp: _Optional[str] = ..., unzr: _Optional[str] = ..., case_number: _Optional[str] = ..., purpose: _Optional[str] = ..., registries: _Optional[_Iterable[str]] = ..., consent_recorded: _Optional[bool] = ...) -> None: ...

class RegistryFact(_message.Message):
    __slots__ = ("kind", "occurred_on", "attributes")
    class AttributesEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    KIND_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_ON_FIELD_NUMBER: _ClassVar[int]
    ATTRIBUTES_FIELD_NUMBER: _ClassVar[int]
    kind: str
    occurred_on: str
    attributes: _containers.ScalarMap[str, str]
    def __init__(self, kind: _Optional[str] = ..., occurred_on: _Optional[str] = ..., attributes: _Optional[_Mapping[str, str]] = ...) -> None: ...

class RegistryResult(_message.Message):
    __slots__ = ("registry", "status", "message", "query_id", "facts", "from_cache")
    REGISTRY_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    QUERY_ID_FIELD_NUMBER: _ClassVar[int]
    FACTS_FIELD_NUMBER: _ClassVar[int]
    FROM_CACHE_FIELD_NUMBER: _ClassVar[int]
    registry: str
    status: RegistryStatus
    message: str
    query_id: str
    facts: _containers.RepeatedCompositeFieldContainer[RegistryFact]
    from_cache: bool
    def __init__(self, registry: _Optional[str] = ..., status: _Optional[_Union[RegistryStatus, str]] = ..., message: _Optional[str] = ..., query_id: _Optional[str] = ..., facts: _Optional[_Iterable[_Union[RegistryFact, _Mapping]]] = ..., from_cache: _Optional[bool] = ...) -> None: ...

class LookupPersonResponse(_message.Message):
    __slots__ = ("results",)
    RESULTS_FIELD_NUMBER: _ClassVar[int]
    results: _containers.RepeatedCompositeFieldContainer[RegistryResult]
    def __init__(self, results: _Optional[_Iterable[_Union[RegistryResult, _Mapping]]] = ...) -> None: ...

class GetEvidenceRequest(_message.Message):
    __slots__ = ("query_id",)
    QUERY_ID_FIELD_NUMBER: _ClassVar[int]
    query_id: str
    def __init__(self, query_id: _Optional[str] = ...) -> None: ...

class Evidence(_message.Message):
    __slots__ = ("query_id", "registry", "xroad_id", "user_id", "issue", "purpose", "response_sha256", "requested_at", "from_cache", "original_query_id", "consent_id")
    QUERY_ID_FIELD_NUMBER: _ClassVar[int]
    REGISTRY_FIELD_NUMBER: _ClassVar[int]
    XROAD_ID_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    ISSUE_FIELD_NUMBER: _ClassVar[int]
    PURPOSE_FIELD_NUMBER: _ClassVar[int]
    RESPONSE_SHA256_FIELD_NUMBER: _ClassVar[int]
    REQUESTED_AT_FIELD_NUMBER: _ClassVar[int]
    FROM_CACHE_FIELD_NUMBER: _ClassVar[int]
    ORIGINAL_QUERY_ID_FIELD_NUMBER: _ClassVar[int]
    CONSENT_ID_FIELD_NUMBER: _ClassVar[int]
    query_id: str
    registry: str
    xroad_id: str
    user_id: str
    issue: str
    purpose: str
    response_sha256: str
    requested_at: _timestamp_pb2.Timestamp
    from_cache: bool
    original_query_id: str
    consent_id: str
    def __init__(self, query_id: _Optional[str] = ..., registry: _Optional[str] = ..., xroad_id: _Optional[str] = ..., user_id: _Optional[str] = ..., issue: _Optional[str] = ..., purpose: _Optional[str] = ..., response_sha256: _Optional[str] = ..., requested_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., from_cache: _Optional[bool] = ..., original_query_id: _Optional[str] = ..., consent_id: _Optional[str] = ...) -> None: ...
