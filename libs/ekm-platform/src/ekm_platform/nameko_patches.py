"""Measured fixes to nameko 3.0.0rc11 internals, applied once per service process."""
from __future__ import annotations

import re

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


_CASE_NUMBER = re.compile(r"^CASE-\d{4}-[0-9A-Z]+$")


def case_number_of_call(args, kwargs) -> str | None:
    """The case a call or an event is about, without binding the arguments: a
    ``case_number`` keyword, an event whose ``data`` (or a dict argument) names one, or
    a positional argument shaped like a case number."""
    value = (kwargs or {}).get("case_number")
    if isinstance(value, str) and value:
        return value
    for arg in args or ():
        if isinstance(arg, dict):
            data = arg.get("data") if isinstance(arg.get("data"), dict) else arg
            value = data.get("case_number")
            if isinstance(value, str) and value:
                return value
        elif isinstance(arg, str) and _CASE_NUMBER.match(arg):
            return arg
    return None


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
        case_number = case_number_of_call(worker_ctx.args, worker_ctx.kwargs)
        if case_number:  # `ekm trace CASE-…` finds every handler and RPC about the case
            attributes["ekm.case_number"] = case_number
        return attributes

    EntrypointAdapter.get_attributes = get_attributes
    EntrypointAdapter._ekm_patched = True


def untraced_health_checks() -> None:
    """The standard gRPC health service (probed every few seconds by Kubernetes and load
    balancers) gets no spans: they would fill the trace store with noise and cost every
    probe a span. Every other entrypoint is traced as before."""
    from grpc_health.v1 import health_pb2_grpc
    from nameko.containers import ServiceContainer
    from nameko_grpc.entrypoint import Grpc

    if getattr(ServiceContainer, "_ekm_untraced_health", False):
        return
    traced_setup, traced_result = ServiceContainer._worker_setup, ServiceContainer._worker_result
    plain_setup = getattr(traced_setup, "__wrapped__", traced_setup)
    plain_result = getattr(traced_result, "__wrapped__", traced_result)

    def is_probe(worker_ctx) -> bool:
        entrypoint = worker_ctx.entrypoint
        return isinstance(entrypoint, Grpc) and entrypoint.stub is health_pb2_grpc.HealthStub

    def _worker_setup(self, worker_ctx):
        if is_probe(worker_ctx):
            return plain_setup(self, worker_ctx)
        return traced_setup.__get__(self, type(self))(worker_ctx)

    def _worker_result(self, worker_ctx, result=None, exc_info=None):
        if is_probe(worker_ctx):
            return plain_result(self, worker_ctx, result, exc_info)
        return traced_result.__get__(self, type(self))(worker_ctx, result, exc_info)

    ServiceContainer._worker_setup = _worker_setup
    ServiceContainer._worker_result = _worker_result
    ServiceContainer._ekm_untraced_health = True
