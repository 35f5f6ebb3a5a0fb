"""Fakes for the outbound pipeline's tests: senders that record, contacts from a dict (no broker, no network)."""

from datetime import datetime, timezone

from notifications.service_layer.dispatch import ContactUnavailable, DispatchSettings, dispatch_once

# 12:00 UTC = 14:00 in Kyiv: outside the default quiet hours (22:00–08:00); after anything a test enqueues
NOON = datetime(2030, 1, 15, 12, 0, tzinfo=timezone.utc)
SETTINGS = DispatchSettings(batch=50, lease=60, max_attempts=3, retry_base=5, rate_limit=0)


class Recorder:
    def __init__(self, channel, fail=0, error=OSError("gateway down")):
        self.channel, self.fail, self.error, self.sent = channel, fail, error, []

    def send(self, message):
        if self.fail:
            self.fail -= 1
            raise self.error
        self.sent.append(message)
        return f"{self.channel}-{len(self.sent)}"


def senders(**failures):
    return {c: Recorder(c, failures.get(c, 0)) for c in ("sms", "email", "push")}


class Contacts:
    """``resolve(kind, ids)`` from {(kind, id): contact | None | Exception}."""

    def __init__(self, known=None):
        self.known, self.asked = dict(known or {}), []

    def __call__(self, kind, ids):
        self.asked.append((kind, tuple(ids)))
        return {i: self.known.get((kind, i), None) for i in ids}


def phone(number="+380501110001", email=""):
    return {"phone": number, "email": email, "locale": "uk"}


def run(uow, contacts, sending, now=NOON, settings=SETTINGS):
    return dispatch_once(uow, contacts, sending, settings, now=now)


__all__ = ["NOON", "SETTINGS", "Recorder", "senders", "Contacts", "phone", "run", "ContactUnavailable"]
