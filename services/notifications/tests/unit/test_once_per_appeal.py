"""A re-sent ``appeal.accepted`` (a new event id, the same appeal) sends no second SMS; the
contact read and the message sent are in the audit log, identifiers only."""

import pytest
from sqlalchemy import func, select

from ekm_platform.audit import chain_pending, verify
from ekm_platform.dependencies import handle_event
from ekm_platform.envelope import Envelope
from notifications.adapters.orm import audit_log, deliveries, metadata
from notifications.adapters.repository import DeliveryRepository
from notifications.domain.delivery import APPEAL_ACKNOWLEDGEMENT, Delivery
from notifications.service_layer import handlers
from notifications.testing import Contacts, phone, run, senders

PHONE = "+380501110001"


@pytest.fixture
def uow(sqlite_uow):
    return sqlite_uow("notifications", metadata, DeliveryRepository)


def accepted(level="assessment"):
    """A new envelope each time: a new event id for the same appeal."""
    return Envelope(
        "appeal.accepted",
        "intake",
        {"appeal_id": "a-1", "tracking_number": "EKM-261122-ABCDEFGH", "screening_level": level},
    ).to_message()


def handle(uow, body):
    return handle_event(uow, "notifications.on_appeal_accepted", body, handlers.acknowledge_appeal)


def test_the_same_appeal_announced_again_under_a_new_event_id_sends_no_second_sms(uow):
    sending, contacts = senders(), Contacts({("applicant", "a-1"): {**phone(PHONE), "first_name": "Андрій"}})
    assert handle(uow, accepted())
    run(uow, contacts, sending)
    assert handle(uow, accepted())  # handled: a new event id
    assert handle(uow, accepted("crisis"))  # even re-screened, one acknowledgement
    assert run(uow, contacts, sending) == 0  # nothing more is due
    assert len(sending["sms"].sent) == 1 and contacts.asked == [("applicant", ("a-1",))]
    with uow() as u:
        [logged] = u.repo.for_reference("a-1")
    assert (logged.status, logged.provider_id, logged.dedupe_key) == ("sent", "sms-1", f"{APPEAL_ACKNOWLEDGEMENT}:a-1")


def test_an_acknowledgement_logged_before_the_pipeline_is_not_sent_again(tmp_path):
    """m0005 keys rows logged before it by (purpose, reference): the same key enqueue uses."""
    from alembic.migration import MigrationContext
    from alembic.operations import Operations

    from ekm_platform.db import make_engine
    from ekm_platform.migrations import migrate
    from notifications.adapters.migrations import m0001_initial, m0002_audit_log, m0003_delivery_purpose

    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            op = Operations(MigrationContext.configure(conn))
            for m in (m0001_initial, m0002_audit_log, m0003_delivery_purpose):
                m.upgrade(op)
            conn.exec_driver_sql(
                "CREATE TABLE schema_migrations (version VARCHAR(200) PRIMARY KEY, applied_at DATETIME NOT NULL)"
            )
            for name in ("m0001_initial", "m0002_audit_log", "m0003_delivery_purpose"):
                conn.exec_driver_sql("INSERT INTO schema_migrations VALUES (?, '2026-11-01')", (name,))
            conn.exec_driver_sql(
                "INSERT INTO deliveries VALUES ('d-0', 'a-1', 'appeal.accepted', 'sms', 'sent', "
                "'***', 'uk', '', '2026-11-01 10:00:00', ?)",
                (APPEAL_ACKNOWLEDGEMENT,),
            )
    finally:
        engine.dispose()
    migrate(url, "notifications.adapters.migrations")
    from functools import partial

    from ekm_platform.db import make_session_factory
    from ekm_platform.unit_of_work import UnitOfWork

    engine = make_engine(url)
    try:
        uow = partial(UnitOfWork, make_session_factory(engine), metadata.tables, "notifications", DeliveryRepository)
        assert handle(uow, accepted())
        sending = senders()
        assert run(uow, Contacts({("applicant", "a-1"): phone()}), sending) == 0
        assert sending["sms"].sent == []
        with uow() as u:
            assert [d.delivery_id for d in u.repo.for_reference("a-1")] == ["d-0"]
    finally:
        engine.dispose()


def test_the_database_refuses_a_second_notification_with_the_same_key(uow):
    from sqlalchemy.exc import IntegrityError

    def row(n):
        return Delivery(
            reference="a-1",
            template="appeal.accepted",
            channel="",
            status="queued",
            recipient_masked="",
            locale="uk",
            dedupe_key="k-1",
            delivery_id=f"d-{n}",
        )

    with uow() as u:
        u.repo.add(row(1))
        u.commit()
    with uow() as u, pytest.raises(IntegrityError):
        u.repo.add(row(2))
        u.commit()
    with uow() as u:
        assert u.session.execute(select(func.count()).select_from(deliveries)).scalar() == 1


def test_the_message_sent_is_audited_with_identifiers_only(uow):
    assert handle(uow, accepted())
    run(uow, Contacts({("applicant", "a-1"): {**phone(PHONE), "first_name": "Андрій"}}), senders())
    with uow() as u:
        rows = u.session.execute(select(audit_log).order_by(audit_log.c.seq)).mappings().all()
        assert [(r["actor_id"], r["action"], r["subject_type"], r["subject_id"]) for r in rows] == [
            ("notifications", "message.sent", "applicant", "a-1")
        ]
        assert all(PHONE not in r["details"] and "Андрій" not in r["details"] for r in rows)
        assert '"status": "sent"' in rows[0]["details"] and '"channel": "sms"' in rows[0]["details"]
        chain_pending(u.session.connection(), audit_log)
        assert verify(u.session.connection(), audit_log).ok


def test_a_batch_of_acknowledgements_stores_one_per_appeal(uow):
    from ekm_platform.batch_events import handle_events

    bodies = [accepted(), accepted("crisis")] + [
        Envelope(
            "appeal.accepted",
            "intake",
            {"appeal_id": f"a-{n}", "tracking_number": f"T-{n}", "screening_level": "assessment"},
        ).to_message()
        for n in range(2, 6)
    ]
    assert (
        handle_events(
            uow,
            "notifications.on_appeal_accepted",
            bodies,
            handlers.acknowledge_appeal,
            batch_handler=handlers.acknowledge_appeals,
        )
        == 6
    )
    sending = senders()
    run(uow, Contacts({("applicant", f"a-{n}"): phone() for n in range(1, 6)}), sending)
    assert sorted(m.reference for m in sending["sms"].sent) == [f"a-{n}" for n in range(1, 6)]
