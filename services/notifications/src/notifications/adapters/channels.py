"""Channel adapters behind the ``Sender`` interface (``send(Outgoing) -> provider id``).

- SMS: ``FileSink("sms")`` appends each message, as JSON, to ``var/outgoing/sms.jsonl`` (the
  development SMS gateway; a provider's HTTP API implements the same ``send``).
- E-mail: ``SmtpSender`` hands the message to a real SMTP server (``EKM_SMTP_HOST`` /
  ``EKM_SMTP_PORT``, from ``EKM_SMTP_FROM``), over one connection kept open between messages
  (reopened when the server closed it); ``SmtpPool`` keeps ``EKM_SMTP_CONNECTIONS`` (4) of them
  for a dispatcher sending several at once. Without ``EKM_SMTP_HOST`` e-mail goes to the file sink.
- Push / Diia: ``PushGateway`` is the interface; ``LogPushGateway`` writes ``var/outgoing/push.jsonl``.
The in-app inbox is not a sender: the dispatcher writes it in the database.
"""

from __future__ import annotations

import base64
import json
import os
import smtplib
import threading
import uuid
from email.header import Header
from email.utils import formatdate
from typing import Protocol

from ekm_platform import config
from notifications.domain.delivery import Outgoing


class PermanentSendError(Exception):
    """The provider refused this message for good (e.g. SMTP 5xx for the recipient): no retry."""


class FileSink:
    def __init__(self, channel: str, folder=None):
        self.channel = channel
        self.folder = folder or (config.var_dir() / "outgoing")
        self._lock = threading.Lock()

    def send(self, message: Outgoing) -> str:
        self.folder.mkdir(parents=True, exist_ok=True)
        provider_id = str(uuid.uuid4())
        line = (
            json.dumps(
                {
                    "id": provider_id,
                    "to": message.address,
                    "text": message.text,
                    "reference": message.reference,
                    "message_id": message.message_id,
                },
                ensure_ascii=False,
            )
            + "\n"
        )
        with self._lock, open(self.folder / f"{self.channel}.jsonl", "a", encoding="utf-8") as sink:
            sink.write(line)
        return provider_id


class PushGateway(Protocol):
    """Push to the recipient's app (Diia / the mobile cabinet), addressed by person id."""

    channel: str

    def send(self, message: Outgoing) -> str: ...


class LogPushGateway(FileSink):
    """The log-backed push gateway (no push provider is reachable from here)."""

    def __init__(self, folder=None):
        super().__init__("push", folder)


class SmtpSender:
    """E-mail over SMTP, one connection kept open per sender (one sender per dispatcher)."""

    channel = "email"

    def __init__(self, host: str, port: int = 25, sender: str = "ekm@localhost", timeout: float = 10):
        self.host, self.port, self.sender, self.timeout = host, port, sender, timeout
        self._smtp: smtplib.SMTP | None = None
        self._lock = threading.Lock()

    def send(self, message: Outgoing) -> str:
        provider_id = f"<{message.message_id or uuid.uuid4()}@ekm>"
        raw = mime_message(
            self.sender, message.address, message.subject or "ЕКМ / EKM", message.body or message.text, provider_id
        )
        with self._lock:
            try:
                self._connection().sendmail(self.sender, [message.address], raw)
            except smtplib.SMTPServerDisconnected:
                self.close()
                self._connection().sendmail(self.sender, [message.address], raw)  # the kept connection had gone
            except smtplib.SMTPRecipientsRefused as exc:
                raise PermanentSendError(f"SMTP refused the recipient: {list(exc.recipients.values())[:1]}") from exc
            except smtplib.SMTPResponseException as exc:
                if 500 <= exc.smtp_code < 600:
                    raise PermanentSendError(f"SMTP {exc.smtp_code}") from exc
                self.close()
                raise
            except OSError:
                self.close()
                raise
        return provider_id

    def _connection(self) -> smtplib.SMTP:
        if self._smtp is None:
            self._smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        return self._smtp

    def close(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is not None:
            try:
                smtp.quit()
            except (OSError, smtplib.SMTPException):
                smtp.close()


class SmtpPool:
    """``connections`` kept-open SMTP connections, for a dispatcher that sends several messages
    at once (each ``send`` takes an idle one; a message waits while all are busy)."""

    channel = "email"

    def __init__(
        self, host: str, port: int = 25, sender: str = "ekm@localhost", timeout: float = 10, connections: int = 4
    ):
        self.idle = [SmtpSender(host, port, sender, timeout) for _ in range(max(1, connections))]
        self.all = list(self.idle)
        self.free = threading.Semaphore(len(self.idle))
        self.lock = threading.Lock()

    def send(self, message: Outgoing) -> str:
        with self.free:
            with self.lock:
                sender = self.idle.pop()
            try:
                return sender.send(message)
            finally:
                with self.lock:
                    self.idle.append(sender)

    def close(self) -> None:
        for sender in self.all:
            sender.close()


def mime_message(sender: str, to: str, subject: str, body: str, message_id: str) -> bytes:
    """A plain-text UTF-8 message (RFC 5322; subject RFC 2047-encoded, body base64), built
    directly: the ``email`` package's header machinery cost more than the SMTP exchange."""
    for value in (sender, to, message_id):
        if "\r" in value or "\n" in value:
            raise ValueError("a header value with a line break")
    encoded = base64.encodebytes(body.encode("utf-8")).decode("ascii").replace("\n", "\r\n")
    return (
        f"From: {sender}\r\nTo: {to}\r\nSubject: {Header(subject, 'utf-8').encode()}\r\n"
        f"Date: {formatdate(localtime=False)}\r\nMessage-ID: {message_id}\r\nMIME-Version: 1.0\r\n"
        f'Content-Type: text/plain; charset="utf-8"\r\nContent-Transfer-Encoding: base64\r\n\r\n'
        f"{encoded}"
    ).encode("ascii")


def senders_from_environment() -> dict:
    """``EKM_SMTP_HOST`` switches e-mail to SMTP; SMS and push go to their log files."""
    senders = {"sms": FileSink("sms"), "email": FileSink("email"), "push": LogPushGateway()}
    if os.environ.get("EKM_SMTP_HOST"):
        senders["email"] = SmtpPool(
            os.environ["EKM_SMTP_HOST"],
            int(os.environ.get("EKM_SMTP_PORT", "25")),
            os.environ.get("EKM_SMTP_FROM", "ekm@localhost"),
            connections=int(os.environ.get("EKM_SMTP_CONNECTIONS", "4")),
        )
    return senders
