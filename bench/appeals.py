"""SubmitAppeal end to end, beside raw grpcio and raw pika measured in the same run.

    .venv/bin/python -m bench.appeals [--n1 300] [--n16 3000] [--n-status 1000] [--database-url URL]

Starts intake, cases and notifications as real processes (own home folder, own vhost),
then measures: the gRPC edge against raw grpcio echo, on the health check (through
nameko-grpc) and on a real authenticated call (GetAppealStatus: token verified, the
appeal read, the read audited); SubmitAppeal with 1 and 16 concurrent clients
(accepted/s, p50/p99); the time until every accepted appeal has its case and its
acknowledgement; nothing lost.
"""

from __future__ import annotations

import argparse
import pathlib
import tempfile
import threading
import time

from grpc_health.v1 import health_pb2, health_pb2_grpc
from sqlalchemy import create_engine, func, select, table

from bench import nameko_baseline
from bench.baselines import format_row, grpc_echo, percentiles, pika_publish_consume
from ekm.intake.v1 import intake_pb2, intake_pb2_grpc
from ekm_platform import config
from ekm_platform.testing.broker import create_vhost, delete_vhost
from ekm_platform.testing.platform import running_platform
from tests.appeals import appeal_request

SERVICES = ("intake", "cases", "notifications")
# cases and notifications each ask intake once (subject, contact); appeal.accepted reaches
# cases and notifications, case.opened reaches intake.
RPCS_PER_APPEAL, EVENTS_PER_APPEAL = 2, 3


def timed_calls(call, n: int, concurrency: int) -> tuple[float, list[float], list[str]]:
    """Run ``call()`` n times over ``concurrency`` threads; (seconds, latencies, results)."""
    latencies, results, lock = [], [], threading.Lock()
    per_thread = [n // concurrency + (1 if i < n % concurrency else 0) for i in range(concurrency)]

    def worker(count):
        mine, got = [], []
        for _ in range(count):
            start = time.perf_counter()
            got.append(call())
            mine.append(time.perf_counter() - start)
        with lock:
            latencies.extend(mine)
            results.extend(got)

    threads = [threading.Thread(target=worker, args=(c,)) for c in per_thread]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - start, latencies, results


def count_rows(env: dict, service: str, name: str) -> int:
    saved = {k: config.os.environ.get(k) for k in ("EKM_HOME", "EKM_DATABASE_URL")}
    config.os.environ["EKM_HOME"] = env["EKM_HOME"]
    if "EKM_DATABASE_URL" in env:
        config.os.environ["EKM_DATABASE_URL"] = env["EKM_DATABASE_URL"]
    try:
        url = config.database_url(service)
    finally:
        for k, v in saved.items():
            if v is None:
                config.os.environ.pop(k, None)
            else:
                config.os.environ[k] = v
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(table(name))).scalar()
    finally:
        engine.dispose()


def wait_for(env, service, name, expected, timeout=300.0) -> float:
    start = time.perf_counter()
    while count_rows(env, service, name) < expected:
        if time.perf_counter() - start > timeout:
            raise TimeoutError(f"{service}.{name}: fewer than {expected} rows after {timeout}s")
        time.sleep(0.05)
    return time.perf_counter() - start


