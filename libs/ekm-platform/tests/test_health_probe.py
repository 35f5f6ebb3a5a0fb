"""The health probe's checks without a service around them (the real process is in
tests/integration/test_health.py)."""

import socket
import sqlite3

import pytest
from nameko import config

from ekm_platform.grpc_support import HealthProbe


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def probe_for():
    made = []

    def make(database_url, amqp_uri=None, cache="0"):
        import os

        os.environ["EKM_HEALTH_CACHE_SECONDS"] = cache
        with config.patch({"DATABASE_URL": database_url, "AMQP_URI": amqp_uri}):
            probe = HealthProbe()
            probe.setup()
        made.append(probe)
        return probe

    yield make
    import os

    os.environ.pop("EKM_HEALTH_CACHE_SECONDS", None)
    for probe in made:
        probe.stop()


def migrated_sqlite(path):
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE schema_migrations (version TEXT)")
    conn.commit()
    conn.close()


def test_a_sqlite_database_moved_away_is_a_problem_and_back_it_is_not(tmp_path, probe_for):
    path = tmp_path / "svc.db"
    migrated_sqlite(path)
    probe = probe_for(f"sqlite:///{path}")
    assert probe.serving()
    path.rename(tmp_path / "away.db")
    assert not probe.serving() and probe.current_problems()[0].startswith("database:")
    assert not path.exists()  # the probe never creates an empty database in its place
    (tmp_path / "away.db").rename(path)
    assert probe.serving()


def test_a_broker_that_refuses_connections_is_a_problem(tmp_path, probe_for):
    path = tmp_path / "svc.db"
    migrated_sqlite(path)
    probe = probe_for(f"sqlite:///{path}", f"amqp://guest:guest@127.0.0.1:{closed_port()}//")
    assert probe.current_problems()[0].startswith("broker:")


def test_the_answer_is_kept_for_the_cache_period(tmp_path, probe_for):
    path = tmp_path / "svc.db"
    migrated_sqlite(path)
    probe = probe_for(f"sqlite:///{path}", cache="60")
    assert probe.serving()
    path.unlink()
    assert probe.serving()  # not looked at again within 60 s: probes stay cheap
    probe.checked_at = float("-inf")
    assert not probe.serving()
