"""Partner records over HTTPS with client certificates: ``python -m registry_gateway.partner_inbound``.

An X-Road 4.0 service provider:

- REST: ``POST /partner/v1/records/<record type>`` with one JSON record and the X-Road REST
  headers ``X-Road-Client``, ``X-Road-Id``, ``X-Road-UserId`` (required) and ``X-Road-Issue``;
- SOAP: ``POST /partner/soap`` (WSDL at ``/partner/soap?wsdl``), ``SubmitRecord`` with the
  X-Road SOAP headers ``client``, ``service``, ``id``, ``userId``, ``protocolVersion``
  (required) and ``issue``.

Every answer returns the request's X-Road headers; the request's X-Road id, user id, client
and issue are stored with the record as evidence. The partner is the common name of its
client certificate (mTLS, required).

Served by uvicorn (asyncio): each connection's TLS handshake, request head and body are
read by the event loop with their own deadlines, so a client that sends nothing, or half
a handshake, or its headers a byte at a time, holds only its own connection. Limits:
handshake ``EKM_PARTNER_HANDSHAKE_TIMEOUT`` (5 s), request head ``EKM_PARTNER_HEADER_TIMEOUT``
(5 s, also the keep-alive), body ``EKM_PARTNER_BODY_TIMEOUT`` (10 s), head size
``EKM_PARTNER_MAX_HEADER_BYTES`` (16 KiB), body 1 MiB (refused before it is read, and a
Content-Length is required), open connections ``EKM_PARTNER_MAX_CONNECTIONS`` (256; over it:
503). Records are stored by one writer thread, each transaction holding every record that
arrived while the previous one committed (at most ``EKM_PARTNER_MAX_BATCH``, 64): each
partner is answered after its own record is committed, and a bad record fails alone.

Hostile or invalid input gets an HTTP 4xx or a SOAP fault naming the problem, is logged,
and is never stored: XML with a DTD or entities is refused, JSON and fields are validated,
unknown fields refused. Configuration: EKM_PARTNER_TLS_CERT, EKM_PARTNER_TLS_KEY,
EKM_PARTNER_TLS_CLIENT_CA, EKM_PARTNER_PORT (8443), EKM_PARTNERS_FILE.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import queue
import signal
import socket
import ssl
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from importlib import resources

from lxml import etree

from ekm_platform import config, soap, xroad
from ekm_platform.db import make_engine, make_session_factory
from ekm_platform.http_listen import listen
from ekm_platform.logs import setup_logging
from ekm_platform.unit_of_work import UnitOfWork
from registry_gateway.adapters.orm import metadata
from registry_gateway.adapters.partners import load_partners, load_xroad_clients
from registry_gateway.adapters.repository import EvidenceRepository
from registry_gateway.service_layer.feeds import Incoming, ingest

NS = "http://ekm.gov.ua/partner/v1"
SERVICE_CODE = "SubmitRecord"
MAX_BODY = 1024 * 1024
log = logging.getLogger("registry_gateway.partner_inbound")


def _setting(name: str, default: float) -> float:
    return float(os.environ.get(f"EKM_PARTNER_{name}", default))


HANDSHAKE_TIMEOUT = _setting("HANDSHAKE_TIMEOUT", 5)
HEADER_TIMEOUT = _setting("HEADER_TIMEOUT", 5)
BODY_TIMEOUT = _setting("BODY_TIMEOUT", 10)
MAX_HEADER_BYTES = int(_setting("MAX_HEADER_BYTES", 16 * 1024))
MAX_CONNECTIONS = int(_setting("MAX_CONNECTIONS", 256))
MAX_BATCH = int(_setting("MAX_BATCH", 64))


class Refused(Exception):
    def __init__(self, status: int, message: str, code: str = "Client"):
        super().__init__(message)
        self.status, self.message, self.code = status, message, code


class PartnerInbound:
    """The ASGI application. The partner comes from the connection's client certificate
    (``scope["extensions"]["tls"]``, filled by ``MutualTLSProtocol``)."""

    def __init__(self, database_url: str):
        engine = make_engine(database_url)
        self.sessions = make_session_factory(engine)
        self.partners = load_partners()
        self.xroad_clients = load_xroad_clients()
        self.wsdl = (resources.files("registry_gateway") / "wsdl" / "partner_records.wsdl").read_bytes()
        self.writer = GroupWriter(self._store, max_batch=MAX_BATCH)
        self.dead_letters = ThreadPoolExecutor(1, thread_name_prefix="partner-dead-letters")
        self.our_member = _our_member_code()

    # --- ASGI --------------------------------------------------------------------------
    async def __call__(self, scope, receive, send):
        if scope["type"] == "lifespan":
            while (await receive())["type"] != "lifespan.shutdown":
                await send({"type": "lifespan.startup.complete"})
            self.writer.close()
            self.dead_letters.shutdown(wait=True)
            await send({"type": "lifespan.shutdown.complete"})
            return
        if scope["type"] != "http":
            return
        path, method = scope["path"], scope["method"]
        partner = (scope.get("extensions") or {}).get("tls", {}).get("ekm_partner")
        is_soap = path == "/partner/soap"
        echo: list[tuple[bytes, bytes]] = []
        try:
            if sum(len(k) + len(v) + 4 for k, v in scope["headers"]) > MAX_HEADER_BYTES:
                raise Refused(
                    431, f"Заголовки більші за {MAX_HEADER_BYTES} байт / headers over {MAX_HEADER_BYTES} bytes"
                )
            if is_soap and method == "GET" and scope.get("query_string") == b"wsdl":
                return await _reply(send, 200, self.wsdl, "text/xml; charset=utf-8")
            if is_soap and method == "POST":
                return await _reply(send, 200, await self._soap(scope, receive, partner), "text/xml; charset=utf-8")
            if path.startswith("/partner/v1/records/") and method == "POST":
                found = xroad.rest_check(_headers(scope))
                echo = [(name.lower().encode(), value.encode("latin-1")) for name, value in found.items()]
                body = await self._rest(scope, receive, partner, path.rsplit("/", 1)[1], found)
                return await _reply(send, 200, body, extra=echo)
            return await _reply(send, 404, b'{"error": "not found"}')
        except (soap.SoapFault, Refused) as refused:
            message, status = refused.message, refused.status
            if isinstance(refused, soap.SoapFault) and not 400 <= status < 500:
                status = 400  # a SOAP fault about the request (the client's fault)
            log.warning("refused from %s: %s", partner, message)
            if is_soap:
                return await _reply(
                    send,
                    status,
                    _fault(refused.code, message, getattr(refused, "xroad", None)),
                    "text/xml; charset=utf-8",
                    close=True,
                )
            return await _reply(
                send, status, json.dumps({"error": message}, ensure_ascii=False).encode(), extra=echo, close=True
            )

    async def _body(self, scope, receive) -> bytes:
        """The whole body, at most MAX_BODY bytes, within BODY_TIMEOUT: a body announced as
        larger is refused before a byte of it is read."""
        length = _headers(scope).get("content-length")
        try:
            length = int(length or "")
        except ValueError:
            raise Refused(411, "Потрібен Content-Length / Content-Length is required") from None
        if length > MAX_BODY:
            raise Refused(413, f"Тіло більше {MAX_BODY} байт / body over {MAX_BODY} bytes")
        loop = asyncio.get_running_loop()
        deadline = loop.time() + BODY_TIMEOUT
        chunks = []
        while True:
            try:
                message = await asyncio.wait_for(receive(), max(0.0, deadline - loop.time()))
            except TimeoutError:
                raise Refused(
                    408, f"Тіло не надійшло за {BODY_TIMEOUT:g} с / body not received in {BODY_TIMEOUT:g} s"
                ) from None
            if message["type"] == "http.disconnect":
                raise Refused(400, "Клієнт відключився / client disconnected")
            chunks.append(message.get("body", b""))
            if not message.get("more_body"):
                return b"".join(chunks)

    async def _ingest(self, partner_id, record_type, body: bytes, evidence: dict):
        """Stored by the writer thread (the database is not asyncio) together with the
        records other partners sent meanwhile; this request's span gets the identifiers."""
        from ekm_platform.tracing import tag_current_span

        tag_current_span(xroad_id=evidence["id"], partner=partner_id or "", record_type=record_type)
        outcome = await asyncio.wrap_future(self.writer.submit(Incoming(partner_id, record_type, body, evidence)))
        if outcome.status == "dead":
            await asyncio.wrap_future(
                self.dead_letters.submit(self._dead_letter, partner_id, record_type, body, outcome.reason, evidence)
            )
        else:
            tag_current_span(record_id=outcome.record_id)
        return outcome

    def _store(self, batch: list[Incoming]):
        with UnitOfWork(self.sessions, metadata.tables, "registry_gateway", EvidenceRepository) as uow:
            return ingest(uow, batch, self.partners)

    def _dead_letter(self, partner_id, record_type, body: bytes, reason: str, evidence: dict) -> None:
        """A well-formed but unusable record also goes to the partner feed's dead-letter
        queue, with its reason, for the operator (the partner got the error already)."""
        import pika

        from registry_gateway.feed_consumer import DEAD, declare

        try:
            connection = pika.BlockingConnection(pika.URLParameters(config.amqp_uri()))
            try:
                channel = connection.channel()
                declare(channel)
                channel.basic_publish(
                    "",
                    DEAD,
                    body,
                    pika.BasicProperties(
                        delivery_mode=2,
                        content_type="application/json",
                        headers={
                            "x-ekm-reason": reason[:500],
                            "x-ekm-partner": partner_id or "",
                            "x-ekm-record-type": record_type,
                            "x-ekm-channel": "https",
                            "x-ekm-xroad-id": evidence.get("id") or "",
                        },
                    ),
                )
            finally:
                connection.close()
        except pika.exceptions.AMQPError:
            log.exception("could not dead-letter a refused record (the partner was told: %s)", reason)

    def _check_client(self, partner, client: str) -> None:
        """The X-Road client a request names must be the one registered for the partner's
        certificate (``xroad_client`` in the partners file): a partner cannot speak for another."""
        registered = self.xroad_clients.get(partner)
        if registered is not None and client != registered:
            raise Refused(
                403,
                f"Клієнт X-Road {client} не відповідає сертифікату партнера / the X-Road client "
                f"{client} is not the one of the partner's certificate",
            )

    async def _rest(self, scope, receive, partner, record_type, found: dict) -> bytes:
        self._check_client(partner, found["X-Road-Client"])
        evidence = {
            "id": found["X-Road-Id"],
            "user_id": found["X-Road-UserId"],
            "client": found["X-Road-Client"],
            "issue": found.get("X-Road-Issue"),
        }
        outcome = await self._ingest(partner, record_type, await self._body(scope, receive), evidence)
        if outcome.status == "dead":
            status = 403 if "authoris" in outcome.reason or "authentic" in outcome.reason else 400
            raise Refused(status, outcome.reason)
        return json.dumps({"status": outcome.status, "record_id": outcome.record_id}).encode()

    async def _soap(self, scope, receive, partner) -> bytes:
        header, request = soap.parse(await self._body(scope, receive))
        found = xroad.check(header)
        try:
            return await self._submit(request, found, partner)
        except (soap.SoapFault, Refused) as refused:
            refused.xroad = found  # a fault about a request with valid X-Road headers returns them too
            raise

    async def _submit(self, request, found: dict, partner) -> bytes:
        service = xroad.identifier(found["service"])
        if service.get("serviceCode") != SERVICE_CODE or service.get("memberCode") != self.our_member:
            raise soap.SoapFault(
                "Client",
                f"Запит адресовано іншій службі X-Road / the request is for another "
                f"X-Road service ({xroad.member_path(found['service'])})",
                400,
            )
        if request.tag != f"{{{NS}}}SubmitRecord":
            raise soap.SoapFault("Client", f"Невідома операція або простір імен / unknown operation {request.tag}")
        try:
            self._check_client(partner, xroad.member_path(found["client"]))
        except Refused as refused:
            raise soap.SoapFault("Client", refused.message, 403) from refused
        record_type = (request.findtext(f"{{{NS}}}recordType") or "").strip()
        fields = {f.get("name"): f.text or "" for f in request.findall(f"{{{NS}}}field")}
        evidence = {
            "id": xroad.text(found, "id"),
            "user_id": xroad.text(found, "userId"),
            "client": xroad.member_path(found["client"]),
            "issue": xroad.text(found, "issue"),
        }
        outcome = await self._ingest(partner, record_type, json.dumps(fields, ensure_ascii=False).encode(), evidence)
        if outcome.status == "dead":
            raise soap.SoapFault("Client", outcome.reason, 400)
        response = etree.Element(f"{{{NS}}}SubmitRecordResponse", nsmap={"p": NS})
        etree.SubElement(response, f"{{{NS}}}status").text = outcome.status
        etree.SubElement(response, f"{{{NS}}}recordId").text = outcome.record_id
        return soap.envelope(xroad.echo(found), response)


