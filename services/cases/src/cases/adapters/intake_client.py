"""Intake, as cases asks it over AMQP RPC for an appeal's details. An intake that does not
answer in time is UNAVAILABLE (the caller retries), never a hung gRPC call."""

from __future__ import annotations

import eventlet
from nameko import config

from ekm_platform.errors import Unavailable

UNAVAILABLE = "Служба звернень не відповідає; повторіть пізніше / the intake service did not answer; retry later"


def appeal_details_source(proxy, timeout: float | None = None):
    """``fetch(appeal_id, actor) -> dict | None`` over ``ServiceRpc("intake")``."""
    limit = timeout if timeout is not None else float(config.get("RPC_TIMEOUT", 10))

    def fetch(appeal_id: str, actor: dict):
        try:
            with eventlet.Timeout(limit):
                return proxy.get_appeal_details(appeal_id, actor)
        except eventlet.Timeout as exc:
            raise Unavailable(UNAVAILABLE) from exc

    return fetch
