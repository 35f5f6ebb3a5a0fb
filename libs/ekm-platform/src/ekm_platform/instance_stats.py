"""What one service process has served, in its own log: with several instances of a service
(``EKM_INSTANCES``) this is how an operator sees that they share the load.

Every worker nameko runs in the process is counted by the kind of its entrypoint (gRPC
call, AMQP RPC, event, timer); a line is logged when the counts have changed, at most every
``EKM_STATS_INTERVAL`` seconds (default 30; ``0`` only at stop), and once more at stop::

    … INFO cases-2 ekm.instance: served: grpc=1204 rpc=3 events=57 timers=2 (pid 4242)
"""

from __future__ import annotations

import logging
import os
import re
import threading
from collections import Counter

from nameko.extensions import DependencyProvider

log = logging.getLogger("ekm.instance")
LINE = re.compile(r"served: ((?:\w+=\d+ ?)*)\(pid (\d+)\)")
KINDS = (("grpc", "grpc"), ("rpc", "rpc"), ("event", "events"), ("timer", "timers"))


def kind_of(entrypoint) -> str:
    name = type(entrypoint).__name__.lower()
    return next((kind for needle, kind in KINDS if needle in name), "other")


def summary(counts: Counter) -> str:
    return "served: " + " ".join(f"{k}={counts[k]}" for k in sorted(counts)) + f" (pid {os.getpid()})"


def parse(text: str) -> list[dict]:
    """The ``served:`` lines of a log, oldest first: ``[{"pid": 4242, "grpc": 1204, …}, …]``."""
    found = []
    for match in LINE.finditer(text):
        counts = {k: int(v) for k, v in (pair.split("=") for pair in match.group(1).split())}
        found.append({"pid": int(match.group(2)), **counts})
    return found


class InstanceStats(DependencyProvider):
    def setup(self):
        self.counts: Counter = Counter()
        self.interval = float(os.environ.get("EKM_STATS_INTERVAL", "30"))
        self.stopping = threading.Event()
        self.logged: Counter = Counter()

    def start(self):
        if self.interval > 0:
            self.container.spawn_managed_thread(self._run, identifier="instance-stats")

    def worker_result(self, worker_ctx, result=None, exc_info=None):
        self.counts[kind_of(worker_ctx.entrypoint)] += 1

    def _log(self) -> None:
        if self.counts != self.logged:
            self.logged = Counter(self.counts)
            log.info(summary(self.logged))

    def _run(self):
        while not self.stopping.wait(self.interval):
            self._log()

    def stop(self):
        self.stopping.set()
        self.logged = Counter()  # at stop the line is written even when nothing changed
        self._log()

    def kill(self):
        self.stopping.set()


def with_instance_stats(service_cls):
    """The service class with the counter added (a subclass: the service's own class is left
    as it is; nameko finds the dependency among the class's attributes)."""
    return type(
        service_cls.__name__,
        (service_cls,),
        {"_ekm_instance_stats": InstanceStats(), "__module__": service_cls.__module__},
    )
