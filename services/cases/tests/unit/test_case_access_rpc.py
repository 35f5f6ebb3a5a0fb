"""cases.check_case_access and cases.active_consent: the internal RPCs other services ask before they
touch a person's data about a case (through nameko's worker_factory, over a real SQLite database)."""

from datetime import datetime, timedelta, timezone

import pytest
from nameko.testing.services import worker_factory

from cases.adapters.orm import metadata
from cases.adapters.repository import CaseRepository
from cases.domain.assessment import FamilyMember
from cases.domain.consent import Consent
from cases.domain.workload import CaseManager
from cases.service import CasesService
from cases.service_layer import handlers, persons, workload
from ekm_platform.auth import Principal
from ekm_platform.envelope import Envelope
from ekm_platform.identifiers import make_rnokpp

COMMUNITY = "UA80000000000093317"
RECEIVER = "UA46000000000026241"
PERSON = {
    "rnokpp": "3221512349",
    "unzr": "19880314-43212",
    "last_name": "Коваленко",
    "first_name": "Андрій",
    "patronymic": "",
    "birth_date": "1988-03-14",
}
SPOUSE_RNOKPP = make_rnokpp("312345678")
STRANGER_RNOKPP = make_rnokpp("298765432")
CM = {"user_id": "cm-1", "role": "case_manager", "community_code": COMMUNITY, "organisation": ""}
OTHER_CM = {"user_id": "cm-2", "role": "case_manager", "community_code": COMMUNITY, "organisation": ""}
SV = {"user_id": "sv-1", "role": "supervisor", "community_code": COMMUNITY, "organisation": ""}
OTHER_SV = {"user_id": "sv-2", "role": "supervisor", "community_code": COMMUNITY, "organisation": ""}
OPERATOR = {"user_id": "op-1", "role": "operator", "community_code": "", "organisation": ""}


@pytest.fixture
def uow(sqlite_uow):
    factory = sqlite_uow("cases", metadata, CaseRepository)
    with factory() as u:
        workload.register_manager(u, CaseManager("cm-1", COMMUNITY, 10, frozenset({"veterans"}), "sv-1"))
    with factory() as u:
        workload.register_manager(u, CaseManager("cm-2", COMMUNITY, 10, frozenset(), "sv-2"))
    return factory


@pytest.fixture
def case(uow):
    event = Envelope(
        "appeal.accepted", "intake", {"appeal_id": "a-1", "screening_level": "assessment", "community_code": COMMUNITY}
    )
    with uow() as u:
        opened = handlers.open_case_for_appeal(event, u, lambda appeal_id: {"person": PERSON})
        u.commit()
    assert opened.assigned_to == "cm-1"
    with uow() as u:
        persons.save_household(
            u,
            Principal("cm-1", "case_manager"),
            opened.case_id,
            "Київ",
            [
                FamilyMember("Коваленко Андрій", "1988-03-14", "self", rnokpp=PERSON["rnokpp"]),
                FamilyMember("Коваленко Олена", "1990-05-01", "spouse", rnokpp=SPOUSE_RNOKPP),
            ],
        )
    return opened


@pytest.fixture
def service(uow):
    return worker_factory(CasesService, db=uow)


def recipient(case):
    return {"user_id": case.person_id, "role": "recipient", "community_code": "", "organisation": ""}


def consent(case, **changes):
    now = datetime.now(timezone.utc)
    values = dict(
        person_id=case.person_id,
        case_id=case.case_id,
        purpose="transfer",
        recipient=RECEIVER,
        data_categories=("identity", "case_history"),
        given_by="person",
        method="written",
        given_at=now - timedelta(days=1),
        expires_at=now + timedelta(days=90),
        recorded_by="cm-1",
    )
    values.update(changes)
    return Consent(**values)


def store(uow, *records):
    with uow() as u:
        for record in records:
            u.repo.consents.add(record)
        u.commit()


# denied first ------------------------------------------------------------------------------------
def test_another_managers_case_is_not_found(service, case):
    assert service.check_case_access(OTHER_CM, case.case_number) == {"status": "not_found"}
    assert service.check_case_access(OTHER_CM, case.case_number, {"rnokpp": PERSON["rnokpp"]}) == {
        "status": "not_found"
    }


def test_a_supervisor_of_another_team_gets_not_found(service, case):
    assert service.check_case_access(OTHER_SV, case.case_number) == {"status": "not_found"}


def test_an_unknown_case_is_not_found(service, case):
    assert service.check_case_access(CM, "CASE-2026-NOSUCH1") == {"status": "not_found"}
    assert service.check_case_access(CM, "") == {"status": "not_found"}


def test_an_unknown_or_malformed_actor_is_not_found(service, case):
    assert service.check_case_access({"user_id": "cm-1", "role": "root"}, case.case_number) == {"status": "not_found"}
    assert service.check_case_access(None, case.case_number) == {"status": "not_found"}


def test_a_recipient_sees_only_their_own_case(service, case):
    other = {"user_id": "someone-else", "role": "recipient", "community_code": "", "organisation": ""}
    assert service.check_case_access(other, case.case_number) == {"status": "not_found"}


def test_a_subject_outside_the_case_and_its_household(service, case, uow):
    assert service.check_case_access(CM, case.case_number, {"rnokpp": STRANGER_RNOKPP}) == {
        "status": "person_not_in_case"
    }
    assert service.check_case_access(CM, case.case_number, {"unzr": "19900501-00011"}) == {
        "status": "person_not_in_case"
    }
    assert service.check_case_access(CM, case.case_number, {"person_id": "no-such-person"}) == {
        "status": "person_not_in_case"
    }
    assert service.check_case_access(CM, case.case_number, {}) == {"status": "person_not_in_case"}


