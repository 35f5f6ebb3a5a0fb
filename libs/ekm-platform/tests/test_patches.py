"""Contract tests of every dependency patch (ekm_platform.patches), against the real libraries.

Each test shows what the unpatched library does (the behaviour the patch exists for) and
what the patched one does. The ``ekm`` pytest plugin applied ``apply_all()`` at start-up,
as the runner does in production, so the "unpatched" half reaches the original through
``_core.original`` (undone with monkeypatch afterwards). The nameko-grpc and health-probe
contracts need a real eventlet nameko server: a child process serves one, unpatched and
patched, and reports what a grpcio client saw.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import statistics
import subprocess
import sys
import textwrap
import threading
import time
from types import SimpleNamespace

import pytest

from ekm_platform import patches
from ekm_platform.patches import _core, nameko_grpc, nameko_opentelemetry
from ekm_platform.patches import nameko as nameko_patch
from ekm_platform.patches import sqlalchemy as sqlalchemy_patch
from ekm_platform.testing.platform import free_port

# --- versions ---------------------------------------------------------------------------------


def test_every_patched_dependency_is_installed_at_the_version_its_patch_expects():
    patches.check_all()
    for module in patches.MODULES:
        for package, expected in module.REQUIRES.items():
            assert importlib.metadata.version(package) == expected


def test_a_version_mismatch_fails_loudly_naming_package_expected_and_found():
    with pytest.raises(patches.PatchVersionError) as raised:
        _core.check_versions("p", {"nameko": "3.0.0rc11"}, version_of=lambda package: "3.0.1")
    assert (raised.value.package, raised.value.expected, raised.value.found) == ("nameko", "3.0.0rc11", "3.0.1")
    assert "nameko==3.0.0rc11" in str(raised.value) and "nameko==3.0.1 is installed" in str(raised.value)
    with pytest.raises(patches.PatchVersionError, match="no nameko-grpc is installed"):
        _core.check_versions("p", {"nameko-grpc": "1.3.0"}, version_of=lambda package: None)


def test_apply_all_checks_every_version_before_it_patches_anything(monkeypatch):
    from nameko_grpc.entrypoint import GrpcServer

    monkeypatch.setattr(GrpcServer, "timeout", _core.original(GrpcServer, "timeout"))  # as if unpatched
    real_version = importlib.metadata.version
    monkeypatch.setattr(
        importlib.metadata, "version", lambda name: "2.0.99" if name == "SQLAlchemy" else real_version(name)
    )
    with pytest.raises(patches.PatchVersionError, match=r"SQLAlchemy==2\.0\.58.*SQLAlchemy==2\.0\.99"):
        patches.apply_all()
    assert not _core.is_patched(GrpcServer, "timeout", nameko_grpc.DEADLINES)  # the last module failed first


# --- applied once -----------------------------------------------------------------------------


def _patched_attributes():
    from nameko.containers import ServiceContainer
    from nameko.rpc import ReplyListener, RpcConsumer
    from nameko_grpc import connection, streams
    from nameko_grpc.entrypoint import GrpcServer
    from nameko_opentelemetry.entrypoints import EntrypointAdapter
    from sqlalchemy.engine import Engine

    return {
        "ReplyListener.setup": ReplyListener.__dict__["setup"],
        "RpcConsumer.setup": RpcConsumer.__dict__["setup"],
        "EntrypointAdapter.get_attributes": EntrypointAdapter.__dict__["get_attributes"],
        "GrpcServer.timeout": GrpcServer.__dict__["timeout"],
        "connection.select": connection.select,
        "ServerConnectionManager.run_forever": connection.ServerConnectionManager.__dict__["run_forever"],
        "SendStream.populate": streams.SendStream.__dict__["populate"],
        "StreamBase.close": streams.StreamBase.__dict__["close"],
        "ServiceContainer._worker_setup": ServiceContainer.__dict__["_worker_setup"],
        "Engine.connect": Engine.__dict__["connect"],
    }


def _marks(value) -> list[str]:
    marks = []
    while hasattr(value, "__ekm_patch__"):
        marks.append(value.__ekm_patch__)
        value = value.__ekm_original__
    return marks


def test_applying_every_patch_twice_is_applying_it_once():
    before = _patched_attributes()
    patches.apply_all()
    patches.apply_all()
    assert _patched_attributes() == before
    assert _marks(before["ReplyListener.setup"]) == [nameko_patch.TYPED, nameko_patch.PATCH]
    assert _marks(before["GrpcServer.timeout"]) == [nameko_grpc.DEADLINES]
    assert _marks(before["connection.select"]) == [nameko_grpc.WAKEABLE]
    assert _marks(before["EntrypointAdapter.get_attributes"]) == [nameko_opentelemetry.NO_CALL_ARGS]


def test_replace_keeps_the_original_and_restores_an_inherited_attribute():
    class Base:
        def f(self):
            return "base"

    class Child(Base):
        pass

    def f(self):
        return "patched"

    assert _core.replace(Child, "f", f, "t") and not _core.replace(Child, "f", f, "t")
    assert Child().f() == "patched" and _core.original(Child, "f") is _core._INHERITED
    _core.restore(Child, "f")
    assert "f" not in Child.__dict__ and Child().f() == "base"


# --- nameko: the reply queue ------------------------------------------------------------------


def _reply_listener():
    from nameko.rpc import ReplyListener

    listener = ReplyListener()
    listener.container = SimpleNamespace(service_name="svc")
    return listener


def test_kombu_will_not_cache_the_reply_queue_declaration_unless_patched():
    from nameko.rpc import ReplyListener

    unpatched = _reply_listener()
    _core.original(ReplyListener, "setup")(unpatched)
    assert unpatched.queue.queue_arguments["x-expires"] and not unpatched.queue.can_cache_declaration
    patched = _reply_listener()
    ReplyListener.setup(patched)
    assert patched.queue.queue_arguments["x-expires"] == unpatched.queue.queue_arguments["x-expires"]
    assert patched.queue.can_cache_declaration


@pytest.mark.integration
def test_nameko_declares_the_reply_queue_before_every_call_unless_patched(ekm_amqp_uri, monkeypatch):
    """nameko's publisher declares ``declare=[reply queue]`` on each publish (as an RPC call does)."""
    import kombu
    from nameko.amqp.publish import Publisher
    from nameko.rpc import ReplyListener

    declared = []
    real_declare = kombu.Queue.queue_declare
    monkeypatch.setattr(
        kombu.Queue, "queue_declare", lambda self, *a, **k: (declared.append(self.name), real_declare(self, *a, **k))[1]
    )
    counts = {}
    for name, setup in (("unpatched", _core.original(ReplyListener, "setup")), ("patched", ReplyListener.setup)):
        listener = _reply_listener()
        setup(listener)
        publisher = Publisher(ekm_amqp_uri, declare=[listener.queue])
        for _ in range(3):
            publisher.publish(b"{}", exchange=listener.queue.exchange, routing_key=listener.routing_key)
        counts[name] = declared.count(listener.queue.name)
    assert counts == {"unpatched": 3, "patched": 1}


