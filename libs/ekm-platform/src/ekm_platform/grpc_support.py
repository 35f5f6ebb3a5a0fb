"""gRPC inside nameko: error mapping, health, reflection, and a faster connection loop."""
from __future__ import annotations

import functools
import logging

from google.protobuf import descriptor_pool
from google.rpc import error_details_pb2, status_pb2
from google.protobuf import any_pb2
from grpc import StatusCode
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection_pb2_grpc
from grpc_reflection.v1alpha.reflection import ReflectionServicer
from nameko.extensions import ENTRYPOINT_EXTENSIONS_ATTR, DependencyProvider
from nameko_grpc.entrypoint import Grpc
from nameko_grpc.errors import GrpcError
from nameko_grpc.inspection import Inspector
from opentelemetry import trace

from ekm_platform import errors

log = logging.getLogger(__name__)

STATUS_BY_ERROR = {
    errors.ValidationError: StatusCode.INVALID_ARGUMENT,
    errors.FieldViolation: StatusCode.INVALID_ARGUMENT,
    errors.NotFound: StatusCode.NOT_FOUND,
    errors.AlreadyExists: StatusCode.ALREADY_EXISTS,
    errors.FailedPrecondition: StatusCode.FAILED_PRECONDITION,
    errors.Aborted: StatusCode.ABORTED,
    errors.Unauthenticated: StatusCode.UNAUTHENTICATED,
    errors.PermissionDenied: StatusCode.PERMISSION_DENIED,
    errors.Unavailable: StatusCode.UNAVAILABLE,
}

INTERNAL_MESSAGE = "Внутрішня помилка сервісу / internal error"


def to_grpc_error(exc: errors.PlatformError) -> GrpcError:
    code = StatusCode.UNKNOWN
    for kind in type(exc).__mro__:
        if kind in STATUS_BY_ERROR:
            code = STATUS_BY_ERROR[kind]
            break
    status = status_pb2.Status(code=code.value[0], message=exc.message)
    if isinstance(exc, errors.ValidationError):
        detail = any_pb2.Any()
        detail.Pack(error_details_pb2.BadRequest(field_violations=[
            error_details_pb2.BadRequest.FieldViolation(field=v.field, description=v.description)
            for v in exc.violations
        ]))
        status.details.append(detail)
    return GrpcError(code=code, message=exc.message, status=status)


def endpoint(method):
    """Wrap a gRPC entrypoint: platform errors become their status, the rest INTERNAL."""

    @functools.wraps(method)
    def wrapper(self, request, context):
        case_number = getattr(request, "case_number", None)
        if case_number and isinstance(case_number, str):  # `ekm trace CASE-…` finds refused calls too
            trace.get_current_span().set_attribute("ekm.case_number", case_number)
        try:
            return method(self, request, context)
        except GrpcError:
            raise
        except errors.PlatformError as exc:
            raise to_grpc_error(exc) from exc
        except Exception as exc:
            log.exception("unhandled error in %s", method.__name__)
            raise GrpcError(code=StatusCode.INTERNAL, message=INTERNAL_MESSAGE) from exc

    return wrapper


class _HealthGrpc(Grpc):
    """The health entrypoints. Stopping them ends the open Watch streams: the container
    waits for every worker before it stops, and a Watch would otherwise never end."""

    def stop(self):
        for dependency in self.container.dependencies:
            if isinstance(dependency, HealthProbe):
                dependency.stopping = True
        super().stop()


health = _HealthGrpc.implementing(health_pb2_grpc.HealthStub)
reflection = Grpc.implementing(reflection_pb2_grpc.ServerReflectionStub)


def served_services(service_cls) -> list[str]:
    names = set()
    for attr in dir(service_cls):
        for ext in getattr(getattr(service_cls, attr, None), ENTRYPOINT_EXTENSIONS_ATTR, ()):
            if isinstance(ext, Grpc):
                names.add(Inspector(ext.stub).service_name)
    return sorted(names)


LIVENESS = "liveness"  # Check(service="liveness"): the process answers, whatever its dependencies say


