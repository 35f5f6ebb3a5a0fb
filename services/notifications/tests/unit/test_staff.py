"""The inbox (only its addressee's), a recipient's own preferences (checked by field), staff
previewing a template and sending a test (field-level errors, nothing sent)."""

import pytest
from sqlalchemy import func, select

from ekm_platform.auth import Principal
from ekm_platform.errors import NotFound, PermissionDenied, ValidationError
from notifications.adapters.orm import deliveries, metadata
from notifications.adapters.repository import DeliveryRepository
from notifications.domain.requests import NotificationRequest
from notifications.service_layer import staff
from notifications.service_layer.outbound import enqueue
from notifications.testing import Contacts, run, senders

CM, OTHER_CM = Principal("cm-1", "case_manager"), Principal("cm-2", "case_manager")
SUPERVISOR, OPERATOR = Principal("sv-1", "supervisor"), Principal("op-1", "operator")
RECIPIENT = Principal("p-1", "recipient")


@pytest.fixture
def uow(sqlite_uow):
    return sqlite_uow("notifications", metadata, DeliveryRepository)


@pytest.fixture
def inbox(uow):
    with uow() as u:
        ids = [
            enqueue(
                u,
                NotificationRequest(
                    "case_manager",
                    manager,
                    "appeal.accepted",
                    {"tracking_number": t},
                    dedupe_key=f"k-{t}",
                    reference="CASE-2026-AAAAAAA",
                ),
            )
            for manager, t in (("cm-1", "T-1"), ("cm-1", "T-2"), ("cm-2", "T-3"))
        ]
        u.commit()
    run(uow, Contacts(), senders())
    return ids


# --- denied first ----------------------------------------------------------------------------------------
def test_nobody_sees_or_marks_another_managers_inbox(uow, inbox):
    with uow() as u:
        items, unread = staff.list_inbox(u, OTHER_CM, False, 0)
    assert [i["item_id"] for i in items] == [inbox[2]] and unread == 1
    with uow() as u, pytest.raises(NotFound):
        staff.mark_inbox_read(u, OTHER_CM, [inbox[2], inbox[0]])  # one of them is cm-1's: nothing changes
    with uow() as u:
        assert staff.list_inbox(u, OTHER_CM, True, 0)[1] == 1 and staff.list_inbox(u, CM, True, 0)[1] == 2


@pytest.mark.parametrize("who", [OPERATOR, RECIPIENT])
def test_roles_without_an_inbox_are_refused(uow, who):
    with uow() as u, pytest.raises(PermissionDenied):
        staff.list_inbox(u, who, False, 0)


def test_marking_read_own_items(uow, inbox):
    with uow() as u:
        assert staff.mark_inbox_read(u, CM, [inbox[0]]) == 1
    with uow() as u:
        assert staff.mark_inbox_read(u, CM, [inbox[0], inbox[1]]) == 1  # the first was read already
        items, unread = staff.list_inbox(u, CM, False, 0)
    assert unread == 0 and all(i["read_at"] is not None for i in items)
    with uow() as u, pytest.raises(ValidationError):
        staff.mark_inbox_read(u, CM, [" "])


# --- preferences -------------------------------------------------------------------------------------------
def test_a_recipient_sets_their_own_preferences(uow):
    with uow() as u:
        staff.set_my_preferences(u, RECIPIENT, ["email", "sms"], ["push"], "21:00", "09:00", "Europe/Kyiv")
    with uow() as u:
        prefs = staff.my_preferences(u, RECIPIENT)
    assert prefs.channel_order == ("email", "sms") and prefs.opted_out == {"push"} and prefs.quiet_start == "21:00"


@pytest.mark.parametrize(
    "args, field",
    [
        ((["fax"], [], "", "", ""), "channel_order"),
        (([], ["inbox"], "", "", ""), "opted_out"),
        (([], [], "25:00", "08:00", ""), "quiet_start"),
        (([], [], "22:00", "", ""), "quiet_end"),
        (([], [], "", "", "Mars/Olympus"), "time_zone"),
    ],
)
def test_bad_preferences_name_the_field_and_store_nothing(uow, args, field):
    with uow() as u, pytest.raises(ValidationError) as error:
        staff.set_my_preferences(u, RECIPIENT, *args)
    assert field in [v.field for v in error.value.violations]
    with uow() as u:
        assert staff.my_preferences(u, RECIPIENT).channel_order == ()


# --- preview and test sends ----------------------------------------------------------------------------------
def test_preview_renders_both_languages(uow):
    rendered = staff.preview(CM, "appeal.accepted", 0, {"tracking_number": "T-9"})
    assert rendered.version == 1 and "T-9" in rendered.text_uk and "T-9" in rendered.text_en


@pytest.mark.parametrize(
    "template, variables, field",
    [
        ("appeal.accepted", {}, "variables.tracking_number"),
        ("appeal.accepted", {"tracking_number": "T", "surname": "Коваль"}, "variables.surname"),
        ("no.such", {}, "template"),
        ("", {}, "template"),
    ],
)
def test_preview_names_the_bad_field(template, variables, field):
    with pytest.raises(ValidationError) as error:
        staff.preview(SUPERVISOR, template, 0, variables)
    assert [v.field for v in error.value.violations] == [field]
    assert " / " in error.value.violations[0].description


def test_a_recipient_may_not_preview():
    with pytest.raises(PermissionDenied):
        staff.preview(RECIPIENT, "appeal.accepted", 0, {"tracking_number": "T"})


@pytest.mark.parametrize(
    "channel, address, field",
    [("sms", "+38050", "address"), ("email", "not-an-address", "address"), ("fax", "x", "channel")],
)
def test_a_test_send_to_a_bad_address_sends_nothing(uow, channel, address, field):
    sending = senders()
    with uow() as u, pytest.raises(ValidationError) as error:
        staff.send_test(u, SUPERVISOR, sending, "appeal.accepted", {"tracking_number": "T"}, channel, address)
    assert [v.field for v in error.value.violations] == [field]
    assert not any(s.sent for s in sending.values())
    with uow() as u:
        assert u.session.execute(select(func.count()).select_from(deliveries)).scalar() == 0


def test_a_test_send_is_sent_and_logged(uow):
    sending = senders()
    with uow() as u:
        d = staff.send_test(
            u, OPERATOR, sending, "appeal.accepted", {"tracking_number": "T-5"}, "email", "olena@example.org"
        )
    assert d.status == "sent" and "T-5" in sending["email"].sent[0].body
    with uow() as u:
        assert u.repo.attempts_for([d.delivery_id])[d.delivery_id][0]["status"] == "sent"
    with uow() as u, pytest.raises(PermissionDenied):
        staff.send_test(u, CM, sending, "appeal.accepted", {"tracking_number": "T"}, "sms", "+380501110001")
