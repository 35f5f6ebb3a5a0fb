"""The registry gateway's use cases. None knows about gRPC, nameko or SOAP."""
from __future__ import annotations

from datetime import date, timedelta
from typing import Callable

from ekm_platform.errors import NotFound
from ekm_platform.unit_of_work import UnitOfWork

from registry_gateway.domain import facts
from registry_gateway.domain.lookup import (Evidence, Query, RegistryAnswer, RegistryReply,
                                            RegistryUnavailable, Status, validate_query)

LOOKBACK = timedelta(days=3 * 365)
FACTS_FOUND = "registry.facts_found"  # identifiers, kinds and dates only

# A registry port: ``ask(query, date_from, date_to) -> RegistryReply`` or RegistryUnavailable.
RegistryPort = Callable[[Query, date, date], RegistryReply]
NORMALISERS = {"border_guard": facts.from_border_crossings, "education": facts.from_enrolments}
NAMES = {"border_guard": "ДПСУ / State Border Guard Service", "education": "Реєстр освіти / education registry"}


def lookup_person(query: Query, uow: UnitOfWork, registries: dict[str, RegistryPort],
                  wanted: list[str] | None = None, today: date | None = None) -> list[RegistryAnswer]:
    """Ask each wanted registry; one registry down never fails the others.

    Every answer that came back is stored as evidence (who asked, for which case and
    why, the X-Road id, the hash of the raw response) before the results are returned.
    """
    validate_query(query)
    today = today or date.today()
    answers = []
    for name in wanted or sorted(registries):
        if name not in registries:
            answers.append(RegistryAnswer(name, Status.DENIED, "Реєстр не підключено / registry not connected"))
            continue
        try:
            reply = registries[name](query, today - LOOKBACK, today)
        except RegistryUnavailable as exc:
            answers.append(RegistryAnswer(name, Status.UNAVAILABLE,
                                          f"{NAMES.get(name, name)} недоступний / unavailable: {exc}"))
            continue
        evidence = Evidence(registry=name, xroad_id=reply.xroad_id, user_id=query.user_id,
                            issue=query.case_number, purpose=query.purpose,
                            response_sha256=reply.response_sha256)
        status = Status.OK if reply.found else Status.NOT_FOUND
        answers.append(RegistryAnswer(name, status, facts=NORMALISERS[name](reply.records), evidence=evidence))
    for answer in answers:  # written after every call: no transaction is held across the network
        if answer.evidence:
            uow.repo.add(answer.evidence)
            if answer.facts:
                uow.publish(FACTS_FOUND, {
                    "case_number": query.case_number, "registry": answer.registry,
                    "query_id": answer.evidence.query_id, "vocabulary_version": facts.VOCABULARY_VERSION,
                    "facts": [{"kind": f.kind, "occurred_on": f.occurred_on.isoformat()} for f in answer.facts]})
    uow.commit()
    return answers


def get_evidence(query_id: str, uow: UnitOfWork) -> Evidence:
    found = uow.repo.get(query_id.strip())
    if found is None:
        raise NotFound("Доказ запиту не знайдено / evidence not found")
    return found
