"""Reminders (issue 9, item 8): rows with a due time in the database, claimed by one worker at a
time, looked at again before they go out, handed to the pipeline once — whatever is redelivered,
re-sent, retried or taken over."""

from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from ekm_platform.dependencies import handle_event
from ekm_platform.envelope import Envelope
from notifications.adapters.orm import deliveries, metadata
from notifications.adapters.repository import DeliveryRepository
from notifications.domain import reminders as r
from notifications.service_layer import reminders, triggers

CASE_ID, NUMBER, PERSON, CM = "c-1", "CASE-2026-ABC1234", "p-1", "cm-1"
NOW = datetime(2026, 12, 3, 12, 0, tzinfo=timezone.utc)  # 14:00 in Kyiv


@pytest.fixture
def uow(sqlite_uow):
    return sqlite_uow("notifications", metadata, DeliveryRepository)


class Cases:
    def __init__(self, responsible="person", status="planned", due_on="2026-12-05", **changes):
        self.case = {
            "case_id": CASE_ID,
            "case_number": NUMBER,
            "person_id": PERSON,
            "assigned_to": CM,
            "stage": "implementation",
            "screening_level": "assessment",
            "open": True,
            **changes,
        }
        self.step = {"due_on": due_on, "status": status, "responsible_kind": responsible}
        self.asked, self.fail = [], False

    def __call__(self, case_ref, step_id=""):
        self.asked.append((case_ref, step_id))
        if self.fail:
            raise OSError("cases is away")
        if case_ref != CASE_ID:
            return None
        return {**self.case, "step": dict(self.step) if step_id else None}


def step_event(kind="case.step_due", due_on="2026-12-05", step_id="s1", responsible="person"):
    return Envelope(
        kind, "cases", {"case_id": CASE_ID, "step_id": step_id, "due_on": due_on, "responsible_kind": responsible}
    ).to_message()


def announce(uow, message, now=NOW):
    return handle_event(uow, "n.step", message, lambda e, u: triggers.step_announced(e, u, now))


def rows(uow):
    with uow() as u:
        return u.repo.reminders.for_case(CASE_ID)


def sent(uow):
    with uow() as u:
        found = u.session.execute(select(deliveries).order_by(deliveries.c.dedupe_key)).all()
    return [(d.recipient_kind, d.recipient_id, d.template, d.dedupe_key) for d in found]


def test_a_step_due_is_reminded_of_at_nine_the_day_before_once_however_often_it_is_announced(uow):
    message = step_event()
    assert announce(uow, message)
    assert not announce(uow, message)  # redelivered
    assert announce(uow, step_event())  # re-sent under a new event id
    [reminder] = rows(uow)
    assert reminder.due_at == datetime(2026, 12, 4, 7, 0, tzinfo=timezone.utc)  # 09:00 Kyiv on the 4th
    assert (reminder.state, reminder.kind, reminder.due_on) == ("pending", r.STEP_DUE, "2026-12-05")
    cases = Cases()
    assert reminders.run_due(uow, "w-1", cases, now=NOW) == {}  # not yet: nothing claimed, nobody asked
    assert cases.asked == [] and sent(uow) == []
    at_nine = datetime(2026, 12, 4, 7, 0, tzinfo=timezone.utc)
    assert reminders.run_due(uow, "w-1", cases, now=at_nine) == {"sent": 1}
    assert reminders.run_due(uow, "w-1", cases, now=at_nine + timedelta(hours=1)) == {}
    assert sent(uow) == [("person", PERSON, "step.due.person", f"{reminder.key}:person")]
    [done] = rows(uow)
    assert (done.state, done.attempts, done.sent_at, done.case_number) == ("sent", 1, at_nine, NUMBER)


def test_a_step_announced_the_day_before_or_later_is_reminded_of_at_once(uow):
    announce(uow, step_event(due_on="2026-12-04"))  # due tomorrow; 09:00 today has passed
    assert rows(uow)[0].due_at == NOW


