"""Consent records, and the relation checks other services ask cases for.

``check_case_access`` and ``active_consent`` are the internal RPC contracts: a service that
touches a person's data about a case (registry lookups, evidence, referrals, deliveries,
transfers) asks whether the caller may see the case and whether the looked-up person belongs to
it, and whether the person's consent for that purpose and recipient is on record.
"""
from __future__ import annotations

from datetime import datetime, timezone

from ekm_platform.auth import Principal
from ekm_platform.errors import PermissionDenied
from ekm_platform.identifiers import normalise_unzr
from ekm_platform.unit_of_work import UnitOfWork

from cases.domain.model import Case
from cases.service_layer.access import may_see

NOT_FOUND = {"status": "not_found"}
NOT_IN_CASE = {"status": "person_not_in_case"}


def visible(uow: UnitOfWork, principal: Principal, case: Case) -> bool:
    """GetCase's rule, and for a recipient: only the case whose person they are."""
    if principal.role == "recipient":
        return case.person_id == principal.user_id
    return may_see(uow, principal, case)


def _unzr(value: str) -> str:
    value = (value or "").strip()
    return normalise_unzr(value) if value else ""


def household_identifiers(uow: UnitOfWork, case: Case) -> tuple[set[str], set[str]]:
    """(RNOKPPs, УНЗРs) of the members of the case's household: the family table saved for the
    case and the one of its latest assessment act."""
    members = list((uow.repo.household_of(case.case_id) or ("", "", []))[2])
    latest = uow.repo.latest_assessment(case.case_id)
    members += [m.__dict__ for m in (latest.family if latest else ())]
    return ({m.get("rnokpp") for m in members if m.get("rnokpp")},
            {_unzr(m.get("unzr", "")) for m in members if m.get("unzr")})


def subject_relation(uow: UnitOfWork, case: Case, subject: dict) -> str | None:
    """"person" (the case's person), "household" (a member of its household) or None."""
    if not isinstance(subject, dict):
        return None
    person_id = str(subject.get("person_id") or "").strip()
    rnokpp = str(subject.get("rnokpp") or "").strip()
    unzr = _unzr(str(subject.get("unzr") or ""))
    if person_id:
        named = uow.repo.get_person(person_id)
        if named is None:
            return None
        if person_id == case.person_id or named.merged_into == case.person_id:
            return "person"
        # a person of another record: they belong here only as a member of this household
        rnokpp, unzr = rnokpp or named.rnokpp, unzr or _unzr(named.unzr)
    if not (rnokpp or unzr):
        return None
    own = uow.repo.get_person(case.person_id)
    if own is not None and ((rnokpp and rnokpp == own.rnokpp) or (unzr and unzr == _unzr(own.unzr))):
        return "person"
    rnokpps, unzrs = household_identifiers(uow, case)
    if (rnokpp and rnokpp in rnokpps) or (unzr and unzr in unzrs):
        return "household"
    return None


def check_case_access(uow: UnitOfWork, actor: dict, case_number: str, subject: dict | None = None) -> dict:
    try:
        principal = Principal.from_actor(actor)
    except PermissionDenied:
        return NOT_FOUND
    case = uow.repo.get(case_number=str(case_number or "").strip().upper()) if case_number else None
    if case is None or not visible(uow, principal, case):
        return NOT_FOUND
    relation = "person"
    if subject is not None:
        relation = subject_relation(uow, case, subject)
        if relation is None:
            return NOT_IN_CASE
    return {"status": "ok", "case_id": case.case_id, "case_number": case.case_number, "stage": case.stage.value,
            "person_id": case.person_id, "is_case_person": relation == "person",
            "identifiers_only": principal.role == "operator"}


def active_consent(uow: UnitOfWork, person_id: str, purpose: str, recipient: str,
                   at: datetime | None = None) -> dict | None:
    if not (person_id and purpose and recipient):
        return None
    person = uow.repo.get_person(str(person_id))
    if person is not None and person.merged_into:
        person_id = person.merged_into
    found = uow.repo.consents.active(str(person_id), str(purpose), str(recipient),
                                     at or datetime.now(timezone.utc))
    return found.as_record() if found else None