class GroupWriter:
    """One thread that stores records in batches: ``submit`` returns a future of the
    record's outcome. ``store(batch)`` returns one outcome per record; when it raises (a
    database error, e.g. a concurrent insert of the same source id), each record of the
    batch is stored again on its own, so that only the one at fault fails."""

    def __init__(self, store, max_batch: int = 64):
        self.store, self.max_batch = store, max_batch
        self.queue: queue.SimpleQueue = queue.SimpleQueue()
        self.thread = threading.Thread(target=self._run, name="partner-writer", daemon=True)
        self.thread.start()

    def submit(self, item) -> Future:
        future: Future = Future()
        self.queue.put((item, future))
        return future

    def close(self) -> None:
        self.queue.put(None)
        self.thread.join(10)

    def _run(self) -> None:
        while True:
            first = self.queue.get()
            if first is None:
                return
            batch = [first]
            while len(batch) < self.max_batch:
                try:
                    more = self.queue.get_nowait()
                except queue.Empty:
                    break
                if more is None:
                    self.queue.put(None)
                    break
                batch.append(more)
            self._write(batch)

    def _write(self, batch) -> None:
        try:
            outcomes = self.store([item for item, _ in batch])
        except Exception:
            if len(batch) == 1:
                log.exception("a partner record could not be stored")
                batch[0][1].set_exception(Refused(500, "Запис не збережено / the record was not stored", code="Server"))
                return
            for one in batch:
                self._write([one])
            return
        for (_, future), outcome in zip(batch, outcomes):
            future.set_result(outcome)


