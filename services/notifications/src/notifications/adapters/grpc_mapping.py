"""Protobuf messages from domain objects."""

from ekm.notifications.v1 import notifications_pb2
from ekm_platform.codes import CodeList
from ekm_platform.grpc_mapping import timestamp
from notifications.domain.delivery import Delivery
from notifications.domain.policy import Preferences
from notifications.domain.rendering import Rendered

CHANNELS = CodeList(notifications_pb2.DeliveryChannel)  # "sms" -> DELIVERY_CHANNEL_SMS, …
STATUSES = CodeList(notifications_pb2.DeliveryStatus)  # "sent" -> DELIVERY_STATUS_SENT, …
ATTEMPTS = CodeList(notifications_pb2.AttemptStatus)  # "failed" -> ATTEMPT_STATUS_FAILED, …


def deliveries_response(
    found: list[Delivery], attempts: dict | None = None
) -> notifications_pb2.ListDeliveriesResponse:
    attempts = attempts or {}
    return notifications_pb2.ListDeliveriesResponse(
        deliveries=[delivery_message(d, attempts.get(d.delivery_id, [])) for d in found]
    )


def delivery_message(d: Delivery, attempts: list[dict] = ()) -> notifications_pb2.Delivery:
    message = notifications_pb2.Delivery(
        delivery_id=d.delivery_id,
        reference=d.reference,
        template=d.template,
        channel=CHANNELS.number(d.channel),
        status=STATUSES.number(d.status),
        recipient_masked=d.recipient_masked,
        locale=d.locale,
        created_at=timestamp(d.created_at),
        template_version=d.template_version,
        error=d.error,
        attempt_count=d.attempts,
        urgent=bool(d.urgent),
        attempts=[
            notifications_pb2.DeliveryAttempt(
                attempt_no=a["attempt_no"],
                channel=CHANNELS.number(a["channel"]),
                status=ATTEMPTS.number(a["status"]),
                error=a["error"],
                recipient_masked=a["recipient_masked"],
                at=timestamp(a["at"]),
            )
            for a in attempts
        ],
    )
    if d.due_at is not None and d.status == "queued":
        message.due_at.CopyFrom(timestamp(d.due_at))
    return message


def inbox_response(items: list[dict], unread: int) -> notifications_pb2.ListInboxResponse:
    response = notifications_pb2.ListInboxResponse(unread=unread)
    for item in items:
        message = response.items.add(
            item_id=item["item_id"],
            template=item["template"],
            template_version=item["template_version"],
            title=item["title"],
            text=item["text"],
            reference=item["reference"],
            urgent=bool(item["urgent"]),
            created_at=timestamp(item["created_at"]),
        )
        if item["read_at"] is not None:
            message.read_at.CopyFrom(timestamp(item["read_at"]))
    return response


def marked_response(marked: int) -> notifications_pb2.MarkInboxReadResponse:
    return notifications_pb2.MarkInboxReadResponse(marked=marked)


def preview_response(r: Rendered) -> notifications_pb2.PreviewTemplateResponse:
    return notifications_pb2.PreviewTemplateResponse(
        template=r.template, version=r.version, subject=r.subject, text=r.text, text_uk=r.text_uk, text_en=r.text_en
    )


def send_test_response(d: Delivery) -> notifications_pb2.SendTestResponse:
    return notifications_pb2.SendTestResponse(delivery=delivery_message(d))


def preferences_message(p: Preferences) -> notifications_pb2.NotificationPreferences:
    return notifications_pb2.NotificationPreferences(
        channel_order=[CHANNELS.number(c) for c in p.channel_order],
        opted_out=[CHANNELS.number(c) for c in sorted(p.opted_out)],
        quiet_start=p.quiet_start,
        quiet_end=p.quiet_end,
        time_zone=p.timezone,
    )