def test_a_step_done_meanwhile_or_a_closed_case_is_not_reminded_of(uow):
    announce(uow, step_event(step_id="s1"))
    announce(uow, step_event(step_id="s2"))
    later = datetime(2026, 12, 4, 8, 0, tzinfo=timezone.utc)
    done = Cases(status="done")
    assert reminders.run_due(uow, "w-1", done, now=later) == {"cancelled": 2}
    assert sent(uow) == [] and {x.state for x in rows(uow)} == {"cancelled"}
    assert "виконано" in rows(uow)[0].last_error

    announce(uow, step_event(step_id="s3"))
    assert reminders.run_due(uow, "w-1", Cases(open=False), now=later) == {"cancelled": 1}
    announce(uow, step_event(step_id="s4"))
    assert reminders.run_due(uow, "w-1", lambda *a: None, now=later) == {"cancelled": 1}  # no such case
    assert sent(uow) == []


def test_a_step_moved_to_a_later_day_is_reminded_of_the_day_before_that(uow):
    announce(uow, step_event(due_on="2026-12-05"))
    later = datetime(2026, 12, 4, 8, 0, tzinfo=timezone.utc)
    assert reminders.run_due(uow, "w-1", Cases(due_on="2026-12-10"), now=later) == {"rescheduled": 1}
    [moved] = rows(uow)
    assert (moved.state, moved.due_on, moved.due_at) == (
        "pending",
        "2026-12-10",
        datetime(2026, 12, 9, 7, 0, tzinfo=timezone.utc),
    )
    assert sent(uow) == []


def test_a_due_reminder_that_comes_too_late_is_left_to_the_overdue_one(uow):
    announce(uow, step_event(due_on="2026-12-05"))
    assert reminders.run_due(uow, "w-1", Cases(), now=datetime(2026, 12, 6, 8, 0, tzinfo=timezone.utc)) == {
        "cancelled": 1
    }
    assert sent(uow) == []


def test_an_overdue_step_moved_to_a_later_day_meanwhile_is_not_called_overdue(uow):
    announce(uow, step_event("case.step_overdue", due_on="2026-12-01"))
    assert reminders.run_due(uow, "w-1", Cases(due_on="2026-12-20"), now=NOW) == {"cancelled": 1}
    assert sent(uow) == [] and "not overdue" in rows(uow)[0].last_error


def test_an_overdue_step_of_the_persons_tells_the_person_and_the_case_manager_once(uow):
    announce(uow, step_event("case.step_overdue", due_on="2026-12-01"))
    announce(uow, step_event("case.step_overdue", due_on="2026-12-01"))
    assert reminders.run_due(uow, "w-1", Cases(due_on="2026-12-01"), now=NOW) == {"sent": 1}
    key = r.step_key(r.STEP_OVERDUE, CASE_ID, "s1")
    assert sent(uow) == [
        ("case_manager", CM, "step.overdue.manager", f"{key}:case_manager"),
        ("person", PERSON, "step.overdue.person", f"{key}:person"),
    ]


def test_a_step_of_the_case_managers_or_an_agencys_reminds_the_case_manager(uow):
    announce(uow, step_event(responsible="agency"))
    reminders.run_due(uow, "w-1", Cases(responsible="agency"), now=datetime(2026, 12, 4, 7, tzinfo=timezone.utc))
    assert [s[:3] for s in sent(uow)] == [("case_manager", CM, "step.due.manager")]


def test_a_review_due_reminds_the_case_manager_once_and_not_a_case_already_in_review(uow):
    def review(case_id=CASE_ID):
        return Envelope(
            "case.review_due",
            "cases",
            {"case_id": case_id, "case_number": NUMBER, "due_on": "2026-12-09", "overdue": False},
        ).to_message()

    for message in (review(), review()):
        handle_event(uow, "n.review", message, lambda e, u: triggers.review_announced(e, u, NOW))
    assert reminders.run_due(uow, "w-1", Cases(), now=NOW) == {"sent": 1}
    assert [s[:3] for s in sent(uow)] == [("case_manager", CM, "review.due.manager")]
    handle_event(
        uow,
        "n.review",
        Envelope(
            "case.review_due", "cases", {"case_id": CASE_ID, "case_number": NUMBER, "due_on": "2027-03-09"}
        ).to_message(),
        lambda e, u: triggers.review_announced(e, u, NOW),
    )
    assert reminders.run_due(uow, "w-1", Cases(stage="review"), now=NOW) == {"cancelled": 1}


