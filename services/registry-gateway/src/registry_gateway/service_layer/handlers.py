"""The registry gateway's use cases. None knows about gRPC, nameko or SOAP."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import date, timedelta
from typing import Protocol

from ekm_platform.audit import AuditEntry
from ekm_platform.errors import NotFound, Unavailable
from ekm_platform.unit_of_work import UnitOfWork
from registry_gateway.domain import facts
from registry_gateway.domain.access import (
    CONSENT_PURPOSE,
    NEEDS_CONSENT,
    NO_CONSENT,
    case_access,
    consent_holder,
    not_applicable,
    refusal,
    subjects,
)
from registry_gateway.domain.lookup import (
    CaseAccess,
    Evidence,
    NotApplicable,
    Query,
    RegistryAnswer,
    RegistryReply,
    RegistryUnavailable,
    Status,
    validate_query,
)

LOOKBACK = timedelta(days=3 * 365)
FACTS_FOUND = "registry.facts_found"  # identifiers, kinds and dates only

# A registry port: ``ask(query, date_from, date_to) -> RegistryReply`` or RegistryUnavailable.
RegistryPort = Callable[[Query, date, date], RegistryReply]
NORMALISERS = {
    "border_guard": facts.from_border_crossings,
    "education": facts.from_enrolments,
    "health": facts.from_social_records,
    "disability": facts.from_social_records,
    "housing": facts.from_social_records,
    "children": facts.from_household_children,
}
NAMES = {
    "border_guard": "ДПСУ / State Border Guard Service",
    "education": "Реєстр освіти / education registry",
    "health": "ЕСОЗ / e-health",
    "disability": "ЦБІ / disability data bank",
    "housing": "Реєстр пошкодженого майна / housing damage register",
    "children": "ЄІАС «Діти» / children's registry",
}


RETRY_FIRST, RETRY_MAX = 30.0, 3600.0
MAX_ATTEMPTS = 6  # asked at most this many times (~30 s, 1, 2, 4, 8 min apart), then FAILED and recorded


class CasesPort(Protocol):
    """The cases service's two answers the gateway relies on (AMQP RPC; see COMMON contract)."""

    def check_case_access(self, actor: dict, case_number: str, subject: dict | None = None) -> dict: ...

    def active_consent(self, person_id: str, purpose: str, recipient: str) -> dict | None: ...


def _answer(name: str, query: Query, reply: RegistryReply, consent_id: str = "") -> RegistryAnswer:
    """The evidence of one registry answer. A fresh exchange is recorded with its X-Road id
    and the hash of the raw reply; an answer served from the cache is recorded as a cache
    hit of this caller, case and purpose, pointing at the exchange that fetched it — never
    with that exchange's X-Road id and hash, which belong to somebody else's request."""
    if reply.from_cache:
        evidence = Evidence(
            registry=name,
            xroad_id="",
            user_id=query.user_id,
            issue=query.case_number,
            purpose=query.purpose,
            response_sha256="",
            consent_id=consent_id,
            from_cache=True,
            original_query_id=reply.exchange_query_id,
        )
    else:
        evidence = Evidence(
            registry=name,
            xroad_id=reply.xroad_id,
            user_id=query.user_id,
            issue=query.case_number,
            purpose=query.purpose,
            response_sha256=reply.response_sha256,
            query_id=reply.exchange_query_id,
            consent_id=consent_id,
        )
    status = Status.OK if reply.found else Status.NOT_FOUND
    return RegistryAnswer(
        name, status, facts=NORMALISERS.get(name, lambda records: [])(reply.records), evidence=evidence
    )


class DeliveredFacts:
    """Facts this process has already announced to a case's person (committed), so that a
    lookup repeating them sends no event that cases would only discard: cases keeps each
    fact once by (registry, kind, date, person) — the same key. Bounded; after a restart
    facts are announced again and cases ignores the repeats."""

    def __init__(self, limit: int = 50_000):
        self.limit, self._keys, self._lock = limit, OrderedDict(), threading.Lock()

    @staticmethod
    def key(access: CaseAccess, answer: RegistryAnswer) -> tuple:
        return (
            access.case_number,
            access.person_id,
            answer.registry,
            tuple(sorted((f.kind, f.occurred_on.isoformat()) for f in answer.facts)),
        )

    def __contains__(self, key) -> bool:
        with self._lock:
            return key in self._keys

    def add(self, keys) -> None:
        with self._lock:
            for key in keys:
                self._keys[key] = True
                self._keys.move_to_end(key)
            while len(self._keys) > self.limit:
                self._keys.popitem(last=False)


