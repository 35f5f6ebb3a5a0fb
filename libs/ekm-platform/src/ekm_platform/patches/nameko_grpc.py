"""nameko-grpc: malformed requests are INVALID_ARGUMENT, the connection loop is woken when
a response is ready, and deadlines are watched without a wake-up every millisecond."""

from __future__ import annotations

import time

from grpc import StatusCode

from ekm_platform.patches._core import check_versions, replace

REQUIRES = {"nameko-grpc": "1.3.0", "eventlet": "0.41.3"}
MALFORMED = "nameko_grpc.malformed_requests_are_invalid_argument"
WAKEABLE = "nameko_grpc.wake_connection_loop"
DEADLINES = "nameko_grpc.watch_deadlines_cheaply"

IDLE_TIMEOUT = 0.05  # the woken loop's own poll (nameko-grpc's is 10 ms)
MALFORMED_MESSAGE = "Неможливо розібрати повідомлення protobuf / malformed protobuf message"


def check() -> None:
    check_versions(WAKEABLE, REQUIRES)


def _malformed_request(exc_info, code=None, message=None):
    from nameko_grpc.errors import GrpcError

    return GrpcError(code=StatusCode.INVALID_ARGUMENT, message=MALFORMED_MESSAGE)


def malformed_requests_are_invalid_argument() -> None:
    """A request that is not valid protobuf is the caller's error: INVALID_ARGUMENT
    (nameko-grpc answers INTERNAL). Uses nameko-grpc's own handler registry (a dict by
    exception type), so twice is once."""
    from google.protobuf.message import DecodeError
    from nameko_grpc.errors import register_exception_handler

    register_exception_handler(DecodeError, _malformed_request)


def watch_deadlines_cheaply() -> None:
    """nameko-grpc watches each call's deadline by waking every millisecond until the
    call ends; with 16 callers that is 16,000 wake-ups a second. Here the watcher
    backs off (1 ms, 2 ms, … at most 50 ms), so a deadline is enforced within 50 ms."""
    from nameko_grpc.entrypoint import GrpcServer
    from nameko_grpc.errors import GrpcError

    def timeout(self, request_stream, response_stream, deadline):
        start, pause = time.time(), 0.001
        while not (request_stream.closed and response_stream.closed):
            remaining = deadline - (time.time() - start)
            if remaining <= 0:
                request_stream.close()
                response_stream.close(GrpcError(code=StatusCode.DEADLINE_EXCEEDED, message="Deadline Exceeded"))
                return
            time.sleep(min(pause, remaining))
            pause = min(pause * 2, 0.05)

    replace(GrpcServer, "timeout", timeout, DEADLINES)


class _SkipEmptySends:
    """nameko-grpc's loop sends whatever h2 has queued on every turn, most often nothing:
    an empty ``sendall`` still costs a system call and a trip through eventlet."""

    def __init__(self, sock):
        self._sock = sock

    def sendall(self, data, *args):
        if data:
            return self._sock.sendall(data, *args)
        return None

    def __getattr__(self, name):
        return getattr(self._sock, name)


def wake_connection_loop() -> None:
    """Wake nameko-grpc's connection loop when a response is ready.

    nameko-grpc polls its socket every 10 ms and only sends queued responses between
    polls (STACK.md pitfall 3), adding ~10 ms to every call. Here each server
    connection gets a pipe; a response stream writes a byte to it when data or its end
    is queued, and the loop waits on the socket and the pipe together.
    """
    from eventlet.patcher import original
    from nameko_grpc import connection, streams

    if getattr(connection.select, "__ekm_patch__", None) == WAKEABLE:
        return
    raw_os = original("os")  # never trampoline on the wake pipe: it is non-blocking
    green_select = connection.select
    wake_fds: dict[int, int] = {}

    class WakeableSelect:
        @staticmethod
        def select(rlist, wlist, xlist, timeout=None):
            sock = rlist[0]
            wake_r = wake_fds.get(id(sock))
            if wake_r is None:
                return green_select.select(rlist, wlist, xlist, timeout)
            ready, _, _ = green_select.select([sock, wake_r], [], [], IDLE_TIMEOUT)
            if wake_r in ready:
                try:
                    raw_os.read(wake_r, 65536)
                except BlockingIOError:
                    pass
            return ([sock] if sock in ready else []), [], []

    original_run = connection.ServerConnectionManager.run_forever
    original_received = connection.ServerConnectionManager.request_received

    def run_forever(self):
        self.sock = _SkipEmptySends(self.sock)
        wake_r, wake_w = raw_os.pipe()
        raw_os.set_blocking(wake_r, False)
        raw_os.set_blocking(wake_w, False)
        self._ekm_wake_w = wake_w
        wake_fds[id(self.sock)] = wake_r
        try:
            return original_run(self)
        finally:
            wake_fds.pop(id(self.sock), None)
            self._ekm_wake_w = None
            raw_os.close(wake_r)
            raw_os.close(wake_w)

    def request_received(self, event):
        original_received(self, event)
        stream = self.send_streams.get(event.stream_id)
        if stream is not None:
            stream._ekm_connection = self

    def kick(stream):
        conn = getattr(stream, "_ekm_connection", None)
        fd = getattr(conn, "_ekm_wake_w", None) if conn else None
        if fd is not None:
            try:
                raw_os.write(fd, b"!")
            except OSError:  # full: a wake-up is already pending
                pass

    original_populate = streams.SendStream.populate
    original_close = streams.StreamBase.close

    def populate(self, iterable):
        def kicking():
            for item in iterable:
                yield item
                kick(self)

        original_populate(self, kicking())
        kick(self)

    def close(self, error=None):
        original_close(self, error)
        kick(self)

    replace(connection.ServerConnectionManager, "run_forever", run_forever, WAKEABLE)
    replace(connection.ServerConnectionManager, "request_received", request_received, WAKEABLE)
    replace(streams.SendStream, "populate", populate, WAKEABLE)
    replace(streams.StreamBase, "close", close, WAKEABLE)
    replace(connection, "select", WakeableSelect, WAKEABLE)  # last: it is the "done" mark


def apply() -> None:
    check()
    malformed_requests_are_invalid_argument()
    wake_connection_loop()
    watch_deadlines_cheaply()
