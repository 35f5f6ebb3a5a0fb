"""Settings read from the environment, with defaults for one machine.

Every service reads the same names, so knowing one service means knowing all:

- ``EKM_HOME``: the working folder (``var/`` below it holds databases, logs, keys).
- ``EKM_AMQP_URI``: the broker, default ``amqp://guest:guest@127.0.0.1:5672/`` (development only:
  RabbitMQ's guest user works on loopback alone).
- ``EKM_DATABASE_URL``: a PostgreSQL server URL; each service gets its own database
  ``<name>_<service>`` on it.  Unset: one SQLite file per service under ``var/``.
- ``EKM_<SERVICE>_DATABASE_URL``: the full URL of one service's database (wins).
- ``EKM_<SERVICE>_GRPC_PORT``: the gRPC port of one service.
- ``EKM_INSTANCES``: how many processes run a service, e.g. ``cases=3,notifications=3``
  (default 1 each); ``EKM_<SERVICE>_INSTANCES`` wins for one service. The instances share
  the service's gRPC port (SO_REUSEPORT) and its queues (competing consumers).
- ``EKM_JWT_PUBLIC_KEY`` / ``EKM_JWT_PRIVATE_KEY``: PEM files for RS256 tokens.

Secrets (the broker URI, database URLs: they hold passwords) come only from the environment:
``EKM_<NAME>`` or a file named by ``EKM_<NAME>_FILE`` (a mounted secret), see ``secret``;
``tests/test_secrets.py`` fails on a secret written into the source.
"""

from __future__ import annotations

import os
import pathlib

from sqlalchemy.engine import make_url

SERVICES = ("intake", "cases", "registry-gateway", "interagency", "notifications")

GRPC_PORTS = {
    "intake": 50051,
    "cases": 50052,
    "registry-gateway": 50053,
    "interagency": 50054,
    "notifications": 50055,
}


# Processes a service runs beside its nameko process (not nameko: e.g. a pika consumer).
COMPANIONS = {
    "registry-gateway": [("registry-gateway-feed", "registry_gateway.feed_consumer")],
    "intake": [("intake-webhook", "intake.webhook")],
}  # the chat-bot webhook (uvicorn)


def env_key(service: str) -> str:
    """``registry-gateway`` -> ``REGISTRY_GATEWAY``."""
    return service.upper().replace("-", "_")


def package_name(service: str) -> str:
    """``registry-gateway`` -> ``registry_gateway``."""
    return service.replace("-", "_")


def service_class(service: str):
    """The nameko service class of ``service`` (``<package>.service.SERVICE``)."""
    import importlib

    return importlib.import_module(f"{package_name(service)}.service").SERVICE


def home() -> pathlib.Path:
    return pathlib.Path(os.environ.get("EKM_HOME", os.getcwd())).resolve()


def var_dir() -> pathlib.Path:
    path = pathlib.Path(os.environ.get("EKM_VAR_DIR", home() / "var"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def secret(name: str, default: str | None = None, environ=None) -> str | None:
    """A secret setting, from the environment only: ``EKM_<name>``, or the content of the file
    named by ``EKM_<name>_FILE`` (a mounted Kubernetes / Docker secret; surrounding whitespace
    stripped). Both set is refused (``ValueError``): which one wins would be a guess."""
    env = os.environ if environ is None else environ
    value, file = env.get(f"EKM_{name}"), env.get(f"EKM_{name}_FILE")
    if value and file:
        raise ValueError(f"EKM_{name} and EKM_{name}_FILE are both set: set one of them")
    if file:
        return pathlib.Path(file).read_text(encoding="utf-8").strip()
    return value or default


DEV_AMQP_URI = "amqp://guest:guest@127.0.0.1:5672/"  # development only: guest is refused off loopback


def amqp_uri() -> str:
    return secret("AMQP_URI", DEV_AMQP_URI)


def grpc_port(service: str) -> int:
    return int(os.environ.get(f"EKM_{env_key(service)}_GRPC_PORT", GRPC_PORTS[service]))


def instances(environ=None) -> dict[str, int]:
    """How many processes run each service: ``EKM_INSTANCES`` (``cases=3,notifications=3``), then
    ``EKM_<SERVICE>_INSTANCES``; 1 where neither says. A name that is not a service, or a count
    that is not a whole number from 1 to 16, is refused (``ValueError``) rather than ignored."""
    env = os.environ if environ is None else environ
    counts = dict.fromkeys(SERVICES, 1)
    given = [
        tuple(part.split("=", 1)) if "=" in part else (part, "")
        for part in (p.strip() for p in env.get("EKM_INSTANCES", "").split(","))
        if part
    ]
    given += [
        (s, env[f"EKM_{env_key(s)}_INSTANCES"]) for s in SERVICES if env.get(f"EKM_{env_key(s)}_INSTANCES", "").strip()
    ]
    for service, count in given:
        service = service.strip()
        if service not in counts:
            raise ValueError(f"EKM_INSTANCES: невідомий сервіс / unknown service {service!r} ({', '.join(SERVICES)})")
        if not count.strip().isdigit() or not 1 <= int(count) <= 16:
            raise ValueError(
                f"EKM_INSTANCES: {service}={count!r}: потрібне ціле число від 1 до 16 / "
                "a whole number from 1 to 16 is expected"
            )
        counts[service] = int(count)
    return counts


def grpc_host() -> str:
    return os.environ.get("EKM_GRPC_HOST", "127.0.0.1")


def database_url(service: str) -> str:
    """The SQLAlchemy URL of one service's own database."""
    own = secret(f"{env_key(service)}_DATABASE_URL")
    if own:
        return own
    shared = secret("DATABASE_URL")
    if shared:
        url = make_url(shared)
        if url.drivername in ("postgresql", "postgres"):
            url = url.set(drivername="postgresql+psycopg")
        base = url.database or "ekm"
        return url.set(database=f"{base}_{package_name(service)}").render_as_string(hide_password=False)
    return f"sqlite:///{var_dir() / (package_name(service) + '.db')}"


def jwt_public_key_path() -> pathlib.Path:
    return pathlib.Path(os.environ.get("EKM_JWT_PUBLIC_KEY", var_dir() / "keys" / "jwt-public.pem"))


def jwt_private_key_path() -> pathlib.Path:
    return pathlib.Path(os.environ.get("EKM_JWT_PRIVATE_KEY", var_dir() / "keys" / "jwt-private.pem"))


def nameko_config(service: str) -> dict:
    """The nameko configuration of one service process."""
    return {
        "AMQP_URI": amqp_uri(),
        "GRPC_BIND_HOST": grpc_host(),
        "GRPC_BIND_PORT": grpc_port(service),
        "max_workers": int(os.environ.get("EKM_MAX_WORKERS", "32")),
        "PREFETCH_COUNT": int(os.environ.get("EKM_PREFETCH_COUNT", "32")),
        "RPC_TIMEOUT": float(os.environ.get("EKM_RPC_TIMEOUT", "10")),
        "DATABASE_URL": database_url(service),
        "SERVICE": service,
    }
