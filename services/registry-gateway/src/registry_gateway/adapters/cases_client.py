"""The cases service, as the gateway asks it over AMQP RPC: may this caller see this case,
is this person that case's person or a member of its household, and which consent of the
person is stored. A cases service that does not answer in time is UNAVAILABLE, never an
answer the gateway would guess (``ekm_platform.case_access.bounded``)."""

from __future__ import annotations

from nameko import config

from ekm_platform.case_access import bounded


class CasesClient:
    """Wraps a nameko ``ServiceRpc("cases")`` proxy (or a fake with the same two methods)."""

    def __init__(self, proxy, timeout: float | None = None):
        timeout = timeout if timeout is not None else float(config.get("RPC_TIMEOUT", 10))
        self.check_case_access = bounded(proxy.check_case_access, timeout, "cases")
        self.active_consent = bounded(proxy.active_consent, timeout, "cases")