class HealthProbe(DependencyProvider):
    """Whether this process can do its work: its database answers and its broker takes a
    connection. Cheap: the answer is kept ``EKM_HEALTH_CACHE_SECONDS`` (default 2) and the
    probe's own connections are reused — a SQLite file is opened afresh (an open handle
    would not notice the file gone), PostgreSQL through a one-connection pool with
    pre-ping and a 2 s connect timeout, the broker through one kept connection whose
    pending frames (a close from the broker) are read with a 10 ms timeout."""

    def setup(self):
        import os
        import threading

        from nameko import config as nameko_config

        self.cache_seconds = float(os.environ.get("EKM_HEALTH_CACHE_SECONDS", "2"))
        self.database_url = nameko_config.get("DATABASE_URL")
        self.amqp_uri = nameko_config.get("AMQP_URI")
        self.lock = threading.Lock()
        self.checked_at = float("-inf")
        self.problems: list[str] = []
        self.engine = None
        self.broker = None
        self.stopping = False

    def stop(self):
        self.stopping = True
        self._close()

    def kill(self):
        self.stopping = True
        self._close()

    def _close(self):
        if self.engine is not None:
            self.engine.dispose()
        if self.broker is not None:
            try:
                self.broker.release()
            except Exception:
                pass
            self.broker = None

    def get_dependency(self, worker_ctx):
        return self

    def serving(self) -> bool:
        return not self.current_problems()

    def current_problems(self) -> list[str]:
        import time

        with self.lock:
            if time.monotonic() - self.checked_at >= self.cache_seconds:
                self.problems = [p for p in (self._database_problem(), self._broker_problem()) if p]
                self.checked_at = time.monotonic()
                if self.problems:
                    log.warning("health: NOT_SERVING: %s", "; ".join(self.problems))
            return self.problems

    def _database_problem(self) -> str | None:
        if not self.database_url:
            return None
        from sqlalchemy import text
        from sqlalchemy.engine import make_url

        url = make_url(self.database_url)
        try:
            if url.get_backend_name() == "sqlite":
                import pathlib
                import sqlite3

                if not url.database or url.database == ":memory:":
                    return None
                path = pathlib.Path(url.database).resolve()
                conn = sqlite3.connect(f"{path.as_uri()}?mode=rw", uri=True, timeout=1)
                try:
                    conn.execute("SELECT count(*) FROM schema_migrations").fetchone()
                finally:
                    conn.close()
                return None
            if self.engine is None:
                from ekm_platform.db import make_engine

                self.engine = make_engine(self.database_url, pool_size=1, max_overflow=0, pool_timeout=2,
                                          connect_args={"connect_timeout": 2})
            with self.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            return None
        except Exception as exc:
            return f"database: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"

    def _broker_problem(self) -> str | None:
        import socket

        import kombu

        if not self.amqp_uri:
            return None
        try:
            if self.broker is None:
                self.broker = kombu.Connection(self.amqp_uri, connect_timeout=2)
                self.broker.ensure_connection(max_retries=0, interval_start=0)  # connect() retries for 2 s
            try:
                self.broker.drain_events(timeout=0.01)  # a close the broker sent is raised here
            except socket.timeout:
                pass
            return None
        except Exception as exc:
            try:
                self.broker.release()
            except Exception:
                pass
            self.broker = None  # the next check connects again
            return f"broker: {type(exc).__name__}: {exc}"


def _health_response(serving: bool):
    return health_pb2.HealthCheckResponse(status=health_pb2.HealthCheckResponse.SERVING if serving
                                          else health_pb2.HealthCheckResponse.NOT_SERVING)


class StandardGrpc:
    """Mixin for a service class: the standard health check and server reflection.

    Health tells the truth: NOT_SERVING while the service's database or broker is gone
    (``HealthProbe``); ``service="liveness"`` asks only whether the process answers (a
    liveness probe must not restart a pod because its database is down)."""

    health_probe = HealthProbe()

    def _known_service(self, name: str) -> bool:
        return name in ("", LIVENESS) or name in served_services(type(self))

    @health
    def Check(self, request, context):
        if not self._known_service(request.service):
            raise GrpcError(code=StatusCode.NOT_FOUND, message=f"unknown service {request.service}")
        if request.service == LIVENESS:
            return _health_response(True)
        return _health_response(self.health_probe.serving())

    @health
    def Watch(self, request, context):
        """The status now, then each change, until the caller goes away (checked each second)."""
        import time

        if not self._known_service(request.service):
            yield health_pb2.HealthCheckResponse(status=health_pb2.HealthCheckResponse.SERVICE_UNKNOWN)
            return
        probe, last = self.health_probe, None
        while not (context.response_stream.closed or probe.stopping):
            serving = True if request.service == LIVENESS else probe.serving()
            if serving != last:
                yield _health_response(serving)
                last = serving
            time.sleep(1)

    @reflection
    def ServerReflectionInfo(self, request_iterator, context):
        servicer = ReflectionServicer(served_services(type(self)), descriptor_pool.Default())
        yield from servicer.ServerReflectionInfo(request_iterator, context)


IDLE_TIMEOUT = 0.05


def _malformed_request(exc_info, code=None, message=None) -> GrpcError:
    return GrpcError(code=StatusCode.INVALID_ARGUMENT,
                     message="Неможливо розібрати повідомлення protobuf / malformed protobuf message")