def test_rpc_queues_take_the_configured_queue_type_only_when_patched(monkeypatch):
    from nameko.rpc import ReplyListener, RpcConsumer

    monkeypatch.setenv("EKM_QUEUE_TYPE", "quorum")
    consumer = RpcConsumer()
    consumer.container = SimpleNamespace(service_name="svc")
    _core.original(RpcConsumer, "setup")(consumer)
    assert "x-queue-type" not in (consumer.queue.queue_arguments or {})
    RpcConsumer.setup(consumer)
    assert consumer.queue.queue_arguments["x-queue-type"] == "quorum" and consumer.queue.name == "rpc-svc"
    listener = _reply_listener()
    ReplyListener.setup(listener)
    assert listener.queue.queue_arguments["x-queue-type"] == "classic" and listener.queue.can_cache_declaration
    monkeypatch.setenv("EKM_QUEUE_TYPE", "classic")
    RpcConsumer.setup(consumer)
    assert "x-queue-type" not in (consumer.queue.queue_arguments or {})


# --- nameko-opentelemetry: entrypoint attributes ----------------------------------------------


def test_entrypoint_spans_bind_call_arguments_only_when_unpatched(monkeypatch):
    from nameko_opentelemetry import entrypoints

    class Service:
        def method(self, request, context):
            return None

    pool = SimpleNamespace(running=lambda: 1, free=lambda: 9)
    entrypoint = SimpleNamespace(
        method_name="method", sensitive_arguments=None, container=SimpleNamespace(service_cls=Service)
    )
    worker_ctx = SimpleNamespace(
        entrypoint=entrypoint,
        service_name="svc",
        args=("CASE-2026-00AB", "ctx"),
        kwargs={},
        data={},
        container=SimpleNamespace(_worker_pool=pool),
    )
    bound = []
    real = entrypoints.inspect.getcallargs
    monkeypatch.setattr(entrypoints.inspect, "getcallargs", lambda *a, **k: bound.append(1) or real(*a, **k))
    adapter = entrypoints.EntrypointAdapter({})
    _core.original(entrypoints.EntrypointAdapter, "get_attributes")(adapter, worker_ctx)
    assert bound == [1]  # the library binds the arguments although no payload is sent
    attributes = adapter.get_attributes(worker_ctx)
    assert bound == [1] and attributes["method_name"] == "method" and attributes["active_workers"] == 1
    assert attributes["ekm.case_number"] == "CASE-2026-00AB"
    with_payloads = entrypoints.EntrypointAdapter({"send_request_payloads": True}).get_attributes(worker_ctx)
    assert bound == [1, 1] and "call_args" in with_payloads


