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

class DeliveryChannel(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DELIVERY_CHANNEL_UNSPECIFIED: _ClassVar[DeliveryChannel]
    DELIVERY_CHANNEL_SMS: _ClassVar[DeliveryChannel]
    DELIVERY_CHANNEL_EMAIL: _ClassVar[DeliveryChannel]
    DELIVERY_CHANNEL_PUSH: _ClassVar[DeliveryChannel]
    DELIVERY_CHANNEL_LOG: _ClassVar[DeliveryChannel]

class DeliveryStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DELIVERY_STATUS_UNSPECIFIED: _ClassVar[DeliveryStatus]
    DELIVERY_STATUS_QUEUED: _ClassVar[DeliveryStatus]
    DELIVERY_STATUS_SENT: _ClassVar[DeliveryStatus]
    DELIVERY_STATUS_FAILED: _ClassVar[DeliveryStatus]
DELIVERY_CHANNEL_UNSPECIFIED: DeliveryChannel
DELIVERY_CHANNEL_SMS: DeliveryChannel
DELIVERY_CHANNEL_EMAIL: DeliveryChannel
DELIVERY_CHANNEL_PUSH: DeliveryChannel
DELIVERY_CHANNEL_LOG: DeliveryChannel
DELIVERY_STATUS_UNSPECIFIED: DeliveryStatus
DELIVERY_STATUS_QUEUED: DeliveryStatus
DELIVERY_STATUS_SENT: DeliveryStatus
DELIVERY_STATUS_FAILED: DeliveryStatus

class ListDeliveriesRequest(_message.Message):
    __slots__ = ("reference",)
    REFERENCE_FIELD_NUMBER: _ClassVar[int]
    reference: str
    def __init__(self, reference: _Optional[str] = ...) -> None: ...

class Delivery(_message.Message):
    __slots__ = ("delivery_id", "reference", "template", "recipient_masked", "locale", "created_at", "channel", "status")
    DELIVERY_ID_FIELD_NUMBER: _ClassVar[int]
    REFERENCE_FIELD_NUMBER: _ClassVar[int]
    TEMPLATE_FIELD_NUMBER: _ClassVar[int]
    RECIPIENT_MASKED_FIELD_NUMBER: _ClassVar[int]
    LOCALE_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    delivery_id: str
    reference: str
    template: str
    recipient_masked: str
    locale: str
    created_at: _timestamp_pb2.Timestamp
    channel: DeliveryChannel
    status: DeliveryStatus
    def __init__(self, delivery_id: _Optional[str] = ..., reference: _Optional[str] = ..., template: _Optional[str] = ..., recipient_masked: _Optional[str] = ..., locale: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., channel: _Optional[_Union[DeliveryChannel, str]] = ..., status: _Optional[_Union[DeliveryStatus, str]] = ...) -> None: ...

class ListDeliveriesResponse(_message.Message):
    __slots__ = ("deliveries",)
    DELIVERIES_FIELD_NUMBER: _ClassVar[int]
    deliveries: _containers.RepeatedCompositeFieldContainer[Delivery]
    def __init__(self, deliveries: _Optional[_Iterable[_Union[Delivery, _Mapping]]] = ...) -> None: ...
