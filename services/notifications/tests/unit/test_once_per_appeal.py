"""Item 16: a re-sent ``appeal.accepted`` (a new event id, the same appeal) sends no second SMS;
item 4: the contact fetched and the message sent are in the audit log, identifiers only."""
import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ekm_platform.audit import chain_pending, verify
from ekm_platform.dependencies import handle_event
from ekm_platform.envelope import Envelope

from notifications.adapters.orm import audit_log, deliveries, metadata
from notifications.adapters.repository import DeliveryRepository
from notifications.domain.delivery import APPEAL_ACKNOWLEDGEMENT, Delivery
from notifications.service_layer import handlers

PHONE = "+380501110001"


@pytest.fixture
def uow(sqlite_uow):
    return sqlite_uow("notifications", metadata, DeliveryRepository)


class Recorder:
    channel = "sms"

    def __init__(self):
        self.sent = []

    def send(self, message):
        self.sent.append(message)
        return f"provider-{len(self.sent)}"


class Contacts:
    def __init__(self):
        self.asked = []

    def __call__(self, appeal_id):
        self.asked.append(appeal_id)
        return {"phone": PHONE, "email": "", "locale": "uk", "first_name": "Андрій"}


def accepted(level="assessment"):
    """A new envelope each time: a new event id for the same appeal."""
    return Envelope("appeal.accepted", "intake", {"appeal_id": "a-1", "tracking_number": "EKM-261122-ABCDEFGH",
                                                  "screening_level": level}).to_message()


def run(uow, body, senders, contacts):
    return handle_event(uow, "notifications.on_appeal_accepted", body,
                        lambda event, u: handlers.acknowledge_appeal(event, u, contacts, senders))


def test_the_same_appeal_announced_again_under_a_new_event_id_sends_no_second_sms(uow):
    sms, contacts = Recorder(), Contacts()
    assert run(uow, accepted(), {"sms": sms}, contacts)
    assert run(uow, accepted(), {"sms": sms}, contacts)             # handled: a new event id
    assert run(uow, accepted("crisis"), {"sms": sms}, contacts)     # even re-screened, one acknowledgement
    assert len(sms.sent) == 1 and contacts.asked == ["a-1"]         # nor is the contact fetched again
    with uow() as u:
        [logged] = u.repo.for_reference("a-1")
    assert (logged.status, logged.provider_id, logged.purpose) == ("sent", "provider-1", APPEAL_ACKNOWLEDGEMENT)


def test_the_database_refuses_a_second_delivery_for_the_same_appeal_and_purpose(uow):
    """The check before sending has a key behind it: a concurrent twin cannot log (nor, since the
    row is claimed before sending, send) a second acknowledgement."""
    def delivery():
        return Delivery(reference="a-1", template="appeal.accepted", channel="sms", status="queued",
                        recipient_masked="+380*****01", locale="uk", purpose=APPEAL_ACKNOWLEDGEMENT)
    with uow() as u:
        u.repo.add(delivery())
        u.commit()
    with uow() as u, pytest.raises(IntegrityError):
        u.repo.add(delivery())
    with uow() as u:
        assert u.session.execute(select(func.count()).select_from(deliveries)).scalar() == 1


def test_a_concurrent_twin_fails_before_it_sends(uow):
    """Two workers with the same appeal: the second one's claim fails, nothing goes out twice."""
    sms, contacts = Recorder(), Contacts()
    with uow() as first:
        handlers.acknowledge_appeal(Envelope.from_message(accepted()), first, contacts, {"sms": sms})
        first.commit()
    with uow() as twin:  # as if it had looked before the first committed
        twin.repo.for_purpose = lambda reference, purpose: None
        with pytest.raises(IntegrityError):
            handlers.acknowledge_appeal(Envelope.from_message(accepted()), twin, contacts, {"sms": sms})
    # the twin read the contact (before writing anything: no lock is held across the RPC), sent nothing
    assert len(sms.sent) == 1 and contacts.asked == ["a-1", "a-1"]


def test_the_contact_fetched_and_the_message_sent_are_audited_with_identifiers_only(uow):
    sms = Recorder()
    assert run(uow, accepted(), {"sms": sms}, Contacts())
    with uow() as u:
        rows = u.session.execute(select(audit_log).order_by(audit_log.c.seq)).mappings().all()
        assert [(r["actor_id"], r["action"], r["subject_type"], r["subject_id"]) for r in rows] == [
            ("notifications", "contact.read", "appeal", "a-1"), ("notifications", "message.send", "appeal", "a-1")]
        assert all(PHONE not in r["details"] and "Андрій" not in r["details"] for r in rows)
        assert '"status": "sent"' in rows[1]["details"]
        chain_pending(u.session.connection(), audit_log)
        assert verify(u.session.connection(), audit_log).ok


def test_a_duplicate_leaves_no_audit_entry_because_nothing_personal_was_touched(uow):
    assert run(uow, accepted(), {"sms": Recorder()}, Contacts())
    assert run(uow, accepted(), {"sms": Recorder()}, Contacts())
    with uow() as u:
        assert u.session.execute(select(func.count()).select_from(audit_log)).scalar() == 2


def test_the_migration_keys_the_first_acknowledgement_and_keeps_earlier_duplicates(tmp_path):
    """A database that already holds the duplicates this fixes still migrates: the first
    acknowledgement of each appeal gets the purpose, later duplicates keep none."""
    from datetime import datetime, timedelta, timezone

    from alembic.migration import MigrationContext
    from alembic.operations import Operations

    from ekm_platform.db import make_engine
    from notifications.adapters.migrations import m0001_initial, m0002_audit_log, m0003_delivery_purpose

    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    start = datetime(2026, 11, 1, tzinfo=timezone.utc)
    try:
        with engine.begin() as conn:
            op = Operations(MigrationContext.configure(conn))
            m0001_initial.upgrade(op)
            m0002_audit_log.upgrade(op)
            for n, (reference, template) in enumerate([("a-1", "appeal.accepted"), ("a-1", "appeal.accepted"),
                                                       ("a-2", "appeal.accepted.crisis"), ("a-3", "other")]):
                conn.exec_driver_sql(
                    "INSERT INTO deliveries VALUES (?, ?, ?, 'sms', 'sent', '***', 'uk', '', ?)",
                    (f"d-{n}", reference, template, start + timedelta(minutes=n)))
            m0003_delivery_purpose.upgrade(op)
            rows = conn.exec_driver_sql("SELECT delivery_id, purpose FROM deliveries ORDER BY delivery_id").all()
            assert rows == [("d-0", APPEAL_ACKNOWLEDGEMENT), ("d-1", None), ("d-2", APPEAL_ACKNOWLEDGEMENT),
                            ("d-3", None)]
            with pytest.raises(IntegrityError):
                conn.exec_driver_sql("UPDATE deliveries SET purpose = ? WHERE delivery_id = 'd-1'",
                                     (APPEAL_ACKNOWLEDGEMENT,))
    finally:
        engine.dispose()