def _fault(code: str, message: str, found: dict | None) -> bytes:
    if not found:
        return soap.fault(code, message)
    element = etree.Element(f"{{{soap.SOAP_ENV}}}Fault")
    etree.SubElement(element, "faultcode").text = f"soapenv:{code}"
    etree.SubElement(element, "faultstring").text = message
    return soap.envelope(xroad.echo(found), element)


def _our_member_code() -> str:
    from registry_gateway.adapters.xroad import client_id

    return client_id().member_code


def _headers(scope) -> dict[str, str]:
    return {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}


async def _reply(send, status: int, body: bytes, content_type="application/json; charset=utf-8", extra=(), close=False):
    headers = [(b"content-type", content_type.encode()), (b"content-length", str(len(body)).encode()), *extra]
    if close:
        headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


# --- the server ------------------------------------------------------------------------


def _tls_extension(ssl_object) -> dict:
    """The ASGI TLS extension's fields for one connection (uvicorn does not fill them), plus
    ``ekm_partner``: the common name of the verified client certificate."""
    if ssl_object is None:
        return {}
    peer = ssl_object.getpeercert() or {}
    partner = next((value for rdn in peer.get("subject", ()) for key, value in rdn if key == "commonName"), None)
    der = ssl_object.getpeercert(binary_form=True)
    return {
        "client_cert_chain": [ssl.DER_cert_to_PEM_cert(der)] if der else [],
        "client_cert_name": f"CN={partner}" if partner else None,
        "client_cert_error": None,
        "tls_version": None,
        "cipher_suite": None,
        "ekm_partner": partner,
    }