def test_case_number_of_call():
    of = nameko_opentelemetry.case_number_of_call
    assert of((), {"case_number": "C-1"}) == "C-1"
    assert of(({"data": {"case_number": "C-2"}},), {}) == "C-2"
    assert of(("CASE-2026-0001",), None) == "CASE-2026-0001"
    assert of(("not a case", 5), {}) is None


# --- SQLAlchemy instrumentation: pool checkouts -----------------------------------------------


def test_pool_checkouts_get_a_connect_span_unless_patched():
    import sqlalchemy
    from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
    from sqlalchemy import text

    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    instrumentor = SQLAlchemyInstrumentor()
    instrumentor.instrument(tracer_provider=provider, enable_commenter=False)
    try:
        engine = sqlalchemy.create_engine("sqlite://")  # the instrumented one (looked up now)

        def names():
            exporter.clear()
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            return sorted(span.name for span in exporter.get_finished_spans())

        assert names() == ["SELECT", "connect"]
        sqlalchemy_patch.untraced_pool_checkouts()
        sqlalchemy_patch.untraced_pool_checkouts()
        assert names() == ["SELECT"]
    finally:
        instrumentor.uninstrument()
        engine.dispose()


# --- nameko-grpc: deadlines (no server needed) ------------------------------------------------


class _Stream:
    def __init__(self):
        self.closed, self.error = False, None

    def close(self, error=None):
        self.closed, self.error = True, error


def _watch(timeout_method, deadline, end_after, monkeypatch):
    """Run GrpcServer.timeout on streams that end after ``end_after`` s; count its sleeps."""
    sleeps = []
    real_sleep = time.sleep
    monkeypatch.setattr(time, "sleep", lambda s: (sleeps.append(s), real_sleep(s))[1])
    request, response = _Stream(), _Stream()
    if end_after is not None:
        timer = threading.Timer(end_after, lambda: (request.close(), response.close()))
        timer.start()
    started = time.monotonic()
    timeout_method(None, request, response, deadline)
    elapsed = time.monotonic() - started
    monkeypatch.setattr(time, "sleep", real_sleep)
    return len(sleeps), elapsed, response.error


def test_deadline_watcher_wakes_every_millisecond_unless_patched(monkeypatch):
    from grpc import StatusCode
    from nameko_grpc.entrypoint import GrpcServer

    unpatched_sleeps, _, error = _watch(_core.original(GrpcServer, "timeout"), 30, 0.3, monkeypatch)
    assert unpatched_sleeps >= 60 and error is None  # ~300 at 1 ms each on an idle machine
    patched_sleeps, _, error = _watch(GrpcServer.timeout, 30, 0.3, monkeypatch)
    assert patched_sleeps <= 12 and error is None  # 1+2+4+…+50 ms: about 10
    _, elapsed, error = _watch(GrpcServer.timeout, 0.1, None, monkeypatch)
    assert error.code == StatusCode.DEADLINE_EXCEEDED and 0.1 <= elapsed < 2


# --- nameko-grpc and the health probes: a real eventlet server --------------------------------

