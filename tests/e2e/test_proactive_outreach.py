"""A registry signal becomes a case: the border guard's feed of returns from service →
gateway → intake's proactive appeal → cases, once per signal however often it is polled."""

import sqlite3
import time

import pytest

from ekm.cases.v1 import cases_pb2, cases_pb2_grpc
from ekm_platform.testing.platform import running_platform

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(180)]


@pytest.fixture(scope="module")
def platform(tmp_path_factory):
    # a vhost of its own: the test counts dead letters, and the session vhost may still hold
    # events an earlier file's platform left behind
    from ekm_platform.testing import broker

    with broker.private_vhost("ekm-outreach") as ekm_amqp_uri:
        yield from _platform(tmp_path_factory, ekm_amqp_uri)


def _platform(tmp_path_factory, ekm_amqp_uri):
    with running_platform(
        tmp_path_factory.mktemp("ekm"),
        ekm_amqp_uri,
        services=("intake", "cases", "registry-gateway", "notifications"),
        simulators=True,
        extra_env={"EKM_RETURNS_POLL_SECONDS": "1"},
    ) as running:
        yield running


def outreach_appeals(platform):
    with sqlite3.connect(platform.home / "var" / "intake.db") as db:
        return db.execute("SELECT count(*) FROM appeals WHERE channel = 'registry_signal'").fetchone()[0]


def test_returned_veterans_get_a_case_without_applying(platform):
    deadline = time.monotonic() + 60
    operator = platform.bearer("operator", "op-1")
    with platform.channel("cases") as ch:
        stub = cases_pb2_grpc.CaseServiceStub(ch)
        while time.monotonic() < deadline:
            cases = stub.ListCases(cases_pb2.ListCasesRequest(), metadata=operator, timeout=5).cases
            if len(cases) >= 2:
                break
            time.sleep(0.5)
    assert len(cases) == 2 and all(c.stage == cases_pb2.STAGE_ASSESSMENT for c in cases)
    time.sleep(3)  # several more polls of the same feed
    assert outreach_appeals(platform) == 2
    with sqlite3.connect(platform.home / "var" / "notifications.db") as db:
        assert db.execute("SELECT count(*) FROM dead_letters").fetchone()[0] == 0
