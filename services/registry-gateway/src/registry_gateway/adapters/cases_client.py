"""The cases service, as the gateway asks it over AMQP RPC: may this caller see this case,
is this person that case's person or a member of its household, and which consent of the
person is stored. A cases service that does not answer in time is UNAVAILABLE, never an
answer the gateway would guess."""
from __future__ import annotations

import eventlet
from nameko import config

from ekm_platform.errors import Unavailable

UNAVAILABLE = "Служба випадків не відповідає; повторіть пізніше / the cases service did not answer; retry later"


class CasesClient:
    """Wraps a nameko ``ServiceRpc("cases")`` proxy (or a fake with the same two methods)."""

    def __init__(self, proxy, timeout: float | None = None):
        self.proxy = proxy
        self.timeout = timeout if timeout is not None else float(config.get("RPC_TIMEOUT", 10))

    def _call(self, method: str, *args):
        try:
            with eventlet.Timeout(self.timeout):
                return getattr(self.proxy, method)(*args)
        except eventlet.Timeout as exc:
            raise Unavailable(UNAVAILABLE) from exc

    def check_case_access(self, actor: dict, case_number: str, subject: dict | None = None) -> dict:
        return self._call("check_case_access", actor, case_number, subject)

    def active_consent(self, person_id: str, purpose: str, recipient: str) -> dict | None:
        return self._call("active_consent", person_id, purpose, recipient)
