"""``ekm status``: every service's gRPC health, its queues and its dead letters, in one look.

Where each figure comes from:

- gRPC health: ``grpc.health.v1.Health/Check`` on the port ``ekm_platform.config`` gives the
  service (``EKM_<SERVICE>_GRPC_PORT``): SERVING, NOT_SERVING (the process answers but its
  database or broker is out of reach), UNREACHABLE (nothing answers in time).
- Queues: the RabbitMQ management API (``GET /api/queues/<vhost>``), the vhost of
  ``EKM_AMQP_URI``. Each queue is given to the service that consumes it by its name:
  ``rpc-<service>``, ``evt-<source>-<event>--<service>.<handler>``, the partner feed
  (``partner.feed.records``) and its dead-letter queue (``partner.feed.dead``); the back-off
  queues ``ekm.retry.<ms>`` are shared. The management API samples its figures every few
  seconds (RabbitMQ's ``collect_statistics_interval``, 5 s by default).
- Dead letters: the count of each service's ``dead_letters`` table (``ekm dead-letters``),
  plus the messages in ``partner.feed.dead``.

Unhealthy (exit code 1), each named in the PROBLEMS list:

- a service whose health is not SERVING;
- a queue of a service with no consumer (a stopped service, a handler that is gone: its
  events pile up);
- dead letters present (in the table or in ``partner.feed.dead``);
- the management API or a service's database out of reach (its figures are unknown);
- a memory or disk alarm of the broker (``/api/health/checks/alarms``: publishers are blocked).

Messages waiting in ``ekm.retry.*`` are retries in progress: shown, not a problem.

The management API: ``EKM_RABBITMQ_MANAGEMENT_URL``, else ``http(s)://<EKM_AMQP_URI host>:15672``
(15671 for ``amqps``). Its user and password: ``EKM_RABBITMQ_MANAGEMENT_USER`` and
``EKM_RABBITMQ_MANAGEMENT_PASSWORD`` (or ``EKM_RABBITMQ_MANAGEMENT_PASSWORD_FILE``), else
those of ``EKM_AMQP_URI`` or ``EKM_AMQP_URI_FILE`` (``config.secret``; the default is the
development broker's guest/guest).
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import pathlib
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from typing import Any

from ekm_platform import config

SERVING, NOT_SERVING, UNREACHABLE = "SERVING", "NOT_SERVING", "UNREACHABLE"
CONSUMED_KINDS = ("rpc", "events", "feed")  # a queue of these kinds needs a consumer
RETRY_PREFIX = "ekm.retry."


# registry_gateway.feed_consumer's QUEUE and DEAD (libs/ekm-platform/tests/test_status.py holds them
# equal): importing that module would load nameko and double this command's start-up time.
FEED_QUEUE, FEED_DEAD_QUEUE = "partner.feed.records", "partner.feed.dead"


# -- settings ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Management:
    url: str
    user: str
    password: str = field(repr=False)
    vhost: str


def management_settings(env: Mapping[str, str] | None = None) -> Management:
    env = os.environ if env is None else env
    amqp = urllib.parse.urlsplit(config.secret("AMQP_URI", config.DEV_AMQP_URI, env) or config.DEV_AMQP_URI)
    vhost = urllib.parse.unquote(amqp.path[1:]) if len(amqp.path) > 1 else "/"
    url = env.get("EKM_RABBITMQ_MANAGEMENT_URL")
    if not url:
        scheme, port = ("https", 15671) if amqp.scheme == "amqps" else ("http", 15672)
        host = amqp.hostname or "127.0.0.1"
        url = f"{scheme}://{'[' + host + ']' if ':' in host else host}:{port}"
    user = env.get("EKM_RABBITMQ_MANAGEMENT_USER") or urllib.parse.unquote(amqp.username or "guest")
    password = config.secret("RABBITMQ_MANAGEMENT_PASSWORD", None, env)  # or EKM_..._PASSWORD_FILE
    if password is None:
        password = urllib.parse.unquote(amqp.password or "guest")
    return Management(url.rstrip("/"), user, password, vhost)


# -- what is found -------------------------------------------------------------------------
@dataclass
class Queue:
    name: str
    kind: str  # rpc | events | feed | dead | retry | other
    service: str | None  # the consuming service (config name), None for shared/other queues
    ready: int
    unacked: int
    consumers: int


@dataclass
class ServiceStatus:
    service: str
    address: str
    health: str  # SERVING | NOT_SERVING | UNREACHABLE | an error text
    dead_letters: int | None = None  # None: unknown (see dead_letters_error) or no database yet
    dead_letters_error: str = ""
    queues: list[Queue] = field(default_factory=list)

    @property
    def dead_total(self) -> int | None:
        """The table's dead letters and the messages in the service's dead-letter queues."""
        in_queues = [q.ready + q.unacked for q in self.queues if q.kind == "dead"]
        if self.dead_letters is None and not in_queues:
            return None
        return (self.dead_letters or 0) + sum(in_queues)


@dataclass
class PlatformStatus:
    management: str
    vhost: str
    services: list[ServiceStatus]
    shared_queues: list[Queue] = field(default_factory=list)
    broker_error: str = ""
    broker_alarm: str = ""
    problems: list[str] = field(default_factory=list)

    @property
    def healthy(self) -> bool:
        return not self.problems


def classify(name: str) -> tuple[str | None, str] | None:
    """(consuming service, kind) of a queue by its name; None for a queue not shown
    (nameko's RPC reply queues belong to whoever called)."""
    by_nameko_name = {config.package_name(s): s for s in config.SERVICES} | {s: s for s in config.SERVICES}
    if name.startswith("rpc.reply-"):
        return None
    if name.startswith("rpc-"):
        service = by_nameko_name.get(name[len("rpc-") :])
        return (service, "rpc") if service else (None, "other")
    if name.startswith("evt-") and "--" in name:
        service = by_nameko_name.get(name.split("--", 1)[1].split(".", 1)[0])
        return (service, "events") if service else (None, "other")
    if name == FEED_QUEUE:
        return "registry-gateway", "feed"
    if name == FEED_DEAD_QUEUE:
        return "registry-gateway", "dead"
    if name.startswith(RETRY_PREFIX):
        return None, "retry"
    return None, "other"


def queues_from_api(rows: list[dict]) -> list[Queue]:
    queues = []
    for row in rows:
        kind = classify(row["name"])
        if kind is None:
            continue
        queues.append(
            Queue(
                row["name"],
                kind[1],
                kind[0],
                int(row.get("messages_ready") or 0),
                int(row.get("messages_unacknowledged") or 0),
                int(row.get("consumers") or 0),
            )
        )
    return sorted(queues, key=lambda q: q.name)


def find_problems(status: PlatformStatus) -> list[str]:
    """The rules of the module docstring, as sentences an operator can act on."""
    problems = []
    if status.broker_error:
        problems.append(f"RabbitMQ management API: {status.broker_error}")
    if status.broker_alarm:
        problems.append(f"RabbitMQ alarm: {status.broker_alarm}")
    for s in status.services:
        if s.health != SERVING:
            problems.append(f"{s.service}: gRPC health {s.health} at {s.address}")
        for q in s.queues:
            if q.kind in CONSUMED_KINDS and q.consumers == 0:
                problems.append(
                    f"{s.service}: queue {q.name} has no consumer ({q.ready + q.unacked} message(s) waiting)"
                )
            if q.kind == "dead" and q.ready + q.unacked:
                problems.append(
                    f"{s.service}: {q.ready + q.unacked} dead record(s) in {q.name} "
                    "(python -m registry_gateway.feed_consumer --dead list)"
                )
        if s.dead_letters_error:
            problems.append(f"{s.service}: dead letters unknown: {s.dead_letters_error}")
        elif s.dead_letters:
            problems.append(f"{s.service}: {s.dead_letters} dead letter(s) (ekm dead-letters {s.service})")
    return problems


# -- looking ---------------------------------------------------------------------------------
def _get(management: Management, path: str, timeout: float):
    request = urllib.request.Request(
        f"{management.url}/api/{path}",
        headers={
            "authorization": "Basic " + base64.b64encode(f"{management.user}:{management.password}".encode()).decode()
        },
    )
    with urllib.request.urlopen(request, timeout=timeout) as reply:
        return json.loads(reply.read())


def fetch_queue_rows(management: Management, timeout: float = 5.0) -> list[dict]:
    vhost = urllib.parse.quote(management.vhost, safe="")
    return _get(management, f"queues/{vhost}?columns=name,messages_ready,messages_unacknowledged,consumers", timeout)


def broker_alarms(management: Management, timeout: float = 5.0) -> str:
    """'' or the broker's memory / disk alarm (publishers are blocked while one is in effect)."""
    try:
        _get(management, "health/checks/alarms", timeout)
    except urllib.error.HTTPError as exc:
        if exc.code != 503:
            raise
        try:
            return str(json.loads(exc.read()).get("reason") or "alarm in effect")
        except ValueError:
            return "alarm in effect"
    return ""


def grpc_health(service: str, env: Mapping[str, str] | None = None, timeout: float = 3.0) -> str:
    import grpc
    from grpc_health.v1 import health_pb2, health_pb2_grpc

    from ekm_platform import client

    with client.channel(service, env) as channel:
        try:
            reply = health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(), timeout=timeout)
        except grpc.RpcError as exc:
            if exc.code() in (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED):
                return UNREACHABLE
            return f"ERROR {exc.code().name}"
    return health_pb2.HealthCheckResponse.ServingStatus.Name(reply.status)


