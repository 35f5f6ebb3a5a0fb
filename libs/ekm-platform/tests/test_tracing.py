"""Tracing: spans of several service processes in one SQLite store, and ``ekm trace`` over it."""

import json
import re
import subprocess
import sys
import textwrap
import threading
import time

import pytest
from opentelemetry import trace
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.propagate import extract, inject
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.trace import SpanContext, SpanKind, StatusCode, TraceFlags

from ekm_platform import trace_cli, tracing
from ekm_platform.tracing import SqliteSpanExporter, TraceStore

TRACKING = "EKM-261122-AAAAAAAA"
CASE = "К-2611-0001"
LINE = re.compile(r"^ *\d+\.\d\d ms  (?P<indent> *)\[(?P<service>[\w-]+)\] (?P<rest>.*)$")


@pytest.fixture
def db(tmp_path, monkeypatch):
    path = tmp_path / "var" / "traces.db"  # the parent directory does not exist yet
    monkeypatch.setenv("EKM_TRACE_DB", str(path))
    monkeypatch.delenv("OTEL_EXPORTER_OTLP_ENDPOINT", raising=False)
    monkeypatch.delenv("EKM_TRACE_STORE", raising=False)
    return path


@pytest.fixture
def services(db):
    """Two fake service processes: own providers, both batching into the same store."""
    providers = {}

    def start(name):
        provider = TracerProvider(resource=Resource.create({"service.name": name}))
        provider.add_span_processor(BatchSpanProcessor(SqliteSpanExporter(), schedule_delay_millis=200))
        providers[name] = provider
        return provider

    yield start
    for provider in providers.values():
        provider.shutdown()


def submit_appeal(intake, cases) -> str:
    """intake serves the request and publishes; cases consumes it with the propagated context."""
    front, back, message_headers = intake.get_tracer("t"), cases.get_tracer("t"), {}
    with front.start_as_current_span("intake.SubmitAppeal", kind=SpanKind.SERVER) as root:
        tracing.tag_current_span(tracking_number=TRACKING)
        with front.start_as_current_span("publish appeal.accepted", kind=SpanKind.PRODUCER):
            inject(message_headers)
    with back.start_as_current_span(
        "cases.on_appeal_accepted", context=extract(message_headers), kind=SpanKind.CONSUMER
    ):
        tracing.tag_current_span(**{"ekm.case_number": CASE})
        with back.start_as_current_span("INSERT cases"):
            pass
    intake.force_flush()
    cases.force_flush()
    return f"{root.get_span_context().trace_id:032x}"


