"""Intake's rules through the real processes, on SQLite and on PostgreSQL: one appeal per
idempotency key however many calls race, keys scoped per caller, a recipient sees only their
own appeals, no appeal without a community, and the audit log of every personal-data access."""

import json
import subprocess
import sys
import threading
import time
import uuid

import grpc
import pytest
from google.rpc import error_details_pb2, status_pb2
from sqlalchemy import text

from ekm.cases.v1 import cases_pb2, cases_pb2_grpc
from ekm.common.v1 import common_pb2
from ekm.intake.v1 import intake_pb2, intake_pb2_grpc
from ekm_platform import client
from ekm_platform.db import drop_database, make_engine
from ekm_platform.testing.fixtures import postgres_available
from ekm_platform.testing.platform import running_platform
from tests.appeals import appeal_request

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(300)]


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def platform(request, tmp_path_factory, ekm_amqp_uri):
    base = None
    if request.param == "postgresql":
        if not postgres_available():
            pytest.skip("PostgreSQL is not running on 127.0.0.1:5432")
        base = f"postgresql+psycopg://postgres:postgres@127.0.0.1:5432/ekmtest_{uuid.uuid4().hex[:8]}"
    try:
        with running_platform(
            tmp_path_factory.mktemp("ekm"), ekm_amqp_uri, database_url=base, services=("intake", "cases")
        ) as running:
            running.intake_url = f"{base}_intake" if base else f"sqlite:///{running.home / 'var' / 'intake.db'}"
            yield running
    finally:
        if base:
            for service in ("intake", "cases"):
                drop_database(f"{base}_{service}")


def query(platform, sql, **params):
    engine = make_engine(platform.intake_url)
    try:
        with engine.connect() as conn:
            return conn.execute(text(sql), params).all()
    finally:
        engine.dispose()


def until(probe, timeout=30.0, interval=0.2):
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(interval)


