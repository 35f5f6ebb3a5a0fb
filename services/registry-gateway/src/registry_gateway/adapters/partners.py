"""Which partner agencies may push which record types (configuration).

``EKM_PARTNERS_FILE`` (default ``deploy/demo/partners.json`` under EKM_HOME): a list of
``{"partner_id": ..., "record_types": [...], "xroad_client": ...}``. The partner id is the
AMQP user the partner connects as (RabbitMQ checks the message's ``user_id`` against the
connection) or, for SOAP/REST, the subject of its client certificate. ``xroad_client``
(``INSTANCE/CLASS/CODE[/SUBSYSTEM]``) ties the X-Road client a partner names in its requests
to its certificate: partner inbound refuses any other client for that certificate.
"""

from __future__ import annotations

import json
import os
import pathlib

from ekm_platform import config


def _entries() -> list[dict]:
    path = pathlib.Path(os.environ.get("EKM_PARTNERS_FILE") or config.home() / "deploy" / "demo" / "partners.json")
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else []


def load_partners() -> dict[str, set[str]]:
    return {p["partner_id"]: set(p["record_types"]) for p in _entries()}


def load_xroad_clients() -> dict[str, str]:
    """``{partner_id: "UA/GOV/37508470/DCZ"}`` for the partners whose X-Road client is registered."""
    return {p["partner_id"]: p["xroad_client"].strip() for p in _entries() if p.get("xroad_client")}