def dead_letter_count(service: str) -> int | None:
    """Rows in the service's ``dead_letters`` table; None when it has no database yet."""
    from sqlalchemy import func, inspect, select
    from sqlalchemy.engine import make_url

    from ekm_platform.db import make_engine

    url = config.database_url(service)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if not parsed.database or not pathlib.Path(parsed.database).exists():
            return None  # never migrated: do not create the file by looking
        engine = make_engine(url)
    else:
        engine = make_engine(url, connect_args={"connect_timeout": 5})
    try:
        if not inspect(engine).has_table("dead_letters"):
            return None
        with engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(_dead_letters_table())).scalar_one()
    finally:
        engine.dispose()


def _dead_letters_table() -> Any:
    from sqlalchemy import MetaData

    from ekm_platform.messaging_tables import messaging_tables

    return messaging_tables(MetaData())["dead_letters"]


def collect(
    services: Sequence[str] = config.SERVICES, env: Mapping[str, str] | None = None, timeout: float = 3.0
) -> PlatformStatus:
    """Look at everything at once (health checks, databases and the API in parallel)."""
    from ekm_platform import client

    management = management_settings(env)
    with ThreadPoolExecutor(max_workers=2 * len(services) + 1) as pool:
        rows = pool.submit(fetch_queue_rows, management, timeout + 2)
        alarms = pool.submit(broker_alarms, management, timeout + 2)
        health = {s: pool.submit(grpc_health, s, env, timeout) for s in services}
        dead = {s: pool.submit(dead_letter_count, s) for s in services}
        status = PlatformStatus(management.url, management.vhost, [])
        try:
            queues = queues_from_api(rows.result())
        except urllib.error.HTTPError as exc:
            queues, status.broker_error = [], f"{management.url}: HTTP {exc.code} {exc.reason}"
        except (OSError, ValueError) as exc:
            queues, status.broker_error = [], f"{management.url}: {exc}"
        try:
            status.broker_alarm = alarms.result()
        except (OSError, ValueError):
            pass  # the queue listing has said what is wrong with the API
        for service in services:
            item = ServiceStatus(
                service,
                client.address(service, env),
                health[service].result(),
                queues=[q for q in queues if q.service == service],
            )
            try:
                item.dead_letters = dead[service].result()
            except Exception as exc:  # noqa: BLE001 - any database failure is reported, not raised
                item.dead_letters_error = f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}"
            status.services.append(item)
    status.shared_queues = [q for q in queues if q.service is None]
    status.problems = find_problems(status)
    return status


