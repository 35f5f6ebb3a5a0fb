"""Partner records per second through the AMQP feed (batches, manual acks, one transaction
per batch), beside raw pika publish+consume measured in the same run.

    .venv/bin/python -m bench.partner_feed [--records 20000]
"""

from __future__ import annotations

import argparse
import json
import pathlib
import sqlite3
import tempfile
import time
import uuid

import pika

from bench.baselines import format_row, pika_publish_consume
from ekm_platform.identifiers import make_rnokpp
from ekm_platform.testing import broker
from ekm_platform.testing.platform import running_platform

PARTNERS = pathlib.Path(__file__).resolve().parent.parent / "deploy" / "demo" / "partners.json"


def records(n: int) -> list[bytes]:
    """The partner's records, made before the clock starts (as the raw baseline's are)."""
    return [
        json.dumps(
            {
                "source_id": f"b-{uuid.uuid4().hex[:12]}",
                "rnokpp": make_rnokpp(f"{300000000 + i:09d}"),
                "registered_on": "2026-11-20",
                "center_code": "KYIV-01",
            }
        ).encode()
        for i in range(n)
    ]


def publish(uri: str, bodies: list[bytes]) -> float:
    connection = pika.BlockingConnection(pika.URLParameters(uri))
    channel = connection.channel()
    properties = pika.BasicProperties(user_id="partner-dcz", delivery_mode=2)
    started = time.perf_counter()
    for body in bodies:
        channel.basic_publish("partner.feed", "employment.registered", body, properties)
    connection.close()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=20000)
    parser.add_argument("--http", action="store_true", help="measure the REST and SOAP inbound instead")
    args = parser.parse_args()
    raw = pika_publish_consume(args.records)
    vhost, uri = broker.create_vhost("ekm-bench")
    broker.create_user("partner-dcz", "dcz-secret", vhost, write=r"^partner\.feed$")
    try:
        with (
            tempfile.TemporaryDirectory() as home,
            running_platform(
                pathlib.Path(home),
                uri,
                services=("registry-gateway",),
                extra_env={
                    "EKM_PARTNERS_FILE": str(PARTNERS),  # EKM_TRACING=off: to measure tracing's cost
                    "EKM_TRACING": __import__("os").environ.get("EKM_TRACING", "on"),
                },
            ),
        ):
            db = pathlib.Path(home) / "var" / "registry_gateway.db"
            bodies = records(args.records)
            started = time.perf_counter()
            published = publish(uri.replace("guest:guest", "partner-dcz:dcz-secret"), bodies)
            count = 0
            while count < args.records and time.perf_counter() - started < 300:
                time.sleep(0.05)
                with sqlite3.connect(db) as conn:
                    count = conn.execute("SELECT count(*) FROM feed_records").fetchone()[0]
            elapsed = time.perf_counter() - started
    finally:
        broker.delete_user("partner-dcz")
        broker.delete_vhost(vhost)
    print(f"\nЕКМ bench — partner feed over AMQP ({args.records} records, SQLite)")
    format_row("records stored per second (publish → stored)", count / elapsed, raw["per_second"], "/s")
    print(f"  published in {published:.2f}s; all {count} stored after {elapsed:.2f}s; target ≥ 5,000/s")


if __name__ == "__main__" and "--http" not in __import__("sys").argv:
    main()


