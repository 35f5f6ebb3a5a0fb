"""Outbound REST and SOAP calls to registries are client spans: the W3C traceparent is in
the request's headers, the span carries the case number and X-Road id, and never the
query string (where the RNOKPP is). Run in a fresh process: instrumenting urllib3 is global."""

import json
import subprocess
import sys
import textwrap

import pytest

pytestmark = [pytest.mark.integration, pytest.mark.timeout(60)]

SCRIPT = textwrap.dedent("""
    import http.server, json, threading
    from opentelemetry import trace
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    trace.set_tracer_provider(provider)
    from ekm_platform.tracing import instrument_http_clients
    instrument_http_clients()

    seen = []
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            seen.append(dict(self.headers))
            body = json.dumps({"found": False, "enrolments": []}).encode()
            self.send_response(200); self.send_header("Content-Length", str(len(body))); self.end_headers()
            self.wfile.write(body)
        def log_message(self, *a):
            pass
    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()

    from registry_gateway.adapters import xroad
    from registry_gateway.adapters.education import rest_get
    from registry_gateway.domain.lookup import Query
    query = Query(rnokpp="3221512349", unzr="", case_number="CASE-2026-TR4CE42", purpose="оцінка", user_id="cm-1")
    with trace.get_tracer("test").start_as_current_span("LookupPerson"):
        _, message_id, _ = rest_get(xroad.tls_session(), f"http://127.0.0.1:{server.server_port}/education/v1/enrolments",
                                    {"rnokpp": query.rnokpp}, query, 5, registry="education")
    spans = [{"name": s.name, "kind": s.kind.name, "trace_id": f"{s.context.trace_id:032x}",
              "span_id": f"{s.context.span_id:016x}", "attributes": dict(s.attributes)} for s in exporter.get_finished_spans()]
    print(json.dumps({"spans": spans, "headers": seen, "xroad_id": message_id}, ensure_ascii=False))
""")


def test_a_rest_registry_call_is_a_client_span_with_traceparent_and_identifiers_only():
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=50)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    client = next(s for s in result["spans"] if s["kind"] == "CLIENT")
    assert client["name"] == "GET education"
    headers = {k.lower(): v for k, v in result["headers"][0].items()}
    assert headers["traceparent"].startswith(f"00-{client['trace_id']}-{client['span_id']}-")  # then the flags
    assert client["attributes"]["ekm.case_number"] == "CASE-2026-TR4CE42"
    assert client["attributes"]["ekm.xroad_id"] == result["xroad_id"] == headers["x-road-id"]
    assert "3221512349" not in json.dumps(result["spans"])  # the RNOKPP of the query string is not kept
