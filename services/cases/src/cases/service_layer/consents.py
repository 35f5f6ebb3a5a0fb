"""Consent records, and the relation checks other services ask cases for.

``check_case_access`` and ``active_consent`` are the internal RPC contracts: a service that
touches a person's data about a case (registry lookups, evidence, referrals, deliveries,
transfers) asks whether the caller may see the case and whether the looked-up person belongs to
it, and whether the person's consent for that purpose and recipient is on record.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone

from cases.domain import labels
from cases.domain.consent import DEFAULT_LEGAL_BASIS, Consent, summary, validate_consent
from cases.domain.labels import uk
from cases.domain.model import Case
from cases.service_layer.access import audit, load_case, may_see, require_staff
from ekm_platform.auth import Principal
from ekm_platform.errors import FailedPrecondition, NotFound, PermissionDenied, ValidationError
from ekm_platform.identifiers import normalise_unzr
from ekm_platform.unit_of_work import UnitOfWork

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
    return (
        {m.get("rnokpp") for m in members if m.get("rnokpp")},
        {_unzr(m.get("unzr", "")) for m in members if m.get("unzr")},
    )


def subject_relation(uow: UnitOfWork, case: Case, subject: dict) -> str | None:
    """ "person" (the case's person), "household" (a member of its household) or None."""
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
    return {
        "status": "ok",
        "case_id": case.case_id,
        "case_number": case.case_number,
        "stage": case.stage.value,
        "person_id": case.person_id,
        "is_case_person": relation == "person",
        "identifiers_only": principal.role == "operator",
    }


def active_consent(
    uow: UnitOfWork, person_id: str, purpose: str, recipient: str, at: datetime | None = None
) -> dict | None:
    if not (person_id and purpose and recipient):
        return None
    person = uow.repo.get_person(str(person_id))
    if person is not None and person.merged_into:
        person_id = person.merged_into
    found = uow.repo.consents.active(str(person_id), str(purpose), str(recipient), at or datetime.now(timezone.utc))
    return found.as_record() if found else None


# Consent records through the API -----------------------------------------------------------------
def record_consent(uow: UnitOfWork, principal: Principal, draft: Consent) -> Consent:
    """The case's manager or supervisor records a consent the person (or their legal
    representative) gave; it names the case's person whatever the request said."""
    require_staff(principal)
    case = load_case(uow, principal, case_id=draft.case_id)
    if not case.is_open:
        raise FailedPrecondition(
            "Випадок закрито: нову згоду не фіксують / the case is closed: no new consent is recorded"
        )
    consent = replace(
        draft,
        person_id=case.person_id,
        case_id=case.case_id,
        recorded_by=principal.user_id,
        recipient=draft.recipient.strip(),
        legal_basis=draft.legal_basis.strip() or DEFAULT_LEGAL_BASIS,
        representative_name=draft.representative_name.strip(),
        representative_basis=draft.representative_basis.strip(),
        document_reference=draft.document_reference.strip(),
        data_categories=tuple(dict.fromkeys(c.strip() for c in draft.data_categories)),
        recorded_at=datetime.now(timezone.utc),
        withdrawn_at=None,
        withdrawn_by="",
        withdrawal_reason="",
    )
    validate_consent(consent)
    uow.repo.consents.add(consent)
    uow.repo.add_history(
        case.person_id,
        "consent.recorded",
        case.case_number,
        summary(consent),
        "cases",
        source_id=f"consent:{consent.consent_id}:recorded",
    )
    audit(
        uow,
        principal,
        "consent.record",
        case,
        consent_id=consent.consent_id,
        consent_purpose=consent.purpose,
        recipient=consent.recipient,
    )
    uow.commit()
    return consent


def _withdraw(uow: UnitOfWork, principal: Principal, consent: Consent, case: Case, reason: str) -> Consent:
    withdrawn = consent.withdraw(principal.user_id, reason)
    if not uow.repo.consents.save_withdrawal(withdrawn):
        raise FailedPrecondition("Згоду вже відкликано / the consent was already withdrawn")
    uow.repo.add_history(
        case.person_id,
        "consent.withdrawn",
        case.case_number,
        f"згоду відкликано: {uk(labels.CONSENT_PURPOSE, consent.purpose)} → {consent.recipient}; "
        f"{withdrawn.withdrawal_reason} / "
        f"consent withdrawn",
        "cabinet" if principal.role == "recipient" else "cases",
        source_id=f"consent:{consent.consent_id}:withdrawn",
    )
    audit(
        uow,
        principal,
        "consent.withdraw",
        case,
        consent_id=consent.consent_id,
        consent_purpose=consent.purpose,
        recipient=consent.recipient,
    )
    uow.commit()
    return withdrawn


def withdraw_consent(uow: UnitOfWork, principal: Principal, consent_id: str, reason: str) -> Consent:
    """Withdrawn, never deleted; a closed case's consents can be withdrawn too."""
    require_staff(principal)
    consent = uow.repo.consents.get(consent_id.strip()) if consent_id.strip() else None
    if consent is None:
        raise NotFound("Згоду не знайдено / consent not found")
    case = load_case(uow, principal, case_id=consent.case_id)  # NOT_FOUND for those who may not see the case
    return _withdraw(uow, principal, consent, case, reason)


def list_consents(uow: UnitOfWork, principal: Principal, case_id: str) -> list[Consent]:
    require_staff(principal)
    if not case_id.strip():
        raise ValidationError.single("case_id", "обов'язкове поле / required")
    case = load_case(uow, principal, case_id=case_id)
    found = uow.repo.consents.of_case(case.case_id)
    audit(uow, principal, "consent.list", case)
    uow.commit()
    return found


def _recipient(principal: Principal) -> None:
    if principal.role != "recipient":
        raise PermissionDenied("Лише для отримувача / for recipients only")


def my_consents(uow: UnitOfWork, principal: Principal) -> list[Consent]:
    """The person's own consents, in every case of theirs (the cabinet)."""
    _recipient(principal)
    found = uow.repo.consents.of_person(principal.user_id)
    case = uow.repo.latest_case_of(principal.user_id)
    if case is not None:
        audit(uow, principal, "consent.list", case, "кабінет отримувача / recipient cabinet")
        uow.commit()
    return found


def withdraw_my_consent(uow: UnitOfWork, principal: Principal, consent_id: str, reason: str) -> Consent:
    _recipient(principal)
    consent = uow.repo.consents.get(consent_id.strip()) if consent_id.strip() else None
    if consent is None or consent.person_id != principal.user_id:
        raise NotFound("Згоду не знайдено / consent not found")
    return _withdraw(uow, principal, consent, uow.repo.get(case_id=consent.case_id), reason)


def export_consents(uow: UnitOfWork, principal: Principal, case_id: str) -> tuple[str, int]:
    """The case's consent records as ISO/IEC TS 27560 JSON (``cases.domain.consent_export``)."""
    import json

    from cases.domain.consent_export import export

    found = list_consents(uow, principal, case_id)  # staff who may see the case; audited as a listing
    case = uow.repo.get(case_id=case_id.strip())
    audit(uow, principal, "consent.export", case, count=len(found))
    uow.commit()
    return json.dumps(export(found), ensure_ascii=False, sort_keys=True), len(found)