def test_ten_concurrent_submissions_with_one_key_give_one_appeal_and_one_answer(platform):
    key = f"race-{uuid.uuid4().hex[:12]}"
    request = appeal_request(client_request_id=key)
    md = platform.bearer("case_manager", "cm-race")
    start, answers, failures = threading.Barrier(10), [None] * 10, []

    def call(i):
        with client.channel("intake", platform.env) as channel:  # one grpcio channel per caller
            stub = intake_pb2_grpc.IntakeServiceStub(channel)
            grpc.channel_ready_future(channel).result(timeout=10)
            start.wait(timeout=20)
            try:
                answers[i] = stub.SubmitAppeal(request, metadata=md, timeout=30)
            except grpc.RpcError as exc:
                failures.append((exc.code(), exc.details()))

    threads = [threading.Thread(target=call, args=(i,)) for i in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert failures == []
    assert len({a.SerializeToString() for a in answers}) == 1
    assert query(platform, "SELECT count(*) FROM appeals WHERE client_request_id = :k", k=key)[0][0] == 1
    assert (
        query(
            platform,
            "SELECT count(*) FROM audit_log WHERE action = 'appeal.write' AND subject_id = :a",
            a=answers[0].appeal_id,
        )[0][0]
        == 1
    )


def test_keys_are_per_caller_and_a_different_request_under_a_used_key_is_refused(platform):
    key = f"k-{uuid.uuid4().hex[:12]}"
    request = appeal_request(client_request_id=key)
    with platform.channel("intake") as channel:
        stub = intake_pb2_grpc.IntakeServiceStub(channel)
        mine = stub.SubmitAppeal(request, metadata=platform.bearer("case_manager", "cm-a"), timeout=10)
        theirs = stub.SubmitAppeal(request, metadata=platform.bearer("case_manager", "cm-b"), timeout=10)
        assert mine.appeal_id != theirs.appeal_id
        changed = intake_pb2.SubmitAppealRequest()
        changed.CopyFrom(request)
        changed.description = "Інший опис / another description"
        with pytest.raises(grpc.RpcError) as caught:
            stub.SubmitAppeal(changed, metadata=platform.bearer("case_manager", "cm-a"), timeout=10)
    assert caught.value.code() == grpc.StatusCode.ALREADY_EXISTS
    assert "client_request_id" in caught.value.details()


def field_violations(error: grpc.RpcError) -> list[str]:
    for key, value in error.trailing_metadata() or ():
        if key == "grpc-status-details-bin":
            status = status_pb2.Status.FromString(value)
            found = []
            for detail in status.details:
                bad = error_details_pb2.BadRequest()
                if detail.Unpack(bad):
                    found += [v.field for v in bad.field_violations]
            return found
    return []


def test_an_appeal_without_a_community_is_refused_naming_the_field(platform):
    with platform.channel("intake") as channel:
        stub = intake_pb2_grpc.IntakeServiceStub(channel)
        with pytest.raises(grpc.RpcError) as caught:
            stub.SubmitAppeal(
                appeal_request(community_code="", channel=common_pb2.CHANNEL_RECIPIENT_CABINET),
                metadata=platform.bearer("recipient", "p-x"),
                timeout=10,
            )
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert field_violations(caught.value) == ["community_code"]


def test_a_recipient_sees_only_their_own_appeals(platform):
    status = intake_pb2.GetAppealStatusRequest
    alice, bob = platform.bearer("recipient", f"p-{uuid.uuid4().hex[:8]}"), platform.bearer("recipient", "p-bob")
    with platform.channel("intake") as channel:
        stub = intake_pb2_grpc.IntakeServiceStub(channel)
        hers = stub.SubmitAppeal(
            appeal_request(channel=common_pb2.CHANNEL_RECIPIENT_CABINET), metadata=alice, timeout=10
        )
        with pytest.raises(grpc.RpcError) as caught:  # the denied case first
            stub.GetAppealStatus(status(tracking_number=hers.tracking_number), metadata=bob, timeout=10)
        assert caught.value.code() == grpc.StatusCode.NOT_FOUND
        assert (
            stub.GetAppealStatus(
                status(tracking_number=hers.tracking_number), metadata=alice, timeout=10
            ).tracking_number
            == hers.tracking_number
        )

        # an appeal a case manager made for somebody: visible to that person once it opened their case
        cm = platform.bearer("case_manager", "cm-1")
        made = stub.SubmitAppeal(appeal_request(), metadata=cm, timeout=10)
        number = until(
            lambda: (
                stub.GetAppealStatus(status(tracking_number=made.tracking_number), metadata=cm, timeout=10).case_number
            )
        )
        assert number.startswith("CASE-")
    with platform.channel("cases") as channel:
        case = cases_pb2_grpc.CaseServiceStub(channel).GetCase(
            cases_pb2.GetCaseRequest(case_number=number), metadata=platform.bearer("operator", "op-1"), timeout=10
        )
    with platform.channel("intake") as channel:
        stub = intake_pb2_grpc.IntakeServiceStub(channel)
        with pytest.raises(grpc.RpcError) as caught:
            stub.GetAppealStatus(status(tracking_number=made.tracking_number), metadata=bob, timeout=10)
        assert caught.value.code() == grpc.StatusCode.NOT_FOUND
        person = platform.bearer("recipient", case.person_id)
        assert (
            stub.GetAppealStatus(status(tracking_number=made.tracking_number), metadata=person, timeout=10).case_number
            == number
        )

    entries = query(
        platform,
        "SELECT actor_id, actor_role, action, details FROM audit_log WHERE subject_id = :a ORDER BY seq",
        a=made.appeal_id,
    )
    actions = [(actor, action) for actor, _, action, _ in entries]
    assert ("cm-1", "appeal.write") in actions and ("cases", "appeal.subject_read") in actions
    assert (case.person_id, "appeal.status_read") in actions and ("p-bob", "appeal.status_read") not in actions
    details = " ".join(d for *_, d in entries)
    request = appeal_request()
    assert "+380" not in details and request.applicant.person.last_name not in details
    assert json.loads(entries[0][3])["tracking_number"] == made.tracking_number


def test_intakes_audit_chain_is_intact(platform):
    with platform.channel("intake") as channel:
        intake_pb2_grpc.IntakeServiceStub(channel).SubmitAppeal(
            appeal_request(), metadata=platform.bearer("case_manager", "cm-chain"), timeout=10
        )
    outputs = []

    def verified():  # intake's chainer links (and anchors) the entries within a few seconds
        out = subprocess.run(
            [sys.executable, "-m", "ekm_platform.cli", "audit-verify", "intake"],
            env=platform.env,
            capture_output=True,
            text=True,
            timeout=30,
        )
        outputs.append(out.stdout + out.stderr)
        return out.returncode == 0 and " 0 pending" in out.stdout

    assert until(verified, timeout=20, interval=1.0), outputs[-1]
    assert "audit log intact" in outputs[-1] and " 0 linked" not in outputs[-1]
