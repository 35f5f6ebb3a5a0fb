"""The chat-bot channel: a REST webhook with signed requests, ``python -m intake.webhook``.

    POST /intake/v1/chatbot/<bot_id>/appeals
    Content-Type: application/json
    X-EKM-Timestamp: <unix seconds>
    X-EKM-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>." + body)>

A process of its own, served by uvicorn (asyncio, h11; no nameko, no eventlet): it checks
the request and hands the appeal to intake over nameko's standalone AMQP RPC
(``intake.submit_chatbot_appeal``), from a small thread pool — each thread with its own
RPC client — so the event loop never waits on the broker.

Checks, in order, each answered with a 4xx naming the problem and nothing stored:
unknown path 404, another method 405, an unknown bot 401, no Content-Length 411, a body
over ``EKM_CHATBOT_MAX_BODY`` (64 KiB) 413 (refused before it is read), not JSON 415, a
timestamp missing or outside ``EKM_CHATBOT_REPLAY_WINDOW`` seconds (300) of now 401, a
bad signature 401, a body that is not JSON 400, invalid fields 422 (each named). The
signature covers the timestamp, so an old request cannot be replayed outside the window;
inside it, a replay is answered as the first delivery was (``message_id`` is the bot's
idempotency key in intake) and stores nothing new.

Bots are configuration (``EKM_CHATBOTS_FILE``, default ``deploy/demo/chatbots.json`` under
EKM_HOME): a list of ``{"bot_id", "community_code"}`` with the bot's secret as ``"secret_env"``
(the name of an environment variable holding it) or ``"secret_file"`` (the path of a file
holding it, a mounted secret) — how a deployment keeps secrets out of the configuration; a
literal ``"secret"`` is for the development file only (deploy/demo/chatbots.json). A secret
shorter than 16 bytes is refused at start. Port ``EKM_CHATBOT_PORT`` (8090).
In production TLS ends at the ingress in front of it.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import hmac
import json
import logging
import os
import pathlib
import re
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from ekm_platform import config
from ekm_platform.http_listen import listen
from ekm_platform.logs import setup_logging

log = logging.getLogger("intake.webhook")
PATH = re.compile(r"^/intake/v1/chatbot/([A-Za-z0-9_-]{1,40})/appeals$")
MAX_BODY = int(os.environ.get("EKM_CHATBOT_MAX_BODY", 64 * 1024))
REPLAY_WINDOW = int(os.environ.get("EKM_CHATBOT_REPLAY_WINDOW", 300))
BODY_TIMEOUT = float(os.environ.get("EKM_CHATBOT_BODY_TIMEOUT", 10))
RPC_TIMEOUT = float(os.environ.get("EKM_CHATBOT_RPC_TIMEOUT", 15))
MIN_SECRET = 16


@dataclass(frozen=True)
class Bot:
    bot_id: str
    secret: bytes
    community_code: str = ""


def load_bots(path: str | None = None) -> dict[str, Bot]:
    file = pathlib.Path(
        path or os.environ.get("EKM_CHATBOTS_FILE") or config.home() / "deploy" / "demo" / "chatbots.json"
    )
    if not file.exists():
        log.warning("no chat-bot configuration at %s: every webhook request is refused", file)
        return {}
    bots = {}
    for entry in json.loads(file.read_text(encoding="utf-8")):
        secret = bot_secret(entry)
        if len(secret.encode()) < MIN_SECRET:
            raise SystemExit(
                f"chat-bot {entry.get('bot_id')!r}: its secret is missing or shorter than {MIN_SECRET} bytes ({file})"
            )
        bots[entry["bot_id"]] = Bot(entry["bot_id"], secret.encode(), entry.get("community_code", ""))
    return bots


def bot_secret(entry: dict) -> str:
    """A bot's HMAC secret: from ``secret_env`` (an environment variable's name), ``secret_file``
    (a file's path) or, in the development file, a literal ``secret``; "" when none is there."""
    if entry.get("secret_env"):
        return os.environ.get(entry["secret_env"], "")
    if entry.get("secret_file"):
        path = pathlib.Path(entry["secret_file"])
        return path.read_text(encoding="utf-8").strip() if path.exists() else ""
    return entry.get("secret", "")


def sign(secret: bytes, timestamp: str, body: bytes) -> str:
    """What a bot sends as X-EKM-Signature."""
    return "sha256=" + hmac.new(secret, timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


class Refused(Exception):
    def __init__(self, status: int, message: str, violations=()):
        super().__init__(message)
        self.status, self.message, self.violations = status, message, list(violations)


def check_signature(bot: Bot, headers: dict, body: bytes, now: float) -> None:
    """401 unless the timestamp is inside the replay window and the signature is the bot's."""
    stamp = headers.get("x-ekm-timestamp", "")
    if not stamp.isdigit() or abs(now - int(stamp)) > REPLAY_WINDOW:
        raise Refused(
            401,
            f"позначка часу відсутня або старша за {REPLAY_WINDOW} с / X-EKM-Timestamp missing "
            f"or outside the {REPLAY_WINDOW} s window",
        )
    given = headers.get("x-ekm-signature", "")
    if not hmac.compare_digest(given.encode(), sign(bot.secret, stamp, body).encode()):
        raise Refused(401, "невірний підпис запиту / bad request signature")


class IntakeRpc:
    """Standalone nameko RPC clients, one per pool thread (a client is not thread-safe)."""

    def __init__(self, workers: int = 8):
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="intake-rpc")
        self.local = threading.local()
        self.clients = []

    def _client(self):
        client = getattr(self.local, "client", None)
        if client is None:
            from nameko.standalone.rpc import ServiceRpcClient

            holder = ServiceRpcClient("intake", uri=config.amqp_uri(), timeout=RPC_TIMEOUT)
            client = self.local.client = holder.__enter__()
            self.local.holder = holder
            self.clients.append(holder)
        return client

    def _drop_client(self) -> None:
        """After a failed call (broker gone, timeout) the thread's next call opens a new client."""
        holder = getattr(self.local, "holder", None)
        self.local.client = self.local.holder = None
        if holder is not None:
            self.clients.remove(holder)
            try:
                holder.__exit__(None, None, None)
            except Exception:  # noqa: BLE001 - the connection is already broken
                pass

    def submit(self, bot: Bot, message) -> dict:
        try:
            return self._client().submit_chatbot_appeal(
                {"bot_id": bot.bot_id, "community_code": bot.community_code}, message
            )
        except Exception:
            self._drop_client()
            raise

    async def __call__(self, bot: Bot, message) -> dict:
        return await asyncio.get_running_loop().run_in_executor(self.pool, self.submit, bot, message)

    def close(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)
        for holder in self.clients:
            try:
                holder.__exit__(None, None, None)
            except Exception:  # noqa: BLE001 - closing on the way out
                pass


class ChatbotWebhook:
    """The ASGI application."""

    def __init__(self, bots: dict[str, Bot], submit, clock=time.time):
        self.bots, self.submit, self.clock = bots, submit, clock

    async def __call__(self, scope, receive, send):
        if scope["type"] == "lifespan":
            while (await receive())["type"] != "lifespan.shutdown":
                await send({"type": "lifespan.startup.complete"})
            await send({"type": "lifespan.shutdown.complete"})
            return
        if scope["type"] != "http":
            return
        try:
            status, answer = await self._handle(scope, receive)
        except Refused as exc:
            log.info("refused %s %s: %s %s", scope.get("method"), scope.get("path"), exc.status, exc.message)
            status, answer = exc.status, {"error": exc.message, "violations": exc.violations}
        except Exception:  # noqa: BLE001 - the bot gets a 503 and may retry; the cause is logged
            log.exception("chat-bot appeal failed")
            status, answer = 503, {"error": "сервіс тимчасово недоступний / temporarily unavailable"}
        body = json.dumps(answer, ensure_ascii=False).encode()
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"application/json; charset=utf-8"),
                    (b"content-length", str(len(body)).encode()),
                    (b"cache-control", b"no-store"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})

    async def _handle(self, scope, receive):
        path = scope.get("path", "")
        if path == "/healthz":
            return 200, {"status": "ok"}
        found = PATH.match(path)
        if not found:
            raise Refused(404, "немає такого ресурсу / no such resource")
        if scope["method"] != "POST":
            raise Refused(405, "лише POST / POST only")
        bot = self.bots.get(found.group(1))
        if bot is None:
            raise Refused(401, "невідомий чат-бот / unknown chat-bot")
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", ())}
        length = headers.get("content-length", "")
        if not length.isdigit():
            raise Refused(411, "потрібен Content-Length / Content-Length is required")
        if int(length) > MAX_BODY:
            raise Refused(413, f"тіло більше {MAX_BODY} байт / body larger than {MAX_BODY} bytes")
        if headers.get("content-type", "").split(";")[0].strip().lower() != "application/json":
            raise Refused(415, "очікується application/json / application/json expected")
        body = await asyncio.wait_for(self._body(receive, int(length)), BODY_TIMEOUT)
        check_signature(bot, headers, body, self.clock())
        try:
            message = json.loads(body)
        except (ValueError, RecursionError):  # not UTF-8, not JSON, or nested past any sense
            raise Refused(400, "тіло не є JSON / the body is not JSON") from None
        answer = await self.submit(bot, message)
        if answer.get("status") == "accepted":
            _tag(tracking_number=answer["tracking_number"], bot_id=bot.bot_id)
            return 200, {k: answer[k] for k in ("tracking_number", "state", "screening_level")}
        status = 422 if answer.get("status") == "invalid" else 409
        raise Refused(status, answer.get("message", ""), answer.get("violations", ()))

    @staticmethod
    async def _body(receive, length: int) -> bytes:
        chunks, size = [], 0
        while True:
            event = await receive()
            if event["type"] == "http.disconnect":
                raise Refused(400, "з'єднання закрито / the client went away")
            chunk = event.get("body", b"")
            size += len(chunk)
            if size > min(length, MAX_BODY):
                raise Refused(413, f"тіло більше {MAX_BODY} байт / body larger than {MAX_BODY} bytes")
            chunks.append(chunk)
            if not event.get("more_body"):
                return b"".join(chunks)