def _record(
    uow: UnitOfWork,
    query: Query,
    access: CaseAccess | None,
    answer: RegistryAnswer,
    delivered: DeliveredFacts | None = None,
    announced: list | None = None,
) -> None:
    """Evidence always; the facts go to the case's history only when the looked-up person is
    the case's person (a household member's facts never land in somebody else's history)."""
    uow.repo.add(answer.evidence)
    if answer.facts and access is not None and access.is_case_person:
        key = DeliveredFacts.key(access, answer)
        if delivered is not None and key in delivered:
            return  # already in the history: this lookup's evidence is enough
        if announced is not None:
            announced.append(key)
        uow.publish(
            FACTS_FOUND,
            {
                "case_number": access.case_number,
                "person_id": access.person_id,
                "registry": answer.registry,
                "query_id": answer.evidence.query_id,
                "vocabulary_version": facts.VOCABULARY_VERSION,
                "facts": [{"kind": f.kind, "occurred_on": f.occurred_on.isoformat()} for f in answer.facts],
            },
        )


def _unavailable(name: str) -> str:
    return (
        f"Реєстр недоступний: {NAMES.get(name, name)}; запит буде повторено, відповідь потрапить до історії "
        f"випадку / registry {name} unavailable; the query is asked again and its answer reaches the case history"
    )


def check_access(cases: CasesPort, actor: dict, query: Query) -> CaseAccess:
    """The caller may see the case and the person is its person or a household member —
    or NotFound / PermissionDenied, before anything is asked or stored."""
    return case_access([cases.check_case_access(actor, query.case_number, subject) for subject in subjects(query)])


def lookup_person(
    query: Query,
    uow: UnitOfWork,
    registries: dict[str, RegistryPort],
    cases: CasesPort,
    actor: dict,
    wanted: list[str] | None = None,
    today: date | None = None,
    delivered: DeliveredFacts | None = None,
) -> list[RegistryAnswer]:
    """Ask each wanted registry that the caller's relation to the case, the role and the
    person's stored consent allow; one registry down never fails the others — it answers
    UNAVAILABLE, and its query is kept and asked again later (a bounded number of times),
    its answer reaching the case's history when it comes.

    Every answer is stored as evidence (who asked, for which case and why, the X-Road id,
    the hash of the raw response, the consent relied on) with the audit entry of the lookup,
    in one transaction, before the results are returned. A refused lookup stores nothing.
    """
    validate_query(query)
    access = check_access(cases, actor, query)
    role = actor.get("role", "")
    today = today or date.today()
    answers, pending = [], []
    for name in wanted or sorted(registries):
        if name not in registries:
            answers.append(RegistryAnswer(name, Status.DENIED, "Реєстр не підключено / registry not connected"))
            continue
        if reason := refusal(name, role):
            answers.append(RegistryAnswer(name, Status.DENIED, reason))
            continue
        if reason := not_applicable(name, query):
            answers.append(RegistryAnswer(name, Status.NOT_APPLICABLE, reason))
            continue
        consent_id = ""
        if name in NEEDS_CONSENT:
            holder = consent_holder(access)
            consent = cases.active_consent(holder, CONSENT_PURPOSE, name) if holder else None
            if not consent:
                answers.append(RegistryAnswer(name, Status.DENIED, NO_CONSENT))
                continue
            consent_id = consent["consent_id"]
        try:
            answers.append(_answer(name, query, registries[name](query, today - LOOKBACK, today), consent_id))
        except NotApplicable as exc:
            answers.append(RegistryAnswer(name, Status.NOT_APPLICABLE, str(exc)))
        except RegistryUnavailable as exc:
            pending.append((name, str(exc), consent_id))
            answers.append(RegistryAnswer(name, Status.UNAVAILABLE, _unavailable(name)))
    announced: list = []
    for answer in answers:  # written after every call: no transaction is held across the network
        if answer.evidence:
            _record(uow, query, access, answer, delivered, announced)
    for name, error, consent_id in pending:
        uow.repo.add_pending(name, query, error, RETRY_FIRST, access, consent_id, role)
    uow.audit(
        AuditEntry(
            query.user_id,
            role,
            "registry.lookup",
            "case",
            access.case_id,
            query.purpose[:200],
            {
                "case_number": access.case_number,
                "case_person_id": access.person_id,
                "subject": "case_person" if access.is_case_person else "household_member",
                "results": {a.registry: a.status.value for a in answers},
                "query_ids": {a.registry: a.evidence.query_id for a in answers if a.evidence},
                "consent_ids": {
                    a.registry: a.evidence.consent_id for a in answers if a.evidence and a.evidence.consent_id
                },
                "from_cache": sorted(a.registry for a in answers if a.evidence and a.evidence.from_cache),
            },
        )
    )
    uow.commit()
    if delivered is not None:
        delivered.add(announced)  # only once committed: a lookup that failed announced nothing
    return answers


