"""Booking under contention: N concurrent callers book one offer of the community resource bank
(half of them can get a place) through the real interagency process on PostgreSQL — gRPC, token,
the relation check in cases (``case_needs`` over AMQP), the conditional UPDATE, audit and outbox
in one transaction — beside a raw PostgreSQL baseline in the same run: N threads over 30
connections (the service's pool: 10 + 20 overflow), each ``SELECT … FOR UPDATE`` of the offer row,
``UPDATE remaining``, ``INSERT`` a booking, ``COMMIT``.

    .venv/bin/python -m bench.resource_booking [--callers 50 500]

Prints, per N: wall time for all N, p50/p99 per call, and the ratio to the raw baseline;
checks that exactly N/2 bookings succeeded in both.
"""

from __future__ import annotations

import argparse
import pathlib
import queue
import tempfile
import threading
import time
import uuid

import grpc
import psycopg
from nameko.standalone.rpc import ServiceRpcClient

from bench.baselines import percentiles
from ekm.cases.v1 import cases_pb2
from ekm.intake.v1 import intake_pb2, intake_pb2_grpc
from ekm.interagency.v1 import interagency_pb2 as pb
from ekm.interagency.v1 import interagency_pb2_grpc
from ekm_platform.auth import issue_token
from ekm_platform.db import drop_database
from ekm_platform.testing.broker import create_vhost, delete_vhost
from ekm_platform.testing.platform import running_platform
from tests.appeals import appeal_request

COMMUNITY = "UA80000000000093317"
SERVICES = ("intake", "cases", "interagency")
PG = "postgresql://postgres:postgres@127.0.0.1:5432"
POOL = 30
CHANNELS = 50


def race(n: int, call) -> tuple[float, list[float], int]:
    """(wall seconds, per-call latencies, successes) of n threads started together."""
    latencies, ok, lock = [], [0], threading.Lock()
    barrier = threading.Barrier(n + 1)

    def one(i):
        barrier.wait()
        start = time.perf_counter()
        success = call(i)
        spent = time.perf_counter() - start
        with lock:
            latencies.append(spent)
            ok[0] += success

    threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    barrier.wait()
    start = time.perf_counter()
    for t in threads:
        t.join()
    return time.perf_counter() - start, latencies, ok[0]


