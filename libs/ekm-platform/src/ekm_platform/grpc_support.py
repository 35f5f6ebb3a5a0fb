"""gRPC inside nameko: error mapping, health, reflection, and a faster connection loop."""

from __future__ import annotations

import functools
import logging

from google.protobuf import any_pb2, descriptor_pool
from google.rpc import error_details_pb2, status_pb2
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


# The status travels in the response's trailers (grpc-message, grpc-status-details-bin), which
# grpc clients cap at 8 KiB: a message quoting a huge request value ("appeal 'ЖЖЖ…' not found")
# reached the client as RESOURCE_EXHAUSTED "Stream removed", and 100 KB of it kept the worker
# encoding headers past any deadline (found by tests/fuzz). Messages and violations are bounded.
MAX_MESSAGE = 300  # characters of the status message and of each violation's description
MAX_DETAILS_BYTES = 3000  # field violations beyond it are summed up in one last violation


def _bounded(text: str, limit: int = MAX_MESSAGE) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def to_grpc_error(exc: errors.PlatformError) -> GrpcError:
    code = StatusCode.UNKNOWN
    for kind in type(exc).__mro__:
        if kind in STATUS_BY_ERROR:
            code = STATUS_BY_ERROR[kind]
            break
    message = _bounded(exc.message)
    status = status_pb2.Status(code=code.value[0], message=message)
    if isinstance(exc, errors.ValidationError):
        violations, size = [], 0
        for i, v in enumerate(exc.violations):
            violation = error_details_pb2.BadRequest.FieldViolation(
                field=_bounded(v.field, 100), description=_bounded(v.description)
            )
            size += violation.ByteSize()
            if size > MAX_DETAILS_BYTES:
                violations.append(
                    error_details_pb2.BadRequest.FieldViolation(
                        field="…", description=f"ще {len(exc.violations) - i} / {len(exc.violations) - i} more"
                    )
                )
                break
            violations.append(violation)
        detail = any_pb2.Any()
        detail.Pack(error_details_pb2.BadRequest(field_violations=violations))
        status.details.append(detail)
    return GrpcError(code=code, message=message, status=status)


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

                self.engine = make_engine(
                    self.database_url, pool_size=1, max_overflow=0, pool_timeout=2, connect_args={"connect_timeout": 2}
                )
            with self.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            return None
        except Exception as exc:
            return f"database: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"

    def _broker_problem(self) -> str | None:

        import kombu

        if not self.amqp_uri:
            return None
        try:
            if self.broker is None:
                self.broker = kombu.Connection(self.amqp_uri, connect_timeout=2)
                self.broker.ensure_connection(max_retries=0, interval_start=0)  # connect() retries for 2 s
            try:
                self.broker.drain_events(timeout=0.01)  # a close the broker sent is raised here
            except TimeoutError:
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
    return health_pb2.HealthCheckResponse(
        status=health_pb2.HealthCheckResponse.SERVING if serving else health_pb2.HealthCheckResponse.NOT_SERVING
    )


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


def patch_nameko_grpc() -> None:
    """Kept for old callers: the nameko-grpc patches live in ``ekm_platform.patches.nameko_grpc``
    (applied with every other patch by ``ekm_platform.patches.apply_all``)."""
    from ekm_platform.patches import nameko_grpc

    nameko_grpc.apply()
