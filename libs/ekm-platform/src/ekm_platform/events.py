"""Event handlers that neither lose an event nor loop on it.

``event_handler(source_service, event_type)`` is nameko's event handler (same queue, same
pooling) with what nameko's ``requeue_on_error=True`` lacks:

- A handler that fails (any error) is tried again after a back-off — 1 s, 2 s, 4 s, …
  (``EKM_EVENT_RETRY_DELAY``, doubling, at most ``EKM_EVENT_RETRY_MAX_DELAY``) — instead of
  at once and forever. The message waits in the broker, not in the process: it is
  published to a delay queue ``ekm.retry.<ms>`` whose TTL dead-letters it back into the
  handler's own queue, with its attempt count in the ``x-ekm-attempts`` header (so the count
  survives a restart of the service). Then the original is acknowledged.
- After ``EKM_EVENT_MAX_ATTEMPTS`` attempts (default 8: about two minutes of back-off) the event goes to the service's
  ``dead_letters`` table with the last error as its reason (``ekm dead-letters SERVICE``
  lists and replays them). Should even that write fail (the database is away), the
  event goes back to the longest delay and is tried again: nothing is dropped.
- A message that cannot be decoded (not JSON, a content type other than JSON) is a dead
  letter at once with its raw body; nameko (kombu) would log it and drop it.

With ``EKM_QUEUE_TYPE=quorum`` the handler's queue and the delay queues are quorum queues
(``ekm_platform.topology``).

Events that can never be handled (``EnvelopeError``, ``PermanentEventError``) are dead
letters at once already (``ekm_platform.dependencies.handle_event``).
"""

from __future__ import annotations

import json
import logging
import os

import kombu
from nameko.amqp.consume import Consumer as ConsumerCore
from nameko.amqp.publish import Publisher
from nameko.events import EventHandler

from ekm_platform.topology import delay_queue_arguments, typed

log = logging.getLogger(__name__)

ATTEMPTS_HEADER = "x-ekm-attempts"
ERROR_HEADER = "x-ekm-last-error"


def max_attempts() -> int:
    return max(1, int(os.environ.get("EKM_EVENT_MAX_ATTEMPTS", "8")))


def longest_delay() -> float:
    return float(os.environ.get("EKM_EVENT_RETRY_MAX_DELAY", "60"))


def retry_delay(attempt: int) -> float:
    """Seconds to wait after failed attempt ``attempt`` (1, 2, …)."""
    first = float(os.environ.get("EKM_EVENT_RETRY_DELAY", "1"))
    return min(first * 2 ** min(attempt - 1, 30), longest_delay())


def delay_queue(milliseconds: int) -> kombu.Queue:
    """A queue where messages wait ``milliseconds``, then go back through the default
    exchange to the queue named by their routing key."""
    name = f"ekm.retry.{milliseconds}"
    return kombu.Queue(
        name,
        exchange=kombu.Exchange(name, type="fanout", durable=True),
        durable=True,
        queue_arguments={"x-message-ttl": milliseconds, "x-dead-letter-exchange": "", **delay_queue_arguments()},
    )


class _Consumer(ConsumerCore):
    """nameko's consumer; an undecodable message goes to ``on_undecodable``."""

    def __init__(self, *args, on_undecodable=None, **kwargs):
        self.on_undecodable = on_undecodable
        super().__init__(*args, **kwargs)

    def on_decode_error(self, message, exc):
        self.on_undecodable(message, exc)


