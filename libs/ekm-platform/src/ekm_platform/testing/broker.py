"""A private RabbitMQ vhost per test session, through the management API (loopback only)."""

from __future__ import annotations

import base64
import contextlib
import json
import os
import urllib.parse
import urllib.request
import uuid

MANAGEMENT = os.environ.get("EKM_RABBIT_MANAGEMENT", "http://127.0.0.1:15672")
USER, PASSWORD = "guest", "guest"


def _call(method: str, path: str, body: dict | None = None) -> None:
    request = urllib.request.Request(
        f"{MANAGEMENT}/api/{path}",
        method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={
            "content-type": "application/json",
            "authorization": "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode(),
        },
    )
    with urllib.request.urlopen(request, timeout=10):
        pass


def create_vhost(prefix: str = "ekm-test") -> tuple[str, str]:
    """Create a vhost; returns (name, amqp uri)."""
    name = f"{prefix}-{uuid.uuid4().hex[:8]}"
    quoted = urllib.parse.quote(name, safe="")
    _call("PUT", f"vhosts/{quoted}", {})
    _call("PUT", f"permissions/{quoted}/{USER}", {"configure": ".*", "write": ".*", "read": ".*"})
    return name, f"amqp://{USER}:{PASSWORD}@127.0.0.1:5672/{quoted}"


def delete_vhost(name: str) -> None:
    _call("DELETE", f"vhosts/{urllib.parse.quote(name, safe='')}")


def create_user(
    name: str, password: str, vhost: str, write: str = ".*", read: str = "^$", configure: str = "^$"
) -> None:
    """A broker user with permissions on one vhost (partner credentials in tests)."""
    _call("PUT", f"users/{urllib.parse.quote(name, safe='')}", {"password": password, "tags": ""})
    _call(
        "PUT",
        f"permissions/{urllib.parse.quote(vhost, safe='')}/{urllib.parse.quote(name, safe='')}",
        {"configure": configure, "write": write, "read": read},
    )


def delete_user(name: str) -> None:
    _call("DELETE", f"users/{urllib.parse.quote(name, safe='')}")


@contextlib.contextmanager
def private_vhost(prefix: str = "ekm-test"):
    """A vhost of its own for a platform that outlives one test file (a session-scoped one):
    on the session's vhost it would take the events of every later file's platform."""
    name, uri = create_vhost(prefix)
    try:
        yield uri
    finally:
        delete_vhost(name)
