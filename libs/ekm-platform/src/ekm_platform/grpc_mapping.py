"""Conversions every service's protobuf mapping needs."""

from __future__ import annotations

import base64
from datetime import datetime, timezone

from google.protobuf.timestamp_pb2 import Timestamp

from ekm_platform.errors import ValidationError


def timestamp(value: datetime | None) -> Timestamp | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    result = Timestamp()
    result.FromDatetime(value)
    return result


def moment(message, field: str) -> datetime | None:
    """The UTC datetime of ``message.<field>`` (a Timestamp), None when unset; seconds outside
    0001-01-01..9999-12-31 (or nanos outside 0..999,999,999) are the caller's mistake: a
    ValidationError naming the field (``ToDatetime`` raises ValueError, which had ended in INTERNAL)."""
    if not message.HasField(field):
        return None
    try:
        return getattr(message, field).ToDatetime(tzinfo=timezone.utc)
    except (ValueError, OverflowError) as exc:
        raise ValidationError.single(
            field, "мітка часу поза 0001–9999 роками / a timestamp outside the years 0001–9999"
        ) from exc


def encode_page_token(offset: int) -> str:
    return base64.urlsafe_b64encode(f"o:{offset}".encode()).decode()


def decode_page_token(token: str) -> int:
    if not token:
        return 0
    try:
        kind, _, value = base64.urlsafe_b64decode(token.encode()).decode().partition(":")
        offset = int(value)
        if kind != "o" or offset < 0:
            raise ValueError
        return offset
    except ValueError as exc:
        raise ValidationError.single("page_token", "недійсний токен сторінки / invalid page token") from exc
