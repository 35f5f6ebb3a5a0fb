import pytest

from ekm_platform.dependencies import PermanentEventError
from ekm_platform.envelope import Envelope

from notifications.adapters.channels import FileSink
from notifications.adapters.orm import metadata
from notifications.adapters.repository import DeliveryRepository
from notifications.domain.delivery import mask
from notifications.domain.templates import render
from notifications.service_layer import handlers


@pytest.fixture
def uow(sqlite_uow):
    return sqlite_uow("notifications", metadata, DeliveryRepository)


class Recorder:
    def __init__(self, channel, fail=False):
        self.channel, self.fail, self.sent = channel, fail, []

    def send(self, message):
        if self.fail:
            raise OSError("gateway down")
        self.sent.append(message)
        return "provider-1"


def event(level="assessment"):
    return Envelope("appeal.accepted", "intake", {"appeal_id": "a-1", "tracking_number": "EKM-261122-ABCDEFGH",
                                                  "screening_level": level})


def contact(phone="+380501110001", email=""):
    return lambda appeal_id: {"phone": phone, "email": email, "locale": "uk"}


def test_sms_in_ukrainian_with_the_tracking_number(uow):
    senders = {"sms": Recorder("sms"), "email": Recorder("email")}
    with uow() as u:
        delivery = handlers.acknowledge_appeal(event(), u, contact(), senders)
        u.commit()
    [message] = senders["sms"].sent
    assert "EKM-261122-ABCDEFGH" in message.text and "звернення" in message.text
    with uow() as u:
        [logged] = u.repo.for_reference("a-1")
    assert logged.status == "sent" and logged.recipient_masked == "+380*****01" == delivery.recipient_masked


def test_email_when_no_phone_and_crisis_wording(uow):
    senders = {"sms": Recorder("sms"), "email": Recorder("email")}
    with uow() as u:
        delivery = handlers.acknowledge_appeal(event("crisis"), u, contact(phone="", email="o@example.org"), senders)
    assert delivery.channel == "email" and "сьогодні" in senders["email"].sent[0].text


def test_a_failed_send_is_logged_as_failed(uow):
    with uow() as u:
        delivery = handlers.acknowledge_appeal(event(), u, contact(), {"sms": Recorder("sms", fail=True)})
    assert delivery.status == "failed"


def test_no_contact_is_a_permanent_error(uow):
    with uow() as u, pytest.raises(PermanentEventError):
        handlers.acknowledge_appeal(event(), u, contact(phone=""), {})


def test_english_is_available_and_unknown_locale_falls_back_to_ukrainian():
    assert render("appeal.accepted", "en", {"tracking_number": "T"}).text.startswith("EKM: your appeal")
    assert render("appeal.accepted", "pl", {"tracking_number": "T"}).locale == "uk"


def test_mask_and_file_sink(tmp_path):
    assert mask("olena@example.org") == "o***@example.org"
    sink = FileSink("sms", folder=tmp_path)
    from notifications.domain.delivery import Outgoing
    assert sink.send(Outgoing("sms", "+380501110001", "текст", "a-1"))
    assert "текст" in (tmp_path / "sms.jsonl").read_text(encoding="utf-8")
