"""LookupPerson through the gateway to the border-guard SOAP simulator (zeep, X-Road headers,
the caller's relation to the case checked by the cases service over AMQP RPC, evidence and
the audit entry stored), 16 concurrent callers — for a person the registry knows (found,
facts published to the case's history) and for one it does not (not found) — each beside
raw grpcio, raw lxml parsing and a raw nameko RPC round trip measured in the same run; then
the same two people again from the read-through cache (recorded as cache hits).

Two platforms are started in turn (intake, cases, registry gateway, simulators): the first
with the border guard's cache off, so that every lookup is a SOAP exchange; the second with
the cache on. Each has one case per person, opened through SubmitAppeal.

    .venv/bin/python -m bench.registry_lookups [--calls 1000]
"""

from __future__ import annotations

import argparse
import os
import pathlib
import tempfile
import time

from lxml import etree

from bench.appeals import timed_calls
from bench.baselines import format_row, grpc_echo, percentiles
from ekm.registry.v1 import registry_pb2, registry_pb2_grpc
from ekm_platform.testing.broker import create_vhost, delete_vhost
from ekm_platform.testing.platform import running_platform

CALLERS = 16
SAMPLE = (
    b'<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/'
    b'envelope/"><soapenv:Body><bg:GetBorderCrossingsResponse xmlns:bg="http://dpsu.gov.ua/xroad/border-'
    b'crossings/v1"><bg:found>true</bg:found><bg:crossing><bg:date>2026-10-30</bg:date><bg:direction>in'
    b"</bg:direction><bg:checkpoint>Yahodyn</bg:checkpoint><bg:returnedFromService>true</bg:returnedFromService>"
    b"</bg:crossing></bg:GetBorderCrossingsResponse></soapenv:Body></soapenv:Envelope>"
)


def lxml_parse_rate(n: int = 20000) -> float:
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    start = time.perf_counter()
    for _ in range(n):
        etree.fromstring(SAMPLE, parser)
    return n / (time.perf_counter() - start)


def cpu_seconds(home) -> dict:
    """CPU seconds used so far by each process of the platform in ``home`` (from /proc)."""
    found, marker = {}, f"EKM_HOME={home}".encode()
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if marker not in open(f"/proc/{pid}/environ", "rb").read().split(b"\0"):
                continue
            name = open(f"/proc/{pid}/cmdline", "rb").read().split(b"\0")
            stat = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parts = [part.decode() for part in name if part]
        label = (
            parts[-1]
            if "ekm_platform.runner" in parts
            else "simulators"
            if "registry_simulators" in parts
            else " ".join(parts[-2:])
        )
        found[label] = found.get(label, 0.0) + (int(stat[11]) + int(stat[12])) / os.sysconf("SC_CLK_TCK")
    return found


FOUND_PERSON = ("3221512349", "19880314-43212", "1988-03-14")  # the simulators' demo person with crossings
COMMUNITY = "UA80000000000093317"


def open_cases(platform) -> dict:
    """One case per person (found by the registry / not found), owned by cm-bench."""
    from nameko.standalone.rpc import ServiceRpcClient

    from ekm.intake.v1 import intake_pb2, intake_pb2_grpc
    from tests.appeals import appeal_request

    with ServiceRpcClient("cases", uri=platform.env["EKM_AMQP_URI"], timeout=30) as cases:
        cases.register_case_manager("cm-bench", COMMUNITY, 100, ["veterans"], "sv-bench")
    md = platform.bearer("case_manager", "cm-bench")
    found = {}
    with platform.channel("intake") as channel:
        intake = intake_pb2_grpc.IntakeServiceStub(channel)
        for label in ("found", "not_found"):
            request = appeal_request()
            if label == "found":
                person = request.applicant.person
                person.rnokpp, person.unzr, person.birth_date = FOUND_PERSON
            tracking = intake.SubmitAppeal(request, metadata=md, timeout=30).tracking_number
            for _ in range(300):
                number = intake.GetAppealStatus(
                    intake_pb2.GetAppealStatusRequest(tracking_number=tracking), metadata=md, timeout=10
                ).case_number
                if number:
                    break
                time.sleep(0.1)
            assert number, f"no case opened for the {label} person"
            found[label] = (request.applicant.person.rnokpp, number)
    return found


