"""Run the platform's real processes for a test: own home folder, own vhost, free ports."""

from __future__ import annotations

import contextlib
import fcntl
import os
import pathlib
import socket
import subprocess
import sys
import tempfile
from dataclasses import dataclass

from ekm_platform import client, config
from ekm_platform.auth import generate_keys
from ekm_platform.supervisor import Supervisor, programs

# Test ports come from below Linux's ephemeral range (32768-60999), where no outgoing
# connection takes one, and each pytest-xdist worker has a slice of its own.
PORT_RANGE = (20000, 32000)
PORT_CLAIMS = pathlib.Path(tempfile.gettempdir()) / "ekm-test-ports"
_next_port: list[int] = []
_claims: list[int] = []  # open, locked claim files: held until this process ends


def free_port() -> int:
    """A loopback port that nothing listens on and that no other test process has handed out.

    The services listen with SO_REUSEPORT (eventlet's default, and how several instances
    share a port), so a second platform given the same port would bind it too and silently
    take half of the first one's connections. So a port is not the kernel's random pick: each
    process walks its own slice of ``PORT_RANGE`` (one slice per xdist worker), skips a port a
    probe without SO_REUSEADDR cannot bind, and claims it with an exclusive ``flock`` on a file
    under ``PORT_CLAIMS``, which this process holds until it ends (the kernel drops the lock
    however it ends), so that no test process on the machine is handed the same port."""
    low, high = PORT_RANGE
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    count = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1") or 1)
    index = int(worker[2:]) if worker.startswith("gw") and worker[2:].isdigit() else 0
    size = (high - low) // max(count, 1)
    low, high = low + index * size, low + (index + 1) * size
    if not _next_port:
        _next_port.append(low + (os.getpid() * 7919) % (high - low))
    PORT_CLAIMS.mkdir(exist_ok=True)
    for _ in range(high - low):
        port = _next_port[0]
        _next_port[0] = low if port + 1 >= high else port + 1
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
        claim = os.open(PORT_CLAIMS / str(port), os.O_RDWR | os.O_CREAT, 0o666)
        try:
            fcntl.flock(claim, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(claim)
            continue
        _claims.append(claim)
        return port
    raise RuntimeError(f"no free loopback port in {low}-{high}")


@dataclass
class RunningPlatform:
    home: pathlib.Path
    env: dict
    supervisor: Supervisor
    supervisor_services: tuple = ()

    def channel(self, service: str):
        return client.channel(service, self.env)

    def bearer(self, role: str, user_id: str) -> list:
        return client.bearer(role, user_id, private_key=(self.home / "var/keys/jwt-private.pem").read_bytes())

    def log(self, name: str) -> str:
        path = self.home / "var" / "log" / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""


def platform_env(home: pathlib.Path, amqp_uri: str, database_url: str | None = None, extra: dict | None = None) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("EKM_")}
    env.update(extra or {})
    env.update(
        EKM_HOME=str(home),
        EKM_AMQP_URI=amqp_uri,
        EKM_GRPC_HOST="127.0.0.1",
        EKM_SIMULATORS_PORT=str(free_port()),
        EKM_PARTNER_PORT=str(free_port()),
        EKM_CHATBOT_PORT=str(free_port()),
        PYTHONUNBUFFERED="1",
    )
    for service in config.SERVICES:
        env[f"EKM_{config.env_key(service)}_GRPC_PORT"] = str(free_port())
    if database_url:
        env["EKM_DATABASE_URL"] = database_url
        # A test platform's few callers need few connections; the production default (10 + 20 per
        # process) would let two PostgreSQL platforms on two xdist workers pass max_connections=100.
        env.setdefault("EKM_DB_POOL_SIZE", "4")
        env.setdefault("EKM_DB_MAX_OVERFLOW", "6")
    return env


@contextlib.contextmanager
def running_platform(
    home: pathlib.Path,
    amqp_uri: str,
    database_url: str | None = None,
    services=config.SERVICES,
    simulators: bool = False,
    timeout: float = 60,
    extra_env: dict | None = None,
):
    """Migrate, start ``services`` as real processes, wait until healthy; stop them after."""
    env = platform_env(home, amqp_uri, database_url, extra_env)
    generate_keys(home / "var/keys/jwt-private.pem", home / "var/keys/jwt-public.pem")
    migrated = subprocess.run(
        [sys.executable, "-m", "ekm_platform.cli", "migrate", *services],
        env=env,
        timeout=timeout,
        capture_output=True,
        text=True,
    )
    if migrated.returncode:
        raise RuntimeError(f"ekm migrate failed:\n{migrated.stdout}\n{migrated.stderr}")
    supervisor = Supervisor(programs(services, simulators, env), log_dir=home / "var" / "log", env=env)
    supervisor.start()
    platform = RunningPlatform(home, env, supervisor, tuple(services))
    try:
        for service in services:
            client.wait_healthy(service, timeout=timeout, env=env)
        yield platform
    except BaseException:
        for service in services:
            sys.stderr.write(f"--- {service}.log (tail) ---\n{platform.log(service)[-3000:]}\n")
        raise
    finally:
        supervisor.stop(timeout=10)