def test_an_announcement_without_a_date_is_a_dead_letter_and_nothing_waits(uow):
    announce(uow, step_event(due_on="tomorrow"))
    assert rows(uow) == []
    with uow() as u:
        assert len(u.session.execute(select(metadata.tables["dead_letters"])).all()) == 1


def test_cases_away_is_retried_with_back_off_then_failed_with_its_reason(uow):
    announce(uow, step_event("case.step_overdue", due_on="2026-12-01"))
    cases = Cases(due_on="2026-12-01")
    cases.fail = True
    moment = NOW
    for attempt in range(1, r.MAX_ATTEMPTS + 1):
        outcome = reminders.run_due(uow, "w-1", cases, now=moment)
        [reminder] = rows(uow)
        assert reminder.attempts == attempt
        if attempt < r.MAX_ATTEMPTS:
            assert outcome == {"retry": 1} and reminder.state == "pending"
            assert reminder.due_at == moment + r.RETRY_FIRST * 2 ** (attempt - 1)
            assert reminders.run_due(uow, "w-1", cases, now=moment) == {}  # waits for its time
            moment = reminder.due_at
    assert outcome == {"failed": 1} and reminder.state == "failed" and "cases is away" in reminder.last_error
    assert reminders.run_due(uow, "w-1", Cases(due_on="2026-12-01"), now=moment + timedelta(days=1)) == {}
    assert sent(uow) == []


def test_a_claimed_reminder_is_not_taken_by_another_worker_until_its_claim_lapses(uow):
    announce(uow, step_event("case.step_overdue", due_on="2026-12-01"))
    with uow() as u:
        [mine] = u.repo.reminders.claim_due("w-1", NOW)
        u.commit()
    with uow() as u:
        assert u.repo.reminders.claim_due("w-2", NOW + timedelta(minutes=1)) == []  # w-1's claim holds
    # w-1 hangs past its lease: w-2 takes the reminder over and sends it
    after = NOW + r.CLAIM_LEASE + timedelta(seconds=1)
    assert reminders.run_due(uow, "w-2", Cases(due_on="2026-12-01"), now=after) == {"sent": 1}
    # w-1 wakes up and finishes its (lapsed) claim: refused, nothing enqueued twice
    assert reminders.fire(uow, mine, Cases(due_on="2026-12-01"), NOW) == "lost"
    assert len(sent(uow)) == 2  # the person and the case manager, once each
    [reminder] = rows(uow)
    assert (reminder.state, reminder.claimed_by, reminder.attempts) == ("sent", "w-2", 2)


def test_reminder_interval_is_configuration():
    assert reminders.reminder_interval({}) == 30
    assert reminders.reminder_interval({"EKM_REMINDER_INTERVAL_SECONDS": "0.5"}) == 0.5
    for bad in ("0", "x"):
        with pytest.raises(ValueError, match="EKM_REMINDER_INTERVAL_SECONDS"):
            reminders.reminder_interval({"EKM_REMINDER_INTERVAL_SECONDS": bad})


def test_who_hears_about_a_step():
    person, manager = r.Recipient("person", PERSON), r.Recipient("case_manager", CM)
    assert r.step_recipients(r.STEP_DUE, "person", PERSON, CM) == [person]
    assert r.step_recipients(r.STEP_OVERDUE, "person", PERSON, CM) == [person, manager]
    assert r.step_recipients(r.STEP_DUE, "provider", PERSON, CM) == [manager]
    assert r.step_recipients(r.STEP_DUE, "case_manager", PERSON, "") == []
    assert r.day_before_at_nine(date(2026, 7, 1)) == datetime(2026, 6, 30, 6, 0, tzinfo=timezone.utc)  # summer time
