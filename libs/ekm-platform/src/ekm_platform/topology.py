"""Broker topology a service needs before anything is published to it.

nameko declares an event handler's queue only when the service starts; an event
published earlier would be dropped. ``declare_event_queues`` declares the durable
queues of a service's event handlers (same names nameko uses) at migration time.
"""
from __future__ import annotations

import kombu
from nameko.events import SERVICE_POOL, EventHandler
from nameko.extensions import ENTRYPOINT_EXTENSIONS_ATTR
from nameko.standalone.events import get_event_exchange


def event_queues(service_cls) -> list[kombu.Queue]:
    queues = []
    for attr in sorted(dir(service_cls)):
        for ext in getattr(getattr(service_cls, attr, None), ENTRYPOINT_EXTENSIONS_ATTR, ()):
            if isinstance(ext, EventHandler) and ext.handler_type == SERVICE_POOL:
                name = f"evt-{ext.source_service}-{ext.event_type}--{service_cls.name}.{attr}"
                queues.append(kombu.Queue(
                    name, exchange=get_event_exchange(ext.source_service),
                    routing_key=ext.event_type, durable=True, auto_delete=False))
    return queues


def declare_event_queues(service_cls, amqp_uri: str) -> list[str]:
    queues = event_queues(service_cls)
    with kombu.Connection(amqp_uri) as connection:
        channel = connection.channel()
        for queue in queues:
            queue(channel).declare()
    return [q.name for q in queues]
