"""Database engines: one SQLite file per service by default, PostgreSQL by configuration."""

from __future__ import annotations

import logging
import os
from datetime import timezone

from sqlalchemy import DateTime, Insert, Table, TypeDecorator, create_engine, event, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger(__name__)


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


class UnknownColumns(ValueError):
    """An insert named columns its table does not have: refused, instead of SQLAlchemy
    silently leaving them out (a domain field missing from the ORM would go unstored)."""


def _refuse_unknown_columns(conn, clauseelement, multiparams, params, execution_options) -> None:
    if not isinstance(clauseelement, Insert) or not isinstance(clauseelement.table, Table):
        return
    row = multiparams[0] if multiparams else params
    unknown = row.keys() - clauseelement.table.c.keys() if isinstance(row, dict) else ()
    if unknown:
        raise UnknownColumns(f"{clauseelement.table.name} has no column(s) {', '.join(sorted(unknown))}")


def make_engine(url: str, **kwargs) -> Engine:
    """An engine with the settings every service uses."""
    if is_sqlite(url):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30}, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        # per engine, in each process: N instances of a service hold up to N × (size + overflow)
        kwargs.setdefault("pool_size", int(os.environ.get("EKM_DB_POOL_SIZE", "10")))
        kwargs.setdefault("max_overflow", int(os.environ.get("EKM_DB_MAX_OVERFLOW", "20")))
        engine = create_engine(url, pool_pre_ping=True, **kwargs)
    event.listen(engine, "before_execute", _refuse_unknown_columns)
    return engine


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def ensure_database(url: str) -> bool:
    """Create the PostgreSQL database named in ``url`` when it is missing."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        return False
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            exists = conn.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :name"),
                {"name": parsed.database},
            ).scalar()
            if not exists:
                conn.execute(text(f'CREATE DATABASE "{parsed.database}"'))
                log.info("created database %s", parsed.database)
                return True
    finally:
        admin.dispose()
    return False


def drop_database(url: str) -> None:
    """Drop a PostgreSQL database (test fixtures); SQLite files are removed by their owner."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        return
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
    finally:
        admin.dispose()


class UtcDateTime(TypeDecorator):
    """A timestamp that is always timezone-aware UTC, on SQLite as on PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None:
            if value.tzinfo is None:
                raise ValueError("naive datetime: use timezone-aware UTC")
            value = value.astimezone(timezone.utc)
        return value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value
