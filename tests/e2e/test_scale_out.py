"""Three cases processes share the load (issue 12, item 5 and «Also»), on PostgreSQL.

Three instances of cases run as real processes (``EKM_INSTANCES=cases=3``) over a small
generated database: they listen on cases' one gRPC port together (SO_REUSEPORT) and consume
its queues together. Registry facts arrive as events, each published twice; case managers
read their cases through gRPC over many connections. Each instance must have handled some
events and served some gRPC calls (its own log's ``served:`` lines), every fact must be in
the history exactly once, and the audit chain the three wrote must verify
(``ekm audit-verify``). An instance killed with SIGKILL is restarted by the supervisor and
binds the shared port again.
"""

import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid

import pika
import pytest
from sqlalchemy import text

from ekm.cases.v1 import cases_pb2 as pb
from ekm.cases.v1 import cases_pb2_grpc
from ekm_platform import client, instance_stats
from ekm_platform.db import drop_database, make_engine
from ekm_platform.envelope import Envelope
from ekm_platform.testing.fixtures import postgres_available
from ekm_platform.testing.platform import running_platform

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(120)]
INSTANCES = ("cases", "cases-2", "cases-3")
FACTS, CONNECTIONS, CALLS_EACH = 60, 24, 4
KIND = "registry.disability.established"


@pytest.fixture(scope="module")
def platform(tmp_path_factory, ekm_amqp_uri):
    if not postgres_available():
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is not running on 127.0.0.1:5432 (`make setup-postgres`)")
        pytest.skip("PostgreSQL is not running on 127.0.0.1:5432")
    from cases.tools.generate import generate

    base = f"postgresql+psycopg://postgres:postgres@127.0.0.1:5432/ekmtest_{uuid.uuid4().hex[:8]}"
    try:
        generate(f"{base}_cases", 200, 200, 200, 2)  # cases, their persons and case managers (COPY)
        with running_platform(
            tmp_path_factory.mktemp("ekm"),
            ekm_amqp_uri,
            database_url=base,
            services=("cases",),
            timeout=90,
            # a small pool each: 3 instances stay within PostgreSQL's connections,
            # which other test runs share
            extra_env={
                "EKM_INSTANCES": "cases=3",
                "EKM_STATS_INTERVAL": "1",
                "EKM_AUDIT_ANCHOR_INTERVAL": "1",
                "EKM_MAX_WORKERS": "8",
                "EKM_DB_POOL_SIZE": "4",
                "EKM_DB_MAX_OVERFLOW": "0",
            },
        ) as running:
            running.supervisor.wait_started(timeout=90)
            running.cases_url = f"{base}_cases"
            yield running
    finally:
        drop_database(f"{base}_cases")


def served(platform, name: str) -> dict:
    lines = instance_stats.parse(platform.log(name))
    return lines[-1] if lines else {}


def open_cases(url: str, n: int) -> list:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(
                text(
                    "SELECT case_number, assigned_to, person_id FROM cases WHERE stage <> 'closed' "
                    "AND assigned_to <> '' ORDER BY case_number LIMIT :n"
                ),
                {"n": n},
            ).all()
    finally:
        engine.dispose()


def publish_facts(uri: str, cases) -> None:
    """One registry fact per case, as the gateway's outbox publishes it; each event sent twice."""
    connection = pika.BlockingConnection(pika.URLParameters(uri))
    try:
        channel = connection.channel()
        channel.confirm_delivery()
        properties = pika.BasicProperties(content_type="application/json", delivery_mode=2)
        for number, _, person_id in cases:
            body = json.dumps(
                Envelope(
                    "registry.facts_found",
                    "registry_gateway",
                    {
                        "case_number": number,
                        "person_id": person_id,
                        "registry": "disability",
                        "query_id": str(uuid.uuid4()),
                        "facts": [{"kind": KIND, "occurred_on": "2026-02-03"}],
                    },
                ).to_message()
            ).encode()
            for _ in range(2):
                channel.basic_publish("registry_gateway.events", "registry.facts_found", body, properties)
    finally:
        connection.close()


def test_three_cases_instances_share_events_and_grpc_calls_and_write_one_audit_chain(platform):
    cases = open_cases(platform.cases_url, FACTS)
    assert len(cases) == FACTS
    publish_facts(platform.env["EKM_AMQP_URI"], cases)
    errors, done = [], []

    def case_manager(k: int) -> None:
        try:  # a connection of its own, as a separate frontend process would have
            with client.channel("cases", platform.env, own_connection=True) as ch:
                stub = cases_pb2_grpc.CaseServiceStub(ch)
                for i in range(CALLS_EACH):
                    number, manager, _ = cases[(k * CALLS_EACH + i) % len(cases)]
                    reply = stub.GetCase(
                        pb.GetCaseRequest(case_number=number),
                        metadata=platform.bearer("case_manager", manager),
                        timeout=30,
                    )
                    assert reply.case_number == number
                    done.append(number)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=case_manager, args=(k,)) for k in range(CONNECTIONS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors[:3]
    assert len(done) == CONNECTIONS * CALLS_EACH

    engine = make_engine(platform.cases_url)
    try:
        deadline = time.monotonic() + 30  # the events are handled, and the counts logged every second
        while True:
            with engine.connect() as conn:
                facts = conn.execute(
                    text("SELECT count(*), count(DISTINCT person_id) FROM history WHERE kind = :kind"), {"kind": KIND}
                ).one()
                reads = conn.execute(text("SELECT count(*) FROM audit_log WHERE action = 'case.read'")).scalar()
            stats = {name: served(platform, name) for name in INSTANCES}
            if (
                facts[0] >= FACTS
                and sum(s.get("events", 0) for s in stats.values()) >= 2 * FACTS
                and all(s.get("grpc", 0) for s in stats.values())
            ) or time.monotonic() > deadline:
                break
            time.sleep(0.5)
    finally:
        engine.dispose()
    assert tuple(facts) == (FACTS, FACTS), f"facts in the history (each once): {tuple(facts)}"
    assert all(s.get("events", 0) > 0 for s in stats.values()), f"an instance handled no event: {stats}"
    assert all(s.get("grpc", 0) > 0 for s in stats.values()), f"an instance served no gRPC call: {stats}"
    assert len({s["pid"] for s in stats.values()}) == 3
    assert reads >= CONNECTIONS * CALLS_EACH

    verified = subprocess.run(
        [sys.executable, "-m", "ekm_platform.cli", "audit-verify", "cases", "--chain"],
        env=platform.env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert verified.returncode == 0, verified.stderr + verified.stdout
    assert "audit log intact" in verified.stdout


def test_a_killed_instance_is_restarted_and_serves_on_the_shared_port_again(platform):
    program = next(p for p in platform.supervisor.programs if p.name == "cases-2")
    old = program.process.pid
    os.kill(old, signal.SIGKILL)
    program.process.wait(10)
    assert platform.supervisor.check() == []  # restarted, as `ekm run` does every second
    assert program.process.pid != old
    platform.supervisor.wait_started(timeout=60, names=["cases-2"])
    assert program.process.poll() is None, platform.log("cases-2")[-2000:]
    assert "Address already in use" not in platform.log("cases-2")
    client.wait_healthy("cases", timeout=20, env=platform.env)
