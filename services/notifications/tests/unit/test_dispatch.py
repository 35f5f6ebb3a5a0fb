"""The dispatcher: retries with back-off then a dead letter, bad addresses, opt-outs and channel
order, quiet hours in the recipient's time zone, the rate limit, the case manager's inbox, leases."""

from datetime import datetime, timedelta, timezone

import pytest

from notifications.adapters.orm import metadata
from notifications.adapters.repository import DeliveryRepository
from notifications.domain import policy
from notifications.domain.requests import NotificationRequest
from notifications.service_layer.dispatch import ContactUnavailable, DispatchSettings
from notifications.service_layer.outbound import enqueue
from notifications.testing import NOON, Contacts, phone, run, senders

KYIV = policy.zone("Europe/Kyiv")


@pytest.fixture
def uow(sqlite_uow):
    return sqlite_uow("notifications", metadata, DeliveryRepository)


def notify(uow, kind="person", recipient="p-1", template="appeal.accepted", urgent=False, key=None, variables=None):
    with uow() as u:
        notification_id = enqueue(
            u,
            NotificationRequest(
                kind,
                recipient,
                template,
                variables or {"tracking_number": "EKM-1"},
                dedupe_key=key or f"k-{recipient}-{template}",
                urgent=urgent,
                reference="ref-1",
            ),
        )
        u.commit()
    return notification_id


def state(uow, notification_id):
    with uow() as u:
        d = u.repo.get_delivery(notification_id)
        return d, u.repo.attempts_for([notification_id]).get(notification_id, [])


def set_prefs(uow, kind, recipient, **prefs):
    with uow() as u:
        u.repo.save_preferences(kind, recipient, policy.Preferences(**prefs), NOON)
        u.commit()


# --- retries, back-off, dead letter -------------------------------------------------------------------
def test_a_failing_channel_is_retried_with_back_off_then_is_a_dead_letter(uow):
    n = notify(uow)
    sending, contacts = senders(sms=10), Contacts({("person", "p-1"): phone()})
    assert run(uow, contacts, sending) == 1
    d, attempts = state(uow, n)
    assert (d.status, d.attempts) == ("queued", 1) and d.due_at == NOON + timedelta(seconds=5)
    assert run(uow, contacts, sending, NOON + timedelta(seconds=4)) == 0  # not before its back-off
    assert run(uow, contacts, sending, NOON + timedelta(seconds=5)) == 1
    d, _ = state(uow, n)
    assert d.due_at == NOON + timedelta(seconds=5 + 10)  # doubled
    assert run(uow, contacts, sending, NOON + timedelta(seconds=15)) == 1  # the 3rd and last
    d, attempts = state(uow, n)
    assert (d.status, d.attempts, d.due_at) == ("dead_letter", 3, None) and "gateway down" in d.error
    assert [(a["attempt_no"], a["channel"], a["status"]) for a in attempts] == [
        (1, "sms", "failed"),
        (2, "sms", "failed"),
        (3, "sms", "failed"),
    ]
    assert run(uow, contacts, sending, NOON + timedelta(days=1)) == 0 and sending["sms"].sent == []


def test_a_failure_then_success_sends_once(uow):
    n = notify(uow)
    sending, contacts = senders(sms=1), Contacts({("person", "p-1"): phone()})
    run(uow, contacts, sending)
    run(uow, contacts, sending, NOON + timedelta(seconds=5))
    d, attempts = state(uow, n)
    assert d.status == "sent" and len(sending["sms"].sent) == 1
    assert [a["status"] for a in attempts] == ["failed", "sent"]


def test_a_contact_service_that_does_not_answer_is_a_failed_attempt_retried(uow):
    n = notify(uow)
    sending = senders()
    run(uow, Contacts({("person", "p-1"): ContactUnavailable("cases down")}), sending)
    d, attempts = state(uow, n)
    assert d.status == "queued" and attempts[0]["status"] == "failed" and "cases down" in attempts[0]["error"]
    run(uow, Contacts({("person", "p-1"): phone()}), sending, NOON + timedelta(seconds=5))
    assert state(uow, n)[0].status == "sent"


def test_a_contact_outage_longer_than_the_attempts_keeps_the_notification_queued_until_it_ends(uow):
    # found by bench/chaos.py: intake down for minutes turned acknowledgements into dead letters
    from dataclasses import replace

    from notifications.testing import SETTINGS

    n = notify(uow)
    sending, down = senders(), Contacts({("person", "p-1"): ContactUnavailable("intake restarting")})
    patient = replace(SETTINGS, contact_outage=10 * 365 * 86400.0)
    now = NOON
    for _ in range(SETTINGS.max_attempts + 3):
        run(uow, down, sending, now, patient)
        d, _ = state(uow, n)
        assert d.status == "queued" and d.due_at - now <= timedelta(seconds=60)
        now = d.due_at
    run(uow, Contacts({("person", "p-1"): phone()}), sending, now, patient)
    assert state(uow, n)[0].status == "sent" and len(sending["sms"].sent) == 1


