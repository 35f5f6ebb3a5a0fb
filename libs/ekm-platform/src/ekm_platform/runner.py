"""Start one service process: ``ekm-service <name>``.

The same bootstrap for every service: green sockets, psycopg under eventlet, tracing,
the faster gRPC connection loop, then nameko's runner with this service's config.
"""

from __future__ import annotations

import os

os.environ.setdefault("PSYCOPG_WAIT_FUNC", "wait_select")  # STACK.md pitfall 5

import warnings  # noqa: E402

warnings.filterwarnings("ignore", message="\nEventlet is deprecated")
warnings.filterwarnings("ignore", message="Eventlet is deprecated")

import eventlet  # noqa: E402

eventlet.monkey_patch()

import argparse  # noqa: E402
import logging  # noqa: E402
import signal  # noqa: E402

from ekm_platform import config as settings  # noqa: E402
from ekm_platform.logs import setup_logging  # noqa: E402


def instrument(service: str) -> None:
    """Tracing on by default; ``EKM_TRACING=off`` runs without (to measure its cost)."""
    if os.environ.get("EKM_TRACING", "on") == "off":
        return
    from nameko_opentelemetry import NamekoInstrumentor
    from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor

    from ekm_platform.tracing import setup_tracing

    setup_tracing(service)
    NamekoInstrumentor().instrument()
    SQLAlchemyInstrumentor().instrument(enable_commenter=False)
    from ekm_platform.tracing import instrument_http_clients

    instrument_http_clients()  # outbound SOAP/REST (registries) as client spans, traceparent injected
    # ekm_platform.patches.apply_all() (next, in run) adjusts what these instrumented.


def tune_garbage_collector() -> None:
    """Everything loaded at start-up (modules, WSDLs, the service's objects) is frozen out
    of the collector's sight, and young collections run every 20,000 allocations instead
    of 700: a request's objects rarely form cycles, and each full pass over the start-up
    heap cost a service several per cent of its CPU. ``EKM_GC_THRESHOLD=700`` restores
    the interpreter's default."""
    import gc

    gc.collect()
    gc.freeze()
    gc.set_threshold(int(os.environ.get("EKM_GC_THRESHOLD", "20000")), 20, 20)


def run(service: str) -> None:
    from nameko import config
    from nameko.runners import ServiceRunner

    from ekm_platform.patches import apply_all
    from ekm_platform.topology import queue_type
    from ekm_platform.tracing import shutdown_tracing

    instance = os.environ.get("EKM_INSTANCE_NAME", service)  # cases-2: one of several (supervisor)
    setup_logging(instance)
    instrument(service)
    apply_all()  # every dependency's patch, versions checked first (the tests apply the same)
    queue_type()  # an unknown EKM_QUEUE_TYPE refuses to start
    config.setup(settings.nameko_config(service))
    runner = ServiceRunner()
    from ekm_platform.instance_stats import with_instance_stats

    runner.add_service(with_instance_stats(settings.service_class(service)))  # "served: …" in its log

    def shutdown(signum, frame):
        eventlet.spawn_n(runner.stop)

    signal.signal(signal.SIGTERM, shutdown)
    signal.signal(signal.SIGINT, shutdown)
    runner.start()
    tune_garbage_collector()
    logging.getLogger("ekm").info(  # the supervisor waits for this line (supervisor.STARTED)
        "%s started; gRPC on %s:%s (pid %s)", instance, settings.grpc_host(), settings.grpc_port(service), os.getpid()
    )
    waiter = eventlet.spawn(runner.wait)
    try:
        while True:
            try:
                waiter.wait()
                break
            except InterruptedError:  # a signal woke the hub (EINTR): keep waiting
                continue
    finally:  # a container that died (e.g. its broker connection reset) ends the process: the supervisor restarts it
        shutdown_tracing()


def main(argv=None) -> None:
    from ekm_platform.supervisor import die_with_parent

    die_with_parent()
    parser = argparse.ArgumentParser(prog="ekm-service", description="Run one ЕКМ service")
    parser.add_argument("service", choices=settings.SERVICES)
    run(parser.parse_args(argv).service)


if __name__ == "__main__":
    main()