SERVER = textwrap.dedent("""
    import eventlet; eventlet.monkey_patch()
    import json, sys
    from eventlet import tpool
    from grpc_health.v1 import health_pb2, health_pb2_grpc
    from nameko import config
    from nameko.containers import ServiceContainer
    from nameko_grpc.entrypoint import Grpc
    from nameko_opentelemetry import NamekoInstrumentor
    from opentelemetry import trace
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
    from ekm.notifications.v1 import notifications_pb2, notifications_pb2_grpc

    mode, port = sys.argv[1], int(sys.argv[2])
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    trace.set_tracer_provider(provider)
    NamekoInstrumentor().instrument()  # as ekm_platform.runner.instrument, then its apply_all
    if mode == "patched":
        from ekm_platform.patches import apply_all
        apply_all()

    health = Grpc.implementing(health_pb2_grpc.HealthStub)
    notifications = Grpc.implementing(notifications_pb2_grpc.NotificationServiceStub)

    class Service:
        name = "contract"

        @health
        def Check(self, request, context):
            return health_pb2.HealthCheckResponse(status=health_pb2.HealthCheckResponse.SERVING)

        @notifications
        def ListDeliveries(self, request, context):
            return notifications_pb2.ListDeliveriesResponse()

    config.setup({"GRPC_BIND_HOST": "127.0.0.1", "GRPC_BIND_PORT": port})
    container = ServiceContainer(Service)
    container.start()
    print("ready", flush=True)
    while True:
        line = tpool.execute(sys.stdin.readline).strip()  # a blocking read off the hub
        if line == "clear":
            exporter.clear()
            print("cleared", flush=True)
        elif line == "spans":
            print(json.dumps(sorted({span.name for span in exporter.get_finished_spans()})), flush=True)
        else:
            break
    container.stop()
""")


class _Server:
    """A nameko-grpc server in an eventlet child process (a grpcio client blocks eventlet's
    hub, so the client is this test process)."""

    def __init__(self, mode: str):
        self.port = free_port()
        self.process = subprocess.Popen(
            [sys.executable, "-W", "ignore", "-c", SERVER, mode, str(self.port)],
            text=True,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env={**os.environ, "EKM_TRACE_STORE": "off"},
        )
        line = self.process.stdout.readline()
        assert line.strip() == "ready", self.process.stderr.read()[-3000:] if not line else line

    def ask(self, command: str) -> str:
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        return self.process.stdout.readline()

    def close(self):
        try:
            self.process.stdin.close()
            self.process.wait(timeout=30)
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()
            self.process.stdout.close()
            self.process.stderr.close()


def _client_run(server: _Server) -> dict:
    import grpc
    from grpc_health.v1 import health_pb2, health_pb2_grpc

    from ekm.notifications.v1 import notifications_pb2, notifications_pb2_grpc

    result: dict = {}
    with grpc.insecure_channel(f"127.0.0.1:{server.port}") as channel:
        grpc.channel_ready_future(channel).result(timeout=20)
        raw = channel.unary_unary(
            "/ekm.notifications.v1.NotificationService/ListDeliveries",
            request_serializer=lambda b: b,
            response_deserializer=lambda b: b,
        )
        try:
            raw(b"\xff\xff\xff", timeout=10)
            result["malformed"] = "OK"
        except grpc.RpcError as error:
            result["malformed"] = error.code().name
        check = health_pb2_grpc.HealthStub(channel).Check
        check(health_pb2.HealthCheckRequest(), timeout=10)
        assert server.ask("clear").strip() == "cleared"
        medians = []
        for _ in range(5):  # rounds: the best one is the least disturbed by other work on the machine
            latencies = []
            for _ in range(30):
                started = time.perf_counter()
                check(health_pb2.HealthCheckRequest(), timeout=10)
                latencies.append(time.perf_counter() - started)
            medians.append(statistics.median(latencies) * 1000)
        notifications_pb2_grpc.NotificationServiceStub(channel).ListDeliveries(
            notifications_pb2.ListDeliveriesRequest(), timeout=10
        )
    result["median_ms"] = min(medians)
    time.sleep(0.2)  # the last worker's span ends just after its response is sent
    result["spans"] = json.loads(server.ask("spans"))
    return result


@pytest.fixture(scope="module")
def served():
    """What a grpcio client saw from a nameko-grpc server, unpatched and patched."""
    seen = {}
    for mode in ("unpatched", "patched"):
        server = _Server(mode)
        try:
            seen[mode] = _client_run(server)
        finally:
            server.close()
    return seen


def test_malformed_protobuf_is_internal_unless_patched(served):
    assert served["unpatched"]["malformed"] == "INTERNAL"
    assert served["patched"]["malformed"] == "INVALID_ARGUMENT"


def test_every_call_waits_for_the_10ms_poll_unless_patched(served):
    unpatched, patched = served["unpatched"], served["patched"]
    # the best round's median call: most responses wait for the next 10 ms select() unless patched
    assert unpatched["median_ms"] >= 5, unpatched
    assert patched["median_ms"] < unpatched["median_ms"] * 0.6, (unpatched, patched)  # ~2 ms against ~10-17 ms


def test_health_probes_make_spans_unless_patched(served):
    assert served["unpatched"]["spans"] == ["contract.Check", "contract.ListDeliveries"]
    assert served["patched"]["spans"] == ["contract.ListDeliveries"]
