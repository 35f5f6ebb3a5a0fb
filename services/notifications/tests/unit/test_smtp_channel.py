"""E-mail to a real SMTP server (aiosmtpd on loopback): Ukrainian then English, one connection
kept open between messages and opened again when the server dropped it, a refused recipient is
a permanent error (no retry), a server that is not there is a transient one."""

import socket

import pytest

from notifications.adapters.channels import PermanentSendError, SmtpSender
from notifications.adapters.smtp_sink import SmtpSink
from notifications.domain.delivery import Outgoing

pytestmark = pytest.mark.timeout(60)


def message(to="olena@example.org", n=1):
    return Outgoing(
        "email",
        to,
        "uk / en",
        "a-1",
        subject="Тема / Subject",
        body=f"Текст {n}\n\n---\n\nText {n}\n",
        message_id=f"d-{n}",
    )


def test_messages_reach_the_server_over_one_kept_connection():
    with SmtpSink() as sink:
        sender = SmtpSender("127.0.0.1", sink.port)
        connects = []
        original = socket.create_connection

        def counting(*args, **kwargs):
            connects.append(args[0])
            return original(*args, **kwargs)

        socket.create_connection = counting
        try:
            ids = [sender.send(message(n=n)) for n in range(3)]
        finally:
            socket.create_connection = original
            sender.close()
        assert len(connects) == 1 and ids == ["<d-0@ekm>", "<d-1@ekm>", "<d-2@ekm>"]
        [first, *_] = sink.messages
    assert first["Subject"] == "Тема / Subject" and first["Message-ID"] == "<d-0@ekm>"
    body = first.get_content()
    assert body.index("Текст 0") < body.index("Text 0")


def test_a_dropped_connection_is_opened_again():
    with SmtpSink() as sink:
        sender = SmtpSender("127.0.0.1", sink.port)
        sender.send(message(n=1))
        sender._smtp.sock.close()  # the server (or a proxy) dropped it
        sender.send(message(n=2))
        sender.close()
        assert sink.count == 2


def test_a_refused_recipient_is_permanent():
    with SmtpSink() as sink:
        sink.refuse("nobody@example.org")
        sender = SmtpSender("127.0.0.1", sink.port)
        with pytest.raises(PermanentSendError):
            sender.send(message("nobody@example.org"))
        sender.close()
        assert sink.count == 0


def test_no_server_is_a_transient_error():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(OSError):
        SmtpSender("127.0.0.1", port, timeout=2).send(message())
