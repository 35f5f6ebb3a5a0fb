"""How to reach a person, for the notifications service (internal RPC ``cases.get_person_contact``)."""
from __future__ import annotations

from ekm_platform.audit import AuditEntry
from ekm_platform.unit_of_work import UnitOfWork

DEFAULT_LOCALE = "uk"
DEFAULT_TIMEZONE = "Europe/Kyiv"
CONTACT_READ = "повідомлення особи / notifying the person"


def person_contact(uow: UnitOfWork, person_id: str, caller: str = "notifications") -> dict | None:
    """``{"person_id", "phone", "email", "locale", "timezone"}`` of the person (a merged duplicate
    answers with the kept person's contact), or None for an unknown person. The read is in cases'
    audit log with the calling service as the actor (identifiers only)."""
    person = uow.repo.get_person(person_id or "")
    seen = {person_id}
    while person is not None and person.merged_into and person.merged_into not in seen:
        seen.add(person.merged_into)
        person = uow.repo.get_person(person.merged_into)
    if person is None:
        return None
    uow.repo.audit(AuditEntry(caller or "unknown", "service", "person.contact_read", "person", person.person_id,
                              CONTACT_READ, {"asked_for": person_id}))
    uow.commit()
    return {"person_id": person.person_id, "phone": person.phone or "", "email": person.email or "",
            "locale": DEFAULT_LOCALE, "timezone": DEFAULT_TIMEZONE}
