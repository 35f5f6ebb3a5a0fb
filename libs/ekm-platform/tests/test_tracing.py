from opentelemetry import trace
from opentelemetry.propagate import extract, inject
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor

from ekm_platform import trace_cli
from ekm_platform.tracing import SqliteSpanExporter, TraceStore


def provider(service, db):
    p = TracerProvider(resource=Resource.create({"service.name": service}))
    p.add_span_processor(SimpleSpanProcessor(SqliteSpanExporter(db)))
    return p


def test_spans_of_two_processes_form_one_tree_found_by_tracking_number(tmp_path, capsys):
    db = tmp_path / "traces.db"
    front, back = provider("intake", db).get_tracer("t"), provider("cases", db).get_tracer("t")
    carrier = {}
    with front.start_as_current_span("intake.SubmitAppeal", kind=trace.SpanKind.SERVER) as root:
        root.set_attribute("ekm.tracking_number", "EKM-261122-AAAAAAAA")
        with front.start_as_current_span("publish appeal.accepted", kind=trace.SpanKind.PRODUCER):
            inject(carrier)
    with back.start_as_current_span("cases.on_appeal_accepted", context=extract(carrier),
                                    kind=trace.SpanKind.CONSUMER):
        with back.start_as_current_span("INSERT cases"):
            pass

    [trace_id] = TraceStore(db).find_trace_ids("EKM-261122-AAAAAAAA")
    assert {s["service"] for s in TraceStore(db).spans(trace_id)} == {"intake", "cases"}
    assert trace_cli.main(["EKM-261122-AAAAAAAA", "--db", str(db)]) == 0
    lines = capsys.readouterr().out.splitlines()
    names = [line.split("] ", 1)[1] for line in lines if "] " in line]
    assert names == ["intake.SubmitAppeal (server)", "publish appeal.accepted (producer)",
                     "cases.on_appeal_accepted (consumer)", "INSERT cases (internal)"]
    indents = [len(line.split("[")[0]) for line in lines if "[" in line]
    assert indents == sorted(indents)  # each span nested under the previous one
    assert "services: cases, intake" in lines[-2] or "services: cases, intake" in lines[-1]


def test_unknown_key_exits_1(tmp_path, capsys):
    assert trace_cli.main(["EKM-000000-NOPE", "--db", str(tmp_path / "none.db")]) == 1
    assert "not found" in capsys.readouterr().err
