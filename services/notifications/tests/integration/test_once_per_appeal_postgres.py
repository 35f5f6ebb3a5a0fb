"""The pipeline's guarantees on real PostgreSQL: two workers enqueueing the same acknowledgement at
the same moment store one notification (the second waits on the unique key and gets the first id);
several dispatchers claiming at once take disjoint batches (FOR UPDATE SKIP LOCKED), so every
notification is sent exactly once."""

import threading
import uuid

import pytest

from ekm_platform.db import drop_database, make_engine, make_session_factory
from ekm_platform.envelope import Envelope
from ekm_platform.migrations import migrate
from ekm_platform.testing.fixtures import postgres_available
from ekm_platform.unit_of_work import UnitOfWork
from notifications.adapters.orm import metadata
from notifications.adapters.repository import DeliveryRepository
from notifications.domain.requests import NotificationRequest
from notifications.service_layer import handlers
from notifications.service_layer.outbound import enqueue
from notifications.testing import NOON, SETTINGS, Contacts, phone, run, senders

pytestmark = [pytest.mark.integration, pytest.mark.timeout(90)]


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


def accepted():
    return Envelope(
        "appeal.accepted",
        "intake",
        {"appeal_id": "a-1", "tracking_number": "EKM-261203-ABCDEFGH", "screening_level": "assessment"},
    )


def test_two_workers_at_once_store_one_acknowledgement(uow):
    first = uow().__enter__()
    first_id = handlers.acknowledge_appeal(accepted(), first, None, None)  # stored, not committed
    outcome = {}

    def twin():
        with uow() as u:  # finds nothing committed yet; its insert waits on the first transaction's key
            outcome["id"] = handlers.acknowledge_appeal(accepted(), u, None, None)
            u.commit()

    thread = threading.Thread(target=twin)
    thread.start()
    thread.join(1.0)
    assert thread.is_alive(), "the twin should be waiting on the first worker's key"
    first.commit()
    first.__exit__(None, None, None)
    thread.join(10)
    assert outcome["id"] == first_id
    with uow() as u:
        assert len(u.repo.for_reference("a-1")) == 1


def test_dispatchers_at_once_send_each_notification_once(uow):
    with uow() as u:
        for n in range(120):
            enqueue(
                u,
                NotificationRequest(
                    "applicant",
                    f"a-{n}",
                    "appeal.accepted",
                    {"tracking_number": f"T-{n}"},
                    dedupe_key=f"k-{n}",
                    reference=f"a-{n}",
                ),
            )
        u.commit()
    contacts = Contacts({("applicant", f"a-{n}"): phone() for n in range(120)})
    sendings = [senders() for _ in range(4)]
    settings = SETTINGS.__class__(batch=10, lease=60, max_attempts=3, retry_base=5, rate_limit=0)

    def dispatcher(sending):
        while run(uow, contacts, sending, NOON, settings):
            pass

    threads = [threading.Thread(target=dispatcher, args=(s,)) for s in sendings]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    sent = [m.reference for s in sendings for m in s["sms"].sent]
    assert sorted(sent) == sorted(f"a-{n}" for n in range(120))  # each once, none twice
    assert sum(1 for s in sendings if s["sms"].sent) >= 2  # the work was shared
    with uow() as u:
        rows = [d for n in range(120) for d in u.repo.for_reference(f"a-{n}")]
    assert {d.status for d in rows} == {"sent"} and {d.claimed_by for d in rows} == {""}


def test_a_batch_enqueue_stores_each_key_once_and_answers_the_stored_ids(uow):
    from notifications.service_layer.outbound import enqueue_many

    def request(key):
        return NotificationRequest("applicant", "a-1", "appeal.accepted", {"tracking_number": "T"}, dedupe_key=key)

    with uow() as u:
        first = enqueue(u, request("k-2"))
        u.commit()
    with uow() as u:
        ids = enqueue_many(u, [request("k-1"), request("k-1"), request("k-2"), request("k-3")])
        u.commit()
    assert ids[0] == ids[1] and ids[2] == first and len(set(ids)) == 3
    with uow() as u:
        assert len(u.repo.for_reference("a-1")) == 3
