"""Channel adapters behind the ``Sender`` interface.

``FileSink`` is the development channel: it appends each message, as JSON, to
``var/outgoing/<channel>.jsonl`` instead of handing it to a provider. An SMS gateway or
SMTP sender for production implements the same ``send`` (``SmtpSender`` below is one).
"""
from __future__ import annotations

import json
import os
import smtplib
import uuid
from email.message import EmailMessage

from ekm_platform import config

from notifications.domain.delivery import Outgoing


class FileSink:
    def __init__(self, channel: str, folder=None):
        self.channel = channel
        self.folder = folder or (config.var_dir() / "outgoing")

    def send(self, message: Outgoing) -> str:
        self.folder.mkdir(parents=True, exist_ok=True)
        provider_id = str(uuid.uuid4())
        with open(self.folder / f"{self.channel}.jsonl", "a", encoding="utf-8") as sink:
            sink.write(json.dumps({"id": provider_id, "to": message.address, "text": message.text,
                                   "reference": message.reference}, ensure_ascii=False) + "\n")
        return provider_id


class SmtpSender:
    channel = "email"

    def __init__(self, host: str, port: int = 25, sender: str = "ekm@localhost", timeout: float = 10):
        self.host, self.port, self.sender, self.timeout = host, port, sender, timeout

    def send(self, message: Outgoing) -> str:
        email = EmailMessage()
        email["From"], email["To"], email["Subject"] = self.sender, message.address, "ЕКМ / EKM"
        email.set_content(message.text)
        provider_id = f"<{uuid.uuid4()}@ekm>"
        email["Message-ID"] = provider_id
        with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
            smtp.send_message(email)
        return provider_id


def senders_from_environment() -> dict:
    """``EKM_SMTP_HOST`` switches e-mail to SMTP; everything else goes to the file sink."""
    senders = {"sms": FileSink("sms"), "email": FileSink("email")}
    if os.environ.get("EKM_SMTP_HOST"):
        senders["email"] = SmtpSender(os.environ["EKM_SMTP_HOST"], int(os.environ.get("EKM_SMTP_PORT", "25")))
    return senders