def _protocol_class():
    from uvicorn.protocols.http.h11_impl import H11Protocol

    class MutualTLSProtocol(H11Protocol):
        """uvicorn's h11 protocol, with two additions: the client certificate reaches the
        application (``scope["extensions"]["tls"]``), and a connection that does not send a
        complete request head within HEADER_TIMEOUT of its handshake is closed (uvicorn
        arms its timer only after a first response)."""

        head_timer = None

        def connection_made(self, transport):
            super().connection_made(transport)
            tls, app = _tls_extension(transport.get_extra_info("ssl_object")), self.app

            async def app_with_certificate(scope, receive, send):
                self._stop_head_timer()  # the head is complete
                scope.setdefault("extensions", {})["tls"] = tls
                return await app(scope, receive, send)

            self.app = app_with_certificate
            self._start_head_timer()

        def on_response_complete(self):
            super().on_response_complete()
            self._start_head_timer()  # the next request's head has the same deadline

        def connection_lost(self, exc):
            self._stop_head_timer()
            super().connection_lost(exc)

        def _start_head_timer(self):
            self._stop_head_timer()
            if not self.transport.is_closing():
                self.head_timer = self.loop.call_later(HEADER_TIMEOUT, self.timeout_keep_alive_handler)

        def _stop_head_timer(self):
            if self.head_timer is not None:
                self.head_timer.cancel()
                self.head_timer = None

    return MutualTLSProtocol