def test_past_the_outage_window_an_unreachable_contact_is_a_dead_letter(uow):
    from dataclasses import replace

    from notifications.testing import SETTINGS

    n = notify(uow)
    down = Contacts({("person", "p-1"): ContactUnavailable("intake gone")})
    impatient, now = replace(SETTINGS, contact_outage=0.0), NOON
    for _ in range(SETTINGS.max_attempts):
        run(uow, down, senders(), now, impatient)
        now = state(uow, n)[0].due_at or now
    assert state(uow, n)[0].status == "dead_letter"


def test_an_unknown_recipient_is_invalid(uow):
    n = notify(uow, recipient="p-gone")
    run(uow, Contacts({}), senders())
    d, _ = state(uow, n)
    assert d.status == "invalid" and "не знайдено" in d.error


# --- bad addresses: a clear reason, nothing sent ---------------------------------------------------------
@pytest.mark.parametrize(
    "contact, reason",
    [
        ({"phone": "+38067123", "email": ""}, "некоректний номер телефону / invalid phone number"),
        ({"phone": "", "email": "olena@"}, "некоректна адреса електронної пошти / invalid e-mail address"),
    ],
)
def test_an_invalid_address_is_recorded_invalid_and_nothing_is_sent(uow, contact, reason):
    n = notify(uow, kind="applicant", recipient="a-1")
    sending = senders()
    run(uow, Contacts({("applicant", "a-1"): contact}), sending)
    d, attempts = state(uow, n)
    assert d.status == "invalid" and reason in d.error and not any(s.sent for s in sending.values())
    assert [a["status"] for a in attempts] == ["invalid"]


def test_an_invalid_phone_falls_back_to_a_valid_email(uow):
    n = notify(uow, kind="applicant", recipient="a-1")
    sending = senders()
    run(uow, Contacts({("applicant", "a-1"): {"phone": "12", "email": "olena@example.org"}}), sending)
    d, attempts = state(uow, n)
    assert (d.status, d.channel) == ("sent", "email") and len(sending["email"].sent) == 1
    assert [(a["channel"], a["status"]) for a in attempts] == [("sms", "invalid"), ("email", "sent")]


def test_a_phone_without_country_code_is_read_as_ukrainian(uow):
    notify(uow)
    sending = senders()
    run(uow, Contacts({("person", "p-1"): phone("067 123 45 67")}), sending)
    assert sending["sms"].sent[0].address == "+380671234567"


# --- preferences -------------------------------------------------------------------------------------------
def test_opted_out_of_sms_goes_to_the_next_channel(uow):
    set_prefs(uow, "person", "p-1", opted_out=frozenset({"sms"}))
    n = notify(uow)
    sending = senders()
    run(uow, Contacts({("person", "p-1"): phone(email="p@example.org")}), sending)
    d, attempts = state(uow, n)
    assert d.channel == "email" and sending["sms"].sent == []
    assert [(a["channel"], a["status"]) for a in attempts] == [("sms", "suppressed"), ("email", "sent")]


def test_opted_out_of_every_channel_is_recorded_suppressed(uow):
    set_prefs(uow, "person", "p-1", opted_out=frozenset({"sms", "email", "push"}))
    n = notify(uow)
    sending = senders()
    run(uow, Contacts({("person", "p-1"): phone(email="p@example.org")}), sending)
    d, _ = state(uow, n)
    assert d.status == "suppressed" and not any(s.sent for s in sending.values())


def test_the_persons_channel_order_is_followed(uow):
    set_prefs(uow, "person", "p-1", channel_order=("push", "email"))
    notify(uow)
    sending = senders()
    run(uow, Contacts({("person", "p-1"): phone(email="p@example.org")}), sending)
    assert [m.address for m in sending["push"].sent] == ["p-1"] and sending["sms"].sent == []


# --- quiet hours -----------------------------------------------------------------------------------------------
def test_quiet_hours_delay_until_their_end_in_the_persons_time_zone(uow):
    night = datetime(2030, 1, 15, 23, 30, tzinfo=KYIV).astimezone(timezone.utc)
    n = notify(uow)
    sending, contacts = senders(), Contacts({("person", "p-1"): phone()})
    run(uow, contacts, sending, night)
    d, attempts = state(uow, n)
    morning = datetime(2030, 1, 16, 8, 0, tzinfo=KYIV).astimezone(timezone.utc)
    assert (d.status, d.due_at, attempts, sending["sms"].sent) == ("queued", morning, [], [])
    assert "тихі години" in d.error
    assert run(uow, contacts, sending, morning - timedelta(minutes=1)) == 0
    run(uow, contacts, sending, morning)
    assert state(uow, n)[0].status == "sent"


def test_urgent_ignores_quiet_hours(uow):
    night = datetime(2030, 1, 15, 3, 0, tzinfo=KYIV).astimezone(timezone.utc)
    n = notify(uow, urgent=True)
    sending = senders()
    run(uow, Contacts({("person", "p-1"): phone()}), sending, night)
    assert state(uow, n)[0].status == "sent"