def _tag(**identifiers) -> None:
    """Identifiers on the request's server span (``ekm trace EKM-…`` finds it)."""
    if os.environ.get("EKM_TRACING", "on") != "off":
        from ekm_platform.tracing import tag_current_span

        tag_current_span(**identifiers)


def instrument(app):
    """Server spans (a bot's ``traceparent`` continues its trace); ``EKM_TRACING=off`` runs without."""
    if os.environ.get("EKM_TRACING", "on") == "off":
        return app
    from opentelemetry.instrumentation.asgi import OpenTelemetryMiddleware

    from ekm_platform.tracing import setup_tracing

    setup_tracing("intake-webhook")
    return OpenTelemetryMiddleware(app, exclude_spans=["receive", "send"])


def main(argv=None) -> None:
    import uvicorn

    from ekm_platform.supervisor import die_with_parent

    die_with_parent()
    parser = argparse.ArgumentParser(prog="intake.webhook")
    parser.add_argument("--port", type=int, default=int(os.environ.get("EKM_CHATBOT_PORT", "8090")))
    args = parser.parse_args(argv)
    setup_logging("intake-webhook")
    rpc = IntakeRpc()
    app = ChatbotWebhook(load_bots(), rpc)
    sock = listen(args.port, backlog=256)
    server = uvicorn.Server(
        uvicorn.Config(
            instrument(app),
            http="h11",
            lifespan="on",
            limit_concurrency=128,
            timeout_keep_alive=5,
            h11_max_incomplete_event_size=16 * 1024,
            server_header=False,
            log_config=None,
            access_log=False,
            timeout_graceful_shutdown=5,
        )
    )
    print(f"LISTENING {sock.getsockname()[1]}", flush=True)
    for stop in (signal.SIGTERM, signal.SIGINT):
        signal.signal(stop, lambda *_: None)
    try:
        asyncio.run(server.serve(sockets=[sock]))
    finally:
        rpc.close()
        from ekm_platform.tracing import shutdown_tracing

        shutdown_tracing()


if __name__ == "__main__":
    main()
