"""The operator's pages: the gRPC health of each service, the broker's queue depths (RabbitMQ
management API, read by the BFF) and each service's dead letters, and the trace viewer (the
span tree of ``ekm trace`` from the platform's trace store). Identifiers only: no names, no
payloads (a dead letter shows its consumer, event id, time and reason)."""

from __future__ import annotations

import asyncio
import os
import pathlib
import urllib.parse

from starlette.requests import Request
from starlette.routing import Route

from ekm_platform import config
from ekm_web import i18n
from ekm_web.pages import ROLE_HOME, nav, page, render

OPERATOR = ("operator",)

i18n.register(
    {
        "nav.health": ("Стан сервісів", "Service health"),
        "nav.queues": ("Черги і мертві листи", "Queues and dead letters"),
        "nav.traces": ("Траси", "Traces"),
        "op.health.title": ("Стан сервісів", "Service health"),
        "op.service": ("Сервіс", "Service"),
        "op.address": ("Адреса", "Address"),
        "op.status": ("Стан", "Status"),
        "op.serving": ("працює", "serving"),
        "op.not_serving": ("не працює", "not serving"),
        "op.queues.title": ("Черги брокера", "Broker queues"),
        "op.queues.vhost": ("Віртуальний хост: {vhost}", "Virtual host: {vhost}"),
        "op.queues.unavailable": (
            "API керування RabbitMQ недоступний: {error}",
            "The RabbitMQ management API is unavailable: {error}",
        ),
        "op.queue": ("Черга", "Queue"),
        "op.ready": ("Готові", "Ready"),
        "op.unacked": ("Непідтверджені", "Unacknowledged"),
        "op.consumers": ("Споживачі", "Consumers"),
        "op.dead.title": ("Мертві листи сервісів", "Services' dead letters"),
        "op.dead.none": ("Мертвих листів немає.", "No dead letters."),
        "op.dead.count": ("{n} мертвих листів", "{n} dead letters"),
        "op.dead.replay": (
            "Повторити: ekm dead-letters {service} --replay N",
            "Replay: ekm dead-letters {service} --replay N",
        ),
        "op.dead.unreadable": ("Не вдалося прочитати: {error}", "Could not read: {error}"),
        "op.dead.no_db": (
            "Бази даних сервісу ще немає (no database).",
            "The service has no database yet (no database).",
        ),
        "op.consumer": ("Обробник", "Consumer"),
        "op.event": ("Подія", "Event"),
        "op.when": ("Коли", "When"),
        "op.reason": ("Причина", "Reason"),
        "op.traces.title": ("Перегляд трас", "Trace viewer"),
        "op.traces.key": (
            "Номер звернення, номер випадку або ідентифікатор траси",
            "Tracking number, case number or trace id",
        ),
        "op.traces.find": ("Знайти", "Find"),
        "op.traces.none": ("Трасу не знайдено: {what}", "Trace not found: {what}"),
        "op.traces.summary": (
            "Траса {trace}: {n} спанів; сервіси: {services}; загалом {ms} мс",
            "Trace {trace}: {n} spans; services: {services}; total {ms} ms",
        ),
        "op.traces.error": ("ПОМИЛКА", "ERROR"),
    }
)

nav("/operator/health", "nav.health", OPERATOR)
nav("/operator/queues", "nav.queues", OPERATOR)
nav("/operator/traces", "nav.traces", OPERATOR)
ROLE_HOME["operator"] = "/operator/health"


@page(roles=OPERATOR)
async def health(request: Request):
    backend = request.app.state.backend
    services = list(config.SERVICES)
    statuses = await asyncio.gather(*(backend.health(s) for s in services))
    addresses = getattr(request.app.state.settings, "grpc_addresses", {})
    rows = [{"service": s, "address": addresses.get(s, ""), "status": st} for s, st in zip(services, statuses)]
    return render(request, "operator/health.html", rows=rows)


def management_api() -> tuple[str, str, str, str]:
    """(base URL, user, password, vhost): EKM_WEB_RABBITMQ_API (default http://127.0.0.1:15672)
    with the credentials and virtual host of EKM_AMQP_URI."""
    amqp = urllib.parse.urlsplit(config.amqp_uri())
    vhost = urllib.parse.unquote(amqp.path[1:]) if len(amqp.path) > 1 else "/"
    return (
        os.environ.get("EKM_WEB_RABBITMQ_API", "http://127.0.0.1:15672").rstrip("/"),
        urllib.parse.unquote(amqp.username or "guest"),
        urllib.parse.unquote(amqp.password or "guest"),
        vhost,
    )