class RetryingEventHandler(EventHandler):
    consumer_cls = _Consumer

    def __init__(self, source_service, event_type, **kwargs):
        kwargs.pop("requeue_on_error", None)  # retries are this class's business
        super().__init__(source_service, event_type, **kwargs)

    def setup(self):
        self.consumer_options["on_undecodable"] = self.handle_undecodable
        super().setup()
        typed(self.queue)  # EKM_QUEUE_TYPE=quorum: a quorum queue (same name, durable, not auto-deleted)
        self.consumer_name = f"{self.container.service_name}.{self.method_name}"
        self.max_attempts = max_attempts()
        self.publisher = Publisher(self.amqp_uri, use_confirms=True, delivery_mode=2)

    # -- outcomes --------------------------------------------------------------------
    def handle_message_processed(self, message, result=None, exc_info=None):
        if exc_info is None:
            self.consumer.ack_message(message)
            return
        attempts = _attempts(message) + 1
        reason = f"{exc_info[0].__name__}: {exc_info[1]}"[:2000]
        if attempts < self.max_attempts:
            if self._retry_later(message, attempts, reason, retry_delay(attempts)):  # said once it is scheduled
                log.warning(
                    "%s failed (attempt %d of %d), retrying in %.1f s: %s",
                    self.consumer_name,
                    attempts,
                    self.max_attempts,
                    retry_delay(attempts),
                    reason,
                )
            return
        try:
            self._dead_letter(
                _event_id(message),
                f"{attempts} спроб не вдалося / {attempts} attempts failed; last: {reason}",
                _payload(message),
            )
        except Exception:
            log.exception("%s: could not store the dead letter; the event waits and is tried again", self.consumer_name)
            self._retry_later(message, attempts, reason, longest_delay())
            return
        self.consumer.ack_message(message)

    def handle_undecodable(self, message, exc):
        """Runs in the consumer's thread: store it, then acknowledge."""
        reason = (
            f"неможливо декодувати повідомлення / undecodable message "
            f"(content type {message.content_type!r}): {type(exc).__name__}: {exc}"
        )[:2000]
        try:
            self._dead_letter(None, reason, _payload(message, raw=True))
        except Exception:
            log.exception("%s: could not store an undecodable message; it waits and is tried again", self.consumer_name)
            self._retry_later(message, _attempts(message) + 1, reason, longest_delay())
            return
        self.consumer.ack_message(message)

    # -- mechanics -------------------------------------------------------------------
    def _retry_later(self, message, attempts: int, reason: str, seconds: float) -> bool:
        """Put the message in the delay queue, then acknowledge it; False when the broker
        refused the publish (the message is requeued instead)."""
        queue = delay_queue(max(1, int(seconds * 1000)))
        headers = {
            k: v
            for k, v in (message.headers or {}).items()
            if not k.startswith(("x-death", "x-first-death", "x-last-death"))
        }
        headers.update({ATTEMPTS_HEADER: attempts, ERROR_HEADER: reason[:500]})
        try:
            self.publisher.publish(
                message.body,
                exchange=queue.exchange,
                routing_key=self.queue.name,
                headers=headers,
                content_type=message.content_type,
                content_encoding=message.content_encoding,
                declare=[queue],
            )
        except Exception:  # the broker is away too: it keeps the message (unacked) for us
            log.exception("%s: could not schedule the retry", self.consumer_name)
            self.consumer.requeue_message(message)
            return False
        self.consumer.ack_message(message)
        return True

    def _dead_letter(self, event_id, reason, payload) -> None:
        from ekm_platform.dependencies import Database
        from ekm_platform.unit_of_work import UnitOfWork

        database = next(d for d in self.container.dependencies if isinstance(d, Database))
        with UnitOfWork(
            database.sessions, database.tables, self.container.service_name, database.repository_factory
        ) as uow:
            uow.dead_letter(self.consumer_name, event_id, reason, payload)
            uow.commit()
        log.warning("dead letter for %s: %s", self.consumer_name, reason)


def _attempts(message) -> int:
    try:
        return int((message.headers or {}).get(ATTEMPTS_HEADER, 0))
    except (TypeError, ValueError):
        return 0


def _payload(message, raw: bool = False):
    body = message.body
    text = body.decode("utf-8", errors="replace") if isinstance(body, (bytes, bytearray)) else str(body)
    if not raw:
        try:
            return json.loads(text)
        except ValueError:
            pass
    return {"undecodable": True, "content_type": message.content_type or "", "body": text[:100_000]}


def _event_id(message):
    payload = _payload(message)
    event_id = payload.get("event_id") if isinstance(payload, dict) else None
    return str(event_id)[:64] if event_id else None


def register_tracing_adapter(handler_class: type) -> None:
    """nameko-opentelemetry picks an adapter by the entrypoint's exact type: give this
    class the event handler's (trace context from the message headers)."""
    try:
        from nameko_opentelemetry.entrypoints import adapter_types
        from nameko_opentelemetry.events import EventHandlerEntrypointAdapter
    except ImportError:  # pragma: no cover
        return
    adapter_types[handler_class] = EventHandlerEntrypointAdapter


register_tracing_adapter(RetryingEventHandler)

event_handler = RetryingEventHandler.decorator
