"""Resilience for calls to other agencies' registries: retries with jittered backoff,
a circuit breaker, a read-through cache with a TTL, and a bulkhead per registry.

Plain Python with an injectable clock and sleep, so each piece is tested on its own; the
adapters compose them around a registry port: bulkhead → breaker → cache → retry → call.
"""

from __future__ import annotations

import dataclasses
import random
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from registry_gateway.domain.lookup import RegistryUnavailable


@dataclass(frozen=True)
class Policy:
    timeout: float = 5.0  # seconds per call (the adapter's transport timeout)
    retries: int = 2  # extra attempts for idempotent queries
    backoff: float = 0.2  # first pause; doubles, with full jitter
    failure_threshold: int = 5  # consecutive failures that open the circuit
    reset_after: float = 30.0  # seconds before a trial call (half-open)
    ttl: float = 300.0  # seconds a successful answer is reused
    concurrency: int = 8  # calls in flight at once (bulkhead)

    @classmethod
    def from_environment(cls, registry: str, environ) -> Policy:
        """``EKM_REGISTRY_<NAME>_<FIELD>``, e.g. EKM_REGISTRY_BORDER_GUARD_TTL=60."""
        prefix = f"EKM_REGISTRY_{registry.upper()}_"
        values: dict[str, float | int] = {}
        for name, kind in (
            ("timeout", float),
            ("retries", int),
            ("backoff", float),
            ("failure_threshold", int),
            ("reset_after", float),
            ("ttl", float),
            ("concurrency", int),
        ):
            if prefix + name.upper() in environ:
                values[name] = kind(environ[prefix + name.upper()])
        return cls(**values)  # type: ignore[arg-type]  # each value has its field's type (the kind above)


def retrying(call: Callable, retries: int, backoff: float, sleep=time.sleep, rng=random.random):
    """Call, retrying RegistryUnavailable with exponential backoff and full jitter."""
    for attempt in range(retries + 1):
        try:
            return call()
        except RegistryUnavailable:
            if attempt == retries:
                raise
            sleep(backoff * (2**attempt) * rng())


class CircuitOpen(RegistryUnavailable):
    pass


class CircuitBreaker:
    def __init__(self, threshold: int, reset_after: float, clock=time.monotonic):
        self.threshold, self.reset_after, self.clock = threshold, reset_after, clock
        self.failures, self.opened_at = 0, None
        self._lock = threading.Lock()

    @property
    def state(self) -> str:
        if self.opened_at is None:
            return "closed"
        return "half_open" if self.clock() - self.opened_at >= self.reset_after else "open"

    def call(self, function: Callable):
        with self._lock:
            if self.state == "open":
                raise CircuitOpen("реєстр вимкнено запобіжником; повтор пізніше / circuit open; retry later")
        try:
            result = function()
        except RegistryUnavailable:
            with self._lock:
                self.failures += 1
                if self.failures >= self.threshold or self.opened_at is not None:
                    self.opened_at = self.clock()
            raise
        with self._lock:
            self.failures, self.opened_at = 0, None
        return result


class TtlCache:
    def __init__(self, ttl: float, max_items: int = 10_000, clock=time.monotonic):
        self.ttl, self.max_items, self.clock = ttl, max_items, clock
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get_or_call(self, key, function: Callable):
        with self._lock:
            hit = self._items.get(key)
            if hit and self.clock() - hit[0] < self.ttl:
                return hit[1], True
        value = function()
        with self._lock:
            self._items[key] = (self.clock(), value)
            self._items.move_to_end(key)
            while len(self._items) > self.max_items:
                self._items.popitem(last=False)
        return value, False


class Bulkhead:
    """At most ``limit`` calls in flight to one registry; the rest fail fast after
    ``wait`` seconds, so one slow registry never holds every worker."""

    def __init__(self, limit: int, wait: float = 1.0):
        self._slots, self.wait = threading.BoundedSemaphore(limit), wait

    def call(self, function: Callable):
        if not self._slots.acquire(timeout=self.wait):
            raise RegistryUnavailable("забагато одночасних запитів / too many calls in flight")
        try:
            return function()
        finally:
            self._slots.release()


class ResilientPort:
    """A registry port wrapped in the four protections, with the policy of that registry.

    Only ``RegistryUnavailable`` is retried and counted by the breaker: a search the
    registry cannot make (``NotApplicable``) is bad input and passes straight through. A
    reply served from the cache comes back marked ``from_cache`` (same exchange id)."""

    def __init__(self, port: Callable, policy: Policy, sleep=time.sleep, clock=time.monotonic):
        self.port, self.policy, self.sleep = port, policy, sleep
        self.breaker = CircuitBreaker(policy.failure_threshold, policy.reset_after, clock)
        self.cache = TtlCache(policy.ttl, clock=clock)
        self.bulkhead = Bulkhead(policy.concurrency)
        self.cache_hits = 0

    def __call__(self, query, date_from, date_to):
        key = (query.rnokpp, query.unzr, date_from, date_to)

        def fetch():
            return retrying(
                lambda: self.port(query, date_from, date_to), self.policy.retries, self.policy.backoff, self.sleep
            )

        value, hit = self.bulkhead.call(lambda: self.cache.get_or_call(key, lambda: self.breaker.call(fetch)))
        self.cache_hits += hit
        if hit and dataclasses.is_dataclass(value) and not isinstance(value, type) and hasattr(value, "from_cache"):
            return dataclasses.replace(value, from_cache=True)  # said so: its evidence is a cache hit, not a copy
        return value
