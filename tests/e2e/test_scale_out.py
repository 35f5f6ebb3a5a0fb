"""Three cases processes share the load (issue 12, item 5 and «Also»), on PostgreSQL.

intake and 3 instances of cases run as real processes (``EKM_INSTANCES=cases=3``): the
instances listen on cases' one gRPC port together (SO_REUSEPORT) and consume its queues
together. Appeals submitted through intake reach cases as events; case managers read the
cases through gRPC over many connections. Each instance must have handled some events and
served some gRPC calls (its own log's ``served:`` lines), every appeal must have opened
exactly one case, and the audit chain all three wrote must verify (``ekm audit-verify``).
An instance killed with SIGKILL is restarted by the supervisor and binds the shared port
again.
"""
import os
import signal
import subprocess
import sys
import threading
import time
import uuid

import pytest
from nameko.standalone.rpc import ServiceRpcClient
from sqlalchemy import text

from ekm.cases.v1 import cases_pb2 as pb
from ekm.cases.v1 import cases_pb2_grpc
from ekm.intake.v1 import intake_pb2, intake_pb2_grpc
from ekm_platform import client, instance_stats
from ekm_platform.db import drop_database, make_engine
from ekm_platform.testing.fixtures import postgres_available
from ekm_platform.testing.platform import running_platform
from tests.appeals import appeal_request

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(120)]
COMMUNITY = "UA80000000000093317"
INSTANCES = ("cases", "cases-2", "cases-3")
APPEALS, CONNECTIONS, CALLS_EACH = 30, 24, 8


@pytest.fixture(scope="module")
def platform(tmp_path_factory, ekm_amqp_uri):
    if not postgres_available():
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is not running on 127.0.0.1:5432 (`make setup-postgres`)")
        pytest.skip("PostgreSQL is not running on 127.0.0.1:5432")
    base = f"postgresql+psycopg://postgres:postgres@127.0.0.1:5432/ekmtest_{uuid.uuid4().hex[:8]}"
    try:
        with running_platform(tmp_path_factory.mktemp("ekm"), ekm_amqp_uri, database_url=base,
                              services=("intake", "cases"), timeout=90,
                              extra_env={"EKM_INSTANCES": "cases=3", "EKM_STATS_INTERVAL": "1",
                                         "EKM_AUDIT_ANCHOR_INTERVAL": "1"}) as running:
            running.supervisor.wait_started(timeout=90)
            running.cases_url = f"{base}_cases"
            with ServiceRpcClient("cases", uri=running.env["EKM_AMQP_URI"], timeout=20) as cases:
                cases.register_case_manager("cm-scale-1", COMMUNITY, 1000, ["veterans"], "sv-scale-1")
            yield running
    finally:
        for service in ("intake", "cases"):
            drop_database(f"{base}_{service}")


def served(platform, name: str) -> dict:
    lines = instance_stats.parse(platform.log(name))
    return lines[-1] if lines else {}


def submit_appeals(platform, n: int) -> list[str]:
    """n appeals (each a new person) through intake; their case numbers once cases opened them."""
    md = platform.bearer("case_manager", "cm-scale-1")
    with platform.channel("intake") as ch:
        intake = intake_pb2_grpc.IntakeServiceStub(ch)
        tracking = [intake.SubmitAppeal(appeal_request(), metadata=md, timeout=20).tracking_number for _ in range(n)]
        numbers, deadline = {}, time.monotonic() + 60
        while len(numbers) < n and time.monotonic() < deadline:
            for t in set(tracking) - set(numbers):
                number = intake.GetAppealStatus(intake_pb2.GetAppealStatusRequest(tracking_number=t),
                                                metadata=md, timeout=10).case_number
                if number:
                    numbers[t] = number
            time.sleep(0.2)
    assert len(numbers) == n, f"{n - len(numbers)} appeals without a case after 60 s"
    return list(numbers.values())


def test_three_cases_instances_share_events_and_grpc_calls_and_write_one_audit_chain(platform):
    numbers = submit_appeals(platform, APPEALS)
    assert len(set(numbers)) == APPEALS

    errors, done = [], []

    def case_manager(k: int) -> None:
        md = platform.bearer("case_manager", "cm-scale-1")
        try:  # a connection of its own, as a separate frontend process would have
            with client.channel("cases", platform.env, own_connection=True) as ch:
                stub = cases_pb2_grpc.CaseServiceStub(ch)
                for i in range(CALLS_EACH):
                    number = numbers[(k * CALLS_EACH + i) % len(numbers)]
                    assert stub.GetCase(pb.GetCaseRequest(case_number=number), metadata=md,
                                        timeout=30).case_number == number
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

    deadline = time.monotonic() + 15  # the counts are logged every EKM_STATS_INTERVAL (1 s) when they change
    while time.monotonic() < deadline:
        stats = {name: served(platform, name) for name in INSTANCES}
        if sum(s.get("grpc", 0) for s in stats.values()) >= CONNECTIONS * CALLS_EACH and all(
                s.get("events", 0) and s.get("grpc", 0) for s in stats.values()):
            break
        time.sleep(0.5)
    assert all(s.get("events", 0) > 0 for s in stats.values()), f"an instance handled no event: {stats}"
    assert all(s.get("grpc", 0) > 0 for s in stats.values()), f"an instance served no gRPC call: {stats}"
    assert len({s["pid"] for s in stats.values()}) == 3

    engine = make_engine(platform.cases_url)
    try:
        with engine.connect() as conn:
            _, persons = conn.execute(text("SELECT count(*), count(DISTINCT person_id) FROM cases")).one()
            appeals = conn.execute(text("SELECT count(*) FROM case_appeals")).scalar()
            opened = conn.execute(text("SELECT count(*) FROM cases")).scalar()
            reads = conn.execute(text("SELECT count(*) FROM audit_log WHERE action = 'case.read'")).scalar()
    finally:
        engine.dispose()
    assert opened == persons == appeals == APPEALS, (opened, persons, appeals)  # one case per appeal, none twice
    assert reads >= CONNECTIONS * CALLS_EACH

    verified = subprocess.run([sys.executable, "-m", "ekm_platform.cli", "audit-verify", "cases", "--chain"],
                              env=platform.env, capture_output=True, text=True, timeout=60)
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
