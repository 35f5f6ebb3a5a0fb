"""nameko-opentelemetry (opentelemetry-instrumentation-nameko): entrypoint spans without
binding every call's arguments, and no spans for the gRPC health probes."""

from __future__ import annotations

import re

from ekm_platform.patches._core import check_versions, is_patched, replace

REQUIRES = {"opentelemetry-instrumentation-nameko": "0.5.2", "nameko": "3.0.0rc11", "nameko-grpc": "1.3.0"}
NO_CALL_ARGS = "nameko_opentelemetry.trace_entrypoints_without_call_args"
UNTRACED_HEALTH = "nameko_opentelemetry.untraced_health_checks"

_CASE_NUMBER = re.compile(r"^CASE-\d{4}-[0-9A-Z]+$")


def check() -> None:
    check_versions(NO_CALL_ARGS, REQUIRES)


def case_number_of_call(args, kwargs) -> str | None:
    """The case a call or an event is about, without binding the arguments: a
    ``case_number`` keyword, an event whose ``data`` (or a dict argument) names one, or
    a positional argument shaped like a case number."""
    value = (kwargs or {}).get("case_number")
    if isinstance(value, str) and value:
        return value
    for arg in args or ():
        if isinstance(arg, dict):
            inner = arg.get("data")
            data = inner if isinstance(inner, dict) else arg
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

    replace(EntrypointAdapter, "get_attributes", get_attributes, NO_CALL_ARGS)


def nameko_is_instrumented() -> bool:
    from nameko.containers import ServiceContainer

    return hasattr(ServiceContainer.__dict__["_worker_setup"], "__wrapped__")


def untraced_health_checks() -> None:
    """The standard gRPC health service (probed every few seconds by Kubernetes and load
    balancers) gets no spans: they would fill the trace store with noise and cost every
    probe a span. Every other entrypoint is traced as before.

    It changes what ``NamekoInstrumentor().instrument()`` wrapped, so it is applied after
    that (``apply_all`` after ``runner.instrument``); without tracing there is nothing to do."""
    from grpc_health.v1 import health_pb2_grpc
    from nameko.containers import ServiceContainer
    from nameko_grpc.entrypoint import Grpc

    if is_patched(ServiceContainer, "_worker_setup", UNTRACED_HEALTH) or not nameko_is_instrumented():
        return
    traced_setup = ServiceContainer.__dict__["_worker_setup"]
    traced_result = ServiceContainer.__dict__["_worker_result"]
    plain_setup = traced_setup.__wrapped__
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

    replace(ServiceContainer, "_worker_result", _worker_result, UNTRACED_HEALTH)
    replace(ServiceContainer, "_worker_setup", _worker_setup, UNTRACED_HEALTH)


def apply() -> None:
    check()
    trace_entrypoints_without_call_args()
    untraced_health_checks()
