from dataclasses import replace

import pytest
from sqlalchemy import func, select

from ekm_platform.auth import Principal
from ekm_platform.envelope import Envelope
from ekm_platform.errors import NotFound, ValidationError
from intake.adapters.orm import appeals, metadata
from intake.adapters.repository import AppealRepository
from intake.domain.model import AppealState
from intake.service_layer import handlers

CM = Principal("cm-1", "case_manager", "UA80000000000093317")


@pytest.fixture
def uow(sqlite_uow):
    return sqlite_uow("intake", metadata, AppealRepository)


def count(uow, table):
    with uow() as u:
        return u.session.execute(select(func.count()).select_from(table)).scalar()


def test_submit_stores_the_appeal_and_its_event_together(uow, valid):
    with uow() as u:
        appeal = handlers.submit_appeal(valid, u, CM)
    assert appeal.tracking_number.startswith("EKM-")
    with uow() as u:
        stored = handlers.appeal_status(appeal.tracking_number.lower(), u, CM)
    assert stored.submission == valid and stored.state is AppealState.ACCEPTED
    assert count(uow, metadata.tables["outbox"]) == 1


def test_the_event_carries_no_personal_data(uow, valid):
    with uow() as u:
        handlers.submit_appeal(valid, u, CM)
    with uow() as u:
        payload = u.session.execute(select(metadata.tables["outbox"].c.payload)).scalar()
    for secret in (valid.applicant.rnokpp, valid.applicant.last_name, valid.applicant_phone, valid.description):
        assert secret not in payload


def test_invalid_input_stores_nothing(uow, valid):
    with uow() as u, pytest.raises(ValidationError):
        handlers.submit_appeal(replace(valid, consent_to_processing=False), u, CM)
    assert count(uow, appeals) == 0 and count(uow, metadata.tables["outbox"]) == 0


def test_the_same_client_request_id_gives_the_same_appeal(uow, valid):
    submission = replace(valid, client_request_id="frontend-42")
    with uow() as u:
        first = handlers.submit_appeal(submission, u, CM)
    with uow() as u:
        second = handlers.submit_appeal(submission, u, CM)
    assert first.tracking_number == second.tracking_number
    assert count(uow, appeals) == 1 and count(uow, metadata.tables["outbox"]) == 1


def test_case_opened_sets_the_case_number(uow, valid):
    with uow() as u:
        appeal = handlers.submit_appeal(valid, u, CM)
    event = Envelope("case.opened", "cases", {"appeal_id": appeal.appeal_id, "case_number": "CASE-2026-AAAAAAA"})
    with uow() as u:
        handlers.record_case_opened(event, u)
        u.commit()
    with uow() as u:
        status = handlers.appeal_status(appeal.tracking_number, u, CM)
    assert status.case_number == "CASE-2026-AAAAAAA" and status.state is AppealState.CASE_OPENED


def test_unknown_tracking_number(uow, valid):
    with uow() as u, pytest.raises(NotFound):
        handlers.appeal_status("EKM-000000-XXXXXXXX", u, CM)


def test_subject_and_contact_for_other_services(uow, valid):
    with uow() as u:
        appeal = handlers.submit_appeal(valid, u, CM)
    with uow() as u:
        assert handlers.appeal_subject(appeal.appeal_id, u)["person"]["rnokpp"] == valid.applicant.rnokpp
        assert handlers.applicant_contact(appeal.appeal_id, u)["phone"] == valid.applicant_phone
    with uow() as u:  # many at once, for the notifications dispatcher; an unknown appeal is None
        found = handlers.applicant_contacts([appeal.appeal_id, "no-such-appeal"], u, "notifications")
    assert found["no-such-appeal"] is None and found[appeal.appeal_id]["phone"] == valid.applicant_phone
