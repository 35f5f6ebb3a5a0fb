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


def channel(service: str, env=None) -> grpc.Channel:
    return grpc.insecure_channel(address(service, env))


def bearer(role: str, user_id: str, community_code: str = "", private_key: bytes | None = None) -> list:
    token = issue_token(user_id, role, community_code=community_code, private_key=private_key)
    return [("authorization", f"Bearer {token}")]


def wait_healthy(service: str, timeout: float = 30.0, env=None) -> None:
    from grpc_health.v1 import health_pb2, health_pb2_grpc

    with channel(service, env) as ch:
        grpc.channel_ready_future(ch).result(timeout=timeout)
        health_pb2_grpc.HealthStub(ch).Check(health_pb2.HealthCheckRequest(), timeout=timeout)
