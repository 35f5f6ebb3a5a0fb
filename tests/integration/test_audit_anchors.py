"""The audit chain's anchors through the real processes: the cases service links and anchors
its audit log; `ekm audit-verify cases` (another process) holds the database against the
anchors, on SQLite and PostgreSQL, after the append-only triggers were got around."""

import json
import subprocess
import sys
import time

import pytest
from sqlalchemy import MetaData, text

from ekm_platform import config
from ekm_platform.audit import AuditEntry, audit_table
from ekm_platform.db import make_engine
from ekm_platform.testing import broker
from ekm_platform.testing.platform import running_platform

pytestmark = [pytest.mark.integration, pytest.mark.timeout(180)]
table = audit_table(MetaData())


def until(probe, timeout=30.0):
    deadline = time.monotonic() + timeout
    while not (value := probe()) and time.monotonic() < deadline:
        time.sleep(0.2)
    return value


def audit_verify(env, *extra):
    return subprocess.run(
        [sys.executable, "-m", "ekm_platform.cli", "audit-verify", "cases", *extra],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def newest_anchor(home):
    path = home / "var" / "audit-anchors" / "cases.jsonl"
    lines = path.read_text().splitlines() if path.exists() else []
    return json.loads(lines[-1]) if lines else {"chain_pos": 0}


@pytest.fixture
def own_vhost():
    """Its own vhost: events other tests left in the shared one must not write audit entries here."""
    name, uri = broker.create_vhost("ekm-anchors")
    yield uri
    broker.delete_vhost(name)


def test_a_cut_tail_of_a_running_services_log_is_found(tmp_path, own_vhost, database_url, monkeypatch):
    with running_platform(
        tmp_path,
        own_vhost,
        database_url=database_url,
        services=("cases",),
        extra_env={"EKM_AUDIT_ANCHOR_INTERVAL": "0.2"},
    ) as platform:
        for name, value in platform.env.items():
            if name.startswith("EKM_"):
                monkeypatch.setenv(name, value)
        url = config.database_url("cases")
        engine = make_engine(url)
        try:
            with engine.begin() as conn:  # what requests of the service append
                for i in range(8):
                    conn.execute(
                        table.insert().values(
                            **AuditEntry(
                                "cm-1", "case_manager", "case.read", "case", f"case-{i}", "ведення випадку", {}
                            ).row()
                        )
                    )
            assert until(lambda: newest_anchor(tmp_path)["chain_pos"] >= 8), platform.log("cases")[-2000:]
            clean = audit_verify(platform.env)
            assert clean.returncode == 0, clean.stderr
            assert "8 linked" in clean.stdout

            with engine.begin() as conn:  # the database's owner gets around the trigger
                if conn.dialect.name == "postgresql":
                    conn.execute(text("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only"))
                else:
                    conn.execute(text("DROP TRIGGER audit_log_no_delete"))
                conn.execute(text("DELETE FROM audit_log WHERE chain_pos > 5"))
            cut = audit_verify(platform.env)
            assert cut.returncode == 3
            assert "position 8" in cut.stderr and "tail was cut" in cut.stderr
        finally:
            engine.dispose()