async def broker_queues() -> tuple[str, list[dict], str]:
    import httpx

    base, user, password, vhost = management_api()
    url = f"{base}/api/queues/{urllib.parse.quote(vhost, safe='')}"
    try:
        async with httpx.AsyncClient(timeout=5.0) as client:
            reply = await client.get(
                url, auth=(user, password), params={"columns": "name,messages_ready,messages_unacknowledged,consumers"}
            )
            reply.raise_for_status()
            rows = reply.json()
    except (httpx.HTTPError, ValueError) as exc:
        return vhost, [], type(exc).__name__
    return vhost, sorted(rows, key=lambda q: (-(q.get("messages_ready") or 0), q.get("name", ""))), ""


_engines: dict = {}


def dead_letters(service: str, limit: int = 50) -> tuple[int, list[dict], str]:
    """The newest dead letters of a service's database (read only; what ``ekm dead-letters`` lists)."""
    from sqlalchemy import MetaData, func, inspect, select
    from sqlalchemy.engine import make_url

    from ekm_platform.db import make_engine
    from ekm_platform.messaging_tables import messaging_tables

    try:
        url = config.database_url(service)
        parsed = make_url(url)
        if parsed.get_backend_name() == "sqlite" and parsed.database and not pathlib.Path(parsed.database).exists():
            return 0, [], "no database"  # never create a service's database by looking at it
        engine = _engines.get(service) or _engines.setdefault(service, make_engine(url))
        if not inspect(engine).has_table("dead_letters"):
            return 0, [], ""
        table = messaging_tables(MetaData())["dead_letters"]
        with engine.connect() as conn:
            total = conn.execute(select(func.count()).select_from(table)).scalar() or 0
            rows = conn.execute(
                select(table.c.seq, table.c.consumer, table.c.event_id, table.c.reason, table.c.created_at)
                .order_by(table.c.seq.desc())
                .limit(limit)
            ).all()
    except Exception as exc:  # noqa: BLE001 - an unreachable database is shown, not raised
        return 0, [], type(exc).__name__
    return (
        total,
        [
            {
                "seq": r.seq,
                "consumer": r.consumer,
                "event_id": r.event_id or "",
                "reason": (r.reason or "")[:300],
                "at": r.created_at,
            }
            for r in rows
        ],
        "",
    )


@page(roles=OPERATOR)
async def queues(request: Request):
    vhost, rows, error = await broker_queues()
    dead = []
    for service in config.SERVICES:
        total, letters, problem = await asyncio.to_thread(dead_letters, service)
        dead.append({"service": service, "total": total, "letters": letters, "error": problem})
    return render(request, "operator/queues.html", vhost=vhost, queues=rows, error=error, dead=dead)


def span_tree(spans: list[dict]) -> list[dict]:
    """Spans in tree order with their depth (as ``ekm trace`` prints them)."""
    by_id = {s["span_id"]: s for s in spans}
    children: dict = {}
    for span in sorted(spans, key=lambda s: s["start_ns"]):
        parent = span["parent_span_id"] if span["parent_span_id"] in by_id else None
        children.setdefault(parent, []).append(span)
    out: list[dict] = []

    def walk(parent, depth):
        for span in children.get(parent, []):
            out.append(
                {
                    "depth": depth,
                    "service": span["service"],
                    "name": span["name"],
                    "kind": str(span["kind"]).lower(),
                    "ms": (span["end_ns"] - span["start_ns"]) / 1e6,
                    "error": span["status"] == "ERROR",
                }
            )
            walk(span["span_id"], depth + 1)

    walk(None, 0)
    return out


def find(key: str) -> list[dict]:
    from ekm_platform.trace_cli import find_traces
    from ekm_platform.tracing import TraceStore

    found = []
    for trace_id, spans in find_traces(TraceStore(), key):
        start, end = min(s["start_ns"] for s in spans), max(s["end_ns"] for s in spans)
        found.append(
            {
                "trace_id": trace_id,
                "spans": span_tree(spans),
                "count": len(spans),
                "services": ", ".join(sorted({s["service"] for s in spans})),
                "ms": f"{(end - start) / 1e6:.2f}",
            }
        )
    return found


@page(roles=OPERATOR)
async def traces(request: Request):
    key = str(request.query_params.get("key", "")).strip()[:100]
    found = await asyncio.to_thread(find, key) if key else []
    return render(request, "operator/traces.html", key=key, traces=found)


routes = [
    Route("/operator/health", health, methods=["GET"]),
    Route("/operator/queues", queues, methods=["GET"]),
    Route("/operator/traces", traces, methods=["GET"]),
]
