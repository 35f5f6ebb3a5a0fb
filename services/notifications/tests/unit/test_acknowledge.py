"""The appeal acknowledgement through the outbound pipeline: enqueued by the event handler,
sent by the dispatcher (SMS first, else e-mail), in Ukrainian then English, every attempt logged."""

import pytest

from ekm_platform.dependencies import PermanentEventError, handle_event
from ekm_platform.envelope import Envelope
from notifications.adapters.channels import FileSink
from notifications.adapters.orm import metadata
from notifications.adapters.repository import DeliveryRepository
from notifications.domain.delivery import Outgoing, mask
from notifications.service_layer import handlers
from notifications.testing import Contacts, phone, run, senders

TRACKING = "EKM-261122-ABCDEFGH"


@pytest.fixture
def uow(sqlite_uow):
    return sqlite_uow("notifications", metadata, DeliveryRepository)


def accepted(level="assessment", appeal_id="a-1", **extra):
    return Envelope(
        "appeal.accepted",
        "intake",
        {"appeal_id": appeal_id, "tracking_number": TRACKING, "screening_level": level, **extra},
    ).to_message()


def handle(uow, body):
    return handle_event(uow, "notifications.on_appeal_accepted", body, handlers.acknowledge_appeal)


def logged(uow, reference="a-1"):
    with uow() as u:
        found = u.repo.for_reference(reference)
        return found, u.repo.attempts_for(d.delivery_id for d in found)


def test_sms_in_ukrainian_then_english_with_the_tracking_number(uow):
    assert handle(uow, accepted())
    sending, contacts = senders(), Contacts({("applicant", "a-1"): phone()})
    assert run(uow, contacts, sending) == 1
    [message] = sending["sms"].sent
    assert message.text.index("звернення прийнято") < message.text.index(" / EKM: your appeal")
    assert TRACKING in message.text and message.address == "+380501110001"
    [d], attempts = logged(uow)
    assert (d.status, d.channel, d.template, d.template_version, d.recipient_masked, d.attempts) == (
        "sent",
        "sms",
        "appeal.accepted",
        1,
        "+380*****01",
        1,
    )
    assert [(a["channel"], a["status"]) for a in attempts[d.delivery_id]] == [("sms", "sent")]
    assert contacts.asked == [("applicant", ("a-1",))]


def test_email_when_no_phone_and_crisis_wording(uow):
    assert handle(uow, accepted("crisis"))
    sending = senders()
    run(uow, Contacts({("applicant", "a-1"): phone("", "o@example.org")}), sending)
    [message] = sending["email"].sent
    assert (
        "сьогодні" in message.body
        and "today" in message.body
        and message.body.index("сьогодні") < message.body.index("today")
    )
    assert message.subject.startswith("Термінове звернення") and " / Urgent appeal" in message.subject
    [d], _ = logged(uow)
    assert (d.channel, d.template, d.status) == ("email", "appeal.accepted.crisis", "sent")


def test_a_registry_signal_is_not_acknowledged_and_a_bad_event_is_a_dead_letter(uow):
    assert handle(uow, accepted(appeal_id="a-2", channel="registry_signal"))
    with uow() as u:
        with pytest.raises(PermanentEventError):
            handlers.acknowledge_appeal(Envelope("appeal.accepted", "intake", {"appeal_id": "a-3"}), u)
    assert logged(uow, "a-2")[0] == []


def test_no_contact_at_all_is_recorded_invalid_and_nothing_is_sent(uow):
    assert handle(uow, accepted())
    sending = senders()
    run(uow, Contacts({("applicant", "a-1"): phone("")}), sending)
    [d], attempts = logged(uow)
    assert d.status == "invalid" and "немає жодного контакту" in d.error
    assert not any(s.sent for s in sending.values())


def test_mask_and_file_sink(tmp_path):
    assert mask("olena@example.org") == "o***@example.org"
    sink = FileSink("sms", folder=tmp_path)
    assert sink.send(Outgoing("sms", "+380501110001", "текст", "a-1"))
    assert "текст" in (tmp_path / "sms.jsonl").read_text(encoding="utf-8")