def _drop_databases(base_url: str) -> None:
    from ekm_platform.db import drop_database

    saved = config.os.environ.get("EKM_DATABASE_URL")
    config.os.environ["EKM_DATABASE_URL"] = base_url
    try:
        for service in SERVICES:
            drop_database(config.database_url(service))
    finally:
        if saved is None:
            config.os.environ.pop("EKM_DATABASE_URL")
        else:
            config.os.environ["EKM_DATABASE_URL"] = saved


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n1", type=int, default=300)
    parser.add_argument("--n16", type=int, default=3000)
    parser.add_argument("--n-status", type=int, default=1000, help="GetAppealStatus calls, 1 client")
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()

    print("raw baselines …", flush=True)
    echo1, echo16 = grpc_echo(2000, 1), grpc_echo(4000, 16)
    amqp = pika_publish_consume()
    vhost, uri = create_vhost("ekm-bench")
    try:
        raw_nameko = nameko_baseline.measure(uri)
        with (
            tempfile.TemporaryDirectory() as home,
            running_platform(pathlib.Path(home), uri, args.database_url, services=SERVICES) as platform,
        ):
            md = platform.bearer("case_manager", "bench")
            with platform.channel("intake") as channel:
                health = health_pb2_grpc.HealthStub(channel)
                intake = intake_pb2_grpc.IntakeServiceStub(channel)
                check = lambda: health.Check(health_pb2.HealthCheckRequest(), timeout=10)  # noqa: E731
                timed_calls(check, 200, 1)
                edge_s, edge_lat, _ = timed_calls(check, 2000, 1)
                submit = lambda: intake.SubmitAppeal(appeal_request(), metadata=md, timeout=30)  # noqa: E731
                _, _, warm = timed_calls(submit, 50, 4)  # warm-up
                asked = intake_pb2.GetAppealStatusRequest(tracking_number=warm[0].tracking_number)
                status = lambda: intake.GetAppealStatus(asked, metadata=md, timeout=10)  # noqa: E731
                timed_calls(status, 100, 1)
                status_s, status_lat, _ = timed_calls(status, args.n_status, 1)
                one_s, one_lat, one = timed_calls(submit, args.n1, 1)
                start16 = time.perf_counter()
                many_s, many_lat, many = timed_calls(submit, args.n16, 16)
            accepted = 50 + len(one) + len(many)
            cases_after = wait_for(platform.env, "cases", "case_appeals", accepted)
            notes_after = wait_for(platform.env, "notifications", "deliveries", accepted)
            drained = time.perf_counter() - start16
            cases = count_rows(platform.env, "cases", "case_appeals")
            deliveries = count_rows(platform.env, "notifications", "deliveries")
    finally:
        delete_vhost(vhost)
        if args.database_url:
            _drop_databases(args.database_url)

    edge_p50, edge_p99 = percentiles(edge_lat)
    one_p50, one_p99 = percentiles(one_lat)
    many_p50, many_p99 = percentiles(many_lat)
    print(
        "\nЕКМ bench — SubmitAppeal (intake → cases → notifications), "
        f"{'PostgreSQL' if args.database_url else 'SQLite'}"
    )
    format_row("gRPC edge p50 (health check, 1 client)", edge_p50, echo1["p50_ms"], "ms")
    format_row("gRPC edge p99 (health check, 1 client)", edge_p99, echo1["p99_ms"], "ms")
    status_p50, status_p99 = percentiles(status_lat)
    format_row("GetAppealStatus p50 (auth + audit, 1 client)", status_p50, echo1["p50_ms"], "ms")
    format_row("GetAppealStatus p99 (auth + audit, 1 client)", status_p99, echo1["p99_ms"], "ms")
    format_row("SubmitAppeal p50, 1 client", one_p50, echo1["p50_ms"], "ms")
    format_row("SubmitAppeal p99, 1 client", one_p99, echo1["p99_ms"], "ms")
    format_row("SubmitAppeal accepted/s, 1 client", len(one) / one_s, echo1["per_second"], "/s")
    format_row("SubmitAppeal p50, 16 clients", many_p50, echo16["p50_ms"], "ms")
    format_row("SubmitAppeal p99, 16 clients", many_p99, echo16["p99_ms"], "ms")
    format_row("SubmitAppeal accepted/s, 16 clients", len(many) / many_s, echo16["per_second"], "/s")
    format_row("end to end (case + SMS logged)/s, 16 clients", len(many) / drained, amqp["per_second"], "/s")
    format_row("end to end/s against raw nameko RPC", len(many) / drained, raw_nameko["rpc_per_second"], "/s")
    format_row("end to end/s against raw nameko events", len(many) / drained, raw_nameko["events_per_second"], "/s")
    rpc_ms, event_ms = 1000 / raw_nameko["rpc_per_second"], 1000 / raw_nameko["events_per_second"]
    print(
        f"  nameko alone (no database, no tracing, 16 green threads): one RPC round trip {rpc_ms:.2f} ms, "
        f"one event dispatched and handled {event_ms:.2f} ms of its throughput; an appeal takes "
        f"{RPCS_PER_APPEAL} round trips and {EVENTS_PER_APPEAL} event deliveries: "
        f"{RPCS_PER_APPEAL * rpc_ms + EVENTS_PER_APPEAL * event_ms:.1f} ms, a ceiling of "
        f"{1000 / (RPCS_PER_APPEAL * rpc_ms + EVENTS_PER_APPEAL * event_ms):.0f} appeals/s before any other work"
    )
    print(
        f"  every case opened {cases_after:.2f}s and every acknowledgement logged {notes_after:.2f}s "
        f"after the last accepted appeal ({len(many)} appeals in {many_s:.2f}s)"
    )
    print(
        f"  nothing lost: accepted {accepted}, cases {cases}, acknowledgements {deliveries}"
        f" — {'OK' if accepted == cases == deliveries else 'MISMATCH'}"
    )


if __name__ == "__main__":
    main()