def retry_pending(
    uow: UnitOfWork,
    registries: dict[str, RegistryPort],
    cases: CasesPort | None = None,
    today: date | None = None,
    max_attempts: int = MAX_ATTEMPTS,
) -> int:
    """Ask the due pending queries again; returns how many were answered. A query still
    unanswered after ``max_attempts`` ends FAILED (kept, with its last error); one whose
    consent was withdrawn meanwhile ends REFUSED without being asked."""
    today = today or date.today()
    answered, results = 0, []
    for item in uow.repo.due_pending():
        name, query = item.registry, item.query
        try:
            if name in NEEDS_CONSENT:
                holder = consent_holder(item.access) if item.access else None
                consent = cases.active_consent(holder, CONSENT_PURPOSE, name) if holder and cases else None
                if not consent or consent.get("consent_id") != item.consent_id:
                    results.append(
                        (item, None, "refused", "згоду відкликано або її немає / consent withdrawn or absent")
                    )
                    continue
            results.append(
                (
                    item,
                    _answer(name, query, registries[name](query, today - LOOKBACK, today), item.consent_id),
                    "answered",
                    "",
                )
            )
        except NotApplicable as exc:
            results.append((item, None, "refused", str(exc)))
        except (RegistryUnavailable, Unavailable, KeyError) as exc:
            results.append((item, None, "pending", f"{type(exc).__name__}: {exc}"))
    for item, answer, state, error in results:
        if answer is not None:
            _record(uow, item.query, item.access, answer)
            uow.repo.finish_pending(item.pending_id, "answered", answer_query_id=answer.evidence.query_id)
            uow.audit(
                AuditEntry(
                    item.query.user_id,
                    item.role or "case_manager",
                    "registry.lookup.retried",
                    "case",
                    item.access.case_id if item.access else item.query.case_number,
                    item.query.purpose[:200],
                    {
                        "case_number": item.query.case_number,
                        "pending_id": item.pending_id,
                        "registry": item.registry,
                        "query_id": answer.evidence.query_id,
                        "consent_id": item.consent_id,
                        "result": answer.status.value,
                    },
                )
            )
            answered += 1
        elif state == "refused":
            uow.repo.finish_pending(item.pending_id, "refused", error)
        elif item.attempts + 1 >= max_attempts:
            uow.repo.finish_pending(item.pending_id, "failed", error, attempts=item.attempts + 1)
        else:
            uow.repo.retry_later(item.pending_id, item.attempts, error, min(RETRY_MAX, RETRY_FIRST * 2**item.attempts))
    uow.commit()
    return answered


def get_evidence(query_id: str, uow: UnitOfWork, cases: CasesPort, actor: dict) -> Evidence:
    """The evidence of one query, for a caller who may see its case (else NOT_FOUND, as for
    evidence that does not exist); the read is audited."""
    found = uow.repo.get(query_id.strip()) if query_id.strip() else None
    if found is None:
        raise NotFound("Доказ запиту не знайдено / evidence not found")
    answer = cases.check_case_access(actor, found.issue, None)
    if answer.get("status") != "ok":
        raise NotFound("Доказ запиту не знайдено / evidence not found")
    uow.audit(
        AuditEntry(
            actor.get("user_id", ""),
            actor.get("role", ""),
            "evidence.read",
            "case",
            answer["case_id"],
            "перевірка доказу запиту / evidence review",
            {"case_number": found.issue, "query_id": found.query_id, "registry": found.registry},
        )
    )
    uow.commit()
    return found
