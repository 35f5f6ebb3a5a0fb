"""One HTTP server for every simulated registry (a threaded WSGI server on loopback)."""

from __future__ import annotations

import json
import logging
import re
import socketserver
import time
from importlib import resources
from wsgiref.simple_server import ServerHandler, WSGIRequestHandler, WSGIServer, make_server

from ekm_platform import soap
from registry_simulators import border_guard, children, education, health_social, xroad
from registry_simulators.faults import Faults

log = logging.getLogger("registry_simulators")

SOAP_REGISTRIES = {
    "border-guard": ("border_guard.wsdl", border_guard.handle),
    "children": ("children.wsdl", children.handle),
}


class ThreadingWSGIServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):
        """The access log without query strings: a registry's query names the person (``?rnokpp=…``)."""
        log.info("%s %s", self.address_string(), re.sub(r"\?[^\s\"]*", "?…", format % args))


class BodyReader:
    """The request body as the application sees it: at most Content-Length bytes."""

    def __init__(self, stream, length: int):
        self.stream, self.remaining = stream, length

    def read(self, size: int = -1) -> bytes:
        size = self.remaining if size is None or size < 0 else min(size, self.remaining)
        data = self.stream.read(size) if size else b""
        self.remaining -= len(data)
        return data

    def readline(self, size: int = -1) -> bytes:
        size = self.remaining if size is None or size < 0 else min(size, self.remaining)
        data = self.stream.readline(size) if size else b""
        self.remaining -= len(data)
        return data


class _TrackingHandler(ServerHandler):
    failed = False

    def handle_error(self):
        self.failed = True
        super().handle_error()


class KeepAliveHandler(QuietHandler):
    """HTTP/1.1 with persistent connections, as a registry's security server keeps them:
    the gateway's connection pool then reuses its connections instead of opening one per
    call. A body the application left unread (up to 64 KiB) is skipped so that the next
    request starts at its own first byte; a larger one closes the connection."""

    protocol_version = "HTTP/1.1"
    timeout = 30  # an idle or stalled connection is closed after this many seconds
    DRAIN_LIMIT = 64 * 1024
    disable_nagle_algorithm = True  # headers and body are written separately

    def handle(self):
        self.close_connection = True
        try:
            self.handle_one()
            while not self.close_connection:
                self.handle_one()
        except (TimeoutError, ConnectionError):
            self.close_connection = True

    def handle_one(self):
        self.raw_requestline = self.rfile.readline(65537)
        if not self.raw_requestline:
            self.close_connection = True
            return
        if len(self.raw_requestline) > 65536:
            self.requestline = self.request_version = self.command = ""
            self.send_error(414)
            self.close_connection = True
            return
        if not self.parse_request():
            return
        declared = (self.headers.get("Content-Length") or "0").strip()
        if "Transfer-Encoding" in self.headers or not declared.isdigit():
            self.send_error(400, "a body needs a plain Content-Length")  # no chunked bodies here
            self.close_connection = True
            return
        length = int(declared)
        body = BodyReader(self.rfile, length)
        handler = _TrackingHandler(body, self.wfile, self.get_stderr(), self.get_environ(), multithread=True)
        handler.http_version = "1.1"
        handler.request_handler = self
        handler.run(self.server.get_app())
        if handler.failed:
            self.close_connection = True  # the response may be cut short: never reuse the connection
        if body.remaining > self.DRAIN_LIMIT:
            self.close_connection = True
        elif body.remaining:
            body.read()


def _respond(start_response, status: str, body: bytes, content_type="text/xml; charset=utf-8"):
    start_response(status, [("Content-Type", content_type), ("Content-Length", str(len(body)))])
    return [body]


