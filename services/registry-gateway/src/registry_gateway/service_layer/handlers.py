"""The registry gateway's use cases. None knows about gRPC, nameko or SOAP."""
from __future__ import annotations

from datetime import date, timedelta
from typing import Callable

from ekm_platform.errors import NotFound
from ekm_platform.unit_of_work import UnitOfWork

from registry_gateway.domain import facts
from registry_gateway.domain.access import refusal
from registry_gateway.domain.lookup import (Evidence, Query, RegistryAnswer, RegistryReply,
                                            RegistryUnavailable, Status, validate_query)

LOOKBACK = timedelta(days=3 * 365)
FACTS_FOUND = "registry.facts_found"  # identifiers, kinds and dates only

# A registry port: ``ask(query, date_from, date_to) -> RegistryReply`` or RegistryUnavailable.
RegistryPort = Callable[[Query, date, date], RegistryReply]
NORMALISERS = {"border_guard": facts.from_border_crossings, "education": facts.from_enrolments,
               "health": facts.from_social_records, "disability": facts.from_social_records,
               "housing": facts.from_social_records, "children": facts.from_household_children}
NAMES = {"border_guard": "ДПСУ / State Border Guard Service", "education": "Реєстр освіти / education registry",
         "health": "ЕСОЗ / e-health", "disability": "ЦБІ / disability data bank",
         "housing": "Реєстр пошкодженого майна / housing damage register",
         "children": "ЄІАС «Діти» / children's registry"}


RETRY_FIRST, RETRY_MAX = 30.0, 3600.0


def _answer(name: str, query: Query, reply: RegistryReply) -> RegistryAnswer:
    evidence = Evidence(registry=name, xroad_id=reply.xroad_id, user_id=query.user_id, issue=query.case_number,
                        purpose=query.purpose, response_sha256=reply.response_sha256)
    status = Status.OK if reply.found else Status.NOT_FOUND
    return RegistryAnswer(name, status, facts=NORMALISERS.get(name, lambda records: [])(reply.records), evidence=evidence)


def _record(uow: UnitOfWork, query: Query, answer: RegistryAnswer) -> None:
    uow.repo.add(answer.evidence)
    if answer.facts:
        uow.publish(FACTS_FOUND, {
            "case_number": query.case_number, "registry": answer.registry, "query_id": answer.evidence.query_id,
            "vocabulary_version": facts.VOCABULARY_VERSION,
            "facts": [{"kind": f.kind, "occurred_on": f.occurred_on.isoformat()} for f in answer.facts]})


def lookup_person(query: Query, uow: UnitOfWork, registries: dict[str, RegistryPort],
                  wanted: list[str] | None = None, today: date | None = None, role: str = "case_manager",
                  consent_recorded: bool = False) -> list[RegistryAnswer]:
    """Ask each wanted registry that role and consent allow; one registry down never fails
    the others — its query is kept and asked again later (status PENDING), and its answer
    reaches the case's history when it comes.

    Every answer is stored as evidence (who asked, for which case and why, the X-Road id,
    the hash of the raw response) before the results are returned.
    """
    validate_query(query)
    today = today or date.today()
    answers, pending = [], []
    for name in wanted or sorted(registries):
        if name not in registries:
            answers.append(RegistryAnswer(name, Status.DENIED, "Реєстр не підключено / registry not connected"))
            continue
        if reason := refusal(name, role, consent_recorded):
            answers.append(RegistryAnswer(name, Status.DENIED, reason))
            continue
        try:
            answers.append(_answer(name, query, registries[name](query, today - LOOKBACK, today)))
        except RegistryUnavailable as exc:
            pending.append((name, str(exc)))
            answers.append(RegistryAnswer(name, Status.PENDING, f"Очікується відповідь: {NAMES.get(name, name)} / "
                                                                f"pending from registry {name}"))
    for answer in answers:  # written after every call: no transaction is held across the network
        if answer.evidence:
            _record(uow, query, answer)
    for name, error in pending:
        uow.repo.add_pending(name, query, error, RETRY_FIRST)
    uow.commit()
    return answers


def retry_pending(uow: UnitOfWork, registries: dict[str, RegistryPort], today: date | None = None) -> int:
    """Ask the due pending queries again; returns how many were answered."""
    today = today or date.today()
    answered, results = 0, []
    for pending_id, name, query, attempts in uow.repo.due_pending():
        try:
            results.append((pending_id, query, _answer(name, query, registries[name](query, today - LOOKBACK, today)),
                            attempts, ""))
        except (RegistryUnavailable, KeyError) as exc:
            results.append((pending_id, query, None, attempts, str(exc)))
    for pending_id, query, answer, attempts, error in results:
        if answer is None:
            uow.repo.retry_later(pending_id, attempts, error, min(RETRY_MAX, RETRY_FIRST * 2 ** attempts))
        else:
            _record(uow, query, answer)
            uow.repo.done_pending(pending_id)
            answered += 1
    uow.commit()
    return answered


def get_evidence(query_id: str, uow: UnitOfWork) -> Evidence:
    found = uow.repo.get(query_id.strip())
    if found is None:
        raise NotFound("Доказ запиту не знайдено / evidence not found")
    return found
