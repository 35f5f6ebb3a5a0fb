"""A frontend's view of the platform: gRPC channels and bearer metadata (tools, tests, bench).

Plain grpcio: never import this inside a nameko (eventlet) process.
"""

from __future__ import annotations

import os

import grpc

from ekm_platform import config
from ekm_platform.auth import issue_token


def address(service: str, env=None) -> str:
    env = os.environ if env is None else env
    host = env.get("EKM_GRPC_HOST", "127.0.0.1")
    port = env.get(f"EKM_{config.env_key(service)}_GRPC_PORT", config.GRPC_PORTS[service])
    return f"{host}:{port}"


# grpcio shares one connection between channels to the same address (its global subchannel
# pool); a channel with this option keeps a connection of its own.
OWN_CONNECTION = ("grpc.use_local_subchannel_pool", 1)


def channel(service: str, env=None, own_connection: bool = False) -> grpc.Channel:
    """A channel to ``service``. Its instances share one port and the kernel gives each new
    connection to one of them (SO_REUSEPORT), so a caller that wants its calls spread over
    several instances opens several channels with ``own_connection=True``."""
    return grpc.insecure_channel(address(service, env), options=[OWN_CONNECTION] if own_connection else None)


def bearer(role: str, user_id: str, community_code: str = "", private_key: bytes | None = None) -> list:
    token = issue_token(user_id, role, community_code=community_code, private_key=private_key)
    return [("authorization", f"Bearer {token}")]


def wait_healthy(service: str, timeout: float = 30.0, env=None) -> None:
    from grpc_health.v1 import health_pb2, health_pb2_grpc

    with channel(service, env) as ch:
        grpc.channel_ready_future(ch).result(timeout=timeout)
        health_pb2_grpc.HealthStub(ch).Check(health_pb2.HealthCheckRequest(), timeout=timeout)
