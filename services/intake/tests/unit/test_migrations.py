"""m0003 moves the idempotency key from client_request_id alone to (submitter, key), keeping
the appeals already stored — on SQLite (table copied) and PostgreSQL (constraint dropped)."""

import socket
import uuid
from datetime import datetime, timezone

import pytest
from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from ekm_platform.db import drop_database, ensure_database, make_engine
from ekm_platform.migrations import _meta, migrate, schema_migrations
from intake.adapters.migrations import m0001_initial

PACKAGE = "intake.adapters.migrations"


def _postgres() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 5432), timeout=1).close()
        return True
    except OSError:
        return False


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'intake.db'}"
        return
    if not _postgres():
        pytest.skip("PostgreSQL is not running on 127.0.0.1:5432")
    url = f"postgresql+psycopg://postgres:postgres@127.0.0.1:5432/ekmtest_intake_{uuid.uuid4().hex[:8]}"
    yield url
    drop_database(url)


def row(appeal_id, key, submitted_by=None):
    now = datetime.now(timezone.utc)
    values = dict(
        appeal_id=appeal_id,
        tracking_number=f"EKM-{appeal_id}",
        client_request_id=key,
        channel="phone",
        screening_level="assessment",
        state="accepted",
        case_number="",
        community_code="",
        urgent=False,
        consent=True,
        description="d",
        applicant="{}",
        subject="{}",
        submitted_at=now,
        updated_at=now,
    )
    if submitted_by is not None:
        values["submitted_by"] = submitted_by
    return values


INSERT_OLD = text(
    "INSERT INTO appeals (appeal_id, tracking_number, client_request_id, channel, screening_level, "
    "state, case_number, community_code, urgent, consent, description, applicant, subject, "
    "submitted_at, updated_at) VALUES (:appeal_id, :tracking_number, :client_request_id, :channel, "
    ":screening_level, :state, :case_number, :community_code, :urgent, :consent, :description, "
    ":applicant, :subject, :submitted_at, :updated_at)"
)
INSERT_NEW = text(
    INSERT_OLD.text.replace("updated_at)", "updated_at, submitted_by)", 1).replace(
        ":updated_at)", ":updated_at, :submitted_by)"
    )
)


def test_upgrading_keeps_old_appeals_and_scopes_the_key_per_caller(url):
    ensure_database(url)
    engine = make_engine(url)
    try:
        with engine.begin() as conn:  # a database as m0001 left it, with an appeal in it
            _meta.create_all(conn)
            m0001_initial.upgrade(Operations(MigrationContext.configure(conn)))
            conn.execute(
                schema_migrations.insert().values(version="m0001_initial", applied_at=datetime.now(timezone.utc))
            )
            conn.execute(INSERT_OLD, row("a-old", "demo-1"))
        assert migrate(url, PACKAGE)[:3] == ["m0002_audit_log", "m0003_appeal_callers", "m0004_communities"]
        with engine.begin() as conn:
            kept = conn.execute(text("SELECT client_request_id, submitted_by, request_hash FROM appeals")).all()
            assert [tuple(r) for r in kept] == [("demo-1", "", "")]
            conn.execute(INSERT_NEW, row("a-alice", "demo-1", "alice"))  # same key, other caller
            conn.execute(INSERT_NEW, row("a-bob", "demo-1", "bob"))
            assert conn.execute(text("SELECT count(*) FROM communities")).scalar() >= 1
        with pytest.raises(IntegrityError), engine.begin() as conn:
            conn.execute(INSERT_NEW, row("a-alice-2", "demo-1", "alice"))
        with pytest.raises(IntegrityError), engine.begin() as conn:  # tracking numbers stay unique
            conn.execute(INSERT_NEW, {**row("a-x", "other", "x"), "tracking_number": "EKM-a-old"})
    finally:
        engine.dispose()
