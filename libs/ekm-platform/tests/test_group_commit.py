"""Group commit on a real SQLite file: concurrent requests' rows in shared transactions,
each request waiting for its own rows, one bad request failing alone."""

import threading

import pytest
from sqlalchemy import Column, MetaData, String, Table, func, select

from ekm_platform import group_commit
from ekm_platform.db import make_engine
from ekm_platform.group_commit import GroupCommit
from ekm_platform.messaging_tables import messaging_tables

pytestmark = pytest.mark.timeout(30)


class Notes:
    def __init__(self, session):
        self.session = session

    def add(self, note_id: str) -> None:
        self.session.execute(NOTES.insert(), {"note_id": note_id, "text": f"note {note_id}"})

    def get(self, note_id: str):
        return self.session.execute(select(NOTES).where(NOTES.c.note_id == note_id)).first()


metadata = MetaData()
NOTES = Table("notes", metadata, Column("note_id", String(16), primary_key=True), Column("text", String(64)))
messaging_tables(metadata)


class Container:
    service_name = "svc"

    def __init__(self):
        self.threads = []

    def spawn_managed_thread(self, run, identifier=None):
        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        self.threads.append(thread)


@pytest.fixture
def writer(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'svc.db'}"
    engine = make_engine(url)
    metadata.create_all(engine)
    engine.dispose()
    monkeypatch.setattr(group_commit, "config", {"DATABASE_URL": url})
    provider = GroupCommit(metadata, Notes)
    provider.container = Container()
    provider.setup()
    transactions = []
    insert = provider._insert
    provider._insert = lambda rows: (transactions.append(len(rows)), insert(rows))[1]
    provider.start()
    provider.transactions = transactions
    yield provider
    provider.stop()


def count(provider, table) -> int:
    with provider.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar()


def test_concurrent_requests_share_transactions_and_each_waits_for_its_rows(writer):
    stored, errors = [], []

    def request(i):
        try:
            with writer.get_dependency(None)() as uow:
                uow.repo.add(f"n{i}")
                uow.publish("note.added", {"note_id": f"n{i}"})
                uow.commit()
            with writer.engine.connect() as conn:  # committed before commit() returned
                stored.append(conn.execute(select(NOTES.c.note_id).where(NOTES.c.note_id == f"n{i}")).scalar())
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    busy, release, insert = threading.Event(), threading.Event(), writer._insert
    writer._insert = lambda rows: (busy.set(), release.wait(10), insert(rows))[2]  # the first batch holds the writer
    first = threading.Thread(target=request, args=(0,))
    first.start()
    assert busy.wait(10)
    threads = [threading.Thread(target=request, args=(i,)) for i in range(1, 40)]
    for t in threads:
        t.start()
    while len(writer.pending) < 39:  # all queued behind the first batch
        threading.Event().wait(0.005)
    release.set()
    for t in [first, *threads]:
        t.join(20)
    assert not errors and sorted(stored) == sorted(f"n{i}" for i in range(40))
    assert count(writer, NOTES) == 40 and count(writer, metadata.tables["outbox"]) == 40
    assert writer.transactions == [2, 78]  # one request's note + event, then everyone else's together


def test_a_bad_request_fails_alone_and_changes_nothing(writer):
    with writer.get_dependency(None)() as uow:
        uow.repo.add("dup")
        uow.commit()
    results = {}
    gate = threading.Barrier(3)

    def request(name, note_ids):
        gate.wait()
        try:
            with writer.get_dependency(None)() as uow:
                for note_id in note_ids:
                    uow.repo.add(note_id)
                uow.commit()
            results[name] = "ok"
        except Exception as exc:
            results[name] = type(exc).__name__

    threads = [
        threading.Thread(target=request, args=args)
        for args in (("good-1", ["g1"]), ("bad", ["b1", "dup"]), ("good-2", ["g2", "g3"]))
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(20)
    assert results["good-1"] == results["good-2"] == "ok" and results["bad"] == "IntegrityError"
    with writer.engine.connect() as conn:
        ids = set(conn.execute(select(NOTES.c.note_id)).scalars())
    assert ids == {"dup", "g1", "g2", "g3"}  # nothing of the bad request, not even b1


def test_rows_are_written_only_on_commit_and_reads_are_refused(writer):
    with writer.get_dependency(None)() as uow:
        uow.repo.add("never")  # no commit: nothing is written
    assert count(writer, NOTES) == 0
    with writer.get_dependency(None)() as uow:
        with pytest.raises(TypeError, match="only inserts"):
            uow.repo.get("x")


def test_a_stopped_writer_refuses_instead_of_hanging(writer):
    writer.stop()
    with writer.get_dependency(None)() as uow:
        uow.repo.add("late")
        with pytest.raises(RuntimeError, match="stopped"):
            uow.commit()


def test_rows_whose_caller_gave_up_waiting_are_never_written_later(writer, monkeypatch):
    busy, release, insert = threading.Event(), threading.Event(), writer._insert
    writer._insert = lambda rows: (busy.set(), release.wait(10), insert(rows))[2]  # the first batch holds the writer
    first = threading.Thread(target=lambda: _add(writer, "first"))
    first.start()
    assert busy.wait(10)
    monkeypatch.setattr(writer, "WAIT_SECONDS", 0.2)
    with pytest.raises(TimeoutError):
        _add(writer, "late")  # queued behind the first batch; its caller times out
    release.set()
    first.join(10)
    _add(writer, "after")  # the writer carries on
    with writer.engine.connect() as conn:
        assert set(conn.execute(select(NOTES.c.note_id)).scalars()) == {"first", "after"}


def test_statements_other_than_a_plain_insert_of_one_row_are_refused(writer):
    with writer.get_dependency(None)() as uow:
        for statement, params in (
            (NOTES.insert().values(note_id="x"), {}),
            (NOTES.insert().returning(NOTES.c.note_id), {"note_id": "y"}),
            (NOTES.insert(), [{"note_id": "z"}]),
        ):
            with pytest.raises(TypeError, match="only inserts single rows"):
                uow.session.execute(statement, params)


def _add(writer, note_id):
    with writer.get_dependency(None)() as uow:
        uow.repo.add(note_id)
        uow.commit()
