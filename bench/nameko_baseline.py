"""Raw nameko baselines, measured in the same run as the platform: what nameko itself
costs on this machine, with no database, no tracing and no domain code.

Two tiny services run in one real process (as `ekm-service` runs ours: eventlet, nameko
3, RabbitMQ): ``bench_echo`` answers an RPC and counts events; ``bench_caller`` makes
``n`` RPC calls to it, or dispatches ``n`` events to it, over ``concurrency`` green
threads, and reports how long that took.

    .venv/bin/python -m bench.nameko_baseline          # prints both figures
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time

SERVICE_MODULE = "bench.nameko_baseline"


def _services():
    import eventlet
    from nameko.events import EventDispatcher, event_handler
    from nameko.rpc import ServiceRpc, rpc

    class Echo:
        name = "bench_echo"
        seen = 0

        @rpc
        def echo(self, value):
            return value

        @rpc
        def events_seen(self):
            return Echo.seen

        @event_handler("bench_caller", "ping")
        def on_ping(self, payload):
            Echo.seen += 1

    class Caller:
        name = "bench_caller"
        echo = ServiceRpc("bench_echo")
        dispatch = EventDispatcher()

        def _spread(self, n, concurrency, call):
            pool = eventlet.GreenPool(concurrency)
            start = time.perf_counter()
            for _ in pool.imap(lambda i: call(i), range(n)):
                pass
            return time.perf_counter() - start

        @rpc
        def rpc_round_trips(self, n, concurrency):
            return self._spread(n, concurrency, lambda i: self.echo.echo(i))

        @rpc
        def dispatch_events(self, n, concurrency):
            return self._spread(n, concurrency, lambda i: self.dispatch("ping", {"i": i}))

    return Echo, Caller


def serve(uri: str) -> None:
    import eventlet

    eventlet.monkey_patch()
    from nameko import config
    from nameko.runners import ServiceRunner

    config.setup({"AMQP_URI": uri})
    runner = ServiceRunner()
    for service in _services():
        runner.add_service(service)
    runner.start()
    print("READY", flush=True)
    runner.wait()


@contextlib.contextmanager
def _running(uri: str):
    process = subprocess.Popen(
        [sys.executable, "-m", SERVICE_MODULE, "--serve", uri],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    try:
        if process.stdout.readline().strip() != "READY":
            raise RuntimeError("nameko baseline services did not start")
        yield
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def measure(uri: str, n_rpc: int = 2000, n_events: int = 4000, concurrency: int = 16) -> dict:
    """{"rpc_per_second", "events_per_second"}: RPC round trips service→service and
    events dispatched and handled, each over ``concurrency`` green threads."""
    from nameko.standalone.rpc import ClusterRpcClient

    with _running(uri), ClusterRpcClient(uri=uri, timeout=120) as client:
        client.bench_caller.rpc_round_trips(200, concurrency)  # warm-up
        rpc_seconds = client.bench_caller.rpc_round_trips(n_rpc, concurrency)
        before = client.bench_echo.events_seen()
        start = time.perf_counter()
        client.bench_caller.dispatch_events(n_events, concurrency)
        deadline = start + 120
        while client.bench_echo.events_seen() < before + n_events:
            if time.perf_counter() > deadline:
                raise TimeoutError("events not all handled within 120 s")
            time.sleep(0.02)
        event_seconds = time.perf_counter() - start
    return {"rpc_per_second": n_rpc / rpc_seconds, "events_per_second": n_events / event_seconds}


def main() -> None:
    from ekm_platform.testing.broker import create_vhost, delete_vhost

    vhost, uri = create_vhost("ekm-bench-nameko")
    try:
        figures = measure(uri)
    finally:
        delete_vhost(vhost)
    print(f"raw nameko RPC service→service, 16 green threads: {figures['rpc_per_second']:,.0f}/s")
    print(f"raw nameko events dispatched and handled, 16 green threads: {figures['events_per_second']:,.0f}/s")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--serve":
        serve(sys.argv[2])
    else:
        main()
