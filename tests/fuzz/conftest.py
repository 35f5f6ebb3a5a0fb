"""Fuzzing the boundaries (issue 12 item 3): property-based tests over every gRPC request,
partner-feed payload, identifier validator and a corpus of hostile XML. Profiles: profile.py.

Fixtures: ``canary`` (a loopback TCP server that records every connection: nothing we parse
may reach out to it), ``secret`` (a file whose content must never come back) and ``gateway``
(the registry gateway's real processes — gRPC service, AMQP feed consumer and the mTLS
partner inbound — on a private vhost, with partner certificates and a broker user)."""

from __future__ import annotations

import json
import socket
import sqlite3
import threading
import uuid
from dataclasses import dataclass, field

import pytest

from tests.fuzz import profile  # noqa: F401  (registers the hypothesis profiles)

PARTNER_TYPES = ["employment.registered", "health.rehabilitation_started"]


@dataclass
class Canary:
    url: str
    connections: list = field(default_factory=list)


@pytest.fixture(scope="session")
def canary():
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    server.settimeout(0.2)
    found = Canary(f"http://127.0.0.1:{server.getsockname()[1]}")
    stop = threading.Event()

    def accept():
        while not stop.is_set():
            try:
                connection, peer = server.accept()
            except OSError:
                continue
            found.connections.append(peer)
            connection.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield found
    stop.set()
    thread.join(2)
    server.close()


@dataclass
class Secret:
    uri: str
    marker: str


@pytest.fixture(scope="session")
def secret(tmp_path_factory):
    marker = f"SECRET-{uuid.uuid4().hex}"
    path = tmp_path_factory.mktemp("secret") / "secret.txt"
    path.write_text(marker)
    return Secret(path.as_uri(), marker)


@dataclass
class Gateway:
    platform: object
    port: int
    pki: object
    amqp_uri: str
    partner_amqp_uri: str
    amqp_partner: str

    def stored(self, source_id: str | None = None) -> int:
        with sqlite3.connect(self.platform.home / "var" / "registry_gateway.db", timeout=10) as db:
            if source_id is None:
                return db.execute("SELECT count(*) FROM feed_records").fetchone()[0]
            return db.execute("SELECT count(*) FROM feed_records WHERE source_id = ?", (source_id,)).fetchone()[0]

    def exited(self) -> list[str]:
        """Names of the platform processes that exited."""
        return [p.name for p in self.platform.supervisor.programs if p.process.poll() is not None]


@pytest.fixture(scope="session")
def platform(tmp_path_factory):
    """Every service's real processes (SQLite), the registry simulators, the gateway's AMQP
    feed consumer and its mTLS partner inbound, on a private vhost; one partner broker user."""
    from ekm_platform.testing import broker

    with broker.private_vhost("ekm-fuzz") as ekm_amqp_uri:  # session-scoped: not the session's vhost
        yield from _platform(tmp_path_factory, ekm_amqp_uri)


def _platform(tmp_path_factory, ekm_amqp_uri):
    from ekm_platform.testing import broker
    from ekm_platform.testing.pki import make_pki
    from ekm_platform.testing.platform import running_platform

    home = tmp_path_factory.mktemp("fuzz-platform")
    pki = make_pki(home / "pki", clients=("partner-dcz", "partner-unknown"))
    amqp_partner = f"partner-fuzz-{uuid.uuid4().hex[:6]}"  # broker users are global: one per run
    partners = home / "partners.json"
    partners.write_text(
        json.dumps(
            [
                {"partner_id": "partner-dcz", "record_types": PARTNER_TYPES},
                {"partner_id": amqp_partner, "record_types": PARTNER_TYPES},
            ]
        )
    )
    vhost = ekm_amqp_uri.rsplit("/", 1)[1]
    broker.create_user(amqp_partner, "fuzz-secret", vhost, write=r"^partner\.feed$")
    extra = {
        "EKM_PARTNERS_FILE": str(partners),
        "EKM_PARTNER_TLS_CERT": str(pki / "server.pem"),
        "EKM_PARTNER_TLS_KEY": str(pki / "server.key"),
        "EKM_PARTNER_TLS_CLIENT_CA": str(pki / "ca.pem"),
        "EKM_TRACING": "off",
        # timers are no boundary: their own writes would look like a refused call's
        "EKM_RETURNS_POLL_SECONDS": "3600",
        "EKM_REMINDER_INTERVAL_SECONDS": "3600",
        "EKM_DUE_SCAN_INTERVAL_SECONDS": "3600",
    }
    try:
        with running_platform(home, ekm_amqp_uri, simulators=True, extra_env=extra, timeout=90) as running:
            running.pki, running.amqp_partner = pki, amqp_partner
            yield running
    finally:
        broker.delete_user(amqp_partner)


@pytest.fixture(scope="session")
def gateway(platform):
    port = int(platform.env["EKM_PARTNER_PORT"])
    _wait_listening(port)
    uri = platform.env["EKM_AMQP_URI"]
    return Gateway(
        platform,
        port,
        platform.pki,
        uri,
        uri.replace("guest:guest", f"{platform.amqp_partner}:fuzz-secret"),
        platform.amqp_partner,
    )


def _wait_listening(port: int, timeout: float = 30) -> None:
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"partner inbound did not listen on {port}")
