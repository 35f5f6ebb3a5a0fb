"""The acknowledgement's key on real PostgreSQL: two workers handling the same appeal at the
same moment (a re-sent appeal.accepted under a new event id, on two notifications processes)
send one SMS. The second one's claim of (appeal, purpose) waits for the first transaction and
then fails, before it reads the contact or sends anything; retried, it finds the delivery and
sends nothing."""
import threading
import uuid

import pytest
from sqlalchemy.exc import IntegrityError

from ekm_platform.db import drop_database, make_engine, make_session_factory
from ekm_platform.envelope import Envelope
from ekm_platform.migrations import migrate
from ekm_platform.testing.fixtures import postgres_available
from ekm_platform.unit_of_work import UnitOfWork

from notifications.adapters.orm import metadata
from notifications.adapters.repository import DeliveryRepository
from notifications.service_layer import handlers

pytestmark = [pytest.mark.integration, pytest.mark.timeout(60)]


@pytest.fixture
def uow():
    if not postgres_available():
        pytest.skip("PostgreSQL is not running on 127.0.0.1:5432")
    url = f"postgresql+psycopg://postgres:postgres@127.0.0.1:5432/ekmtest_notif_{uuid.uuid4().hex[:8]}"
    migrate(url, "notifications.adapters.migrations")
    engine = make_engine(url)
    try:
        yield lambda: UnitOfWork(make_session_factory(engine), metadata.tables, "notifications", DeliveryRepository)
    finally:
        engine.dispose()
        drop_database(url)


class Recorder:
    channel = "sms"

    def __init__(self):
        self.sent = []

    def send(self, message):
        self.sent.append(message.reference)
        return "provider-1"


def accepted():
    return Envelope("appeal.accepted", "intake", {"appeal_id": "a-1", "tracking_number": "EKM-261203-ABCDEFGH",
                                                  "screening_level": "assessment"})


def contact(appeal_id):
    return {"phone": "+380501110001", "email": "", "locale": "uk"}


def test_two_workers_at_once_send_one_sms(uow):
    first_sms, twin_sms, outcome, twin_asked = Recorder(), Recorder(), {}, []

    def twin_contact(appeal_id):
        twin_asked.append(appeal_id)
        return contact(appeal_id)
    first = uow().__enter__()
    handlers.acknowledge_appeal(accepted(), first, contact, {"sms": first_sms})  # claimed, sent, not committed

    def twin():
        with uow() as u:
            try:  # it looks, finds nothing committed yet, and its claim waits on the first transaction
                outcome["delivery"] = handlers.acknowledge_appeal(accepted(), u, twin_contact, {"sms": twin_sms})
                u.commit()
            except IntegrityError as exc:
                outcome["error"] = exc
    thread = threading.Thread(target=twin)
    thread.start()
    thread.join(1.0)
    assert thread.is_alive(), "the twin should be waiting on the first worker's claim"
    first.commit()
    first.__exit__(None, None, None)
    thread.join(10)
    assert isinstance(outcome.get("error"), IntegrityError) and twin_sms.sent == [] and twin_asked == ["a-1"]  # read before its claim; never sent
    with uow() as u:  # the twin's retry (the event goes back to the queue) finds the delivery
        assert handlers.acknowledge_appeal(accepted(), u, contact, {"sms": twin_sms}) is None
        assert len(u.repo.for_reference("a-1")) == 1
    assert first_sms.sent == ["a-1"] and twin_sms.sent == []
