"""What the platform's event handler does with a failure (the broker round trip is in
tests/integration/test_event_retries.py)."""

import sys
from types import SimpleNamespace

import pytest

from ekm_platform import events
from ekm_platform.events import ATTEMPTS_HEADER, RetryingEventHandler, delay_queue, retry_delay


class FakeConsumer:
    def __init__(self):
        self.acked, self.requeued = [], []

    def ack_message(self, message):
        self.acked.append(message)

    def requeue_message(self, message):
        self.requeued.append(message)


class FakePublisher:
    def __init__(self, fail=False):
        self.published, self.fail = [], fail

    def publish(self, body, **kwargs):
        if self.fail:
            raise ConnectionError("broker away")
        self.published.append((body, kwargs))


def message(attempts=None, body=b'{"event_id": "e1", "event_type": "x", "source": "s", "data": {}}'):
    headers = {"traceparent": "00-abc-def-01", "x-death": [{"count": 1}]}
    if attempts is not None:
        headers[ATTEMPTS_HEADER] = attempts
    return SimpleNamespace(headers=headers, body=body, content_type="application/json", content_encoding="utf-8")


@pytest.fixture
def handler(monkeypatch):
    monkeypatch.setenv("EKM_EVENT_MAX_ATTEMPTS", "3")
    monkeypatch.setenv("EKM_EVENT_RETRY_DELAY", "0.5")
    monkeypatch.setenv("EKM_EVENT_RETRY_MAX_DELAY", "30")
    h = RetryingEventHandler("intake", "appeal.accepted")
    h.consumer, h.publisher = FakeConsumer(), FakePublisher()
    h.consumer_name, h.max_attempts = "svc.on_x", events.max_attempts()
    h.queue = SimpleNamespace(name="evt-intake-appeal.accepted--svc.on_x")
    h.stored = []
    h._dead_letter = lambda event_id, reason, payload: h.stored.append((event_id, reason, payload))
    return h


def failure(exc=RuntimeError("boom")):
    try:
        raise exc
    except Exception:
        return sys.exc_info()


def test_backoff_doubles_up_to_the_longest_delay(monkeypatch):
    monkeypatch.setenv("EKM_EVENT_RETRY_DELAY", "1")
    monkeypatch.setenv("EKM_EVENT_RETRY_MAX_DELAY", "10")
    assert [retry_delay(n) for n in (1, 2, 3, 4, 5, 500)] == [1, 2, 4, 8, 10, 10]
    queue = delay_queue(500)
    assert queue.name == "ekm.retry.500" and queue.queue_arguments["x-message-ttl"] == 500
    assert queue.queue_arguments["x-dead-letter-exchange"] == ""


def test_a_success_is_acknowledged(handler):
    m = message()
    handler.handle_message_processed(m)
    assert handler.consumer.acked == [m] and not handler.publisher.published


def test_a_failure_waits_in_a_delay_queue_with_its_attempt_count(handler):
    m = message(attempts=1)
    handler.handle_message_processed(m, exc_info=failure())
    body, kwargs = handler.publisher.published[0]
    assert body == m.body and kwargs["exchange"].name == "ekm.retry.1000"  # second failure: 0.5 s × 2
    assert kwargs["routing_key"] == "evt-intake-appeal.accepted--svc.on_x"  # back to its own queue
    assert kwargs["headers"][ATTEMPTS_HEADER] == 2 and "RuntimeError: boom" in kwargs["headers"]["x-ekm-last-error"]
    assert kwargs["headers"]["traceparent"] == "00-abc-def-01" and "x-death" not in kwargs["headers"]
    assert handler.consumer.acked == [m] and not handler.stored


def test_the_last_failure_is_a_dead_letter_with_its_reason(handler):
    m = message(attempts=2)
    handler.handle_message_processed(m, exc_info=failure(KeyError("nope")))
    assert not handler.publisher.published
    ((event_id, reason, payload),) = handler.stored
    assert event_id == "e1" and "3 attempts failed" in reason and "KeyError" in reason and payload["event_id"] == "e1"
    assert handler.consumer.acked == [m]


def test_a_dead_letter_that_cannot_be_stored_waits_the_longest_delay(handler):
    def database_away(*args):
        raise OSError("database away")

    handler._dead_letter = database_away
    m = message(attempts=5)
    handler.handle_message_processed(m, exc_info=failure())
    assert handler.publisher.published[0][1]["exchange"].name == "ekm.retry.30000"
    assert handler.consumer.acked == [m]


def test_a_retry_the_broker_refuses_leaves_the_message_to_the_broker(handler):
    handler.publisher.fail = True
    m = message()
    handler.handle_message_processed(m, exc_info=failure())
    assert handler.consumer.requeued == [m] and not handler.consumer.acked


def test_an_undecodable_message_is_a_dead_letter_with_its_raw_body(handler):
    m = message(body=b"{not json")
    handler.handle_undecodable(m, ValueError("Expecting property name"))
    ((event_id, reason, payload),) = handler.stored
    assert event_id is None and "undecodable" in reason and "'application/json'" in reason
    assert payload == {"undecodable": True, "content_type": "application/json", "body": "{not json"}
    assert handler.consumer.acked == [m]


def test_the_platform_handler_keeps_nameko_queue_names_for_topology():
    from nameko.events import EventHandler

    assert issubclass(RetryingEventHandler, EventHandler)  # declared by `ekm migrate` like any handler
