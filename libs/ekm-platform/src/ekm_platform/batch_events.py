"""Event handlers that take many events at once: one worker, one transaction, one commit for a
batch, instead of a worker, a transaction and a commit (and their spans) for each event.

``batch_event_handler(source_service, event_type, batch_size=200, linger=0.02)`` is
``ekm_platform.events.event_handler`` (the same queue, retries with back-off, dead letters)
whose method receives a *list* of message bodies: whatever arrived within ``linger`` seconds,
at most ``batch_size``. Pair it with ``handle_events``, the batch form of
``dependencies.handle_event``: the inbox is checked for the whole batch in one query, the
handler runs for each new event in one unit of work, the inbox rows are written with the
effects, and one commit makes it all durable before any message is acknowledged.

A batch that fails for any reason (one bad event, a lost race, the database) is handled
again one event at a time, each with the ordinary retry and dead-letter rules: one bad event
fails alone and nothing is lost or handled twice (the inbox).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial

import eventlet
from nameko.exceptions import ContainerBeingKilled
from nameko.messaging import decode_from_headers

from ekm_platform.dependencies import _dead_letter, handle_event
from ekm_platform.envelope import Envelope, EnvelopeError
from ekm_platform.events import RetryingEventHandler, register_tracing_adapter
from ekm_platform.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)


class BatchingEventHandler(RetryingEventHandler):
    def __init__(self, source_service, event_type, batch_size: int = 200, linger: float = 0.02, **kwargs):
        super().__init__(source_service, event_type, **kwargs)
        self.batch_size, self.linger = max(1, int(batch_size)), float(linger)

    def setup(self):
        self.consumer_options.setdefault("prefetch_count", self.batch_size * 2)
        super().setup()
        self.pending: list = []
        self.timer = None

    def handle_message(self, body, message):
        """Runs in the consumer's green thread: collect, and flush when full or after ``linger``."""
        self.pending.append((body, message))
        if len(self.pending) >= self.batch_size:
            self._flush()
        elif self.timer is None:
            self.timer = eventlet.spawn_after(self.linger, self._flush)

    def stop(self):
        self._flush()
        super().stop()

    def _flush(self):
        if self.timer is not None:
            timer, self.timer = self.timer, None
            if timer is not eventlet.getcurrent():
                timer.cancel()
        batch, self.pending = self.pending, []
        if batch:
            self._spawn(batch)

    def _spawn(self, batch: list) -> None:
        bodies, messages = [b for b, _ in batch], [m for _, m in batch]
        handle_result = partial(self._batch_done, batch)

        def spawn_worker():
            try:
                self.container.spawn_worker(
                    self,
                    (bodies,),
                    {},
                    context_data=decode_from_headers(messages[0].headers),
                    handle_result=handle_result,
                )
            except ContainerBeingKilled:
                for message in messages:
                    self.consumer.requeue_message(message)

        self.container.spawn_managed_thread(spawn_worker, identifier=f"batch[{self.method_name}]")

    def _batch_done(self, batch, worker_ctx, result=None, exc_info=None):
        if exc_info is None:
            for _, message in batch:
                self.consumer.ack_message(message)
        elif len(batch) == 1:
            self.handle_message_processed(batch[0][1], result, exc_info)  # retries, then a dead letter
        else:
            log.warning(
                "%s: a batch of %d failed (%s: %s); handling its events one by one",
                self.consumer_name,
                len(batch),
                exc_info[0].__name__,
                exc_info[1],
            )
            for item in batch:
                self._spawn([item])
        return result, exc_info


def handle_events(
    uow_factory: Callable[[], UnitOfWork],
    consumer: str,
    bodies: list,
    handler: Callable[[Envelope, UnitOfWork], object],
    batch_handler: Callable[[list[Envelope], UnitOfWork], object] | None = None,
) -> int:
    """``handle_event`` for a batch: returns how many events were new. A batch of one is
    ``handle_event`` itself (bad events become dead letters); in a larger batch any error is
    raised, so that the batch is handled again one by one. ``batch_handler``, when given, gets
    all the new events of a larger batch at once (``handler`` still handles a batch of one)."""
    if len(bodies) == 1:
        return int(handle_event(uow_factory, consumer, bodies[0], handler))
    envelopes = []
    for body in bodies:
        try:
            envelopes.append(Envelope.from_message(body))
        except EnvelopeError as exc:
            _dead_letter(uow_factory, consumer, None, str(exc), body)
    with uow_factory() as uow:
        seen = uow.handled_among({e.event_id for e in envelopes}, consumer)
        new = []
        for envelope in envelopes:
            if envelope.event_id in seen:
                continue
            seen.add(envelope.event_id)
            if batch_handler is None:
                handler(envelope, uow)
            new.append(envelope)
        if batch_handler is not None and new:
            batch_handler(new, uow)
        uow.mark_handled_many([e.event_id for e in new], consumer)
        uow.commit()
    return len(new)


register_tracing_adapter(BatchingEventHandler)

batch_event_handler = BatchingEventHandler.decorator
