"""Measured fixes to nameko 3.0.0rc11 internals, applied once per service process."""
from __future__ import annotations

import kombu


class _DeclareOnceQueue(kombu.Queue):
    @property
    def can_cache_declaration(self):
        return True


def declare_reply_queue_once() -> None:
    """nameko re-declares its RPC reply queue before every call (the queue has
    ``x-expires``, so kombu will not cache it): a synchronous broker round trip per
    call. The listener consumes that queue for as long as it lives, so it cannot
    expire under it; declaring it once per connection is enough."""
    from nameko.rpc import ReplyListener

    if getattr(ReplyListener, "_ekm_patched", False):
        return
    original_setup = ReplyListener.setup

    def setup(self):
        original_setup(self)
        self.queue.__class__ = _DeclareOnceQueue

    ReplyListener.setup = setup
    ReplyListener._ekm_patched = True