class _HandshakeTimeoutLoop(asyncio.SelectorEventLoop):
    """uvicorn leaves asyncio's TLS handshake timeout at 60 s; ours is HANDSHAKE_TIMEOUT."""

    async def create_server(self, *args, **kwargs):
        if kwargs.get("ssl") is not None and kwargs.get("ssl_handshake_timeout") is None:
            kwargs["ssl_handshake_timeout"] = HANDSHAKE_TIMEOUT
        return await super().create_server(*args, **kwargs)


def tls_context(cert: str, key: str, client_ca: str) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(cert, key)
    context.verify_mode = ssl.CERT_REQUIRED  # partners are authenticated by their certificates
    context.load_verify_locations(client_ca)
    return context


def instrument(app):
    """Server spans (an incoming ``traceparent`` continues the partner's trace) and the
    SQL of storing a record; ``EKM_TRACING=off`` runs without."""
    if os.environ.get("EKM_TRACING", "on") == "off":
        return app
    from opentelemetry.instrumentation.asgi import OpenTelemetryMiddleware
    from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor

    from ekm_platform.tracing import setup_tracing

    setup_tracing("registry-gateway-partners")
    SQLAlchemyInstrumentor().instrument(enable_commenter=False)
    return OpenTelemetryMiddleware(app, exclude_spans=["receive", "send"])


def server(sock: socket.socket, cert: str, key: str, client_ca: str, database_url: str):
    import uvicorn

    context = tls_context(cert, key, client_ca)
    settings = uvicorn.Config(
        instrument(PartnerInbound(database_url)),
        http=_protocol_class(),
        lifespan="on",
        ssl_context_factory=lambda _config, _default: context,
        limit_concurrency=MAX_CONNECTIONS,
        timeout_keep_alive=int(max(1, HEADER_TIMEOUT)),
        h11_max_incomplete_event_size=MAX_HEADER_BYTES,  # an incomplete head over it: 400; a complete one: 431
        backlog=1024,
        server_header=False,
        log_config=None,
        access_log=False,
        timeout_graceful_shutdown=5,
    )
    return uvicorn.Server(settings)


def main(argv=None) -> None:
    from ekm_platform.supervisor import die_with_parent

    die_with_parent()
    parser = argparse.ArgumentParser(prog="registry_gateway.partner_inbound")
    parser.add_argument("--port", type=int, default=int(os.environ.get("EKM_PARTNER_PORT", "8443")))
    args = parser.parse_args(argv)
    setup_logging("registry-gateway-partners")
    cert, key, ca = (os.environ.get(f"EKM_PARTNER_TLS_{n}") for n in ("CERT", "KEY", "CLIENT_CA"))
    if not (cert and key and ca):
        raise SystemExit("EKM_PARTNER_TLS_CERT, _KEY and _CLIENT_CA are required: partners authenticate with mTLS")
    sock = listen(args.port, backlog=1024)
    served = server(sock, cert, key, ca, config.database_url("registry-gateway"))
    print(f"LISTENING {sock.getsockname()[1]}", flush=True)
    # uvicorn stops gracefully on SIGTERM / SIGINT, then raises the signal again for the
    # handler it found: ours lets the process finish (and export its last spans).
    for stop in (signal.SIGTERM, signal.SIGINT):
        signal.signal(stop, lambda *_: None)
    try:
        with asyncio.Runner(loop_factory=_HandshakeTimeoutLoop) as runner:
            runner.run(served.serve(sockets=[sock]))
    finally:
        from ekm_platform.tracing import shutdown_tracing

        shutdown_tracing()


if __name__ == "__main__":
    main()
