import datetime

from ekm.common.v1 import labels_pb2 as _labels_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class AttemptStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ATTEMPT_STATUS_UNSPECIFIED: _ClassVar[AttemptStatus]
    ATTEMPT_STATUS_SENT: _ClassVar[AttemptStatus]
    ATTEMPT_STATUS_FAILED: _ClassVar[AttemptStatus]
    ATTEMPT_STATUS_INVALID: _ClassVar[AttemptStatus]
    ATTEMPT_STATUS_SUPPRESSED: _ClassVar[AttemptStatus]

class DeliveryChannel(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DELIVERY_CHANNEL_UNSPECIFIED: _ClassVar[DeliveryChannel]
    DELIVERY_CHANNEL_SMS: _ClassVar[DeliveryChannel]
    DELIVERY_CHANNEL_EMAIL: _ClassVar[DeliveryChannel]
    DELIVERY_CHANNEL_PUSH: _ClassVar[DeliveryChannel]
    DELIVERY_CHANNEL_LOG: _ClassVar[DeliveryChannel]
    DELIVERY_CHANNEL_INBOX: _ClassVar[DeliveryChannel]

class DeliveryStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DELIVERY_STATUS_UNSPECIFIED: _ClassVar[DeliveryStatus]
    DELIVERY_STATUS_QUEUED: _ClassVar[DeliveryStatus]
    DELIVERY_STATUS_SENT: _ClassVar[DeliveryStatus]
    DELIVERY_STATUS_FAILED: _ClassVar[DeliveryStatus]
    DELIVERY_STATUS_DEAD_LETTER: _ClassVar[DeliveryStatus]
    DELIVERY_STATUS_INVALID: _ClassVar[DeliveryStatus]
    DELIVERY_STATUS_SUPPRESSED: _ClassVar[DeliveryStatus]
ATTEMPT_STATUS_UNSPECIFIED: AttemptStatus
ATTEMPT_STATUS_SENT: AttemptStatus
ATTEMPT_STATUS_FAILED: AttemptStatus
ATTEMPT_STATUS_INVALID: AttemptStatus
ATTEMPT_STATUS_SUPPRESSED: AttemptStatus
DELIVERY_CHANNEL_UNSPECIFIED: DeliveryChannel
DELIVERY_CHANNEL_SMS: DeliveryChannel
DELIVERY_CHANNEL_EMAIL: DeliveryChannel
DELIVERY_CHANNEL_PUSH: DeliveryChannel
DELIVERY_CHANNEL_LOG: DeliveryChannel
DELIVERY_CHANNEL_INBOX: DeliveryChannel
DELIVERY_STATUS_UNSPECIFIED: DeliveryStatus
DELIVERY_STATUS_QUEUED: DeliveryStatus
DELIVERY_STATUS_SENT: DeliveryStatus
DELIVERY_STATUS_FAILED: DeliveryStatus
DELIVERY_STATUS_DEAD_LETTER: DeliveryStatus
DELIVERY_STATUS_INVALID: DeliveryStatus
DELIVERY_STATUS_SUPPRESSED: DeliveryStatus

class ListDeliveriesRequest(_message.Message):
    __slots__ = ("reference",)
    REFERENCE_FIELD_NUMBER: _ClassVar[int]
    reference: str
    def __init__(self, reference: _Optional[str] = ...) -> None: ...

class Delivery(_message.Message):
    __slots__ = ("delivery_id", "reference", "template", "recipient_masked", "locale", "created_at", "channel", "status", "template_version", "attempts", "error", "due_at", "attempt_count", "urgent")
    DELIVERY_ID_FIELD_NUMBER: _ClassVar[int]
    REFERENCE_FIELD_NUMBER: _ClassVar[int]
    TEMPLATE_FIELD_NUMBER: _ClassVar[int]
    RECIPIENT_MASKED_FIELD_NUMBER: _ClassVar[int]
    LOCALE_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    TEMPLATE_VERSION_FIELD_NUMBER: _ClassVar[int]
    ATTEMPTS_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    DUE_AT_FIELD_NUMBER: _ClassVar[int]
    ATTEMPT_COUNT_FIELD_NUMBER: _ClassVar[int]
    URGENT_FIELD_NUMBER: _ClassVar[int]
    delivery_id: str
    reference: str
    template: str
    recipient_masked: str
    locale: str
    created_at: _timestamp_pb2.Timestamp
    channel: DeliveryChannel
    status: DeliveryStatus
    template_version: int
    attempts: _containers.RepeatedCompositeFieldContainer[DeliveryAttempt]
    error: str
    due_at: _timestamp_pb2.Timestamp
    attempt_count: int
    urgent: bool
    def __init__(self, delivery_id: _Optional[str] = ..., reference: _Optional[str] = ..., template: _Optional[str] = ..., recipient_masked: _Optional[str] = ..., locale: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., channel: _Optional[_Union[DeliveryChannel, str]] = ..., status: _Optional[_Union[DeliveryStatus, str]] = ..., template_version: _Optional[int] = ..., attempts: _Optional[_Iterable[_Union[DeliveryAttempt, _Mapping]]] = ..., error: _Optional[str] = ..., due_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., attempt_count: _Optional[int] = ..., urgent: _Optional[bool] = ...) -> None: ...

class DeliveryAttempt(_message.Message):
    __slots__ = ("attempt_no", "channel", "status", "error", "recipient_masked", "at")
    ATTEMPT_NO_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    RECIPIENT_MASKED_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    attempt_no: int
    channel: DeliveryChannel
    status: AttemptStatus
    error: str
    recipient_masked: str
    at: _timestamp_pb2.Timestamp
    def __init__(self, attempt_no: _Optional[int] = ..., channel: _Optional[_Union[DeliveryChannel, str]] = ..., status: _Optional[_Union[AttemptStatus, str]] = ..., error: _Optional[str] = ..., recipient_masked: _Optional[str] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ListDeliveriesResponse(_message.Message):
    __slots__ = ("deliveries",)
    DELIVERIES_FIELD_NUMBER: _ClassVar[int]
    deliveries: _containers.RepeatedCompositeFieldContainer[Delivery]
    def __init__(self, deliveries: _Optional[_Iterable[_Union[Delivery, _Mapping]]] = ...) -> None: ...

class ListInboxRequest(_message.Message):
    __slots__ = ("unread_only", "page_size")
    UNREAD_ONLY_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    unread_only: bool
    page_size: int
    def __init__(self, unread_only: _Optional[bool] = ..., page_size: _Optional[int] = ...) -> None: ...

class InboxItem(_message.Message):
    __slots__ = ("item_id", "template", "template_version", "title", "text", "reference", "urgent", "created_at", "read_at")
    ITEM_ID_FIELD_NUMBER: _ClassVar[int]
    TEMPLATE_FIELD_NUMBER: _ClassVar[int]
    TEMPLATE_VERSION_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    REFERENCE_FIELD_NUMBER: _ClassVar[int]
    URGENT_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    READ_AT_FIELD_NUMBER: _ClassVar[int]
    item_id: str
    template: str
    template_version: int
    title: str
    text: str
    reference: str
    urgent: bool
    created_at: _timestamp_pb2.Timestamp
    read_at: _timestamp_pb2.Timestamp
    def __init__(self, item_id: _Optional[str] = ..., template: _Optional[str] = ..., template_version: _Optional[int] = ..., title: _Optional[str] = ..., text: _Optional[str] = ..., reference: _Optional[str] = ..., urgent: _Optional[bool] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., read_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ListInboxResponse(_message.Message):
    __slots__ = ("items", "unread")
    ITEMS_FIELD_NUMBER: _ClassVar[int]
    UNREAD_FIELD_NUMBER: _ClassVar[int]
    items: _containers.RepeatedCompositeFieldContainer[InboxItem]
    unread: int
    def __init__(self, items: _Optional[_Iterable[_Union[InboxItem, _Mapping]]] = ..., unread: _Optional[int] = ...) -> None: ...

class MarkInboxReadRequest(_message.Message):
    __slots__ = ("item_ids",)
    ITEM_IDS_FIELD_NUMBER: _ClassVar[int]
    item_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, item_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class MarkInboxReadResponse(_message.Message):
    __slots__ = ("marked",)
    MARKED_FIELD_NUMBER: _ClassVar[int]
    marked: int
    def __init__(self, marked: _Optional[int] = ...) -> None: ...

class PreviewTemplateRequest(_message.Message):
    __slots__ = ("template", "version", "variables")
    class VariablesEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    TEMPLATE_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    VARIABLES_FIELD_NUMBER: _ClassVar[int]
    template: str
    version: int
    variables: _containers.ScalarMap[str, str]
    def __init__(self, template: _Optional[str] = ..., version: _Optional[int] = ..., variables: _Optional[_Mapping[str, str]] = ...) -> None: ...

class PreviewTemplateResponse(_message.Message):
    __slots__ = ("template", "version", "subject", "text", "text_uk", "text_en")
    TEMPLATE_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    TEXT_UK_FIELD_NUMBER: _ClassVar[int]
    TEXT_EN_FIELD_NUMBER: _ClassVar[int]
    template: str
    version: int
    subject: str
    text: str
    text_uk: str
    text_en: str
    def __init__(self, template: _Optional[str] = ..., version: _Optional[int] = ..., subject: _Optional[str] = ..., text: _Optional[str] = ..., text_uk: _Optional[str] = ..., text_en: _Optional[str] = ...) -> None: ...

class SendTestRequest(_message.Message):
    __slots__ = ("template", "variables", "channel", "address")
    class VariablesEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    TEMPLATE_FIELD_NUMBER: _ClassVar[int]
    VARIABLES_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    ADDRESS_FIELD_NUMBER: _ClassVar[int]
    template: str
    variables: _containers.ScalarMap[str, str]
    channel: DeliveryChannel
    address: str
    def __init__(self, template: _Optional[str] = ..., variables: _Optional[_Mapping[str, str]] = ..., channel: _Optional[_Union[DeliveryChannel, str]] = ..., address: _Optional[str] = ...) -> None: ...

class SendTestResponse(_message.Message):
    __slots__ = ("delivery",)
    DELIVERY_FIELD_NUMBER: _ClassVar[int]
    delivery: Delivery
    def __init__(self, delivery: _Optional[_Union[Delivery, _Mapping]] = ...) -> None: ...

class GetMyPreferencesRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class NotificationPreferences(_message.Message):
    __slots__ = ("channel_order", "opted_out", "quiet_start", "quiet_end", "time_zone")
    CHANNEL_ORDER_FIELD_NUMBER: _ClassVar[int]
    OPTED_OUT_FIELD_NUMBER: _ClassVar[int]
    QUIET_START_FIELD_NUMBER: _ClassVar[int]
    QUIET_END_FIELD_NUMBER: _ClassVar[int]
    TIME_ZONE_FIELD_NUMBER: _ClassVar[int]
    channel_order: _containers.RepeatedScalarFieldContainer[DeliveryChannel]
    opted_out: _containers.RepeatedScalarFieldContainer[DeliveryChannel]
    quiet_start: str
    quiet_end: str
    time_zone: str
    def __init__(self, channel_order: _Optional[_Iterable[_Union[DeliveryChannel, str]]] = ..., opted_out: _Optional[_Iterable[_Union[DeliveryChannel, str]]] = ..., quiet_start: _Optional[str] = ..., quiet_end: _Optional[str] = ..., time_zone: _Optional[str] = ...) -> None: ...