def tree(output: str) -> list[tuple[int, str, str]]:
    """(depth, service, 'name (kind)...') of every span line printed."""
    return [(len(m["indent"]) // 2, m["service"], m["rest"]) for m in map(LINE.match, output.splitlines()) if m]


def remote_parent(trace_id: int) -> trace.Context:
    """The context of a caller whose spans are not in the store."""
    parent = SpanContext(trace_id, 0xDEAD, is_remote=True, trace_flags=TraceFlags(TraceFlags.SAMPLED))
    return trace.set_span_in_context(trace.NonRecordingSpan(parent))


def test_spans_of_two_services_form_one_tree(services):
    trace_id = submit_appeal(services("intake"), services("cases"))
    spans = {s["name"]: s for s in TraceStore().spans(trace_id)}
    assert {name: s["service"] for name, s in spans.items()} == {
        "intake.SubmitAppeal": "intake",
        "publish appeal.accepted": "intake",
        "cases.on_appeal_accepted": "cases",
        "INSERT cases": "cases",
    }
    assert spans["intake.SubmitAppeal"]["parent_span_id"] is None
    assert spans["publish appeal.accepted"]["parent_span_id"] == spans["intake.SubmitAppeal"]["span_id"]
    assert spans["cases.on_appeal_accepted"]["parent_span_id"] == spans["publish appeal.accepted"]["span_id"]
    assert spans["INSERT cases"]["parent_span_id"] == spans["cases.on_appeal_accepted"]["span_id"]
    assert spans["cases.on_appeal_accepted"]["kind"] == "CONSUMER"
    assert spans["intake.SubmitAppeal"]["attributes"] == {"ekm.tracking_number": TRACKING}
    assert all(s["end_ns"] >= s["start_ns"] > 0 for s in spans.values())


def test_trace_found_by_tracking_number_case_number_and_trace_id(services):
    trace_id = submit_appeal(services("intake"), services("cases"))
    submit_appeal(services("intake-2"), services("cases-2"))  # another trace, same case number
    store = TraceStore()
    assert store.find_trace_ids(TRACKING) != []
    assert trace_id in store.find_trace_ids(TRACKING)
    assert len(store.find_trace_ids(CASE)) == 2
    assert store.find_trace_ids(trace_id.upper()) == [trace_id]
    assert store.find_trace_ids("EKM-000000-NOPE") == []


def test_cli_prints_the_nested_tree_and_a_summary(services, capsys):
    trace_id = submit_appeal(services("intake"), services("cases"))
    assert trace_cli.main([TRACKING]) == 0
    out = capsys.readouterr().out
    assert tree(out) == [
        (0, "intake", "intake.SubmitAppeal (server)"),
        (1, "intake", "publish appeal.accepted (producer)"),
        (2, "cases", "cases.on_appeal_accepted (consumer)"),
        (3, "cases", "INSERT cases (internal)"),
    ]
    span_lines = [line for line in out.splitlines() if LINE.match(line)]
    assert len({line.index(" ms ") for line in span_lines}) == 1  # durations right-aligned
    [summary] = [line for line in out.splitlines() if trace_id in line]
    assert "4 спанів / spans" in summary and "cases, intake" in summary and "total" in summary


def test_orphan_spans_at_top_level_errors_marked_durations_aligned(services, db, capsys):
    provider, t0 = services("cases"), 1_700_000_000_000_000_000
    tracer = provider.get_tracer("t")
    consumer = tracer.start_span(
        "cases.on_appeal_accepted", context=remote_parent(0xABC), kind=SpanKind.CONSUMER, start_time=t0
    )
    with trace.use_span(consumer, end_on_exit=False):
        failing = tracer.start_span("INSERT cases", start_time=t0 + 1_000_000)
        failing.set_status(StatusCode.ERROR, "unique violation")
        failing.end(end_time=t0 + 4_000_000)
    consumer.end(end_time=t0 + 1_234_500_000)
    provider.force_flush()
    assert trace_cli.main([f"{0xABC:032x}", "--db", str(db)]) == 0
    out = capsys.readouterr().out.splitlines()
    lines = tree("\n".join(out))
    assert [(depth, rest.split(" (")[0]) for depth, _, rest in lines] == [
        (0, "cases.on_appeal_accepted"),
        (1, "INSERT cases"),
    ]
    assert "ERROR" not in lines[0][2] and "ERROR" in lines[1][2]
    assert out[0].index("1234.50 ms") + 3 == out[1].index("3.00 ms")  # right-aligned
    [summary] = [line for line in out if f"{0xABC:032x}" in line]
    assert "2 спанів / spans" in summary and "загалом / total 1234.50 ms" in summary


def test_cli_json(services, capsys):
    trace_id = submit_appeal(services("intake"), services("cases"))
    assert trace_cli.main([TRACKING, "--json"]) == 0
    [dumped] = json.loads(capsys.readouterr().out)
    assert dumped["trace_id"] == trace_id
    assert {s["name"] for s in dumped["spans"]} == {
        "intake.SubmitAppeal",
        "publish appeal.accepted",
        "cases.on_appeal_accepted",
        "INSERT cases",
    }


@pytest.mark.parametrize("by", ["tracking number", "trace id"])
def test_cli_waits_for_spans_to_arrive(services, capsys, by):
    provider = services("intake")

    def later():
        time.sleep(0.6)
        with provider.get_tracer("t").start_as_current_span("intake.SubmitAppeal", context=remote_parent(0xF00D)):
            tracing.tag_current_span(tracking_number=TRACKING)

    writer = threading.Thread(target=later)
    writer.start()
    key = TRACKING if by == "tracking number" else f"{0xF00D:032x}"
    try:
        assert trace_cli.main([key, "--wait", "10"]) == 0
    finally:
        writer.join()
    assert [service for _, service, _ in tree(capsys.readouterr().out)] == ["intake"]


@pytest.mark.parametrize("existing_store", [False, True])
def test_not_found_exits_1(services, db, capsys, existing_store):
    if existing_store:
        submit_appeal(services("intake"), services("cases"))
    started = time.monotonic()
    assert trace_cli.main(["EKM-000000-NOPE", "--db", str(db), "--wait", "0.3"]) == 1
    assert time.monotonic() - started >= 0.3
    captured = capsys.readouterr()
    assert "Трасу не знайдено / trace not found: EKM-000000-NOPE" in captured.err
    assert captured.out == ""


@pytest.fixture
def fresh_global(monkeypatch):
    """setup_tracing as if in a new process, without replacing this process's global provider."""
    installed = []
    monkeypatch.setattr(tracing, "_provider", None)
    monkeypatch.setattr(tracing.trace, "set_tracer_provider", installed.append)
    return installed


def test_setup_tracing_is_idempotent_and_shutdown_flushes(db, fresh_global):
    provider = tracing.setup_tracing("intake")
    assert tracing.setup_tracing("other") is provider
    assert fresh_global == [provider]
    assert provider.resource.attributes["service.name"] == "intake"
    with provider.get_tracer("t").start_as_current_span("intake.SubmitAppeal"):
        tracing.tag_current_span(tracking_number=TRACKING, **{"ekm.appeal_id": "A-1"})
    tracing.shutdown_tracing()  # well within the 200 ms batching delay
    store = TraceStore(db)
    [trace_id] = store.find_trace_ids(TRACKING)
    assert store.find_trace_ids("A-1") == [trace_id]
    [span] = store.spans(trace_id)
    assert (span["service"], span["attributes"]) == (
        "intake",
        {"ekm.tracking_number": TRACKING, "ekm.appeal_id": "A-1"},
    )


@pytest.mark.parametrize(
    "env, exporters",
    [
        ({}, [SqliteSpanExporter]),
        ({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:9"}, [OTLPSpanExporter, SqliteSpanExporter]),
        ({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:9", "EKM_TRACE_STORE": "off"}, [OTLPSpanExporter]),
    ],
)
def test_setup_tracing_exporters(db, fresh_global, monkeypatch, env, exporters):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    provider = tracing.setup_tracing("cases")
    processors = provider._active_span_processor._span_processors
    assert [type(p.span_exporter) for p in processors] == exporters
    assert all(isinstance(p, BatchSpanProcessor) for p in processors)
    provider.shutdown()  # no spans: nothing is sent


WRITER = textwrap.dedent("""
    import eventlet; eventlet.monkey_patch()
    import sys
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor
    from ekm_platform.tracing import SqliteSpanExporter, _eventlet_active
    assert _eventlet_active()
    provider = TracerProvider(resource=Resource.create({"service.name": sys.argv[1]}))
    provider.add_span_processor(BatchSpanProcessor(SqliteSpanExporter(), schedule_delay_millis=1,
                                                   max_export_batch_size=7))
    for n in range(300):
        with provider.get_tracer("t").start_as_current_span(f"op {n}") as span:
            span.set_attribute("ekm.tracking_number", f"{sys.argv[1]}-{n % 3}")
        if n % 50 == 0:
            eventlet.sleep(0.01)
    provider.shutdown()
""")


def test_eventlet_processes_write_the_same_store_concurrently(db):
    writers = [
        subprocess.Popen([sys.executable, "-W", "ignore", "-c", WRITER, name], stderr=subprocess.PIPE)
        for name in ("intake", "cases", "notifications")
    ]
    for writer in writers:
        assert writer.wait(timeout=60) == 0, writer.stderr.read().decode()
        writer.stderr.close()
    store = TraceStore(db)
    for name in ("intake", "cases", "notifications"):
        trace_ids = store.find_trace_ids(f"{name}-1")
        assert len(trace_ids) == 100
        assert all(store.spans(t)[0]["service"] == name for t in trace_ids[:5])


def test_entrypoint_spans_do_not_bind_call_arguments_unless_payloads_are_sent(monkeypatch):
    from types import SimpleNamespace

    from nameko_opentelemetry import entrypoints

    from ekm_platform.nameko_patches import trace_entrypoints_without_call_args

    trace_entrypoints_without_call_args()
    pool = SimpleNamespace(running=lambda: 1, free=lambda: 9)

    class Service:
        def method(self, request, context):
            return None

    entrypoint = SimpleNamespace(
        method_name="method", sensitive_arguments=None, container=SimpleNamespace(service_cls=Service)
    )
    worker_ctx = SimpleNamespace(
        entrypoint=entrypoint,
        service_name="svc",
        args=("req", "ctx"),
        kwargs={},
        data={},
        container=SimpleNamespace(_worker_pool=pool),
    )
    bound = []
    real = entrypoints.inspect.getcallargs
    monkeypatch.setattr(entrypoints.inspect, "getcallargs", lambda *a, **k: bound.append(1) or real(*a, **k))
    attributes = entrypoints.EntrypointAdapter({}).get_attributes(worker_ctx)
    assert attributes["method_name"] == "method" and attributes["active_workers"] == 1 and not bound
    with_payloads = entrypoints.EntrypointAdapter({"send_request_payloads": True}).get_attributes(worker_ctx)
    assert bound and "call_args" in with_payloads
