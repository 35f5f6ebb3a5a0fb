"""Protobuf messages from domain objects."""
from ekm.notifications.v1 import notifications_pb2

from ekm_platform.codes import CodeList
from ekm_platform.grpc_mapping import timestamp

from notifications.domain.delivery import Delivery

CHANNELS = CodeList(notifications_pb2.DeliveryChannel)   # "sms" -> DELIVERY_CHANNEL_SMS, …
STATUSES = CodeList(notifications_pb2.DeliveryStatus)   # "sent" -> DELIVERY_STATUS_SENT, …


def deliveries_response(found: list[Delivery]) -> notifications_pb2.ListDeliveriesResponse:
    return notifications_pb2.ListDeliveriesResponse(deliveries=[
        notifications_pb2.Delivery(
            delivery_id=d.delivery_id, reference=d.reference, template=d.template,
            channel=CHANNELS.number(d.channel), status=STATUSES.number(d.status),
            recipient_masked=d.recipient_masked, locale=d.locale,
            created_at=timestamp(d.created_at))
        for d in found])
