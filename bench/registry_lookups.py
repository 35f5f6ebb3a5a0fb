"""LookupPerson through the gateway to the border-guard SOAP simulator (zeep, X-Road headers,
evidence stored), 16 concurrent case managers, beside raw lxml parsing of the same payload
and raw grpcio, measured in the same run; then the same with the read-through cache.

    .venv/bin/python -m bench.registry_lookups [--calls 2000]
"""
from __future__ import annotations

import argparse
import itertools
import os
import pathlib
import tempfile
import threading
import time

from ekm.registry.v1 import registry_pb2, registry_pb2_grpc
from lxml import etree

from ekm_platform.identifiers import make_rnokpp
from ekm_platform.testing.broker import create_vhost, delete_vhost
from ekm_platform.testing.platform import running_platform

from bench.appeals import timed_calls
from bench.baselines import format_row, grpc_echo, percentiles

CALLERS = 16
SAMPLE = (b'<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/'
          b'envelope/"><soapenv:Body><bg:GetBorderCrossingsResponse xmlns:bg="http://dpsu.gov.ua/xroad/border-'
          b'crossings/v1"><bg:found>true</bg:found><bg:crossing><bg:date>2026-10-30</bg:date><bg:direction>in'
          b'</bg:direction><bg:checkpoint>Yahodyn</bg:checkpoint><bg:returnedFromService>true</bg:returnedFromService>'
          b'</bg:crossing></bg:GetBorderCrossingsResponse></soapenv:Body></soapenv:Envelope>')


def lxml_parse_rate(n: int = 20000) -> float:
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    start = time.perf_counter()
    for _ in range(n):
        etree.fromstring(SAMPLE, parser)
    return n / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=2000)
    args = parser.parse_args()
    raw_lxml, echo = lxml_parse_rate(), grpc_echo(args.calls, CALLERS)
    vhost, uri = create_vhost("ekm-bench")
    serial, lock = itertools.count(100000), threading.Lock()
    try:
        with tempfile.TemporaryDirectory() as home, running_platform(
                pathlib.Path(home), uri, services=("registry-gateway",), simulators=True,
                extra_env={"EKM_REGISTRY_BORDER_GUARD_CONCURRENCY": "32",
                           **{k: os.environ[k] for k in ("EKM_TRACING", "EKM_TRACE_STORE") if k in os.environ}}) as platform:
            md = platform.bearer("case_manager", "cm-bench")
            with platform.channel("registry-gateway") as channel:
                stub = registry_pb2_grpc.RegistryGatewayStub(channel)

                def lookup(rnokpp):
                    reply = stub.LookupPerson(registry_pb2.LookupPersonRequest(
                        rnokpp=rnokpp, case_number="CASE-2026-BENCH01", purpose="bench",
                        registries=["border_guard"]), metadata=md, timeout=30)
                    assert reply.results[0].status in (registry_pb2.REGISTRY_STATUS_OK,
                                                       registry_pb2.REGISTRY_STATUS_NOT_FOUND), reply
                    return reply

                def fresh():
                    with lock:
                        n = next(serial)
                    return lookup(make_rnokpp(f"{n:09d}"))

                timed_calls(fresh, 100, CALLERS)
                fresh_s, fresh_lat, _ = timed_calls(fresh, args.calls, CALLERS)
                cached_s, cached_lat, _ = timed_calls(lambda: lookup("3221512349"), args.calls, CALLERS)
    finally:
        delete_vhost(vhost)
    f50, f99 = percentiles(fresh_lat)
    c50, c99 = percentiles(cached_lat)
    print(f"\nЕКМ bench — LookupPerson via the gateway, {CALLERS} concurrent case managers")
    format_row("SOAP lookups per second (zeep → simulator)", args.calls / fresh_s, raw_lxml, "/s")
    format_row("SOAP lookups per second against raw grpcio", args.calls / fresh_s, echo["per_second"], "/s")
    print(f"  SOAP lookup p50 / p99: {f50:.1f} / {f99:.1f} ms")
    format_row("cached lookups per second", args.calls / cached_s, echo["per_second"], "/s")
    print(f"  cached lookup p50 / p99: {c50:.1f} / {c99:.1f} ms")
    print(f"  raw lxml parse of the same response: {raw_lxml:,.0f}/s; raw grpcio echo: {echo['per_second']:,.0f}/s;"
          f" targets: ≥ 300 SOAP lookups/s")


if __name__ == "__main__":
    main()
