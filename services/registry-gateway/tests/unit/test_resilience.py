import threading

import pytest

from registry_gateway.domain.lookup import Query, RegistryReply, RegistryUnavailable
from registry_gateway.domain.resilience import (
    Bulkhead,
    CircuitBreaker,
    CircuitOpen,
    Policy,
    ResilientPort,
    TtlCache,
    retrying,
)

QUERY = Query("3221512349", "", "CASE-1", "p", "cm")


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def flaky(failures):
    calls = []

    def call(*args):
        calls.append(args)
        if len(calls) <= failures:
            raise RegistryUnavailable("timeout")
        return RegistryReply(True, [], f"x-{len(calls)}", "h")

    call.calls = calls
    return call


def test_retries_back_off_with_jitter_then_give_up():
    pauses = []
    call = flaky(2)
    assert retrying(call, 2, 0.2, pauses.append, rng=lambda: 0.5).xroad_id == "x-3"
    assert pauses == [0.1, 0.2]
    with pytest.raises(RegistryUnavailable):
        retrying(flaky(5), 2, 0.2, lambda s: None)


def test_the_breaker_opens_after_failures_and_tries_again_half_open():
    clock = Clock()
    breaker = CircuitBreaker(threshold=2, reset_after=30, clock=clock)
    for _ in range(2):
        with pytest.raises(RegistryUnavailable):
            breaker.call(flaky(99))
    assert breaker.state == "open"
    never = flaky(0)
    with pytest.raises(CircuitOpen):
        breaker.call(never)
    assert never.calls == []  # an open circuit does not even call
    clock.now = 31
    assert breaker.state == "half_open"
    breaker.call(flaky(0))
    assert breaker.state == "closed"


def test_cache_serves_within_ttl_only():
    clock = Clock()
    cache, calls = TtlCache(ttl=10, clock=clock), []
    assert cache.get_or_call("k", lambda: calls.append(1) or "v") == ("v", False)
    assert cache.get_or_call("k", lambda: calls.append(1) or "w") == ("v", True)
    clock.now = 11
    assert cache.get_or_call("k", lambda: calls.append(1) or "w") == ("w", False) and len(calls) == 2


def test_bulkhead_fails_fast_when_full():
    bulkhead, release, inside = Bulkhead(limit=1, wait=0.05), threading.Event(), threading.Event()
    worker = threading.Thread(target=lambda: bulkhead.call(lambda: (inside.set(), release.wait(5))))
    worker.start()
    inside.wait(5)
    with pytest.raises(RegistryUnavailable, match="too many"):
        bulkhead.call(lambda: None)
    release.set()
    worker.join(5)


def test_resilient_port_composes_retry_cache_and_breaker():
    port = ResilientPort(flaky(1), Policy(retries=1, backoff=0, failure_threshold=1), sleep=lambda s: None)
    first = port(QUERY, "2020-01-01", "2026-01-01")
    again = port(QUERY, "2020-01-01", "2026-01-01")
    assert not first.from_cache and again.from_cache and port.cache_hits == 1
    assert (again.xroad_id, again.exchange_query_id) == (first.xroad_id, first.exchange_query_id)  # the same exchange


def test_a_search_the_registry_cannot_make_is_never_retried_nor_trips_the_breaker():
    from registry_gateway.domain.lookup import NotApplicable

    calls = []

    def needs_rnokpp(*args):
        calls.append(args)
        raise NotApplicable("needs an RNOKPP")

    port = ResilientPort(needs_rnokpp, Policy(retries=2, backoff=0, failure_threshold=2), sleep=lambda s: None)
    for _ in range(5):
        with pytest.raises(NotApplicable):
            port(QUERY, "2020-01-01", "2026-01-01")
    assert len(calls) == 5 and port.breaker.state == "closed"
