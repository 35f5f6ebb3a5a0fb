"""Entering an appeal through the BFF over a fake intake: staff in person / by phone, a
recipient in the cabinet (their own, CHANNEL_RECIPIENT_CABINET); roles that may not get 403
before anything is called; field errors at the field; one idempotency key per form."""

from __future__ import annotations

import re

import pytest

from ekm.cases.v1 import cases_pb2
from ekm.common.v1 import common_pb2
from ekm.intake.v1 import intake_pb2
from ekm_web.backend import BackendError
from web.tests.conftest import csrf_of

STAFF_FORM = {
    "channel": "phone",
    "applicant-person-last_name": "Бондаренко",
    "applicant-person-first_name": "Сергій",
    "applicant-person-rnokpp": "2918112360",
    "is_subject": "on",
    "applicant-email": "s.b@example.org",
    "description": "Пошкоджене житло",
    "consent_to_processing": "on",
}


def accepted(request, token):
    return intake_pb2.SubmitAppealResponse(
        tracking_number="EKM-261203-ABCDEFGH",
        appeal_id="a-1",
        screening_level=common_pb2.SCREENING_LEVEL_ASSESSMENT,
        state=intake_pb2.APPEAL_STATE_ACCEPTED,
        screening=intake_pb2.Screening(
            rules_version="v1",
            fired_rules=[
                intake_pb2.FiredRule(rule_id="AS-DEFAULT", text_uk="потрібна оцінка потреб", text_en="needs assessment")
            ],
        ),
    )


@pytest.fixture
def intake(fake_backend):
    fake_backend.handlers[("cases", "GetCatalogue")] = lambda r, t: cases_pb2.Catalogue()
    fake_backend.handlers[("cases", "ListCases")] = lambda r, t: cases_pb2.ListCasesResponse(
        cases=[cases_pb2.Case(person_id="p-1", case_number="CASE-2026-000042")]
    )
    fake_backend.handlers[("intake", "SubmitAppeal")] = accepted
    return fake_backend


def submits(backend):
    return [c[2] for c in backend.calls if c[1] == "SubmitAppeal"]


def form_of(web, path):
    html = web.get(path).text
    return {
        "csrf_token": csrf_of(html),
        "client_request_id": re.search(r'name="client_request_id" value="([^"]+)"', html).group(1),
    }


@pytest.mark.parametrize("user", ["cm-1", "sv-1", "operator"])
def test_staff_enter_an_appeal_and_see_its_number_and_screening(web, intake, user):
    web.sign_in(user)
    page = web.get("/appeals/new")
    assert page.status_code == 200 and "Нове звернення" in page.text
    reply = web.post("/appeals/new", {**STAFF_FORM, **form_of(web, "/appeals/new")})
    assert reply.status_code == 200, reply.text
    assert "EKM-261203-ABCDEFGH" in reply.text and "Оцінка потреб (відкрити випадок)" in reply.text
    assert "потрібна оцінка потреб" in reply.text
    (sent,) = submits(intake)
    assert sent.channel == common_pb2.CHANNEL_PHONE and sent.applicant.is_subject
    assert sent.applicant.person.rnokpp == "2918112360" and sent.consent_to_processing
    assert not sent.HasField("subject") and sent.client_request_id.startswith("web-")


def test_an_applicant_for_someone_else_sends_the_subject(web, intake):
    web.sign_in("cm-1")
    data = {
        **STAFF_FORM,
        **form_of(web, "/appeals/new"),
        "subject-last_name": "Бондаренко",
        "subject-first_name": "Олег",
        "subject-birth_date": "2010-05-01",
        "applicant-relation_to_subject": "батько",
    }
    del data["is_subject"]
    assert web.post("/appeals/new", data).status_code == 200
    (sent,) = submits(intake)
    assert not sent.applicant.is_subject and sent.applicant.relation_to_subject == "батько"
    assert sent.subject.first_name == "Олег" and sent.subject.birth_date == "2010-05-01"


def test_a_double_submit_sends_the_same_idempotency_key(web, intake):
    web.sign_in("cm-1")
    data = {**STAFF_FORM, **form_of(web, "/appeals/new")}
    web.post("/appeals/new", data)
    web.post("/appeals/new", data)
    first, second = submits(intake)
    assert first.client_request_id == second.client_request_id == data["client_request_id"]
    assert form_of(web, "/appeals/new")["client_request_id"] != data["client_request_id"]  # a new form, a new key


def test_field_errors_are_shown_at_the_field_and_the_key_kept(web, intake):
    def invalid(request, token):
        raise BackendError(
            "INVALID_ARGUMENT",
            "невірні поля / invalid fields",
            {
                "applicant.person.rnokpp": "невірна контрольна цифра / wrong check digit",
                "consent_to_processing": "потрібна згода на обробку персональних даних / consent to processing is required",
            },
        )

    intake.handlers[("intake", "SubmitAppeal")] = invalid
    web.sign_in("cm-1")
    data = {**STAFF_FORM, **form_of(web, "/appeals/new")}
    reply = web.post("/appeals/new", data)
    assert reply.status_code == 400
    assert re.search(
        r'id="applicant-person-rnokpp"[^>]*aria-invalid="true" aria-describedby="err-applicant-person-rnokpp"',
        reply.text,
    )
    assert 'id="err-applicant-person-rnokpp">невірна контрольна цифра</p>' in reply.text
    assert 'id="err-consent_to_processing">потрібна згода' in reply.text
    assert 'value="Бондаренко"' in reply.text  # what was typed stays
    assert f'value="{data["client_request_id"]}"' in reply.text  # the same form, the same key


