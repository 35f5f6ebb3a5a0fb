import json

import pytest
from sqlalchemy import MetaData, select

from ekm_platform.db import make_engine, make_session_factory
from ekm_platform.dependencies import PermanentEventError, handle_event
from ekm_platform.envelope import Envelope, PersonalDataInEvent
from ekm_platform.messaging_tables import messaging_tables
from ekm_platform.migrations import migrate
from ekm_platform.unit_of_work import UnitOfWork


@pytest.fixture
def uow_factory(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'svc.db'}"
    # a throwaway migrations package with the messaging tables only
    package = tmp_path / "svc_migrations"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "m0001_initial.py").write_text(
        "from ekm_platform.messaging_tables import create_messaging_tables\n"
        "def upgrade(op):\n    create_messaging_tables(op)\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    assert migrate(url, "svc_migrations") == ["m0001_initial"]
    assert migrate(url, "svc_migrations") == []  # applied once
    engine = make_engine(url)
    tables = messaging_tables(MetaData())
    yield lambda: UnitOfWork(make_session_factory(engine), tables, "svc", lambda session: None)
    engine.dispose()


def _rows(uow_factory, table):
    with uow_factory() as uow:
        return uow.session.execute(select(uow._tables[table])).all()


def test_publish_writes_the_outbox_only_on_commit(uow_factory):
    with uow_factory() as uow:
        uow.publish("thing.happened", {"thing_id": "t1"})
    assert _rows(uow_factory, "outbox") == []
    with uow_factory() as uow:
        envelope = uow.publish("thing.happened", {"thing_id": "t1"})
        uow.commit()
    [row] = _rows(uow_factory, "outbox")
    assert json.loads(row.payload)["event_id"] == envelope.event_id


def test_personal_data_never_reaches_the_outbox(uow_factory):
    with uow_factory() as uow, pytest.raises(PersonalDataInEvent):
        uow.publish("thing.happened", {"rnokpp": "1234567890"})
    assert _rows(uow_factory, "outbox") == []


def test_an_event_is_handled_once(uow_factory):
    calls = []
    body = Envelope("thing.happened", "svc", {"thing_id": "t1"}).to_message()
    handler = lambda envelope, uow: calls.append(envelope.event_id)  # noqa: E731
    assert handle_event(uow_factory, "consumer", body, handler) is True
    assert handle_event(uow_factory, "consumer", body, handler) is False
    assert handle_event(uow_factory, "other-consumer", body, handler) is True
    assert len(calls) == 2


def test_bad_and_poison_events_go_to_dead_letters(uow_factory):
    def poison(envelope, uow):
        raise PermanentEventError("cannot be handled")

    assert handle_event(uow_factory, "consumer", {"garbage": True}, poison) is False
    good = Envelope("thing.happened", "svc", {"thing_id": "t2"}).to_message()
    assert handle_event(uow_factory, "consumer", good, poison) is False
    reasons = [row.reason for row in _rows(uow_factory, "dead_letters")]
    assert len(reasons) == 2 and "cannot be handled" in reasons[1]
    assert _rows(uow_factory, "inbox") == []


def test_a_failing_handler_changes_nothing_and_can_be_retried(uow_factory):
    body = Envelope("thing.happened", "svc", {"thing_id": "t3"}).to_message()

    def flaky(envelope, uow):
        uow.publish("thing.followed", {"thing_id": "t3"})
        raise ConnectionError("broker away")

    with pytest.raises(ConnectionError):
        handle_event(uow_factory, "consumer", body, flaky)
    assert _rows(uow_factory, "outbox") == [] and _rows(uow_factory, "inbox") == []
    assert handle_event(uow_factory, "consumer", body, lambda e, u: u.publish("thing.followed", {})) is True
    assert len(_rows(uow_factory, "outbox")) == 1


def test_an_insert_naming_a_column_its_table_lacks_is_refused(tmp_path):
    from sqlalchemy import Column, Integer, MetaData, String, Table, func, select

    from ekm_platform.db import UnknownColumns

    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    things = Table("things", MetaData(), Column("id", Integer, primary_key=True), Column("name", String))
    things.create(engine)
    with engine.begin() as conn:
        conn.execute(things.insert(), {"id": 1, "name": "a"})
        conn.execute(things.insert(), [{"id": 2, "name": "b"}, {"id": 3, "name": "c"}])
    for rows in ({"id": 4, "nmae": "typo"}, [{"id": 5, "extra": 1}]):
        with pytest.raises(UnknownColumns, match="things has no column"), engine.begin() as conn:
            conn.execute(things.insert(), rows)
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(things)).scalar() == 3
    engine.dispose()
