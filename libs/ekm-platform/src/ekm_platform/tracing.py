"""Tracing: one OpenTelemetry trace per request across every service.

Spans go over OTLP/HTTP when ``OTEL_EXPORTER_OTLP_ENDPOINT`` is set, and are always kept
locally (unless ``EKM_TRACE_STORE=off``) in a SQLite file shared by the processes of this
machine (``EKM_TRACE_DB``, default ``var/traces.db``) so that ``ekm trace`` can print them.
"""

from __future__ import annotations

import contextlib
import contextvars
import json
import logging
import os
import pathlib
import re
import sqlite3
import sys
import threading

from opentelemetry import trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter, SpanExportResult

LOOKUP_ATTRIBUTES = ("ekm.tracking_number", "ekm.case_number", "ekm.appeal_id", "ekm.xroad_id")
_SCHEMA = """
CREATE TABLE IF NOT EXISTS spans (trace_id TEXT, span_id TEXT, parent_span_id TEXT, name TEXT,
  service TEXT, kind TEXT, start_ns INTEGER, end_ns INTEGER, status TEXT, attributes TEXT,
  PRIMARY KEY (trace_id, span_id));
CREATE INDEX IF NOT EXISTS spans_by_trace ON spans (trace_id);
CREATE TABLE IF NOT EXISTS trace_keys (key TEXT, trace_id TEXT, PRIMARY KEY (key, trace_id));
"""
_provider: TracerProvider | None = None
_lock = threading.Lock()
log = logging.getLogger(__name__)


def trace_db_path() -> pathlib.Path:
    from ekm_platform.config import var_dir

    return pathlib.Path(os.environ.get("EKM_TRACE_DB") or var_dir() / "traces.db")


def _connect(path: pathlib.Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), timeout=5, check_same_thread=False)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA busy_timeout=5000")
    conn.executescript(_SCHEMA)
    return conn