def test_a_recipient_submits_their_own_appeal_in_the_cabinet(web, intake):
    web.sign_in("recipient")
    assert "Подати звернення" in web.get("/cabinet/appeals/new").text
    data = {
        **form_of(web, "/cabinet/appeals/new"),
        "applicant-person-last_name": "Коваленко",
        "applicant-person-first_name": "Андрій",
        "applicant-person-rnokpp": "3221512349",
        "applicant-phone": "+380501110001",
        "community_code": "ua80000000000093317",
        "actual_address-settlement": "Київ",
        "description": "Потрібна консультація щодо виплат",
        "consent_to_processing": "on",
        "channel": "phone",
        "subject-last_name": "Інший",
    }
    reply = web.post("/cabinet/appeals/new", data)
    assert reply.status_code == 200 and "EKM-261203-ABCDEFGH" in reply.text
    (sent,) = submits(intake)
    assert sent.channel == common_pb2.CHANNEL_RECIPIENT_CABINET  # never the form's "channel"
    assert sent.applicant.is_subject and not sent.HasField("subject")  # about themselves
    assert sent.community_code == "UA80000000000093317" and sent.actual_address.settlement == "Київ"


@pytest.mark.parametrize(
    "user,path",
    [
        ("recipient", "/appeals/new"),
        ("partner", "/appeals/new"),
        ("donor", "/appeals/new"),
        ("cm-1", "/cabinet/appeals/new"),
        ("sv-1", "/cabinet/appeals/new"),
        ("operator", "/cabinet/appeals/new"),
        ("partner", "/cabinet/appeals/new"),
        ("donor", "/cabinet/appeals/new"),
    ],
)
def test_roles_that_may_not_get_403_before_anything_is_called(web, intake, user, path):
    web.sign_in(user)
    assert web.get(path).status_code == 403
    reply = web.post(path, {**STAFF_FORM})
    assert reply.status_code == 403 and "EKM-" not in reply.text
    assert submits(intake) == []


def test_without_the_csrf_token_nothing_is_submitted(web, intake):
    web.sign_in("cm-1")
    reply = web.http.post("/appeals/new", data=STAFF_FORM)
    assert reply.status_code == 403 and submits(intake) == []


def test_the_menu_offers_the_page_to_the_roles_that_use_it(web, intake):
    web.sign_in("operator")
    assert 'href="/appeals/new"' in web.get("/appeals/new").text


# --- the case page's links to the printable documents ---------------------------------------


def _case_backend(backend, stage, plan=True, contracts=(), assessment=True):
    number = "CASE-2026-000042"
    case = cases_pb2.Case(
        case_id="c-42", case_number=number, stage=stage, person_id="p-1", version=3, assigned_to="cm-1"
    )
    h = backend.handlers
    h[("cases", "GetCase")] = lambda r, t: case
    h[("cases", "GetPerson")] = lambda r, t: cases_pb2.Person(
        person_id="p-1", identity=common_pb2.PersonIdentity(last_name="Коваленко", first_name="Андрій")
    )
    h[("cases", "GetHousehold")] = lambda r, t: cases_pb2.Household()

    def missing(r, t):
        raise BackendError("NOT_FOUND", "не знайдено / not found")

    h[("cases", "GetCaseAppeal")] = missing
    h[("cases", "GetPlan")] = (lambda r, t: cases_pb2.Plan(case_id="c-42", version=2)) if plan else missing
    h[("cases", "GetAssessment")] = (
        (lambda r, t: cases_pb2.Assessment(case_id="c-42", version=1)) if assessment else missing
    )
    h[("cases", "ListContracts")] = lambda r, t: cases_pb2.ListContractsResponse(
        contracts=[cases_pb2.ContractDraft(contract_id=c, provider="Центр «Відновлення»") for c in contracts]
    )
    return number


def _doc_links(html):
    return re.findall(r'href="(/cases/[^"]+\.pdf)"', html)


def test_the_case_page_links_the_documents_the_case_has(web, intake):
    number = _case_backend(intake, cases_pb2.STAGE_IMPLEMENTATION, contracts=("k-1",))
    web.sign_in("cm-1")
    html = web.get(f"/cases/{number}").text
    assert _doc_links(html) == [
        f"/cases/{number}/documents/assessment.pdf",
        f"/cases/{number}/documents/plan.pdf",
        f"/cases/{number}/documents/contracts/k-1.pdf",
    ]
    assert "Договір: Центр «Відновлення»" in html


def test_no_document_links_before_planning_and_none_for_what_is_missing(web, intake):
    number = _case_backend(intake, cases_pb2.STAGE_ASSESSMENT)
    web.sign_in("cm-1")
    assert _doc_links(web.get(f"/cases/{number}").text) == []
    assert not [c for c in intake.calls if c[1] in ("GetPlan", "ListContracts")]  # nothing asked
    _case_backend(intake, cases_pb2.STAGE_PLANNING, plan=False)
    assert _doc_links(web.get(f"/cases/{number}").text) == [f"/cases/{number}/documents/assessment.pdf"]
    _case_backend(intake, cases_pb2.STAGE_CLOSED, plan=False, assessment=False)  # closed without an act
    assert _doc_links(web.get(f"/cases/{number}").text) == []