# -- showing ---------------------------------------------------------------------------------
def _table(header: list[str], rows: list[list], right: set[int]) -> list[str]:
    cells = [header] + [["—" if v is None else str(v) for v in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    return [
        "  ".join(c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths))).rstrip()
        for r in cells
    ]


def render(status: PlatformStatus) -> str:
    lines = [f"ЕКМ: стан / status — RabbitMQ {status.management} vhost {status.vhost}", ""]
    lines += _table(
        ["СЕРВІС / SERVICE", "gRPC", "ADDRESS", "QUEUES", "READY", "UNACKED", "DEAD LETTERS"],
        [
            [
                s.service,
                s.health,
                s.address,
                *(
                    ["?"] * 3
                    if status.broker_error
                    else [len(s.queues), sum(q.ready for q in s.queues), sum(q.unacked for q in s.queues)]
                ),
                "?" if s.dead_letters_error else s.dead_total,
            ]
            for s in status.services
        ],
        right={3, 4, 5, 6},
    )
    queues = [(s.service, q) for s in status.services for q in s.queues] + [
        ("(shared)" if q.kind == "retry" else "(other)", q) for q in status.shared_queues
    ]
    if queues:
        lines += ["", "ЧЕРГИ / QUEUES"]
        lines += _table(
            ["SERVICE", "QUEUE", "KIND", "READY", "UNACKED", "CONSUMERS"],
            [[owner, q.name, q.kind, q.ready, q.unacked, q.consumers] for owner, q in queues],
            right={3, 4, 5},
        )
    elif not status.broker_error:
        lines += ["", "ЧЕРГИ / QUEUES: немає / none"]
    lines.append("")
    if status.problems:
        lines.append(f"ПРОБЛЕМИ / PROBLEMS ({len(status.problems)}):")
        lines += [f"  ✗ {p}" for p in status.problems]
    else:
        lines.append("✓ Усе гаразд / all healthy")
    return "\n".join(lines)


def as_json(status: PlatformStatus) -> dict:
    return {
        "healthy": status.healthy,
        "management": status.management,
        "vhost": status.vhost,
        "broker_error": status.broker_error,
        "broker_alarm": status.broker_alarm,
        "services": [asdict(s) | {"dead_total": s.dead_total} for s in status.services],
        "shared_queues": [asdict(q) for q in status.shared_queues],
        "problems": status.problems,
    }


def run(args: argparse.Namespace) -> int:
    unknown = set(args.services) - set(config.SERVICES)
    if unknown:
        print(f"невідомий сервіс / unknown service: {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    status = collect(tuple(args.services) or config.SERVICES, timeout=args.timeout)
    print(json.dumps(as_json(status), ensure_ascii=False, indent=2) if args.json else render(status))
    return 0 if status.healthy else 1


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "services", nargs="*", metavar="SERVICE", help="only these (default: all): " + ", ".join(config.SERVICES)
    )
    parser.add_argument("--json", action="store_true", help="print the status as JSON")
    parser.add_argument("--timeout", type=float, default=3.0, help="seconds per health check (default 3)")
