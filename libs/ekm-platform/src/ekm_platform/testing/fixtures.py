"""pytest fixtures: a private vhost, database URLs for SQLite and PostgreSQL, the platform."""

from __future__ import annotations

import os
import uuid

import pytest

from ekm_platform.testing import broker


def pytest_configure(config):
    """Every dependency's patch, applied as production applies it (``ekm_platform.runner``):
    the same ``apply_all``, versions checked first; a mismatch stops the test session."""
    from ekm_platform.patches import apply_all

    apply_all()
    _hypothesis_defaults()


def _hypothesis_defaults() -> None:
    """The property tests outside tests/fuzz (which has its own profiles): no time limit per
    example and no "generation is slow" failure — the suite shares two cores with real
    processes, so speed is the benchmarks' business (bench/), never a test's — and no example
    database written into the checkout."""
    try:
        from hypothesis import HealthCheck, settings
    except ImportError:
        return
    settings.register_profile(
        "ekm", deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
    )
    settings.load_profile("ekm")


@pytest.fixture(scope="session")
def ekm_amqp_uri():
    """A fresh vhost on the local RabbitMQ, deleted after the session."""
    try:
        name, uri = broker.create_vhost()
    except OSError as exc:
        pytest.fail(f"RabbitMQ management API unreachable ({exc}); run `make setup`")
    yield uri
    broker.delete_vhost(name)


def postgres_available() -> bool:
    import socket

    try:
        socket.create_connection(("127.0.0.1", 5432), timeout=2).close()
        return True
    except OSError:
        return False


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request):
    """None (one SQLite file per service) or a PostgreSQL base URL whose per-service
    databases are dropped after the test."""
    if request.param == "sqlite":
        yield None
        return
    if not postgres_available():
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is not running on 127.0.0.1:5432 (`make setup-postgres`)")
        pytest.skip("PostgreSQL is not running on 127.0.0.1:5432")
    base = f"postgresql+psycopg://postgres:postgres@127.0.0.1:5432/ekmtest_{uuid.uuid4().hex[:8]}"
    yield base
    from ekm_platform import config
    from ekm_platform.db import drop_database

    saved = os.environ.get("EKM_DATABASE_URL")
    os.environ["EKM_DATABASE_URL"] = base
    try:
        for service in config.SERVICES:
            drop_database(config.database_url(service))
    finally:
        if saved is None:
            os.environ.pop("EKM_DATABASE_URL")
        else:
            os.environ["EKM_DATABASE_URL"] = saved


@pytest.fixture
def sqlite_uow(tmp_path):
    """``sqlite_uow(service, metadata, repository_factory)``: a unit-of-work factory over a
    fresh, migrated SQLite database of that service (no broker needed)."""
    from functools import partial

    from ekm_platform import config
    from ekm_platform.db import make_engine, make_session_factory
    from ekm_platform.migrations import migrate
    from ekm_platform.unit_of_work import UnitOfWork

    engines = []

    def factory(service, metadata, repository_factory):
        url = f"sqlite:///{tmp_path / (config.package_name(service) + '.db')}"
        migrate(url, f"{config.package_name(service)}.adapters.migrations")
        engine = make_engine(url)
        engines.append(engine)
        return partial(UnitOfWork, make_session_factory(engine), metadata.tables, service, repository_factory)

    yield factory
    for engine in engines:
        engine.dispose()
