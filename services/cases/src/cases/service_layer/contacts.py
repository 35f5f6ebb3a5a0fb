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
    return person_contacts(uow, [person_id], caller)[person_id]


def person_contacts(uow: UnitOfWork, person_ids: list[str], caller: str = "notifications") -> dict:
    """``person_contact`` for many persons in one transaction: ``{person_id: contact | None}``."""
    found: dict = {}
    for person_id in dict.fromkeys(person_ids[:1000]):
        person = uow.repo.get_person(person_id or "")
        seen = {person_id}
        while person is not None and person.merged_into and person.merged_into not in seen:
            seen.add(person.merged_into)
            person = uow.repo.get_person(person.merged_into)
        if person is None:
            found[person_id] = None
            continue
        uow.repo.audit(
            AuditEntry(
                caller or "unknown",
                "service",
                "person.contact_read",
                "person",
                person.person_id,
                CONTACT_READ,
                {"asked_for": person_id},
            )
        )
        found[person_id] = {
            "person_id": person.person_id,
            "phone": person.phone or "",
            "email": person.email or "",
            "locale": DEFAULT_LOCALE,
            "timezone": DEFAULT_TIMEZONE,
        }
    uow.commit()
    return found
