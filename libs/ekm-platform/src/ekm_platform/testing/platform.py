"""Run the platform's real processes for a test: own home folder, own vhost, free ports."""
from __future__ import annotations

import contextlib
import os
import pathlib
import socket
import subprocess
import sys
from dataclasses import dataclass

from ekm_platform import client, config
from ekm_platform.auth import generate_keys
from ekm_platform.supervisor import Supervisor, programs


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


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


def platform_env(home: pathlib.Path, amqp_uri: str, database_url: str | None = None,
                 extra: dict | None = None) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("EKM_")}
    env.update(extra or {})
    env.update(EKM_HOME=str(home), EKM_AMQP_URI=amqp_uri, EKM_GRPC_HOST="127.0.0.1",
               EKM_SIMULATORS_PORT=str(free_port()), EKM_PARTNER_PORT=str(free_port()), EKM_CHATBOT_PORT=str(free_port()),
               PYTHONUNBUFFERED="1")
    for service in config.SERVICES:
        env[f"EKM_{config.env_key(service)}_GRPC_PORT"] = str(free_port())
    if database_url:
        env["EKM_DATABASE_URL"] = database_url
    return env


@contextlib.contextmanager
def running_platform(home: pathlib.Path, amqp_uri: str, database_url: str | None = None,
                     services=config.SERVICES, simulators: bool = False, timeout: float = 60,
                     extra_env: dict | None = None):
    """Migrate, start ``services`` as real processes, wait until healthy; stop them after."""
    env = platform_env(home, amqp_uri, database_url, extra_env)
    generate_keys(home / "var/keys/jwt-private.pem", home / "var/keys/jwt-public.pem")
    migrated = subprocess.run([sys.executable, "-m", "ekm_platform.cli", "migrate", *services],
                              env=env, timeout=timeout, capture_output=True, text=True)
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