class SqliteSpanExporter(SpanExporter):
    """Writes finished spans to the local trace store, in batches."""

    def __init__(self, path: pathlib.Path | None = None):
        self.path = path or trace_db_path()
        self._conn: sqlite3.Connection | None = None
        self._lock = _real_lock()

    def export(self, spans) -> SpanExportResult:
        rows, keys = [], []
        for span in spans:
            ctx = span.get_span_context()
            trace_id, span_id = f"{ctx.trace_id:032x}", f"{ctx.span_id:016x}"
            attributes = dict(span.attributes or {})
            rows.append(
                (
                    trace_id,
                    span_id,
                    f"{span.parent.span_id:016x}" if span.parent else None,
                    span.name,
                    span.resource.attributes.get("service.name", "?"),
                    span.kind.name,
                    span.start_time,
                    span.end_time,
                    span.status.status_code.name,
                    json.dumps(attributes, default=str, ensure_ascii=False),
                )
            )
            keys += [(str(attributes[k]), trace_id) for k in LOOKUP_ATTRIBUTES if k in attributes]
        try:
            _off_the_hub(self._write, rows, keys)
        except sqlite3.Error as error:
            log.warning("trace store %s: %d spans not written: %s", self.path, len(rows), error)
            return SpanExportResult.FAILURE
        return SpanExportResult.SUCCESS

    def _write(self, rows, keys) -> None:
        with self._lock:
            if self._conn is None:
                self._conn = _connect(self.path)
            with self._conn:
                self._conn.executemany("INSERT OR REPLACE INTO spans VALUES (?,?,?,?,?,?,?,?,?,?)", rows)
                self._conn.executemany("INSERT OR IGNORE INTO trace_keys VALUES (?,?)", keys)

    def shutdown(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


def _eventlet_active() -> bool:
    if "eventlet" not in sys.modules:  # never imported: cannot have patched anything
        return False
    from eventlet import patcher

    return patcher.is_monkey_patched("thread")


def _real_lock():
    if _eventlet_active():
        from eventlet.patcher import original

        return original("threading").Lock()
    return threading.Lock()


def _off_the_hub(function, *args):
    """Several processes share the trace store: waiting for its lock must not stall a
    green process, so under eventlet the write runs in a real OS thread."""
    if _eventlet_active():
        from eventlet import tpool

        return tpool.execute(function, *args)
    return function(*args)


def setup_tracing(service_name: str) -> TracerProvider:
    """Idempotent: the process's tracer provider, exporting locally and over OTLP if configured."""
    global _provider
    with _lock:
        if _provider is not None:
            return _provider
        provider = TracerProvider(resource=Resource.create({"service.name": service_name}))
        if os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT"):
            from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

            provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
        if os.environ.get("EKM_TRACE_STORE", "on") != "off":
            provider.add_span_processor(BatchSpanProcessor(SqliteSpanExporter(), schedule_delay_millis=200))
        trace.set_tracer_provider(provider)
        _provider = provider
        return provider


def shutdown_tracing() -> None:
    """Export what is still queued, then stop the exporters (at process exit)."""
    if _provider is not None:
        _provider.force_flush()
        _provider.shutdown()


def tag_current_span(**attributes) -> None:
    """Tag the current span with identifiers (never personal data): ``ekm.<key>``."""
    span = trace.get_current_span()
    for key, value in attributes.items():
        span.set_attribute(key if key.startswith("ekm.") else f"ekm.{key}", value)


# --- outbound HTTP (registries over X-Road) -------------------------------------------------

_outbound: contextvars.ContextVar[dict] = contextvars.ContextVar("ekm_outbound_identifiers", default={})  # noqa: B039 (never mutated: a new dict is set)


@contextlib.contextmanager
def outbound_identifiers(**identifiers):
    """Identifiers (never personal data) for the HTTP client spans of the calls made inside:
    e.g. ``case_number``, ``xroad_id``, ``registry``, ``operation``. Nested blocks add to
    the outer one's."""
    token = _outbound.set({**_outbound.get(), **{k: v for k, v in identifiers.items() if v}})
    try:
        yield
    finally:
        _outbound.reset(token)


def _strip_query(url: str) -> str:
    """A registry is asked by RNOKPP in the query string: a span keeps only the path."""
    return url.split("?", 1)[0]


def _tag_client_span(span, pool, request_info) -> None:
    identifiers = _outbound.get()
    if not identifiers or not span.is_recording():
        return
    for key, value in identifiers.items():
        span.set_attribute(f"ekm.{key}", str(value))
    name = " ".join(str(identifiers[k]) for k in ("registry", "operation") if identifiers.get(k))
    if name:
        span.update_name(f"{request_info.method} {name}")


def instrument_http_clients() -> None:
    """A CLIENT span for every urllib3 request (zeep's SOAP calls and requests' REST calls
    both go through urllib3), with the W3C ``traceparent`` injected into the request's
    headers, the URL without its query string, and the identifiers of
    ``outbound_identifiers``. Idempotent."""
    from opentelemetry.instrumentation.urllib3 import URLLib3Instrumentor

    instrumentor = URLLib3Instrumentor()
    if not instrumentor.is_instrumented_by_opentelemetry:
        instrumentor.instrument(url_filter=_strip_query, request_hook=_tag_client_span)


_TRACE_ID = re.compile(r"^[0-9a-f]{32}$")


class TraceStore:
    """The read side of the local store."""

    def __init__(self, path: pathlib.Path | None = None):
        self.path = pathlib.Path(path) if path else trace_db_path()

    def find_trace_ids(self, key_or_trace_id: str) -> list[str]:
        """A 32-hex string is a trace id; anything else is looked up in ``trace_keys``."""
        key = key_or_trace_id.strip()
        if _TRACE_ID.match(key.lower()):
            return [key.lower()]
        with self._read() as conn:
            if conn is None:
                return []
            return [r[0] for r in conn.execute("SELECT trace_id FROM trace_keys WHERE key = ?", (key,))]

    def spans(self, trace_id: str) -> list[dict]:
        """The spans of one trace in start order, ``attributes`` decoded."""
        with self._read() as conn:
            if conn is None:
                return []
            conn.row_factory = sqlite3.Row
            rows = conn.execute("SELECT * FROM spans WHERE trace_id = ? ORDER BY start_ns", (trace_id,))
            return [dict(r, attributes=json.loads(r["attributes"])) for r in rows]

    @contextlib.contextmanager
    def _read(self):
        if not self.path.exists():
            yield None
            return
        with contextlib.closing(_connect(self.path)) as conn:
            yield conn
