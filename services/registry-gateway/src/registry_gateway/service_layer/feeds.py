"""Partner feeds: a batch of pushed records is authorised, validated, de-duplicated by
source id, stored, and announced as canonical events — in one transaction."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import select

from ekm_platform.unit_of_work import UnitOfWork
from registry_gateway.adapters.orm import feed_records
from registry_gateway.domain.feed_records import MAX_RECORD_BYTES, InvalidRecord, canonical_event, validate


@dataclass(frozen=True)
class Incoming:
    partner_id: str | None  # authenticated by the transport (AMQP user, mTLS subject)
    record_type: str
    body: bytes
    xroad: dict | None = None  # X-Road request evidence: id, user_id, client, issue (inbound SOAP/REST)


@dataclass(frozen=True)
class Outcome:
    status: str  # stored | duplicate | dead
    reason: str = ""
    record_id: str = ""


def _already_stored(uow: UnitOfWork, keys: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """The (partner, source id) pairs among ``keys`` stored before: one query per partner
    (a batch usually comes from one), by source id."""
    by_partner: dict[str, list[str]] = {}
    for partner_id, source_id in keys:
        by_partner.setdefault(partner_id, []).append(source_id)
    seen = set()
    for partner_id, source_ids in by_partner.items():
        seen.update(
            (partner_id, source_id)
            for source_id in uow.session.execute(
                select(feed_records.c.source_id).where(
                    feed_records.c.partner_id == partner_id, feed_records.c.source_id.in_(source_ids)
                )
            ).scalars()
        )
    return seen


def _xroad_columns(evidence: dict | None) -> dict:
    evidence = evidence or {}
    return {
        "xroad_id": evidence.get("id"),
        "xroad_user_id": evidence.get("user_id"),
        "xroad_client": evidence.get("client"),
        "xroad_issue": evidence.get("issue"),
    }


def ingest(uow: UnitOfWork, batch: list[Incoming], partners: dict[str, set[str]]) -> list[Outcome]:
    """``partners``: partner id -> record types it may send. Nothing partial is stored: a
    dead record changes nothing, and the batch commits as a whole."""
    outcomes: list[Outcome | None] = [None] * len(batch)
    valid = []
    for i, item in enumerate(batch):
        try:
            if not item.partner_id or item.partner_id not in partners:
                raise InvalidRecord("відправника не автентифіковано / sender not authenticated")
            if item.record_type not in partners[item.partner_id]:
                raise InvalidRecord(
                    f"партнер не має права на тип {item.record_type!r} / partner not authorised for this record type"
                )
            if len(item.body) > MAX_RECORD_BYTES:
                raise InvalidRecord(f"запис більший за {MAX_RECORD_BYTES} байт / record too large")
            try:
                record = json.loads(item.body)
            except (ValueError, UnicodeDecodeError) as exc:
                raise InvalidRecord(f"некоректний JSON / invalid JSON: {exc}") from exc
            except RecursionError as exc:  # e.g. 16 KiB of "[": the parser gives up, the record is refused
                raise InvalidRecord("некоректний JSON: завелика вкладеність / invalid JSON: nested too deeply") from exc
            kind = validate(item.record_type, record)
            valid.append((i, item, kind, record))
        except InvalidRecord as exc:
            outcomes[i] = Outcome("dead", str(exc))
    seen = _already_stored(uow, {(item.partner_id, record["source_id"]) for _, item, _, record in valid})
    rows, events, now = [], [], datetime.now(timezone.utc)
    for i, item, kind, record in valid:
        key = (item.partner_id, record["source_id"])
        if key in seen:
            outcomes[i] = Outcome("duplicate")
            continue
        seen.add(key)
        record_id = str(uuid.uuid4())
        rows.append(
            {
                "record_id": record_id,
                "partner_id": item.partner_id,
                "record_type": kind.name,
                "source_id": record["source_id"],
                "document": json.dumps(record, ensure_ascii=False),
                "received_at": now,
                **_xroad_columns(item.xroad),
            }
        )
        events.append(canonical_event(kind, record_id, item.partner_id, record))
        outcomes[i] = Outcome("stored", record_id=record_id)
    if rows:
        uow.session.execute(feed_records.insert(), rows)
        uow.publish_many(events)
    uow.commit()
    return outcomes
