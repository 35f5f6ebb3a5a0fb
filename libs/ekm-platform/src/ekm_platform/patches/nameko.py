"""nameko: the RPC reply queue is declared once per connection, not before every call; RPC
queues get the configured queue type (``EKM_QUEUE_TYPE``, see ``ekm_platform.topology``)."""

from __future__ import annotations

import kombu

from ekm_platform.patches._core import check_versions, replace

REQUIRES = {"nameko": "3.0.0rc11", "kombu": "5.7.0"}
PATCH = "nameko.declare_reply_queue_once"
TYPED = "nameko.typed_queues"


class DeclareOnceQueue(kombu.Queue):
    """A queue kombu may remember as declared (per connection) although it has ``x-expires``."""

    @property  # kombu's is a property too (its stubs call it an attribute)
    def can_cache_declaration(self) -> bool:  # type: ignore[override]
        return True


def check() -> None:
    check_versions(PATCH, REQUIRES)


def declare_reply_queue_once() -> None:
    """nameko re-declares its RPC reply queue before every call (the queue has
    ``x-expires``, so kombu will not cache it): a synchronous broker round trip per
    call. The listener consumes that queue for as long as it lives, so it cannot
    expire under it; declaring it once per connection is enough."""
    from nameko.rpc import ReplyListener

    original_setup = ReplyListener.setup

    def setup(self):
        original_setup(self)
        self.queue.__class__ = DeclareOnceQueue

    replace(ReplyListener, "setup", setup, PATCH)


def typed_queues() -> None:
    """nameko declares a service's RPC queue ``rpc-<service>`` and its reply queues with
    fixed arguments; with ``EKM_QUEUE_TYPE=quorum`` the RPC queue must be a quorum queue,
    and reply queues are declared ``classic`` explicitly (``topology.reply_queue_arguments``).
    With the default ``classic`` type nothing changes."""
    from nameko.rpc import ReplyListener, RpcConsumer

    from ekm_platform.topology import reply_queue_arguments, typed

    consumer_setup = RpcConsumer.setup
    listener_setup = ReplyListener.setup

    def rpc_consumer_setup(self):
        consumer_setup(self)
        typed(self.queue)

    def reply_listener_setup(self):
        listener_setup(self)
        typed(self.queue, reply_queue_arguments())

    replace(RpcConsumer, "setup", rpc_consumer_setup, TYPED)
    replace(ReplyListener, "setup", reply_listener_setup, TYPED)


def apply() -> None:
    check()
    declare_reply_queue_once()
    typed_queues()
