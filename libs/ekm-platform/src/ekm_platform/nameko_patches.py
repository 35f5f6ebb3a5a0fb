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


def trace_entrypoints_without_call_args() -> None:
    """nameko-opentelemetry binds every call's arguments to the method's signature
    (``inspect.getcallargs``) for the span's attributes, even when request payloads are
    not sent — and we never send them (they would carry personal data). The binding alone
    cost ~5 % of a gRPC call; here it is done only when payloads are configured."""
    from nameko_opentelemetry.entrypoints import EntrypointAdapter

    if getattr(EntrypointAdapter, "_ekm_patched", False):
        return
    original = EntrypointAdapter.get_attributes

    def get_attributes(self, worker_ctx):
        if self.config.get("send_request_payloads"):
            return original(self, worker_ctx)
        entrypoint = worker_ctx.entrypoint
        attributes = {
            "service_name": worker_ctx.service_name,
            "entrypoint_type": type(entrypoint).__name__,
            "method_name": entrypoint.method_name,
            "active_workers": worker_ctx.container._worker_pool.running(),
            "available_workers": worker_ctx.container._worker_pool.free(),
        }
        attributes.update(self.get_header_attributes(worker_ctx) or {})
        return attributes

    EntrypointAdapter.get_attributes = get_attributes
    EntrypointAdapter._ekm_patched = True
