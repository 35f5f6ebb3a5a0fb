"""Schema migrations: numbered modules with ``upgrade(op)``, applied once, in order.

A service keeps its migrations in ``<package>/adapters/migrations/m0001_<name>.py``;
``op`` is alembic's ``Operations`` bound to the migrating connection. Applied versions
are recorded in ``schema_migrations``. On PostgreSQL an advisory lock makes concurrent
migrators wait for each other.
"""

from __future__ import annotations

import importlib
import pkgutil
from datetime import datetime, timezone

from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy import Column, DateTime, MetaData, String, Table, select

from ekm_platform.db import ensure_database, make_engine

_meta = MetaData()
schema_migrations = Table(
    "schema_migrations",
    _meta,
    Column("version", String(200), primary_key=True),
    Column("applied_at", DateTime(timezone=True), nullable=False),
)


def discover(package: str) -> list[tuple[str, object]]:
    pkg = importlib.import_module(package)
    names = sorted(m.name for m in pkgutil.iter_modules(pkg.__path__) if m.name.startswith("m"))
    return [(name, importlib.import_module(f"{package}.{name}")) for name in names]


def migrate(url: str, package: str) -> list[str]:
    """Apply the pending migrations of ``package`` to the database at ``url``."""
    ensure_database(url)
    engine = make_engine(url)
    applied_now = []
    try:
        with engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.exec_driver_sql("SELECT pg_advisory_xact_lock(72657)")
            _meta.create_all(conn)
            done = set(conn.execute(select(schema_migrations.c.version)).scalars())
            op = Operations(MigrationContext.configure(conn))
            for version, module in discover(package):
                if version in done:
                    continue
                module.upgrade(op)
                conn.execute(schema_migrations.insert().values(version=version, applied_at=datetime.now(timezone.utc)))
                applied_now.append(version)
    finally:
        engine.dispose()
    return applied_now
