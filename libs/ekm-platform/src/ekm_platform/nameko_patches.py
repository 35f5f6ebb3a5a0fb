"""Old import path: the patches live in ``ekm_platform.patches`` (one module per dependency)."""

from __future__ import annotations

from ekm_platform.patches.nameko import declare_reply_queue_once, typed_queues
from ekm_platform.patches.nameko_opentelemetry import (
    case_number_of_call,
    trace_entrypoints_without_call_args,
    untraced_health_checks,
)

__all__ = [
    "case_number_of_call",
    "declare_reply_queue_once",
    "trace_entrypoints_without_call_args",
    "typed_queues",
    "untraced_health_checks",
]
