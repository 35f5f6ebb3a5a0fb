"""Outbox, inbox and dead-letter tables; every service's database has them."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, DateTime, Integer, MetaData, String, Table, Text

ID = BigInteger().with_variant(Integer, "sqlite")


def _outbox_columns():
    return [
        Column("seq", ID, primary_key=True, autoincrement=True),
        Column("event_id", String(36), nullable=False, unique=True),
        Column("event_type", String(120), nullable=False),
        Column("payload", Text, nullable=False),
        Column("traceparent", String(100)),
        Column("created_at", DateTime(timezone=True), nullable=False),
    ]


def _inbox_columns():
    return [
        Column("event_id", String(36), primary_key=True),
        Column("consumer", String(120), primary_key=True),
        Column("handled_at", DateTime(timezone=True), nullable=False),
    ]


def _dead_letter_columns():
    return [
        Column("seq", ID, primary_key=True, autoincrement=True),
        Column("consumer", String(120), nullable=False),
        Column("event_id", String(64)),
        Column("reason", Text, nullable=False),
        Column("payload", Text, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False),
    ]


TABLES = {"outbox": _outbox_columns, "inbox": _inbox_columns, "dead_letters": _dead_letter_columns}


def messaging_tables(metadata: MetaData) -> dict[str, Table]:
    """The three tables, added to a service's metadata."""
    return {name: Table(name, metadata, *columns()) for name, columns in TABLES.items()}


def create_messaging_tables(op) -> None:
    """For a service's first migration (``op`` is alembic's Operations)."""
    for name, columns in TABLES.items():
        op.create_table(name, *columns())
