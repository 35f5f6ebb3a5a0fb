"""Partner records over HTTPS with client certificates: ``python -m registry_gateway.partner_inbound``.

- REST: ``POST /partner/v1/records/<record type>`` with one JSON record;
- SOAP: ``POST /partner/soap`` (WSDL at ``/partner/soap?wsdl``), ``SubmitRecord``.

The partner is the common name of its client certificate (mTLS, required). Hostile or
invalid input gets an HTTP 4xx or a SOAP fault naming the problem, is logged, and is never
stored: bodies over 1 MiB are refused before they are read, XML with a DTD or entities is
refused, JSON and fields are validated, unknown fields refused.
Configuration: EKM_PARTNER_TLS_CERT, EKM_PARTNER_TLS_KEY, EKM_PARTNER_TLS_CLIENT_CA,
EKM_PARTNER_PORT (8443), EKM_PARTNERS_FILE.
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import socketserver
import ssl
from importlib import resources
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from lxml import etree

from ekm_platform import config, soap
from ekm_platform.db import make_engine, make_session_factory
from ekm_platform.logs import setup_logging
from ekm_platform.unit_of_work import UnitOfWork

from registry_gateway.adapters.orm import metadata
from registry_gateway.adapters.partners import load_partners
from registry_gateway.adapters.repository import EvidenceRepository
from registry_gateway.service_layer.feeds import Incoming, ingest

NS = "http://ekm.gov.ua/partner/v1"
MAX_BODY = 1024 * 1024
log = logging.getLogger("registry_gateway.partner_inbound")


class _Server(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _Handler(WSGIRequestHandler):
    def get_environ(self):
        environ = super().get_environ()
        peer = self.connection.getpeercert() if hasattr(self.connection, "getpeercert") else None
        for rdn in (peer or {}).get("subject", ()):
            for key, value in rdn:
                if key == "commonName":
                    environ["EKM_PARTNER_ID"] = value
        return environ

    def log_message(self, format, *args):
        log.info("%s %s", self.address_string(), format % args)


def _reply(start_response, status: str, body: bytes, content_type="application/json; charset=utf-8"):
    start_response(status, [("Content-Type", content_type), ("Content-Length", str(len(body)))])
    return [body]


class PartnerInbound:
    def __init__(self, database_url: str):
        engine = make_engine(database_url)
        self.sessions = make_session_factory(engine)
        self.partners = load_partners()

    def _ingest(self, partner_id, record_type, body: bytes):
        with UnitOfWork(self.sessions, metadata.tables, "registry_gateway", EvidenceRepository) as uow:
            outcome = ingest(uow, [Incoming(partner_id, record_type, body)], self.partners)[0]
        if outcome.status == "dead":
            self._dead_letter(partner_id, record_type, body, outcome.reason)
        return outcome

    def _dead_letter(self, partner_id, record_type, body: bytes, reason: str) -> None:
        """A well-formed but unusable record also goes to the partner feed's dead-letter
        queue, with its reason, for the operator (the partner got the error already)."""
        import pika

        from registry_gateway.feed_consumer import DEAD, declare
        try:
            connection = pika.BlockingConnection(pika.URLParameters(config.amqp_uri()))
            try:
                channel = connection.channel()
                declare(channel)
                channel.basic_publish("", DEAD, body, pika.BasicProperties(
                    delivery_mode=2, content_type="application/json",
                    headers={"x-ekm-reason": reason[:500], "x-ekm-partner": partner_id or "",
                             "x-ekm-record-type": record_type, "x-ekm-channel": "https"}))
            finally:
                connection.close()
        except pika.exceptions.AMQPError:
            log.exception("could not dead-letter a refused record (the partner was told: %s)", reason)

    def _body(self, environ) -> bytes:
        try:
            length = int(environ.get("CONTENT_LENGTH") or "")
        except ValueError:
            raise soap.SoapFault("Client", "Потрібен Content-Length / Content-Length is required", 411)
        if length > MAX_BODY:
            raise soap.SoapFault("Client", f"Тіло більше {MAX_BODY} байт / body over {MAX_BODY} bytes", 413)
        return environ["wsgi.input"].read(length)

    def __call__(self, environ, start_response):
        path, method = environ.get("PATH_INFO", ""), environ["REQUEST_METHOD"]
        partner = environ.get("EKM_PARTNER_ID")
        try:
            if path == "/partner/soap" and method == "GET" and environ.get("QUERY_STRING") == "wsdl":
                wsdl = (resources.files("registry_gateway") / "wsdl" / "partner_records.wsdl").read_bytes()
                return _reply(start_response, "200 OK", wsdl, "text/xml; charset=utf-8")
            if path == "/partner/soap" and method == "POST":
                return self._soap(environ, start_response, partner)
            if path.startswith("/partner/v1/records/") and method == "POST":
                return self._rest(environ, start_response, partner, path.rsplit("/", 1)[1])
            return _reply(start_response, "404 Not Found", b'{"error": "not found"}')
        except soap.SoapFault as fault:
            log.warning("refused from %s: %s", partner, fault.message)
            status = {411: "411 Length Required", 413: "413 Payload Too Large"}.get(fault.status, "400 Bad Request")
            if path == "/partner/soap":
                return _reply(start_response, status, soap.fault(fault.code, fault.message), "text/xml; charset=utf-8")
            return _reply(start_response, status, json.dumps({"error": fault.message}, ensure_ascii=False).encode())

    def _rest(self, environ, start_response, partner, record_type):
        outcome = self._ingest(partner, record_type, self._body(environ))
        if outcome.status == "dead":
            log.warning("record refused from %s: %s", partner, outcome.reason)
            status = "403 Forbidden" if "authoris" in outcome.reason or "authentic" in outcome.reason else "400 Bad Request"
            return _reply(start_response, status, json.dumps({"error": outcome.reason}, ensure_ascii=False).encode())
        return _reply(start_response, "200 OK", json.dumps({"status": outcome.status,
                                                            "record_id": outcome.record_id}).encode())

    def _soap(self, environ, start_response, partner):
        _, request = soap.parse(self._body(environ))
        if request.tag != f"{{{NS}}}SubmitRecord":
            raise soap.SoapFault("Client", f"Невідома операція або простір імен / unknown operation {request.tag}")
        record_type = (request.findtext(f"{{{NS}}}recordType") or "").strip()
        fields = {f.get("name"): f.text or "" for f in request.findall(f"{{{NS}}}field")}
        outcome = self._ingest(partner, record_type, json.dumps(fields, ensure_ascii=False).encode())
        if outcome.status == "dead":
            raise soap.SoapFault("Client", outcome.reason)
        response = etree.Element(f"{{{NS}}}SubmitRecordResponse", nsmap={"p": NS})
        etree.SubElement(response, f"{{{NS}}}status").text = outcome.status
        etree.SubElement(response, f"{{{NS}}}recordId").text = outcome.record_id
        return _reply(start_response, "200 OK", soap.envelope([], response), "text/xml; charset=utf-8")


def serve(port: int, cert: str, key: str, client_ca: str, database_url: str):
    server = make_server("127.0.0.1" if os.environ.get("EKM_GRPC_HOST", "127.0.0.1") == "127.0.0.1" else "0.0.0.0",
                         port, PartnerInbound(database_url), server_class=_Server, handler_class=_Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(cert, key)
    context.verify_mode = ssl.CERT_REQUIRED  # partners are authenticated by their certificates
    context.load_verify_locations(client_ca)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    return server


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="registry_gateway.partner_inbound")
    parser.add_argument("--port", type=int, default=int(os.environ.get("EKM_PARTNER_PORT", "8443")))
    args = parser.parse_args(argv)
    setup_logging("registry-gateway-partners")
    cert, key, ca = (os.environ.get(f"EKM_PARTNER_TLS_{n}") for n in ("CERT", "KEY", "CLIENT_CA"))
    if not (cert and key and ca):
        raise SystemExit("EKM_PARTNER_TLS_CERT, _KEY and _CLIENT_CA are required: partners authenticate with mTLS")
    server = serve(args.port, cert, key, ca, config.database_url("registry-gateway"))
    print(f"LISTENING {server.server_port}", flush=True)
    try:
        server.serve_forever()
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
