"""cases.get_person_contact: how notifications reaches a person (phone, e-mail, locale, time zone)."""

import pytest
from nameko.testing.services import worker_factory
from sqlalchemy import select

from cases.adapters.orm import audit_log, metadata
from cases.adapters.repository import CaseRepository
from cases.domain.model import Person
from cases.service import CasesService


@pytest.fixture
def uow(sqlite_uow):
    factory = sqlite_uow("cases", metadata, CaseRepository)
    with factory() as u:
        u.repo.add_person(
            Person.new(
                rnokpp="3221512349", last_name="Коваленко", first_name="Андрій", patronymic="", birth_date="1988-03-14"
            )
        )
        u.commit()
    return factory


def _person_id(uow):
    with uow() as u:
        return u.repo.find_person("3221512349", "").person_id


def test_unknown_person_is_none(uow):
    assert worker_factory(CasesService, db=uow).get_person_contact("no-such-person") is None


def test_contact_of_a_person_is_returned_and_audited(uow):
    person_id = _person_id(uow)
    with uow() as u:
        person = u.repo.get_person(person_id)
        from dataclasses import replace

        u.repo.save_person(replace(person, phone="+380671234567", email="andrii@example.com"))
        u.commit()
    found = worker_factory(CasesService, db=uow).get_person_contact(person_id)
    assert found == {
        "person_id": person_id,
        "phone": "+380671234567",
        "email": "andrii@example.com",
        "locale": "uk",
        "timezone": "Europe/Kyiv",
    }
    with uow() as u:
        rows = u.session.execute(select(audit_log.c.action, audit_log.c.actor_id, audit_log.c.subject_id)).all()
    assert ("person.contact_read", "notifications", person_id) in [tuple(r) for r in rows]


def test_contacts_of_many_in_one_call(uow):
    person_id = _person_id(uow)
    found = worker_factory(CasesService, db=uow).get_person_contacts([person_id, "no-such-person"])
    assert found["no-such-person"] is None and found[person_id]["timezone"] == "Europe/Kyiv"
