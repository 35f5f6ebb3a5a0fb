"""Broker topology a service needs before anything is published to it, and the queue type.

nameko declares an event handler's queue only when the service starts; an event
published earlier would be dropped. ``declare_event_queues`` declares the durable
queues of a service's event handlers (same names nameko uses) at migration time.

Queue type: ``EKM_QUEUE_TYPE`` is ``classic`` (the default: one machine) or ``quorum``
(a cluster: replicated queues, see deploy/k8s/components/rabbitmq/). With ``quorum``,
every queue that carries the platform's work is declared with ``x-queue-type: quorum`` —
event queues (here, ``events.RetryingEventHandler``), RPC queues ``rpc-<service>``
(``ekm_platform.patches.nameko.typed_queues``), the retry delay queues ``ekm.retry.<ms>``
(``events.delay_queue``, dead-lettering at-least-once) and the partner feed's queues
(``registry_gateway.feed_consumer``). RPC *reply* queues (``rpc.reply-…``: one per caller
process, expiring when it is gone) are declared ``classic`` explicitly, so that a vhost
whose default type is quorum does not make them quorum: a reply belongs to one live
caller, which times out if the node holding its reply queue fails, so replicating them
would buy nothing and cost a Raft group per process. A queue's type is fixed when it is
first declared: set the type before the first ``ekm migrate`` on a broker.
"""

from __future__ import annotations

import os

import kombu
from nameko.events import SERVICE_POOL, EventHandler
from nameko.extensions import ENTRYPOINT_EXTENSIONS_ATTR
from nameko.standalone.events import get_event_exchange

QUEUE_TYPES = ("classic", "quorum")


def queue_type() -> str:
    """``EKM_QUEUE_TYPE``; anything but classic or quorum refuses to start."""
    value = os.environ.get("EKM_QUEUE_TYPE", "classic").strip().lower() or "classic"
    if value not in QUEUE_TYPES:
        raise ValueError(f"EKM_QUEUE_TYPE={value!r}: очікується / expected one of {', '.join(QUEUE_TYPES)}")
    return value


def queue_arguments() -> dict:
    """Declaration arguments of a durable work queue (event, RPC, feed, dead-letter)."""
    return {"x-queue-type": "quorum"} if queue_type() == "quorum" else {}


def delay_queue_arguments() -> dict:
    """A retry delay queue dead-letters every message back to its work queue when its TTL
    ends; a quorum queue does so at-least-once only with ``reject-publish`` overflow (its
    default, at-most-once, may drop a message whose target is briefly unavailable)."""
    if queue_type() == "quorum":
        return {"x-queue-type": "quorum", "x-dead-letter-strategy": "at-least-once", "x-overflow": "reject-publish"}
    return {}


def reply_queue_arguments() -> dict:
    """RPC reply queues stay classic (see the module's docstring)."""
    return {"x-queue-type": "classic"} if queue_type() == "quorum" else {}


def typed(queue: kombu.Queue, arguments: dict | None = None) -> kombu.Queue:
    """``queue`` with the configured type's arguments added (in place; returned)."""
    extra = queue_arguments() if arguments is None else arguments
    if extra:
        queue.queue_arguments = {**(queue.queue_arguments or {}), **extra}
    return queue


def event_queues(service_cls) -> list[kombu.Queue]:
    queues = []
    for attr in sorted(dir(service_cls)):
        for ext in getattr(getattr(service_cls, attr, None), ENTRYPOINT_EXTENSIONS_ATTR, ()):
            if isinstance(ext, EventHandler) and ext.handler_type == SERVICE_POOL:
                name = f"evt-{ext.source_service}-{ext.event_type}--{service_cls.name}.{attr}"
                queues.append(
                    typed(
                        kombu.Queue(
                            name,
                            exchange=get_event_exchange(ext.source_service),
                            routing_key=ext.event_type,
                            durable=True,
                            auto_delete=False,
                        )
                    )
                )
    return queues


def declare_event_queues(service_cls, amqp_uri: str) -> list[str]:
    queues = event_queues(service_cls)
    with kombu.Connection(amqp_uri) as connection:
        channel = connection.channel()
        for queue in queues:
            queue(channel).declare()
    return [q.name for q in queues]
