"""What telling the truth costs a health probe: Check with service="" (the database and the
broker looked at, at most every EKM_HEALTH_CACHE_SECONDS) beside service="liveness" (the
process answers, nothing looked at), through a real notifications process.

    .venv/bin/python -m bench.health_check [--n 2000]
"""

from __future__ import annotations

import argparse
import pathlib
import tempfile
import time

from grpc_health.v1 import health_pb2, health_pb2_grpc

from ekm_platform.testing.broker import create_vhost, delete_vhost
from ekm_platform.testing.platform import running_platform


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=2000)
    args = parser.parse_args()
    vhost, uri = create_vhost("ekm-bench-health")
    try:
        with (
            tempfile.TemporaryDirectory() as home,
            running_platform(pathlib.Path(home), uri, services=("notifications",)) as platform,
        ):
            with platform.channel("notifications") as channel:
                stub = health_pb2_grpc.HealthStub(channel)
                for service in ("liveness", "", "liveness", ""):  # the first two warm up
                    latencies = []
                    for _ in range(args.n):
                        start = time.perf_counter()
                        stub.Check(health_pb2.HealthCheckRequest(service=service), timeout=5)
                        latencies.append(time.perf_counter() - start)
                    latencies.sort()
                    p50, p99 = latencies[len(latencies) // 2], latencies[int(len(latencies) * 0.99)]
                    print(f"Check service={service!r:11} p50 {p50 * 1000:.2f} ms  p99 {p99 * 1000:.2f} ms")
    finally:
        delete_vhost(vhost)


if __name__ == "__main__":
    main()
