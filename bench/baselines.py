"""Raw baselines measured in the same run as the platform's benchmarks.

- raw grpcio: a unary echo on a plain grpcio server, 1 and N concurrent callers;
- raw pika: persistent 1 KB messages published with asynchronous publisher confirms
  (at most 256 in flight) and consumed with manual acks, on the local RabbitMQ.
"""

from __future__ import annotations

import os
import statistics
import threading
import time
import uuid
from concurrent import futures

import grpc
import pika

AMQP_URI = os.environ.get("EKM_AMQP_URI", "amqp://guest:guest@127.0.0.1:5672/")
TIMEOUT = 120.0


def percentiles(samples_seconds) -> tuple[float, float]:
    ordered = sorted(samples_seconds)
    if not ordered:
        return 0.0, 0.0
    p50 = statistics.median(ordered)
    p99 = ordered[min(len(ordered) - 1, int(round(0.99 * (len(ordered) - 1))))]
    return p50 * 1000, p99 * 1000


def format_row(label: str, value: float, baseline: float, unit: str) -> None:
    ratio = value / baseline if baseline else float("nan")
    print(f"  {label:<48} {value:10.2f} {unit:<3}  raw: {baseline:10.2f} {unit:<3}  ratio: {ratio:6.2f}")


def grpc_echo(n_calls: int = 2000, concurrency: int = 1) -> dict:
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=max(4, concurrency)))
    handler = grpc.method_handlers_generic_handler(
        "bench.Echo", {"Echo": grpc.unary_unary_rpc_method_handler(lambda request, context: request)}
    )
    server.add_generic_rpc_handlers((handler,))
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    payload = b"x" * 200
    latencies: list[float] = []
    lock = threading.Lock()
    try:
        with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
            call = channel.unary_unary("/bench.Echo/Echo")
            for _ in range(200):
                call(payload, timeout=10)

            def worker(count):
                mine = []
                for _ in range(count):
                    start = time.perf_counter()
                    call(payload, timeout=10)
                    mine.append(time.perf_counter() - start)
                with lock:
                    latencies.extend(mine)

            counts = [n_calls // concurrency + (1 if i < n_calls % concurrency else 0) for i in range(concurrency)]
            threads = [threading.Thread(target=worker, args=(c,)) for c in counts]
            start = time.perf_counter()
            for t in threads:
                t.start()
            for t in threads:
                t.join(TIMEOUT)
            elapsed = time.perf_counter() - start
    finally:
        server.stop(0)
    p50, p99 = percentiles(latencies)
    return {
        "name": "raw grpcio unary echo",
        "calls": len(latencies),
        "concurrency": concurrency,
        "per_second": len(latencies) / elapsed,
        "p50_ms": p50,
        "p99_ms": p99,
    }


def pika_publish_consume(n_messages: int = 20000, size: int = 1024, max_in_flight: int = 256) -> dict:
    """Publish with async confirms on one connection while another consumes."""
    queue = f"bench-raw-{uuid.uuid4().hex[:8]}"
    body = b"x" * size
    setup = pika.BlockingConnection(pika.URLParameters(AMQP_URI))
    setup.channel().queue_declare(queue, durable=True)
    consumed = threading.Event()
    errors: list[BaseException] = []

    def consume():
        try:
            connection = pika.BlockingConnection(pika.URLParameters(AMQP_URI))
            channel = connection.channel()
            channel.basic_qos(prefetch_count=500)
            seen = 0
            for method, _, _ in channel.consume(queue, inactivity_timeout=TIMEOUT):
                if method is None:
                    raise TimeoutError("consumer idle")
                seen += 1
                if seen % 100 == 0 or seen == n_messages:
                    channel.basic_ack(method.delivery_tag, multiple=True)
                if seen == n_messages:
                    break
            channel.cancel()
            connection.close()
            consumed.set()
        except BaseException as exc:  # noqa: BLE001 - reported by the caller
            errors.append(exc)
            consumed.set()

    consumer = threading.Thread(target=consume)
    consumer.start()
    start = time.perf_counter()
    _publish_with_async_confirms(queue, body, n_messages, max_in_flight)
    if not consumed.wait(TIMEOUT):
        raise TimeoutError("messages were not all consumed")
    elapsed = time.perf_counter() - start
    consumer.join(10)
    setup.channel().queue_delete(queue)
    setup.close()
    if errors:
        raise errors[0]
    return {
        "name": "raw pika publish+consume (async confirms)",
        "messages": n_messages,
        "per_second": n_messages / elapsed,
    }


def _publish_with_async_confirms(queue: str, body: bytes, n: int, max_in_flight: int) -> None:
    state = {"published": 0, "confirmed": 0, "next_tag": 1, "outstanding": set()}
    properties = pika.BasicProperties(delivery_mode=2)

    def on_open(connection):
        connection.channel(on_open_callback=on_channel)

    def on_channel(channel):
        channel.confirm_delivery(lambda frame: on_confirm(channel, frame))
        publish_more(channel)

    def publish_more(channel):
        while state["published"] < n and len(state["outstanding"]) < max_in_flight:
            channel.basic_publish("", queue, body, properties)
            state["outstanding"].add(state["next_tag"])
            state["next_tag"] += 1
            state["published"] += 1

    def on_confirm(channel, frame):
        if isinstance(frame.method, pika.spec.Basic.Nack):
            raise RuntimeError("broker nacked a message")
        tag, multiple = frame.method.delivery_tag, frame.method.multiple
        done = {t for t in state["outstanding"] if t <= tag} if multiple else {tag}
        state["outstanding"] -= done
        state["confirmed"] += len(done)
        if state["confirmed"] >= n:
            channel.connection.close()
        else:
            publish_more(channel)

    connection = pika.SelectConnection(
        pika.URLParameters(AMQP_URI), on_open_callback=on_open, on_close_callback=lambda *args: connection.ioloop.stop()
    )
    deadline = connection.ioloop.call_later(TIMEOUT, connection.ioloop.stop)
    connection.ioloop.start()
    connection.ioloop.remove_timeout(deadline)
    if state["confirmed"] < n:
        raise TimeoutError(f"only {state['confirmed']} of {n} publishes confirmed")


if __name__ == "__main__":
    for result in (grpc_echo(2000, 1), grpc_echo(4000, 16), pika_publish_consume()):
        print(result)
