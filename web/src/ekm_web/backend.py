"""The BFF's view of the services: one plain-grpcio (asyncio) channel per service, every call
made with the signed-in user's bearer token, errors turned into ``BackendError`` (with the
field violations of a ``google.rpc.BadRequest`` detail, so a form shows them at the field).

Never import nameko or eventlet here: this process is asyncio (uvicorn)."""

from __future__ import annotations

import importlib
import itertools
from dataclasses import dataclass, field

import grpc
from google.rpc import error_details_pb2, status_pb2

# service -> (module of the generated stubs, stub class)
STUBS = {
    "intake": ("ekm.intake.v1.intake_pb2_grpc", "IntakeServiceStub"),
    "cases": ("ekm.cases.v1.cases_pb2_grpc", "CaseServiceStub"),
    "registry-gateway": ("ekm.registry.v1.registry_pb2_grpc", "RegistryGatewayStub"),
    "interagency": ("ekm.interagency.v1.interagency_pb2_grpc", "InteragencyServiceStub"),
    "notifications": ("ekm.notifications.v1.notifications_pb2_grpc", "NotificationServiceStub"),
}


@dataclass
class BackendError(Exception):
    """A service refused or failed a call. ``code`` is the gRPC status name (NOT_FOUND, …),
    ``message`` the service's text (Ukrainian / English), ``fields`` field path -> message."""

    code: str
    message: str = ""
    fields: dict = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


def field_violations(error: grpc.RpcError) -> dict:
    """The BadRequest field violations carried in the status details, field -> description."""
    found: dict[str, str] = {}
    try:
        trailing = error.trailing_metadata() or ()
    except Exception:  # noqa: BLE001 - a call that never reached the server has none
        return found
    for key, value in trailing:
        if key != "grpc-status-details-bin":
            continue
        status = status_pb2.Status.FromString(value)
        for detail in status.details:
            if detail.Is(error_details_pb2.BadRequest.DESCRIPTOR):
                bad = error_details_pb2.BadRequest()
                detail.Unpack(bad)
                for violation in bad.field_violations:
                    found.setdefault(violation.field, violation.description)
    return found


class Backend:
    """Channels to the five services; ``await backend.call("cases", "GetCase", request, token)``."""

    # Several instances of a service share its port and the kernel gives each new connection to
    # one of them (SO_REUSEPORT): a few connections per service, used in turn, spread the
    # BFF's calls over them (each channel keeps a connection of its own).
    CONNECTIONS = 3

    def __init__(self, addresses: dict, timeout: float = 10.0):
        self.addresses = dict(addresses)
        self.timeout = timeout
        self._channels: dict = {}
        self._stubs: dict = {}
        self._pools: dict = {}
        self._turn = itertools.count()

    async def start(self) -> None:
        for service, address in self.addresses.items():
            module, name = STUBS[service]
            stub_class = getattr(importlib.import_module(module), name)
            channels = [
                grpc.aio.insecure_channel(address, options=[("grpc.use_local_subchannel_pool", 1)])
                for _ in range(self.CONNECTIONS)
            ]
            self._channels[service] = channels[0]
            self._pools[service] = [(channel, stub_class(channel)) for channel in channels]
            self._stubs[service] = self._pools[service][0][1]

    async def close(self) -> None:
        for pool in self._pools.values():
            for channel, _ in pool:
                await channel.close()
        self._pools.clear()
        self._channels.clear()
        self._stubs.clear()

    async def call(self, service: str, method: str, request, token: str, timeout: float | None = None):
        if service not in self._stubs:
            raise BackendError("UNAVAILABLE", "Сервіс недоступний / service not configured")
        pool = self._pools.get(service)
        stub = pool[next(self._turn) % len(pool)][1] if pool else self._stubs[service]
        rpc = getattr(stub, method)
        try:
            return await rpc(request, metadata=(("authorization", f"Bearer {token}"),), timeout=timeout or self.timeout)
        except grpc.RpcError as exc:
            raise BackendError(exc.code().name, exc.details() or "", field_violations(exc)) from None

    async def health(self, service: str, timeout: float = 3.0) -> str:
        """The standard gRPC health check of one service (no token needed): SERVING,
        NOT_SERVING, … or the status code of a failed call (UNAVAILABLE, DEADLINE_EXCEEDED)."""
        from grpc_health.v1 import health_pb2, health_pb2_grpc

        channel = self._channels.get(service)
        if channel is None:
            return "UNKNOWN"
        try:
            reply = await health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(), timeout=timeout)
        except grpc.RpcError as exc:
            return exc.code().name
        return health_pb2.HealthCheckResponse.ServingStatus.Name(reply.status)


class FakeBackend:
    """For unit tests: ``FakeBackend({("cases", "GetCase"): lambda request, token: reply})``.
    A handler may raise ``BackendError``. Every call is recorded in ``calls``."""

    def __init__(self, handlers: dict | None = None):
        self.handlers = dict(handlers or {})
        self.calls: list[tuple[str, str, object, str]] = []

    async def start(self) -> None:
        pass

    async def close(self) -> None:
        pass

    async def call(self, service: str, method: str, request, token: str, timeout: float | None = None):
        self.calls.append((service, method, request, token))
        handler = self.handlers.get((service, method))
        if handler is None:
            raise BackendError("UNIMPLEMENTED", f"no fake for {service}.{method}")
        return handler(request, token)

    async def health(self, service: str, timeout: float = 3.0) -> str:
        self.calls.append((service, "Health.Check", None, ""))
        handler = self.handlers.get((service, "Health.Check"))
        return handler() if handler else "SERVING"
