"""Scale-out on one machine: 1 instance against 3 instances of cases and of notifications, in
the same run, beside raw baselines measured in the same run (PostgreSQL).

    .venv/bin/python -m bench.scale_out [--calls 3000] [--connections 12] [--events 3000]

cases: a generated database (``cases.tools.generate``: 2,000 cases, their case managers);
the platform is started with ``EKM_INSTANCES=cases=1``, then ``cases=3``, and each time
``--connections`` case managers, each on a gRPC connection of its own (one thread each in
this process; the instances share one port and the kernel gives each new connection to one
of them), call GetCase and the worklist (ListCases) in a closed loop: every GetCase passes the
access check and writes its audit entry. Raw baseline: grpcio unary echo with as many callers.

notifications: the platform is started with ``notifications=1``, then ``=3`` (with an SMTP
server in this process and bench.contact_stub standing in for intake's contacts, as in
bench.notifications); ``--events`` ``appeal.accepted`` events are published to intake's
exchange and the clock runs until the SMTP server has received as many e-mails. Raw
baseline: as many 1 KB persistent messages consumed with pika.

Each instance's own log says what it served (``ekm_platform.instance_stats``): the spread is
printed. Two cores are shared by everything here (the instances, PostgreSQL, RabbitMQ, the
callers, the SMTP server): the gain is bounded by them, and the figures say so.
"""

from __future__ import annotations

import argparse
import os
import pathlib
import random
import subprocess
import sys
import tempfile
import threading
import time
import uuid

import psycopg
from sqlalchemy.engine import make_url

from bench.baselines import format_row, grpc_echo, percentiles
from bench.notifications import events, process_cpu, publish, raw_consume
from ekm.cases.v1 import cases_pb2 as pb
from ekm.cases.v1 import cases_pb2_grpc
from ekm_platform import client, instance_stats
from ekm_platform.db import drop_database
from ekm_platform.testing.broker import create_vhost, delete_vhost
from ekm_platform.testing.platform import running_platform

POSTGRES = "postgresql+psycopg://postgres:postgres@127.0.0.1:5432"


def cpu_seconds() -> float:
    """User + system CPU of the whole machine so far (/proc/stat), to say how busy it was."""
    fields = pathlib.Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    user, nice, system, idle, iowait = (int(f) for f in fields[:5])
    return (user + nice + system) / os.sysconf("SC_CLK_TCK")


def service_cpu(platform, service: str) -> float:
    """CPU seconds the service's instances have used so far."""
    return sum(
        process_cpu(p.process.pid)
        for p in platform.supervisor.programs
        if p.name == service or p.name.startswith(f"{service}-") and p.name[len(service) + 1 :].isdigit()
    )


def spread(platform, service: str, n: int) -> str:
    names = [service] + [f"{service}-{i}" for i in range(2, n + 1)]
    parts = []
    for name in names:
        lines = instance_stats.parse(platform.log(name))
        last = lines[-1] if lines else {}
        parts.append(f"{name}: grpc {last.get('grpc', 0)}, events {last.get('events', 0)}")
    return "; ".join(parts)


def sample_cases(url: str, n: int) -> list[tuple[str, str, str]]:
    dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(dsn) as conn:
        return conn.execute(
            "SELECT case_number, assigned_to, community_code FROM cases "
            "WHERE stage <> 'closed' AND assigned_to <> '' LIMIT %s",
            (n,),
        ).fetchall()


def closed_loop(platform, calls: int, connections: int, make_call) -> tuple[float, list[float]]:
    """``calls`` calls over ``connections`` connections, each its own thread; (seconds, latencies)."""
    latencies, lock, errors = [], threading.Lock(), []
    barrier = threading.Barrier(connections + 1)
    per = [calls // connections + (1 if i < calls % connections else 0) for i in range(connections)]

    def caller(count):
        try:
            with client.channel("cases", platform.env, own_connection=True) as channel:
                stub = cases_pb2_grpc.CaseServiceStub(channel)
                make_call(stub)  # connected before the clock starts
                barrier.wait()
                mine = []
                for _ in range(count):
                    start = time.perf_counter()
                    make_call(stub)
                    mine.append(time.perf_counter() - start)
                with lock:
                    latencies.extend(mine)
        except BaseException as exc:  # noqa: BLE001 - reported by the caller
            errors.append(exc)
            barrier.abort()

    threads = [threading.Thread(target=caller, args=(c,)) for c in per]
    for t in threads:
        t.start()
    barrier.wait()
    start = time.perf_counter()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]
    return time.perf_counter() - start, latencies


