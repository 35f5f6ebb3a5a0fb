"""The listening socket for the platform's HTTP processes outside nameko (uvicorn)."""

from __future__ import annotations

import socket

from ekm_platform import config


def listen(port: int, backlog: int = 1024) -> socket.socket:
    """A bound, non-blocking TCP socket on loopback (or every address when gRPC is not on loopback).

    IPPROTO_TCP is named: asyncio turns Nagle's algorithm off only on sockets that say they
    are TCP, and a reply's head and body are two writes (40 ms of delayed ACK otherwise)."""
    host = "127.0.0.1" if config.grpc_host() == "127.0.0.1" else "0.0.0.0"
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind((host, port))
    sock.listen(backlog)
    sock.setblocking(False)
    return sock