def raw_baseline(n: int, database: str) -> tuple[float, list[float], int]:
    with psycopg.connect(f"{PG}/{database}", autocommit=True) as admin:
        admin.execute("DROP TABLE IF EXISTS bench_bookings; DROP TABLE IF EXISTS bench_offers")
        admin.execute(
            "CREATE TABLE bench_offers (offer_id text PRIMARY KEY, remaining int NOT NULL CHECK (remaining >= 0))"
        )
        admin.execute(
            "CREATE TABLE bench_bookings (booking_id text PRIMARY KEY, offer_id text NOT NULL, "
            "case_number text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())"
        )
        admin.execute("INSERT INTO bench_offers VALUES ('o', %s)", (n // 2,))
    connections: queue.Queue = queue.Queue()
    for _ in range(min(POOL, n)):
        connections.put(psycopg.connect(f"{PG}/{database}"))

    def book(i):
        conn = connections.get()
        try:
            with conn.transaction():
                remaining = conn.execute(
                    "SELECT remaining FROM bench_offers WHERE offer_id = 'o' FOR UPDATE"
                ).fetchone()[0]
                if remaining <= 0:
                    return 0
                conn.execute("UPDATE bench_offers SET remaining = remaining - 1 WHERE offer_id = 'o'")
                conn.execute(
                    "INSERT INTO bench_bookings (booking_id, offer_id, case_number) VALUES (%s, 'o', %s)",
                    (str(uuid.uuid4()), "CASE-2026-BENCH01"),
                )
                return 1
        finally:
            connections.put(conn)

    try:
        return race(n, book)
    finally:
        while not connections.empty():
            connections.get().close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--callers", type=int, nargs="+", default=[50, 500])
    args = parser.parse_args()
    vhost, uri = create_vhost("ekm-bench-booking")
    base = f"postgresql+psycopg://postgres:postgres@127.0.0.1:5432/ekmbench_{uuid.uuid4().hex[:8]}"
    try:
        with (
            tempfile.TemporaryDirectory() as home,
            running_platform(pathlib.Path(home), uri, database_url=base, services=SERVICES) as platform,
        ):
            key = (platform.home / "var/keys/jwt-private.pem").read_bytes()
            with ServiceRpcClient("cases", uri=platform.env["EKM_AMQP_URI"], timeout=20) as cases:
                cases.register_case_manager("cm-bench", COMMUNITY, 10, ["veterans"], "sv-bench")
            manager = platform.bearer("case_manager", "cm-bench")
            token = issue_token("donor-bench", "donor", organisation="fund", private_key=key)
            donor = [("authorization", f"Bearer {token}")]
            with platform.channel("intake") as ch:
                intake = intake_pb2_grpc.IntakeServiceStub(ch)
                accepted = intake.SubmitAppeal(appeal_request(), metadata=manager, timeout=10)
                number = ""
                while not number:
                    number = intake.GetAppealStatus(
                        intake_pb2.GetAppealStatusRequest(tracking_number=accepted.tracking_number),
                        metadata=manager,
                        timeout=5,
                    ).case_number
                    time.sleep(0.2)
            channels = [platform.channel("interagency") for _ in range(CHANNELS)]
            stubs = [interagency_pb2_grpc.InteragencyServiceStub(c) for c in channels]
            raw_db = base.rsplit("/", 1)[1] + "_interagency"
            print(f"booking one offer, half of the callers can get a place; PostgreSQL; {time.strftime('%Y-%m-%d')}")
            for n in [10] + args.callers:  # 10: warm-up
                offer = stubs[0].CreateOffer(
                    pb.CreateOfferRequest(
                        title="Продуктові набори",
                        service_type=cases_pb2.SERVICE_TYPE_IN_KIND_HELP,
                        community_code=COMMUNITY,
                        capacity=n // 2,
                        valid_from="2026-01-01",
                        valid_until="2030-12-31",
                    ),
                    metadata=donor,
                    timeout=10,
                )

                def book(i, offer_id=offer.offer_id):
                    try:
                        stubs[i % CHANNELS].BookResource(
                            pb.BookResourceRequest(
                                offer_id=offer_id, case_number=number, client_request_id=f"b-{offer_id}-{i}"
                            ),
                            metadata=manager,
                            timeout=120,
                        )
                        return 1
                    except grpc.RpcError as exc:
                        if exc.code() != grpc.StatusCode.FAILED_PRECONDITION:
                            raise
                        return 0

                wall, latencies, ok = race(n, book)
                raw_wall, raw_latencies, raw_ok = raw_baseline(n, raw_db)
                assert ok == n // 2 == raw_ok, (ok, raw_ok)
                if n == 10:
                    continue
                p50, p99 = percentiles(latencies)
                raw_p50, raw_p99 = percentiles(raw_latencies)
                print(
                    f"  {n:4d} callers: BookResource all done in {wall * 1000:8.1f} ms (p50 {p50:7.1f} ms, "
                    f"p99 {p99:7.1f} ms), {ok} booked"
                )
                print(
                    f"              raw PostgreSQL FOR UPDATE   {raw_wall * 1000:8.1f} ms (p50 {raw_p50:7.1f} ms, "
                    f"p99 {raw_p99:7.1f} ms), {raw_ok} booked;  ratio (wall) {wall / raw_wall:6.1f}"
                )
            for c in channels:
                c.close()
    finally:
        for service in SERVICES:
            drop_database(f"{base}_{service}")
        delete_vhost(vhost)


if __name__ == "__main__":
    main()