class Simulators:
    def __init__(self):
        self.faults = Faults()

    def __call__(self, environ, start_response):
        path, method = environ.get("PATH_INFO", "/"), environ["REQUEST_METHOD"]
        if path == "/health":
            return _respond(start_response, "200 OK", b'{"status":"ok"}', "application/json")
        if path == "/_control/faults" and method == "POST":
            return self._control(environ, start_response)
        if path == "/education/v1/openapi.json":
            return _respond(start_response, "200 OK", education.openapi(), "application/json")
        if path == "/education/v1/enrolments" and method == "GET":
            return self._rest(environ, start_response, "education", education.enrolments)
        if path.startswith("/health/fhir/") and method == "GET":
            return self._rest(environ, start_response, "health", health_social.fhir)
        if path == "/social/v1/disability" and method == "GET":
            return self._rest(environ, start_response, "disability", health_social.disability)
        if path == "/restoration/v1/damage" and method == "GET":
            return self._rest(environ, start_response, "housing", health_social.housing)
        registry = path.strip("/")
        if registry in SOAP_REGISTRIES:
            wsdl, handler = SOAP_REGISTRIES[registry]
            if method == "GET" and environ.get("QUERY_STRING", "").lower() == "wsdl":
                return self._wsdl(environ, start_response, wsdl, registry)
            if method == "POST":
                return self._soap(environ, start_response, registry, handler)
        return _respond(start_response, "404 Not Found", b"not found", "text/plain")

    def _wsdl(self, environ, start_response, name, registry):
        text = (resources.files("registry_simulators") / "wsdl" / name).read_text(encoding="utf-8")
        host = environ.get("HTTP_HOST") or f"{environ['SERVER_NAME']}:{environ['SERVER_PORT']}"
        text = text.replace("http://127.0.0.1:8081/", f"http://{host}/")
        return _respond(start_response, "200 OK", text.encode())

    def _control(self, environ, start_response):
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
            command = json.loads(environ["wsgi.input"].read(min(length, 4096)))
            self.faults.set(command["registry"], command["mode"], command.get("delay", 2.0))
        except (ValueError, KeyError, TypeError) as exc:
            return _respond(start_response, "400 Bad Request", str(exc).encode(), "text/plain")
        return _respond(start_response, "200 OK", b'{"ok":true}', "application/json")

    def _rest(self, environ, start_response, registry, handler):
        mode, delay = self.faults.get(registry)
        if mode == "slow":
            time.sleep(delay)
        elif mode == "timeout":
            time.sleep(max(delay, 30.0))
        elif mode in ("http_500", "soap_fault"):
            return _respond(start_response, "503 Service Unavailable", b'{"error": "unavailable"}', "application/json")
        elif mode == "malformed":
            return _respond(start_response, "200 OK", b'{"enrolments": [', "application/json")
        status, payload = handler(environ)
        if mode == "huge":
            payload["padding"] = "x" * (20 * 1024 * 1024)
        headers = [("Content-Type", "application/json; charset=utf-8")]
        for name in (
            "X-Road-Client",
            "X-Road-Id",
            "X-Road-UserId",
            "X-Road-Issue",
        ):  # echoed, as a security server does
            value = environ.get("HTTP_" + name.upper().replace("-", "_"))
            if value:
                headers.append((name, value))
        body = json.dumps(payload, ensure_ascii=False).encode()
        start_response(status, headers + [("Content-Length", str(len(body)))])
        return [body]

    def _soap(self, environ, start_response, registry, handler):
        mode, delay = self.faults.get(registry)
        if mode == "slow":
            time.sleep(delay)
        elif mode == "timeout":
            time.sleep(max(delay, 30.0))
        elif mode == "http_500":
            return _respond(start_response, "500 Internal Server Error", b"internal error", "text/plain")
        elif mode == "soap_fault":
            return _respond(
                start_response,
                "500 Internal Server Error",
                soap.fault("Server", "Реєстр тимчасово недоступний / registry unavailable"),
            )
        elif mode == "malformed":
            return _respond(start_response, "200 OK", b"<soapenv:Envelope><broken")
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
            if length > soap.MAX_BODY:
                raise soap.SoapFault("Client", "Запит завеликий / request too large", 413)
            header, request = soap.parse(environ["wsgi.input"].read(length))
            found = xroad.check(header)
            payload = handler(request)
            if mode == "huge":
                payload.append(payload.makeelement("padding"))
                payload[-1].text = "x" * (20 * 1024 * 1024)
            return _respond(start_response, "200 OK", soap.envelope(xroad.echo(found), payload))
        except soap.SoapFault as fault:
            log.warning("%s: fault %s", registry, fault.message)
            status = {400: "400 Bad Request", 413: "413 Payload Too Large"}.get(
                fault.status, "500 Internal Server Error"
            )
            return _respond(start_response, status, soap.fault(fault.code, fault.message))


def serve(host: str = "127.0.0.1", port: int = 8081):
    return make_server(host, port, Simulators(), server_class=ThreadingWSGIServer, handler_class=KeepAliveHandler)