def measure(home: pathlib.Path, uri: str, calls: int, cache: bool) -> dict:
    extra = {
        "EKM_REGISTRY_BORDER_GUARD_CONCURRENCY": "32",
        **({} if cache else {"EKM_REGISTRY_BORDER_GUARD_TTL": "0"}),
        **{k: os.environ[k] for k in ("EKM_TRACING", "EKM_TRACE_STORE") if k in os.environ},
    }
    figures = {}
    with running_platform(
        home, uri, services=("intake", "cases", "registry-gateway"), simulators=True, extra_env=extra
    ) as platform:
        people = open_cases(platform)
        md = platform.bearer("case_manager", "cm-bench")
        expected = {"found": registry_pb2.REGISTRY_STATUS_OK, "not_found": registry_pb2.REGISTRY_STATUS_NOT_FOUND}
        with platform.channel("registry-gateway") as channel:
            stub = registry_pb2_grpc.RegistryGatewayStub(channel)

            def lookup(label, measured=True):
                rnokpp, case_number = people[label]
                reply = stub.LookupPerson(
                    registry_pb2.LookupPersonRequest(
                        rnokpp=rnokpp, case_number=case_number, purpose="bench", registries=["border_guard"]
                    ),
                    metadata=md,
                    timeout=30,
                )
                result = reply.results[0]
                assert result.status == expected[label], result
                assert bool(result.facts) == (label == "found") and (result.from_cache == cache or not measured), result
                return label

            for label in ("found", "not_found"):
                timed_calls(lambda: lookup(label, measured=False), 50, CALLERS)  # warm-up (and the cache filled)
                before = cpu_seconds(home)
                seconds, latencies, results = timed_calls(lambda: lookup(label), calls, CALLERS)
                time.sleep(1)  # the events of found people handled in cases
                after = cpu_seconds(home)
                assert results.count(label) == calls
                figures[label] = (calls / seconds, *percentiles(latencies))
                figures[label + "_cpu"] = {k: (after[k] - before.get(k, 0.0)) * 1000 / calls for k in after}
    return figures


def main() -> None:
    from bench import nameko_baseline

    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=1000)
    args = parser.parse_args()
    raw_lxml, echo = lxml_parse_rate(), grpc_echo(args.calls, CALLERS)
    vhost, uri = create_vhost("ekm-bench")
    try:
        raw_rpc = nameko_baseline.measure(uri, n_rpc=args.calls, n_events=100, concurrency=CALLERS)["rpc_per_second"]
        with tempfile.TemporaryDirectory() as home:
            fresh = measure(pathlib.Path(home), uri, args.calls, cache=False)
        with tempfile.TemporaryDirectory() as home:
            cached = measure(pathlib.Path(home), uri, args.calls, cache=True)
    finally:
        delete_vhost(vhost)
    print(f"\nЕКМ bench — LookupPerson via the gateway, {CALLERS} concurrent callers, {args.calls} calls each row")
    for label, figures in (
        ("SOAP, person found", fresh["found"]),
        ("SOAP, person not found", fresh["not_found"]),
        ("cached, person found", cached["found"]),
        ("cached, not found", cached["not_found"]),
    ):
        per_second, p50, p99 = figures
        format_row(f"{label} (lookups/s)", per_second, echo["per_second"], "/s")
        print(f"    p50 / p99: {p50:.1f} / {p99:.1f} ms")
    for label, figures in (
        ("SOAP, found", fresh),
        ("SOAP, not found", fresh),
        ("cached, found", cached),
        ("cached, not found", cached),
    ):
        key = ("not_found" if "not found" in label else "found") + "_cpu"
        print(
            f"  CPU ms per lookup, {label}: "
            + ", ".join(f"{name} {ms:.2f}" for name, ms in sorted(figures[key].items()) if ms >= 0.05)
        )
    print(
        f"  same run, raw: grpcio echo {echo['per_second']:,.0f}/s; lxml parse of the reply {raw_lxml:,.0f}/s; "
        f"nameko RPC round trips {raw_rpc:,.0f}/s (each lookup makes one, to cases); target ≥ 300 SOAP lookups/s"
    )


if __name__ == "__main__":
    main()