def http_inbound(records: int = 2000, threads: int = 8) -> dict:
    """REST and SOAP partner inbound over HTTPS with client certificates (one process)."""
    import http.client
    import os
    import ssl
    import subprocess
    import sys
    import threading

    from ekm_platform.migrations import migrate
    from ekm_platform.testing.pki import make_pki

    results = {}
    with tempfile.TemporaryDirectory() as home:
        home = pathlib.Path(home)
        pki = make_pki(home / "pki", clients=("partner-dcz",))
        database = home / "gateway.db"
        migrate(f"sqlite:///{database}", "registry_gateway.adapters.migrations")
        env = {
            "PATH": "/usr/bin:/bin",
            "EKM_HOME": str(home),
            "EKM_REGISTRY_GATEWAY_DATABASE_URL": f"sqlite:///{database}",
            "EKM_PARTNERS_FILE": str(PARTNERS),
            "EKM_PARTNER_TLS_CERT": str(pki / "server.pem"),
            "EKM_PARTNER_TLS_KEY": str(pki / "server.key"),
            "EKM_PARTNER_TLS_CLIENT_CA": str(pki / "ca.pem"),
            "EKM_TRACING": os.environ.get("EKM_TRACING", "on"),
        }  # EKM_TRACING=off: to measure tracing's cost
        process = subprocess.Popen(
            [sys.executable, "-m", "registry_gateway.partner_inbound", "--port", "0"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        try:
            port = int(process.stdout.readline().split()[1])
            context = ssl.create_default_context(cafile=str(pki / "ca.pem"))
            context.load_cert_chain(str(pki / "partner-dcz.pem"), str(pki / "partner-dcz.key"))
            counter = iter(range(10**9))
            lock = threading.Lock()

            def body(kind):
                with lock:
                    n = next(counter)
                fields = {
                    "source_id": f"h-{kind}-{n}",
                    "rnokpp": make_rnokpp(f"{200000000 + n:09d}"),
                    "registered_on": "2026-11-20",
                    "center_code": "KYIV-01",
                }
                if kind == "rest":
                    return (
                        "/partner/v1/records/employment.registered",
                        json.dumps(fields).encode(),
                        "application/json",
                        {
                            "X-Road-Client": "UA/GOV/37508470/DCZ",
                            "X-Road-Id": f"bench-{n}",
                            "X-Road-UserId": "dcz-officer-1",
                        },
                    )
                parts = "".join(f'<p:field name="{k}">{v}</p:field>' for k, v in fields.items())
                ids = 'xmlns:id="http://x-road.eu/xsd/identifiers"'
                header = (
                    f'<x:client {ids} id:objectType="SUBSYSTEM"><id:xRoadInstance>UA</id:xRoadInstance>'
                    "<id:memberClass>GOV</id:memberClass><id:memberCode>37508470</id:memberCode>"
                    f'<id:subsystemCode>DCZ</id:subsystemCode></x:client><x:service {ids} id:objectType="SERVICE">'
                    "<id:xRoadInstance>UA</id:xRoadInstance><id:memberClass>GOV</id:memberClass>"
                    "<id:memberCode>00000000</id:memberCode><id:subsystemCode>EKM</id:subsystemCode>"
                    "<id:serviceCode>SubmitRecord</id:serviceCode></x:service>"
                    f"<x:id>bench-{n}</x:id><x:userId>dcz-officer-1</x:userId><x:protocolVersion>4.0</x:protocolVersion>"
                )
                xml = (
                    '<?xml version="1.0"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"'
                    ' xmlns:x="http://x-road.eu/xsd/xroad.xsd" xmlns:p="http://ekm.gov.ua/partner/v1">'
                    f"<soapenv:Header>{header}</soapenv:Header><soapenv:Body><p:SubmitRecord><p:recordType>"
                    f"employment.registered</p:recordType>{parts}</p:SubmitRecord></soapenv:Body></soapenv:Envelope>"
                )
                return "/partner/soap", xml.encode(), "text/xml", {}

            for name, kind, keep_alive in (
                ("rest", "rest", False),
                ("soap", "soap", False),
                ("rest_keep_alive", "rest", True),
            ):

                def worker(count):
                    connection = None
                    for _ in range(count):
                        path, payload, content_type, headers = body(kind)
                        if connection is None:
                            connection = http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=30)
                        connection.request("POST", path, payload, {"Content-Type": content_type, **headers})
                        response = connection.getresponse()
                        assert response.status == 200, response.read()
                        response.read()
                        if not keep_alive:
                            connection.close()
                            connection = None
                    if connection is not None:
                        connection.close()

                started = time.perf_counter()
                workers = [threading.Thread(target=worker, args=(records // threads,)) for _ in range(threads)]
                for w in workers:
                    w.start()
                for w in workers:
                    w.join()
                results[name] = (records // threads * threads) / (time.perf_counter() - started)
        finally:
            process.terminate()
            process.wait(10)
    return results


if __name__ == "__main__" and "--http" in __import__("sys").argv:
    rates = http_inbound()
    raw = pika_publish_consume(5000)
    format_row("REST partner records per second (HTTPS, mTLS)", rates["rest"], raw["per_second"], "/s")
    format_row("SOAP partner records per second (HTTPS, mTLS)", rates["soap"], raw["per_second"], "/s")
    format_row("REST records per second, kept-alive connections", rates["rest_keep_alive"], raw["per_second"], "/s")