def db_pool(args) -> dict:
    """The same PostgreSQL pool per engine for 1 and for 3 instances, small enough that three
    processes stay within the server's max_connections (100 by default, shared with whatever
    else runs): a worker beyond it waits for a connection instead of being refused one."""
    return {"EKM_DB_POOL_SIZE": str(args.db_pool), "EKM_DB_MAX_OVERFLOW": "0"}


def cases_phase(uri: str, base: str, n: int, args, sample, tokens_of) -> dict:
    env = {"EKM_INSTANCES": f"cases={n}", "EKM_STATS_INTERVAL": "1", **db_pool(args)}
    env.update({k: v for k, v in os.environ.items() if k.startswith("EKM_TRACING")})
    with (
        tempfile.TemporaryDirectory() as home,
        running_platform(pathlib.Path(home), uri, base, services=("cases",), timeout=180, extra_env=env) as platform,
    ):
        platform.supervisor.wait_started(timeout=180)
        tokens = tokens_of(platform)
        rng = random.Random(n)

        def get_case(stub):
            number, manager, _ = rng.choice(sample)
            return stub.GetCase(pb.GetCaseRequest(case_number=number), metadata=tokens[manager], timeout=60)

        def worklist(stub):
            _, manager, community = rng.choice(sample)
            return stub.ListCases(
                pb.ListCasesRequest(community_code=community, page_size=20), metadata=tokens[manager], timeout=60
            )

        closed_loop(platform, 100 * n, args.connections, get_case)  # warm every instance's connection pool
        cpu, own = cpu_seconds(), service_cpu(platform, "cases")
        get_s, get_lat = closed_loop(platform, args.calls, args.connections, get_case)
        list_s, list_lat = closed_loop(platform, args.calls // 2, args.connections, worklist)
        busy = (cpu_seconds() - cpu) / (get_s + list_s)
        own = (service_cpu(platform, "cases") - own) / (get_s + list_s)
        time.sleep(1.5)  # the instances log what they served every second
        return {
            "get_per_s": args.calls / get_s,
            "get_lat": percentiles(get_lat),
            "list_per_s": (args.calls // 2) / list_s,
            "list_lat": percentiles(list_lat),
            "busy_cores": busy,
            "own_cores": own,
            "spread": spread(platform, "cases", n),
        }


def notifications_phase(uri: str, base: str, n: int, args) -> dict:
    from notifications.adapters.smtp_sink import SmtpSink

    with SmtpSink(keep=False) as smtp, tempfile.TemporaryDirectory() as home:
        env = {
            "EKM_INSTANCES": f"notifications={n}",
            "EKM_STATS_INTERVAL": "1",
            "EKM_SMTP_HOST": "127.0.0.1",
            "EKM_SMTP_PORT": str(smtp.port),
            "EKM_NOTIFY_RATE_LIMIT": "0",
            "EKM_QUIET_HOURS": "off",
            "EKM_NOTIFY_TICK_SECONDS": "0.2",
            **db_pool(args),
        }
        env.update({k: v for k, v in os.environ.items() if k.startswith(("EKM_NOTIFY_", "EKM_TRACING"))})
        with running_platform(
            pathlib.Path(home), uri, base, services=("notifications",), timeout=180, extra_env=env
        ) as platform:
            platform.supervisor.wait_started(timeout=180)
            cpu, own = cpu_seconds(), service_cpu(platform, "notifications")
            start = time.perf_counter()
            publish(uri, "intake.events", "appeal.accepted", events(args.events))
            deadline = start + 600
            while smtp.count < args.events and time.perf_counter() < deadline:
                time.sleep(0.05)
            elapsed = time.perf_counter() - start
            received = smtp.count
            busy = (cpu_seconds() - cpu) / elapsed
            own = (service_cpu(platform, "notifications") - own) / elapsed
            time.sleep(2)  # nothing more arrives: each once
            return {
                "per_s": received / elapsed,
                "received": received,
                "after": smtp.count - received,
                "busy_cores": busy,
                "own_cores": own,
                "spread": spread(platform, "notifications", n),
            }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=3000, help="GetCase calls per phase (half as many worklists)")
    parser.add_argument("--connections", type=int, default=12)
    parser.add_argument("--events", type=int, default=3000)
    parser.add_argument("--instances", type=int, default=3)
    parser.add_argument("--only", choices=("cases", "notifications"))
    parser.add_argument("--db-pool", type=int, default=6, help="PostgreSQL connections per engine and process")
    args = parser.parse_args()
    counts = (1, args.instances)
    base = f"{POSTGRES}/ekmscaleout_{uuid.uuid4().hex[:8]}"
    vhost, uri = create_vhost("ekm-bench-scale")
    stub = None
    results: dict = {}
    try:
        if args.only != "notifications":
            from cases.tools.generate import generate

            print("generating 2,000 cases …", flush=True)
            generate(f"{base}_cases", 2000, 2500, 6000, 10)
            sample = sample_cases(f"{base}_cases", 2000)
            tokens_of = lambda platform: {m: platform.bearer("case_manager", m) for m in {c[1] for c in sample}}  # noqa: E731
            print(f"raw grpcio echo, {args.connections} callers …", flush=True)
            results["echo"] = grpc_echo(args.calls, args.connections)
            for n in counts:
                print(f"cases × {n} …", flush=True)
                results[("cases", n)] = cases_phase(uri, base, n, args, sample, tokens_of)
                print(f"  {results[('cases', n)]}", flush=True)
        if args.only != "cases":
            print("raw pika consume …", flush=True)
            results["pika"] = raw_consume(uri, args.events)
            stub = subprocess.Popen(
                [sys.executable, "-m", "bench.contact_stub", uri], stdout=subprocess.PIPE, text=True
            )
            assert stub.stdout.readline().strip() == "contact stub ready"
            for n in counts:
                print(f"notifications × {n} …", flush=True)
                results[("notifications", n)] = notifications_phase(uri, base, n, args)
                print(f"  {results[('notifications', n)]}", flush=True)
                drop_database(f"{base}_notifications")
    finally:
        if stub is not None:
            stub.terminate()
            stub.wait(10)
        delete_vhost(vhost)
        for service in ("cases", "notifications"):
            drop_database(f"{base}_{service}")

    one, many = counts
    print(
        f"\nЕКМ bench — scale-out on one machine ({os.cpu_count()} cores), PostgreSQL, 1 against {many} "
        f"instances in the same run; {args.db_pool} database connections per engine and process"
    )
    if ("cases", one) in results:
        echo, a, b = results["echo"], results[("cases", one)], results[("cases", many)]
        print(
            f"  cases: {args.connections} callers, each on its own connection; {args.calls} GetCase, "
            f"{args.calls // 2} worklists per phase"
        )
        for n, r in ((one, a), (many, b)):
            format_row(f"GetCase per second, {n} instance(s)", r["get_per_s"], echo["per_second"], "/s")
            format_row(f"GetCase p50, {n} instance(s)", r["get_lat"][0], echo["p50_ms"], "ms")
            format_row(f"GetCase p99, {n} instance(s)", r["get_lat"][1], echo["p99_ms"], "ms")
            format_row(f"worklist per second, {n} instance(s)", r["list_per_s"], echo["per_second"], "/s")
            print(
                f"    cases processes used {r['own_cores']:.2f} cores, the machine {r['busy_cores']:.2f} of "
                f"{os.cpu_count()}; served: {r['spread']}"
            )
        print(
            f"  GAIN cases, {many} against {one}: GetCase ×{b['get_per_s'] / a['get_per_s']:.2f}, "
            f"worklist ×{b['list_per_s'] / a['list_per_s']:.2f}"
        )
    if ("notifications", one) in results:
        raw, a, b = results["pika"], results[("notifications", one)], results[("notifications", many)]
        print(f"  notifications: {args.events} appeal.accepted events → e-mails at the SMTP server")
        for n, r in ((one, a), (many, b)):
            format_row(f"notifications/s, {n} instance(s)", r["per_s"], raw["per_second"], "/s")
            print(
                f"    {r['received']} of {args.events} received, {r['after']} more after 2 s "
                f"({'OK' if r['received'] == args.events and not r['after'] else 'MISMATCH'}); notifications "
                f"processes used {r['own_cores']:.2f} cores, the machine {r['busy_cores']:.2f} of {os.cpu_count()}; "
                f"served: {r['spread']}"
            )
        print(f"  GAIN notifications, {many} against {one}: ×{b['per_s'] / a['per_s']:.2f}")
    print(
        f"  load average {os.getloadavg()[0]:.1f}: on a machine shared with other work, more processes also "
        f"take a larger share of it (compare the cores the service's processes used)"
    )


if __name__ == "__main__":
    main()
