"""The audit log of personal data: who, in which role, did what, to which case, why, when.

Append-only and hash-chained. A request appends its entry in its own transaction (a
plain insert, no lock to wait for); a chainer then links entries in the order it finds
them committed (``chain_pos``), each hash covering the previous hash and the entry, in
one short transaction per batch. Editing
or deleting an entry is refused by the database (triggers), and any edit made around
them breaks the chain, which ``verify`` reports with the first broken entry.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import BigInteger, Column, DateTime, Integer, MetaData, String, Table, Text, select, text, update
from sqlalchemy.engine import Connection

ID = BigInteger().with_variant(Integer, "sqlite")
GENESIS = "0" * 64
_TRIGGERS = {
    "sqlite": [
        """CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
           BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END""",
        """CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log WHEN old.hash != ''
           BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END""",
    ],
    "postgresql": [
        """CREATE FUNCTION audit_log_append_only() RETURNS trigger AS $$
           BEGIN
             IF TG_OP = 'DELETE' OR OLD.hash <> '' THEN
               RAISE EXCEPTION 'audit log is append-only';
             END IF;
             RETURN NEW;
           END $$ LANGUAGE plpgsql""",
        """CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
           FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()""",
    ],
}


def _columns():
    return [
        Column("seq", ID, primary_key=True, autoincrement=True),
        Column("at", DateTime(timezone=True), nullable=False),
        Column("actor_id", String(64), nullable=False),
        Column("actor_role", String(32), nullable=False),
        Column("action", String(64), nullable=False),
        Column("subject_type", String(32), nullable=False),
        Column("subject_id", String(64), nullable=False, index=True),
        Column("purpose", String(200), nullable=False),
        Column("details", Text, nullable=False),
        Column("chain_pos", BigInteger, unique=True),  # order in the chain, set when linked
        Column("prev_hash", String(64), nullable=False, server_default=""),
        Column("hash", String(64), nullable=False, server_default="", index=True),
    ]


def audit_table(metadata: MetaData) -> Table:
    return Table("audit_log", metadata, *_columns())


def create_audit_log(op) -> None:
    """For a service's migration (``op`` is alembic's Operations)."""
    op.create_table("audit_log", *_columns())
    dialect = op.get_bind().dialect.name
    for statement in _TRIGGERS.get(dialect, []):
        op.execute(statement)


@dataclass(frozen=True)
class AuditEntry:
    actor_id: str
    actor_role: str
    action: str  # e.g. "case.read", "assessment.write"
    subject_type: str  # e.g. "case", "person"
    subject_id: str  # an identifier, never a name
    purpose: str
    details: dict  # identifiers only
    at: datetime | None = None

    def row(self) -> dict:
        return {
            "at": self.at or datetime.now(timezone.utc),
            "actor_id": self.actor_id,
            "actor_role": self.actor_role,
            "action": self.action,
            "subject_type": self.subject_type,
            "subject_id": self.subject_id,
            "purpose": self.purpose,
            "details": json.dumps(self.details, sort_keys=True, ensure_ascii=False),
        }


def entry_hash(prev_hash: str, row) -> str:
    at = row["at"]
    if isinstance(at, datetime):
        at = (at if at.tzinfo else at.replace(tzinfo=timezone.utc)).astimezone(timezone.utc).isoformat()
    canonical = json.dumps(
        [
            prev_hash,
            row["chain_pos"],
            row["seq"],
            at,
            row["actor_id"],
            row["actor_role"],
            row["action"],
            row["subject_type"],
            row["subject_id"],
            row["purpose"],
            row["details"],
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def chain_pending(conn: Connection, table: Table, limit: int = 1000) -> int:
    """Link up to ``limit`` unchained entries, in order; returns how many were linked."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(72658)"))
    head = conn.execute(
        select(table.c.hash, table.c.chain_pos)
        .where(table.c.chain_pos.is_not(None))
        .order_by(table.c.chain_pos.desc())
        .limit(1)
    ).first()
    last, position = (head.hash, head.chain_pos) if head else (GENESIS, 0)
    rows = (
        conn.execute(select(table).where(table.c.chain_pos.is_(None)).order_by(table.c.seq).limit(limit))
        .mappings()
        .all()
    )
    for row in rows:
        position += 1
        digest = entry_hash(last, {**row, "chain_pos": position})
        conn.execute(
            update(table).where(table.c.seq == row["seq"]).values(chain_pos=position, prev_hash=last, hash=digest)
        )
        last = digest
    return len(rows)


@dataclass(frozen=True)
class Verification:
    checked: int
    pending: int
    broken_at: int | None

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def verify(conn: Connection, table: Table) -> Verification:
    """Walk the chain from the start; the first entry whose hash does not match breaks it."""
    last, checked, broken = GENESIS, 0, None
    query = select(table).where(table.c.chain_pos.is_not(None)).order_by(table.c.chain_pos)
    for row in conn.execute(query).mappings():
        if row["chain_pos"] != checked + 1 or row["prev_hash"] != last or entry_hash(last, row) != row["hash"]:
            broken = row["seq"]
            break
        last, checked = row["hash"], checked + 1
    pending = conn.execute(select(table.c.seq).where(table.c.chain_pos.is_(None))).all()
    return Verification(checked, len(pending), broken)
