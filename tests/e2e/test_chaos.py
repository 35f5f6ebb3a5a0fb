"""Chaos, reduced (``make chaos`` runs 10,000 appeals): a few hundred appeals and registry
records while every service is killed with SIGKILL once and RabbitMQ is restarted once;
nothing the clients saw accepted is lost, nothing is duplicated (bench/chaos.py)."""

import os
import subprocess

import pytest

from bench.chaos import print_report, run_chaos
from ekm_platform.testing.fixtures import postgres_available

pytestmark = [pytest.mark.e2e, pytest.mark.chaos, pytest.mark.timeout(300)]  # chaos: restarts RabbitMQ, run alone


def test_nothing_lost_or_duplicated_under_kill_9_and_a_broker_restart():
    if not postgres_available():
        pytest.fail("PostgreSQL is not running on 127.0.0.1:5432 (`make setup-postgres`)")
    try:
        report, timings = run_chaos(
            appeals=150,
            concurrency=6,
            feed_records=60,
            broker_down=1.0,
            broker_lock=os.environ.get("EKM_CHAOS_BROKER_LOCK"),
            settle_timeout=90,
            give_up=120,
            recovery_timeout=120,
            overlap=True,
        )
    finally:  # whatever happened, the broker is left running
        subprocess.run(["rabbitmqctl", "start_app"], check=False, capture_output=True, timeout=180)
    print_report(report, timings)
    assert report.violations == []
    counts = report.counts
    assert counts["appeals accepted (client saw)"] + counts["client gave up"] == 150
    assert counts["outcome: case opened"] == counts["cases"] > 0
    assert (
        counts["registry records acknowledged (AMQP)"] == 30 and counts["registry records acknowledged (HTTPS)"] == 30
    )
    killed = [k for k in counts if k.startswith("fault: ")]
    assert len(killed) == 6  # five services and the broker
