"""Which partner agencies may push which record types (configuration).

``EKM_PARTNERS_FILE`` (default ``deploy/demo/partners.json`` under EKM_HOME): a list of
``{"partner_id": ..., "record_types": [...]}``. The partner id is the AMQP user the
partner connects as (RabbitMQ checks the message's ``user_id`` against the connection)
or, for SOAP/REST, the subject of its client certificate.
"""
from __future__ import annotations

import json
import os
import pathlib

from ekm_platform import config


def load_partners() -> dict[str, set[str]]:
    path = pathlib.Path(os.environ.get("EKM_PARTNERS_FILE") or config.home() / "deploy" / "demo" / "partners.json")
    if not path.exists():
        return {}
    return {p["partner_id"]: set(p["record_types"]) for p in json.loads(path.read_text(encoding="utf-8"))}