def test_another_persons_record_is_not_in_the_case(service, case, uow):
    other = Envelope(
        "appeal.accepted", "intake", {"appeal_id": "a-2", "screening_level": "assessment", "community_code": COMMUNITY}
    )
    with uow() as u:
        second = handlers.open_case_for_appeal(
            other,
            u,
            lambda appeal_id: {"person": {**PERSON, "rnokpp": STRANGER_RNOKPP, "unzr": "", "first_name": "Інший"}},
        )
        u.commit()
    assert service.check_case_access(CM, case.case_number, {"person_id": second.person_id}) == {
        "status": "person_not_in_case"
    }


def test_expired_withdrawn_or_other_consents_are_not_active(service, case, uow):
    now = datetime.now(timezone.utc)
    store(
        uow,
        consent(case, given_at=now - timedelta(days=100), expires_at=now - timedelta(days=1)),
        consent(case, withdrawn_at=now - timedelta(hours=1), withdrawn_by="cm-1", withdrawal_reason="відкликала"),
        consent(case, recipient="UA80000000000093317"),
        consent(case, purpose="referral", recipient="agency-1"),
    )
    assert service.active_consent(case.person_id, "transfer", RECEIVER) is None
    assert service.active_consent("someone-else", "transfer", RECEIVER) is None
    assert service.active_consent(case.person_id, "registry_lookup", "health") is None
    assert service.active_consent("", "", "") is None


# allowed -----------------------------------------------------------------------------------------
def test_the_case_manager_and_their_supervisor_see_the_case(service, case):
    for actor in (CM, SV):
        found = service.check_case_access(actor, case.case_number.lower())
        assert found == {
            "status": "ok",
            "case_id": case.case_id,
            "case_number": case.case_number,
            "stage": "assessment",
            "person_id": case.person_id,
            "is_case_person": True,
            "identifiers_only": False,
        }


def test_the_case_person_by_any_identifier(service, case):
    for subject in ({"rnokpp": PERSON["rnokpp"]}, {"unzr": "1988031443212"}, {"person_id": case.person_id}):
        found = service.check_case_access(CM, case.case_number, subject)
        assert found["status"] == "ok" and found["is_case_person"] is True, subject


def test_a_household_member_is_allowed_but_is_not_the_case_person(service, case):
    found = service.check_case_access(CM, case.case_number, {"rnokpp": SPOUSE_RNOKPP})
    assert found["status"] == "ok" and found["is_case_person"] is False and found["person_id"] == case.person_id


def test_an_operator_gets_identifiers_only_and_a_recipient_their_own_case(service, case):
    assert service.check_case_access(OPERATOR, case.case_number)["identifiers_only"] is True
    own = service.check_case_access(recipient(case), case.case_number, {"person_id": case.person_id})
    assert own["status"] == "ok" and own["identifiers_only"] is False


def test_an_active_consent_is_returned_as_a_record(service, case, uow):
    record = consent(case)
    store(uow, record)
    found = service.active_consent(case.person_id, "transfer", RECEIVER)
    assert found == {
        "consent_id": record.consent_id,
        "person_id": case.person_id,
        "case_id": case.case_id,
        "purpose": "transfer",
        "recipient": RECEIVER,
        "data_categories": ["identity", "case_history"],
        "legal_basis": record.legal_basis,
        "given_by": "person",
        "method": "written",
        "given_at": record.given_at.isoformat(),
        "expires_at": record.expires_at.isoformat(),
    }
    assert datetime.fromisoformat(found["expires_at"]) == record.expires_at


def test_a_household_members_own_person_record_is_allowed_as_a_household_member(service, case, uow):
    other = Envelope(
        "appeal.accepted", "intake", {"appeal_id": "a-3", "screening_level": "assessment", "community_code": COMMUNITY}
    )
    with uow() as u:  # the spouse has a record (and a case) of her own
        spouse_case = handlers.open_case_for_appeal(
            other,
            u,
            lambda appeal_id: {"person": {**PERSON, "rnokpp": SPOUSE_RNOKPP, "unzr": "", "first_name": "Олена"}},
        )
        u.commit()
    found = service.check_case_access(CM, case.case_number, {"person_id": spouse_case.person_id})
    assert found["status"] == "ok" and found["is_case_person"] is False


def test_a_consent_follows_a_merged_duplicate_to_the_kept_person(service, case, uow):
    other = Envelope(
        "appeal.accepted", "intake", {"appeal_id": "a-4", "screening_level": "assessment", "community_code": COMMUNITY}
    )
    with uow() as u:  # a duplicate record of the same person, whose case is closed
        duplicate = handlers.open_case_for_appeal(
            other, u, lambda appeal_id: {"person": {**PERSON, "rnokpp": STRANGER_RNOKPP, "unzr": ""}}
        )
        u.commit()
    store(uow, consent(duplicate))
    from cases.domain.lifecycle import Outcome
    from cases.domain.model import Stage
    from cases.service_layer import stages

    with uow() as u:
        stages.transition_case(
            u,
            Principal("sv-1", "supervisor"),
            duplicate.case_id,
            Stage.CLOSED,
            duplicate.version,
            Outcome.REFUSED,
            "дублікат",
        )
    with uow() as u:
        persons.merge_persons(u, Principal("sv-1", "supervisor"), case.person_id, duplicate.person_id, "дублікат")
    for person_id in (case.person_id, duplicate.person_id):
        found = service.active_consent(person_id, "transfer", RECEIVER)
        assert found is not None and found["person_id"] == case.person_id
