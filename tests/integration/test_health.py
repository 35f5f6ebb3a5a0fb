"""Health checks tell the truth, through a real service process: NOT_SERVING while its
database or its broker is out of reach, SERVING again once they are back (Check and Watch).

The database is made unreachable without touching the shared servers: a PostgreSQL
database of this test refuses connections (and its sessions are ended); a SQLite file is
moved away. The broker: the test's own RabbitMQ user is deleted (the broker closes its
connections and refuses new ones), then created again."""

import signal
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid

import grpc
import pika
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from ekm_platform.testing import broker
from ekm_platform.testing.platform import running_platform

pytestmark = [pytest.mark.integration, pytest.mark.timeout(240)]
SERVING, NOT_SERVING = health_pb2.HealthCheckResponse.SERVING, health_pb2.HealthCheckResponse.NOT_SERVING


@pytest.fixture
def own_broker_user():
    """A vhost and a user of this test only: deleting the user disturbs nobody else."""
    vhost, _ = broker.create_vhost("ekm-health")
    user, password = f"ekm-health-{uuid.uuid4().hex[:8]}", uuid.uuid4().hex

    def grant():
        broker.create_user(user, password, vhost, write=".*", read=".*", configure=".*")

    grant()
    yield {
        "uri": f"amqp://{user}:{password}@127.0.0.1:5672/{urllib.parse.quote(vhost, safe='')}",
        "revoke": lambda: broker.delete_user(user),
        "grant": grant,
    }
    try:
        broker.delete_user(user)
    except OSError:
        pass
    broker.delete_vhost(vhost)


def status(platform, service=""):
    with platform.channel("notifications") as ch:
        return health_pb2_grpc.HealthStub(ch).Check(health_pb2.HealthCheckRequest(service=service), timeout=5).status


def until_status(platform, wanted, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if status(platform) == wanted:
            return True
        time.sleep(0.2)
    return False


class Watcher(threading.Thread):
    def __init__(self, platform):
        super().__init__(daemon=True)
        self.channel = platform.channel("notifications")
        self.seen = []

    def run(self):
        try:
            for reply in health_pb2_grpc.HealthStub(self.channel).Watch(health_pb2.HealthCheckRequest()):
                self.seen.append(reply.status)
        except grpc.RpcError:
            pass  # cancelled when the test closes the channel


def events_are_consumed(platform) -> bool:
    """An undecodable event becomes a dead letter: the service's consumer is connected."""
    connection = pika.BlockingConnection(pika.URLParameters(platform.env["EKM_AMQP_URI"]))
    try:
        connection.channel().basic_publish(
            "intake.events",
            "appeal.accepted",
            b"not json",
            pika.BasicProperties(content_type="text/plain", delivery_mode=2),
        )
    finally:
        connection.close()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        listed = subprocess.run(
            [sys.executable, "-m", "ekm_platform.cli", "dead-letters", "notifications"],
            env=platform.env,
            capture_output=True,
            text=True,
            timeout=30,
        ).stdout
        if "1 dead letter" in listed:
            return True
        time.sleep(0.5)
    return False


def database_switch(platform, database_url):
    """(make unreachable, make reachable) for the notifications database."""
    if database_url is None:
        path = platform.home / "var" / "notifications.db"
        away = path.with_name("notifications.db.away")
        return (lambda: path.rename(away)), (lambda: away.rename(path))
    name = f"{make_url(database_url).database}_notifications"
    admin = create_engine(make_url(database_url).set(database="postgres"), isolation_level="AUTOCOMMIT")

    def off():
        with admin.connect() as conn:
            conn.execute(text(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS false'))
            conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"), {"n": name})

    def on():
        with admin.connect() as conn:
            conn.execute(text(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS true'))

    return off, on


def test_health_is_not_serving_without_the_database_or_the_broker(tmp_path, own_broker_user, database_url):
    with running_platform(
        tmp_path,
        own_broker_user["uri"],
        database_url=database_url,
        services=("notifications",),
        extra_env={"EKM_HEALTH_CACHE_SECONDS": "0.5"},
    ) as platform:
        assert status(platform) == SERVING
        watcher = Watcher(platform)
        watcher.start()
        db_off, db_on = database_switch(platform, database_url)
        try:
            db_off()
            assert until_status(platform, NOT_SERVING), platform.log("notifications")[-2000:]
            assert status(platform, "liveness") == SERVING  # the process itself answers
            time.sleep(2.5)  # long enough for Watch (it looks each second) to see it too
            db_on()
            assert until_status(platform, SERVING), platform.log("notifications")[-2000:]

            own_broker_user["revoke"]()
            assert until_status(platform, NOT_SERVING), platform.log("notifications")[-2000:]
            time.sleep(2.5)
            own_broker_user["grant"]()
            assert until_status(platform, SERVING), platform.log("notifications")[-2000:]
            assert "health: NOT_SERVING: database" in platform.log("notifications")
            assert "health: NOT_SERVING: broker" in platform.log("notifications")

            deadline = time.monotonic() + 5
            while len(watcher.seen) < 5 and time.monotonic() < deadline:
                time.sleep(0.2)
            assert watcher.seen[:5] == [SERVING, NOT_SERVING, SERVING, NOT_SERVING, SERVING]
            assert events_are_consumed(platform)  # SERVING again means working again

            with pytest.raises(grpc.RpcError) as unknown:
                status(platform, "ekm.nosuch.v1.Nothing")
            assert unknown.value.code() == grpc.StatusCode.NOT_FOUND

            process = platform.supervisor.programs[0].process  # an open Watch must not hold up a stop
            process.send_signal(signal.SIGTERM)
            assert process.wait(10) == 0
        finally:
            watcher.channel.close()
            try:
                db_on()
            except Exception:
                pass
