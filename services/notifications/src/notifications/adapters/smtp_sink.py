"""A real SMTP server that keeps what it receives (aiosmtpd): the tests' and the bench's mail
server, and the development one ``ekm run`` starts (``EKM_SMTP_HOST``/``EKM_SMTP_PORT`` point
the notifications service at it). Loopback only.

    python -m notifications.adapters.smtp_sink --port 8025 --folder var/outgoing/mail
"""

from __future__ import annotations

import argparse
import email
import email.policy
import signal
import threading
import time
from pathlib import Path

from aiosmtpd.controller import Controller


class _Keeper:
    def __init__(self, folder: Path | None, keep: bool):
        self.folder, self.keep = folder, keep
        self.messages: list[email.message.EmailMessage] = []
        self.count = 0
        self.first_at: float | None = None
        self.last_at: float | None = None
        self.lock = threading.Lock()
        self.refuse: set[str] = set()  # recipients answered 550 (tests)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        now = time.monotonic()
        with self.lock:
            self.count += 1
            self.first_at = self.first_at or now
            self.last_at = now
            n = self.count
        if self.keep or self.folder:
            message = email.message_from_bytes(envelope.content, policy=email.policy.default)
            if self.keep:
                with self.lock:
                    self.messages.append(message)
            if self.folder:
                self.folder.mkdir(parents=True, exist_ok=True)
                (self.folder / f"{int(time.time() * 1000)}-{n}.eml").write_bytes(envelope.content)
        return "250 Message accepted"


class SmtpSink:
    """``with SmtpSink() as sink:`` — an SMTP server on 127.0.0.1:``sink.port``; ``sink.messages``."""

    def __init__(self, port: int = 0, folder: Path | None = None, keep: bool = True):
        self.keeper = _Keeper(folder, keep)
        self.requested_port = port
        self.controller: Controller | None = None

    def start(self) -> SmtpSink:
        port = self.requested_port or _free_port()
        self.controller = Controller(self.keeper, hostname="127.0.0.1", port=port)
        self.controller.start()
        self.port = port
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    @property
    def messages(self):
        with self.keeper.lock:
            return list(self.keeper.messages)

    @property
    def count(self) -> int:
        return self.keeper.count

    def refuse(self, address: str) -> None:
        self.keeper.refuse.add(address)


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description="development SMTP server: keeps each message as an .eml file")
    parser.add_argument("--port", type=int, default=8025)
    parser.add_argument("--folder", type=Path, required=True)
    args = parser.parse_args(argv)
    from ekm_platform.supervisor import die_with_parent

    die_with_parent()
    sink = SmtpSink(args.port, args.folder, keep=False).start()
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    signal.signal(signal.SIGINT, lambda *_: stopping.set())
    print(f"smtp sink on 127.0.0.1:{sink.port}, messages in {args.folder}", flush=True)
    stopping.wait()
    sink.stop()


if __name__ == "__main__":
    main()
