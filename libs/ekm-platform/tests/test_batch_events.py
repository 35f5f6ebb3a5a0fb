"""handle_events: a batch of events in one unit of work, each once (the inbox); a batch with a
bad event raises (to be handled again one by one), where the single event is a dead letter."""

import pytest
from sqlalchemy import MetaData, select

from ekm_platform.batch_events import handle_events
from ekm_platform.db import make_engine, make_session_factory
from ekm_platform.dependencies import PermanentEventError
from ekm_platform.envelope import Envelope
from ekm_platform.messaging_tables import messaging_tables
from ekm_platform.migrations import migrate
from ekm_platform.unit_of_work import UnitOfWork


@pytest.fixture
def uow_factory(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'svc.db'}"
    package = tmp_path / "batch_migrations"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "m0001_initial.py").write_text(
        "from ekm_platform.messaging_tables import create_messaging_tables\n"
        "def upgrade(op):\n    create_messaging_tables(op)\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    migrate(url, "batch_migrations")
    engine = make_engine(url)
    tables = messaging_tables(MetaData())
    yield lambda: UnitOfWork(make_session_factory(engine), tables, "svc", lambda session: None)
    engine.dispose()


def body(n, **data):
    e = Envelope("thing.happened", "src", {"thing_id": f"t{n}", **data})
    return e.to_message()


def test_a_batch_is_handled_once_per_event_in_one_transaction(uow_factory):
    seen = []
    bodies = [body(n) for n in range(5)]
    assert handle_events(uow_factory, "svc.on_thing", bodies + [bodies[0]], lambda e, u: seen.append(e.event_id)) == 5
    assert handle_events(uow_factory, "svc.on_thing", bodies, lambda e, u: seen.append(e.event_id)) == 0
    assert len(seen) == 5


def test_a_bad_event_fails_the_batch_and_alone_is_a_dead_letter(uow_factory):
    def handler(e, u):
        if e.data.get("bad"):
            raise PermanentEventError("bad thing")

    bodies = [body(1), body(2, bad=True)]
    with pytest.raises(PermanentEventError):
        handle_events(uow_factory, "svc.on_thing", bodies, handler)
    with uow_factory() as u:  # nothing of the batch was kept
        assert u.handled_among([Envelope.from_message(b).event_id for b in bodies], "svc.on_thing") == set()
    assert handle_events(uow_factory, "svc.on_thing", [bodies[0]], handler) == 1
    assert handle_events(uow_factory, "svc.on_thing", [bodies[1]], handler) == 0
    with uow_factory() as u:
        reasons = u.session.execute(select(u._tables["dead_letters"].c.reason)).scalars().all()
    assert reasons == ["bad thing"]
