"""Reminders on real PostgreSQL with two real notifications worker processes (issue 9, item 8):
they share the due reminders without ever sending one twice — rows locked by one are skipped by
the other (FOR UPDATE SKIP LOCKED), a claim is its claimant's, and a claim whose process died is
taken over once its lease has run out."""

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import func, select

from ekm_platform.db import drop_database, make_engine, make_session_factory
from ekm_platform.migrations import migrate
from ekm_platform.testing.fixtures import postgres_available
from ekm_platform.unit_of_work import UnitOfWork
from notifications.adapters.orm import deliveries, metadata
from notifications.adapters.reminder_store import reminders as reminders_table
from notifications.adapters.repository import DeliveryRepository
from notifications.domain import reminders as r

pytestmark = [pytest.mark.integration, pytest.mark.timeout(120)]
WORKER = Path(__file__).with_name("reminder_worker.py")


@pytest.fixture
def database():
    if not postgres_available():
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is not running on 127.0.0.1:5432")
        pytest.skip("PostgreSQL is not running on 127.0.0.1:5432")
    url = f"postgresql+psycopg://postgres:postgres@127.0.0.1:5432/ekmtest_remind_{uuid.uuid4().hex[:8]}"
    migrate(url, "notifications.adapters.migrations")
    engine = make_engine(url)
    try:
        yield (
            url,
            lambda: UnitOfWork(make_session_factory(engine), metadata.tables, "notifications", DeliveryRepository),
        )
    finally:
        engine.dispose()
        drop_database(url)


def due_reminders(uow, count):
    now = datetime.now(timezone.utc) - timedelta(seconds=1)
    with uow() as u:
        for i in range(count):
            assert u.repo.reminders.add(
                r.Reminder(
                    key=r.step_key(r.STEP_OVERDUE, f"c-{i}", "s1"),
                    kind=r.STEP_OVERDUE,
                    case_id=f"c-{i}",
                    due_at=now,
                    subject_ref="s1",
                    due_on=(now - timedelta(days=2)).date().isoformat(),
                )
            )
        u.commit()


def worker(url, *args, stdin=None):
    return subprocess.Popen(
        [sys.executable, str(WORKER), url, *args],
        stdout=subprocess.PIPE,
        stdin=stdin,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )


def finish(process, timeout=60):
    out, err = process.communicate(timeout=timeout)
    assert process.returncode == 0, err[-3000:]
    return json.loads(out.strip().splitlines()[-1])


def state(uow):
    with uow() as u:
        rows = u.session.execute(
            select(reminders_table.c.state, reminders_table.c.claimed_by, reminders_table.c.attempts)
        ).all()
        keys = u.session.execute(select(deliveries.c.dedupe_key, func.count()).group_by(deliveries.c.dedupe_key)).all()
    return rows, dict(keys)


def test_two_processes_share_the_due_reminders_and_send_each_once(database, tmp_path):
    url, uow = database
    due_reminders(uow, 300)
    go = tmp_path / "go"
    processes = [worker(url, "run", name, str(go)) for name in ("w-a", "w-b")]
    deadline = time.monotonic() + 60
    while not all(Path(f"{go}.ready-{name}").exists() for name in ("w-a", "w-b")) and time.monotonic() < deadline:
        time.sleep(0.05)
    go.touch()  # both start together, once both are connected
    counts = [finish(p) for p in processes]
    assert sum(c.get("sent", 0) for c in counts) == 300, counts
    assert all(c.get("sent", 0) > 0 for c in counts), counts  # both took their share
    assert not any(c.get("lost") for c in counts)
    rows, keys = state(uow)
    assert {row.state for row in rows} == {"sent"} and {row.attempts for row in rows} == {1}
    assert {row.claimed_by for row in rows} == {"w-a", "w-b"}
    assert len(keys) == 600 and set(keys.values()) == {1}  # the person and the case manager, once each


def test_rows_locked_by_one_process_are_skipped_by_the_other_not_waited_for(database, tmp_path):
    url, uow = database
    due_reminders(uow, 20)
    holder = worker(url, "lock-and-hold", "w-a", stdin=subprocess.PIPE)
    held = json.loads(holder.stdout.readline())
    assert len(held) == 20
    go = tmp_path / "go"
    go.touch()
    other = worker(url, "run", "w-b", str(go))
    assert finish(other, timeout=30) == {}  # at once: nothing it may take
    holder.stdin.write("\n")
    holder.stdin.flush()
    assert finish(holder) == "committed"
    rows, keys = state(uow)
    assert {(row.state, row.claimed_by) for row in rows} == {("claimed", "w-a")} and keys == {}


def test_a_claim_whose_process_died_is_taken_over_after_its_lease_and_sent_once(database, tmp_path):
    url, uow = database
    due_reminders(uow, 30)
    hung = worker(url, "claim-and-hang", "w-a")
    assert len(json.loads(hung.stdout.readline())) == 30
    hung.send_signal(signal.SIGKILL)
    hung.wait(10)
    go = tmp_path / "go"
    go.touch()
    assert finish(worker(url, "run", "w-b", str(go))) == {}  # the lease still holds: nothing yet
    later = str(r.CLAIM_LEASE.total_seconds() + 5)  # as if the lease had run out
    assert finish(worker(url, "run", "w-b", str(go), later)) == {"sent": 30}
    assert finish(worker(url, "run", "w-c", str(go), later)) == {}  # and nobody sends them again
    rows, keys = state(uow)
    assert {(row.state, row.claimed_by, row.attempts) for row in rows} == {("sent", "w-b", 2)}
    assert len(keys) == 60 and set(keys.values()) == {1}