def test_own_quiet_hours_and_time_zone(uow):
    set_prefs(uow, "person", "p-1", quiet_start="13:00", quiet_end="15:00", timezone="Europe/Lisbon")
    n = notify(uow)
    run(uow, Contacts({("person", "p-1"): phone()}), senders())  # 12:00 UTC = 12:00 in Lisbon: not quiet
    assert state(uow, n)[0].status == "sent"
    m = notify(uow, key="second")
    run(uow, Contacts({("person", "p-1"): phone()}), senders(), NOON + timedelta(hours=1, minutes=30))
    assert state(uow, m)[0].due_at == NOON + timedelta(hours=3)


def test_quiet_hours_policy_edges():
    prefs = policy.Preferences(quiet_start="22:00", quiet_end="08:00")
    at = lambda h, m=0: datetime(2030, 1, 15, h, m, tzinfo=KYIV).astimezone(timezone.utc)  # noqa: E731
    assert policy.quiet_until(at(21, 59), prefs, "Europe/Kyiv") is None
    assert policy.quiet_until(at(22, 0), prefs, "Europe/Kyiv") == datetime(2030, 1, 16, 8, tzinfo=KYIV)
    assert policy.quiet_until(at(7, 59), prefs, "Europe/Kyiv") == datetime(2030, 1, 15, 8, tzinfo=KYIV)
    assert policy.quiet_until(at(8, 0), prefs, "Europe/Kyiv") is None


# --- rate limit ---------------------------------------------------------------------------------------------------
def test_the_rate_limit_per_recipient_delays_the_rest(uow):
    settings = DispatchSettings(batch=50, lease=60, max_attempts=3, retry_base=5, rate_limit=2, rate_window=600)
    ids = [notify(uow, key=f"k-{i}") for i in range(3)]
    other = notify(uow, recipient="p-2")
    sending = senders()
    contacts = Contacts({("person", "p-1"): phone(), ("person", "p-2"): phone("+380671234567")})
    run(uow, contacts, sending, NOON, settings)
    statuses = [state(uow, i)[0] for i in ids]
    assert sorted(d.status for d in statuses) == ["queued", "sent", "sent"]
    held = next(d for d in statuses if d.status == "queued")
    assert held.due_at == NOON + timedelta(seconds=600) and "ліміт" in held.error
    assert state(uow, other)[0].status == "sent"  # another recipient is not held up
    run(uow, contacts, sending, NOON + timedelta(seconds=600), settings)
    assert state(uow, held.delivery_id)[0].status == "sent"


# --- the case manager's inbox ----------------------------------------------------------------------------------------
def test_a_case_manager_is_notified_in_the_inbox_once(uow):
    n = notify(uow, kind="case_manager", recipient="cm-1")
    run(uow, Contacts({}), senders())
    run(uow, Contacts({}), senders(), NOON + timedelta(minutes=5))
    with uow() as u:
        items, unread = u.repo.inbox_of("cm-1", False, 50)
        assert u.repo.inbox_of("cm-2", False, 50) == ([], 0)
    assert unread == 1 and [i["item_id"] for i in items] == [n] and "EKM-1" in items[0]["text"]
    assert state(uow, n)[0].channel == "inbox"


# --- claims -------------------------------------------------------------------------------------------------------------
def test_a_claimed_notification_is_not_taken_by_another_dispatcher_until_its_lease_runs_out(uow):
    n = notify(uow)
    with uow() as u:
        [claimed] = u.repo.claim_due(NOON, 10, NOON + timedelta(seconds=60), "dispatcher-a")
        u.commit()
    sending = senders()
    assert run(uow, Contacts({("person", "p-1"): phone()}), sending, NOON + timedelta(seconds=30)) == 0
    assert run(uow, Contacts({("person", "p-1"): phone()}), sending, NOON + timedelta(seconds=61)) == 1  # a crash
    with uow() as u:  # the first dispatcher's late result is refused: it lost the claim
        assert not u.repo.finish(n, "dispatcher-a", {"status": "failed"}, [], None)
        u.commit()
    assert state(uow, n)[0].status == "sent" and claimed.delivery_id == n


def test_lanes_send_at_once_but_one_recipients_messages_stay_in_one_lane(uow):
    from concurrent.futures import ThreadPoolExecutor

    from notifications.service_layer.dispatch import dispatch_once

    settings = DispatchSettings(
        batch=50, lease=60, max_attempts=3, retry_base=5, rate_limit=2, rate_window=600, lanes=4
    )
    mine = [notify(uow, key=f"mine-{i}") for i in range(3)]
    others = [notify(uow, recipient=f"p-{n}") for n in range(2, 12)]
    contacts = Contacts({("person", f"p-{n}"): phone() for n in range(1, 12)})
    sending = senders()
    with ThreadPoolExecutor(4) as pool:
        assert dispatch_once(uow, contacts, sending, settings, now=NOON, map_lanes=pool.map) == 13
    assert sorted(state(uow, i)[0].status for i in mine) == ["queued", "sent", "sent"]  # the limit held
    assert {state(uow, i)[0].status for i in others} == {"sent"}
