"""The internal RPCs other services call: get_appeal_details (audited) and appeal_case_number."""

import json
from dataclasses import replace

import pytest
from nameko.testing.services import worker_factory
from sqlalchemy import select

from ekm_platform.auth import Principal
from ekm_platform.envelope import Envelope
from ekm_platform.errors import PermissionDenied
from intake.adapters.orm import audit_log, metadata
from intake.adapters.repository import AppealRepository
from intake.domain.model import PersonData
from intake.service import IntakeService
from intake.service_layer import handlers

CM = Principal("cm-1", "case_manager", "UA80000000000093317")


@pytest.fixture
def uow(sqlite_uow):
    return sqlite_uow("intake", metadata, AppealRepository)


def entries(uow):
    with uow() as u:
        return u.session.execute(select(audit_log).order_by(audit_log.c.seq)).mappings().all()


def test_details_for_the_case_worker_are_audited_with_identifiers_only(uow, valid):
    mother = PersonData(last_name="Коваленко", first_name="Марія", patronymic="Іванівна")
    submission = replace(
        valid,
        applicant=mother,
        applicant_is_subject=False,
        relation_to_subject="мати",
        subject=valid.applicant,
        applicant_email="m@example.org",
    )
    with uow() as u:
        appeal = handlers.submit_appeal(submission, u, CM)
    before = len(entries(uow))
    with uow() as u:
        details = handlers.appeal_details(appeal.appeal_id, CM, u)
    assert details["description"] == valid.description and details["channel"] == "phone"
    assert details["applicant"] == {
        "last_name": "Коваленко",
        "first_name": "Марія",
        "patronymic": "Іванівна",
        "is_subject": False,
        "relation_to_subject": "мати",
    }
    assert details["contact"] == {"phone": valid.applicant_phone, "email": "m@example.org"}
    assert details["tracking_number"] == appeal.tracking_number and details["source_reference"] == ""
    written = entries(uow)[before:]
    assert [(e["actor_id"], e["actor_role"], e["action"], e["subject_type"], e["subject_id"]) for e in written] == [
        ("cm-1", "case_manager", "appeal.read", "appeal", appeal.appeal_id)
    ]
    text = json.dumps(dict(written[0]), default=str, ensure_ascii=False)
    for secret in (
        "Коваленко",
        "Марія",
        valid.applicant_phone,
        "m@example.org",
        valid.applicant.rnokpp,
        valid.description,
    ):
        assert secret not in text


def test_details_of_an_unknown_appeal_are_none_and_not_audited(uow):
    with uow() as u:
        assert handlers.appeal_details("no-such-appeal", CM, u) is None
    assert entries(uow) == []


def test_case_number_of_an_appeal(uow, valid):
    with uow() as u:
        appeal = handlers.submit_appeal(valid, u, CM)
    with uow() as u:
        assert handlers.appeal_case_number(appeal.appeal_id, u) is None
        assert handlers.appeal_case_number("no-such-appeal", u) is None
    event = Envelope("case.opened", "cases", {"appeal_id": appeal.appeal_id, "case_number": "CASE-2026-AAAAAAA"})
    with uow() as u:
        handlers.record_case_opened(event, u)
        u.commit()
    with uow() as u:
        assert handlers.appeal_case_number(appeal.appeal_id, u) == "CASE-2026-AAAAAAA"


def test_the_rpc_entrypoints_take_the_actor_as_it_crosses_amqp(uow, valid):
    service = worker_factory(IntakeService, db=uow)
    with uow() as u:
        appeal = handlers.submit_appeal(valid, u, CM)
    details = service.get_appeal_details(appeal.appeal_id, CM.as_actor())
    assert details["appeal_id"] == appeal.appeal_id
    assert entries(uow)[-1]["actor_id"] == "cm-1"
    assert service.appeal_case_number(appeal.appeal_id) is None
    with pytest.raises(PermissionDenied):
        service.get_appeal_details(appeal.appeal_id, {"user_id": "x", "role": "nobody"})
    with pytest.raises(PermissionDenied):
        service.get_appeal_details(appeal.appeal_id, None)


def test_the_calling_service_is_read_from_the_call_id_stack():
    from types import SimpleNamespace

    from intake.adapters.calling_service import CallingService

    provider = CallingService()
    ctx = SimpleNamespace(immediate_parent_call_id="cases.on_appeal_accepted.2f0c")
    assert provider.get_dependency(ctx) == "cases"
    assert provider.get_dependency(SimpleNamespace(immediate_parent_call_id=None)) == ""