def patch_nameko_grpc() -> None:
    """Malformed requests get INVALID_ARGUMENT (nameko-grpc answers INTERNAL), and the
    connection loop is woken when a response is ready (see ``speed_up_nameko_grpc``)."""
    from google.protobuf.message import DecodeError
    from nameko_grpc.errors import register_exception_handler

    register_exception_handler(DecodeError, _malformed_request)
    speed_up_nameko_grpc()
    _watch_deadlines_cheaply()


def _watch_deadlines_cheaply() -> None:
    """nameko-grpc watches each call's deadline by waking every millisecond until the
    call ends; with 16 callers that is 16,000 wake-ups a second. Here the watcher
    backs off (1 ms, 2 ms, … at most 50 ms), so a deadline is enforced within 50 ms."""
    import time

    from nameko_grpc.entrypoint import GrpcServer

    def timeout(self, request_stream, response_stream, deadline):
        start, pause = time.time(), 0.001
        while not (request_stream.closed and response_stream.closed):
            remaining = deadline - (time.time() - start)
            if remaining <= 0:
                request_stream.close()
                response_stream.close(GrpcError(code=StatusCode.DEADLINE_EXCEEDED, message="Deadline Exceeded"))
                return
            time.sleep(min(pause, remaining))
            pause = min(pause * 2, 0.05)

    GrpcServer.timeout = timeout


class _SkipEmptySends:
    """nameko-grpc's loop sends whatever h2 has queued on every turn, most often nothing:
    an empty ``sendall`` still costs a system call and a trip through eventlet."""

    def __init__(self, sock):
        self._sock = sock

    def sendall(self, data, *args):
        if data:
            return self._sock.sendall(data, *args)

    def __getattr__(self, name):
        return getattr(self._sock, name)


def speed_up_nameko_grpc() -> None:
    """Wake nameko-grpc's connection loop when a response is ready.

    nameko-grpc polls its socket every 10 ms and only sends queued responses between
    polls (STACK.md pitfall 3), adding ~10 ms to every call. Here each server
    connection gets a pipe; a response stream writes a byte to it when data or its end
    is queued, and the loop waits on the socket and the pipe together.
    """
    from eventlet.patcher import original
    from nameko_grpc import connection, streams

    if getattr(connection, "_ekm_wakeable", False):
        return
    raw_os = original("os")  # never trampoline on the wake pipe: it is non-blocking
    green_select = connection.select
    wake_fds: dict[int, int] = {}

    class WakeableSelect:
        @staticmethod
        def select(rlist, wlist, xlist, timeout=None):
            sock = rlist[0]
            wake_r = wake_fds.get(id(sock))
            if wake_r is None:
                return green_select.select(rlist, wlist, xlist, timeout)
            ready, _, _ = green_select.select([sock, wake_r], [], [], IDLE_TIMEOUT)
            if wake_r in ready:
                try:
                    raw_os.read(wake_r, 65536)
                except BlockingIOError:
                    pass
            return ([sock] if sock in ready else []), [], []

    original_run = connection.ServerConnectionManager.run_forever
    original_received = connection.ServerConnectionManager.request_received

    def run_forever(self):
        self.sock = _SkipEmptySends(self.sock)
        wake_r, wake_w = raw_os.pipe()
        raw_os.set_blocking(wake_r, False)
        raw_os.set_blocking(wake_w, False)
        self._ekm_wake_w = wake_w
        wake_fds[id(self.sock)] = wake_r
        try:
            return original_run(self)
        finally:
            wake_fds.pop(id(self.sock), None)
            self._ekm_wake_w = None
            raw_os.close(wake_r)
            raw_os.close(wake_w)

    def request_received(self, event):
        original_received(self, event)
        stream = self.send_streams.get(event.stream_id)
        if stream is not None:
            stream._ekm_connection = self

    def kick(stream):
        conn = getattr(stream, "_ekm_connection", None)
        fd = getattr(conn, "_ekm_wake_w", None) if conn else None
        if fd is not None:
            try:
                raw_os.write(fd, b"!")
            except OSError:  # full: a wake-up is already pending
                pass

    original_populate = streams.SendStream.populate
    original_close = streams.StreamBase.close

    def populate(self, iterable):
        def kicking():
            for item in iterable:
                yield item
                kick(self)
        original_populate(self, kicking())
        kick(self)

    def close(self, error=None):
        original_close(self, error)
        kick(self)

    connection.select = WakeableSelect
    connection.ServerConnectionManager.run_forever = run_forever
    connection.ServerConnectionManager.request_received = request_received
    streams.SendStream.populate = populate
    streams.StreamBase.close = close
    connection._ekm_wakeable = True
