"""The case manager's case pages through the BFF with a fake gRPC layer."""

from __future__ import annotations

import re

import pytest

from ekm.cases.v1 import cases_pb2
from ekm.common.v1 import common_pb2
from ekm.registry.v1 import registry_pb2
from ekm_web.backend import BackendError

NUMBER = "CASE-2026-000042"
CASE = cases_pb2.Case(
    case_id="c-42", case_number=NUMBER, stage=cases_pb2.STAGE_ASSESSMENT, person_id="p-1", version=3, assigned_to="cm-1"
)
PERSON = cases_pb2.Person(
    person_id="p-1",
    identity=common_pb2.PersonIdentity(
        rnokpp="3221512349",
        unzr="19880314-43212",
        last_name="Коваленко",
        first_name="Андрій",
        patronymic="Петрович",
        birth_date="1988-03-14",
    ),
)


def _row(request, token):
    from google.protobuf import timestamp_pb2

    assert request.search == "3221512349"
    row = cases_pb2.Case()
    row.CopyFrom(CASE)
    row.stage_due_at.CopyFrom(timestamp_pb2.Timestamp(seconds=1796860800))  # 2026-12-10
    row.next_step_due_on, row.overdue_steps = "2026-12-05", 1
    return cases_pb2.ListCasesResponse(cases=[row])


def not_found(request, token):
    raise BackendError("NOT_FOUND", "не знайдено / not found")


@pytest.fixture
def cases(fake_backend):
    h = fake_backend.handlers
    h[("cases", "GetCatalogue")] = lambda r, t: cases_pb2.Catalogue()
    h[("cases", "GetCase")] = lambda r, t: CASE if r.case_number in (NUMBER, "") else not_found(r, t)
    h[("cases", "GetPerson")] = lambda r, t: PERSON
    h[("cases", "GetHousehold")] = not_found
    h[("cases", "ListCases")] = _row
    h[("cases", "ListConsents")] = lambda r, t: cases_pb2.ListConsentsResponse()
    h[("cases", "GetAssessment")] = not_found
    h[("cases", "GetCaseAppeal")] = lambda r, t: cases_pb2.CaseAppeal(
        case_number=NUMBER,
        tracking_number="EKM-1",
        description="Потрібна реабілітація",
        channel=common_pb2.CHANNEL_PHONE,
        applicant=cases_pb2.Applicant(
            last_name="Коваленко", first_name="Марія", relation_to_subject="дружина", phone="+380501110001"
        ),
    )
    return h


def test_case_page_shows_person_appeal_applicant_stage_and_next_actions(web, cases):
    web.sign_in("cm-1")
    html = web.get(f"/cases/{NUMBER}").text
    assert "Коваленко Андрій Петрович" in html and "3221512349" in html
    assert "Потрібна реабілітація" in html and "Марія" in html and "дружина" in html and "Телефоном" in html
    assert "Оцінка потреб" in html
    assert "2026-12-10" in html and "2026-12-05" in html  # deadlines from the case's worklist row
    # next allowed actions from the assessment stage: planning or closing
    options = re.findall(r'<select id="target_stage".*?</select>', html, re.S)[0]
    assert "Планування" in options and "Закрито" in options and "Моніторинг" not in options


def test_supervisor_reads_the_case_without_the_forms_that_change_it(web, cases):
    web.sign_in("sv-1")
    html = web.get(f"/cases/{NUMBER}").text
    assert "Коваленко" in html and 'id="target_stage"' not in html
    assert (
        web.post(f"/cases/{NUMBER}/transition", {"target_stage": "3"}, csrf_from=f"/cases/{NUMBER}").status_code == 403
    )


def test_an_unknown_case_is_404(web, cases):
    web.sign_in("cm-1")
    assert web.get("/cases/CASE-2026-999999").status_code == 404


def test_assessment_errors_are_shown_at_their_fields_and_nothing_is_lost(web, cases, fake_backend):
    def refuse(request, token):
        assert request.assessment.family[0].full_name == "Коваленко Андрій Петрович"
        raise BackendError(
            "INVALID_ARGUMENT",
            "Оцінку не збережено / not saved",
            {
                "family[0].birth_date": "дата РРРР-ММ-ДД у минулому / a past date",
                "domains.housing.need_level": "від 0 до 3 / from 0 to 3",
            },
        )

    cases[("cases", "SaveAssessment")] = refuse
    web.sign_in("cm-1")
    page = web.get(f"/cases/{NUMBER}/assessment").text
    assert 'value="Коваленко Андрій Петрович"' in page  # prefilled from the person
    form = {
        "started_on": "2026-12-01",
        "specialist_id": "cm-1",
        "family-0-full_name": "Коваленко Андрій Петрович",
        "family-0-birth_date": "2999-01-01",
        "family-0-relation": "1",
        "family-1-full_name": "",
        "domains-health-need_level": "2",
        "domains-health-strengths": "Мотивований",
        "domains-housing-need_level": "3",
        "expected_case_version": "3",
    }
    reply = web.post(f"/cases/{NUMBER}/assessment", form, csrf_from=f"/cases/{NUMBER}/assessment")
    assert reply.status_code == 400
    html = reply.text
    field = re.search(r'<input type="date" name="family-0-birth_date"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in field and 'aria-describedby="err-family-0-birth_date"' in field
    assert 'value="2999-01-01"' in field
    assert re.search(r'id="err-family-0-birth_date">дата РРРР-ММ-ДД у минулому<', html)
    assert 'aria-describedby="err-domains-housing-need_level"' in html
    assert "Мотивований" in html  # what was typed is kept
    assert 'href="#family-0-birth_date"' in html  # the summary links to the field


def test_assessment_saved_redirects_with_the_version(web, cases, fake_backend):
    sent = []

    def save(request, token):
        sent.append(request)
        return cases_pb2.Assessment(case_id="c-42", version=2, status="draft")

    cases[("cases", "SaveAssessment")] = save
    households = []
    cases[("cases", "SaveHousehold")] = lambda r, t: households.append(r) or r.household
    web.sign_in("cm-1")
    form = {
        "update_household": "1",
        "household_address": "м. Київ, вул. Тестова, 1",
        "started_on": "2026-12-01",
        "specialist_id": "cm-1",
        "family-0-full_name": "Коваленко Андрій",
        "family-0-birth_date": "1988-03-14",
        "family-0-relation": "1",
        "family-3-full_name": "Коваленко Оля",
        "family-3-birth_date": "2015-01-02",
        "family-3-relation": "3",
        "children-0-child_ref": "Коваленко Оля",
        "children-0-need_level": "2",
        "submit": "1",
        "expected_case_version": "3",
        **{
            f"domains-{d}-need_level": "1"
            for d in ("health", "disability", "mental_health", "self_care", "employment", "social_contacts", "housing")
        },
    }
    reply = web.post(f"/cases/{NUMBER}/assessment", form, csrf_from=f"/cases/{NUMBER}/assessment")
    assert reply.status_code == 303 and reply.headers["location"] == f"/cases/{NUMBER}/assessment"
    request = sent[0]
    assert [m.full_name for m in request.assessment.family] == ["Коваленко Андрій", "Коваленко Оля"]
    assert request.assessment.family[1].relation == cases_pb2.RELATION_CHILD
    assert len(request.assessment.domains) == 7 and request.submit and request.expected_case_version == 3
    assert request.assessment.children[0].need_level == 2
    # the act's family table is recorded as the household when the manager asks
    assert [m.full_name for m in households[0].household.members] == ["Коваленко Андрій", "Коваленко Оля"]
    assert households[0].household.address == "м. Київ, вул. Тестова, 1"


def test_registry_lookup_never_takes_an_identifier_from_the_form(web, cases, fake_backend):
    asked = []

    def lookup(request, token):
        asked.append(request)
        return registry_pb2.LookupPersonResponse(
            results=[
                registry_pb2.RegistryResult(
                    registry="border_guard",
                    status=registry_pb2.REGISTRY_STATUS_OK,
                    query_id="q-1",
                    facts=[
                        registry_pb2.RegistryFact(
                            kind="registry.person.returned_from_service", occurred_on="2026-10-01"
                        )
                    ],
                )
            ]
        )

    cases[("registry-gateway", "LookupPerson")] = lookup
    cases[("registry-gateway", "GetEvidence")] = lambda r, t: registry_pb2.Evidence(
        query_id=r.query_id,
        registry="border_guard",
        xroad_id="x-1",
        user_id="cm-1",
        issue=NUMBER,
        response_sha256="ab" * 32,
    )
    web.sign_in("cm-1")
    reply = web.post(
        f"/cases/{NUMBER}/registry",
        {"who": "person", "rnokpp": "1111111111", "registries": "border_guard"},
        csrf_from=f"/cases/{NUMBER}/registry",
    )
    assert reply.status_code == 200
    assert (
        asked[0].rnokpp == "3221512349"
        and asked[0].case_number == NUMBER
        and list(asked[0].registries) == ["border_guard"]
    )
    assert "Знайдено" in reply.text and 'name="query_id" value="q-1"' in reply.text
    assert "повернення зі служби 2026-10-01" in reply.text  # the fact by its label, not its code
    evidence = web.post(
        f"/cases/{NUMBER}/registry/evidence", {"query_id": "q-1"}, csrf_from=f"/cases/{NUMBER}/registry"
    )
    assert "x-1" in evidence.text and "ab" * 32 in evidence.text


def test_contract_what_if_shows_the_fee_explanation(web, cases, fake_backend):
    cases[("cases", "GetPlan")] = lambda r, t: cases_pb2.Plan(
        case_id="c-42",
        version=1,
        services=[
            cases_pb2.PlannedService(
                service_id="sv1", service_type=cases_pb2.SERVICE_TYPE_REHABILITATION, provider="Центр"
            )
        ],
    )
    cases[("cases", "ListContracts")] = lambda r, t: cases_pb2.ListContractsResponse()
    cases[("cases", "CalculateFee")] = lambda r, t: cases_pb2.ContractDraft(
        free_of_charge=True, explanation=["УБД: безоплатно / combatant: free of charge"], rules_version="fee-1"
    )
    web.sign_in("cm-1")
    page = web.get(f"/cases/{NUMBER}/contract").text
    assert "Реабілітація — Центр" in page
    reply = web.post(
        f"/cases/{NUMBER}/contract",
        {
            "service_id": "sv1",
            "income": "5000",
            "subsistence": "3028",
            "tariff": "1000",
            "categories": "1",
            "action": "calculate",
        },
        csrf_from=f"/cases/{NUMBER}/contract",
    )
    assert reply.status_code == 200
    assert "Безоплатно" in reply.text and "УБД: безоплатно" in reply.text and "combatant" not in reply.text
    calls = [c[2] for c in fake_backend.calls if c[1] == "CalculateFee"]
    assert calls[0].categories == [cases_pb2.FEE_CATEGORY_COMBATANT]


def test_labels_come_from_get_catalogue(web, cases):
    cases[("cases", "GetCatalogue")] = lambda r, t: cases_pb2.Catalogue(
        lists=[
            cases_pb2.CatalogueList(
                enum="ekm.cases.v1.Stage",
                entries=[
                    cases_pb2.CatalogueEntry(
                        number=cases_pb2.STAGE_ASSESSMENT,
                        name="STAGE_ASSESSMENT",
                        code="assessment",
                        label_uk="Оцінювання (з каталогу)",
                        label_en="Assessment (catalogue)",
                    )
                ],
            )
        ]
    )
    web.sign_in("cm-1")
    assert "Оцінювання (з каталогу)" in web.get(f"/cases/{NUMBER}").text


def test_transfer_needs_a_recorded_consent_which_the_page_records(web, cases, fake_backend):
    recorded, requested = [], []
    cases[("cases", "ListConsents")] = lambda r, t: cases_pb2.ListConsentsResponse()
    cases[("cases", "RecordConsent")] = lambda r, t: recorded.append(r) or r.consent
    cases[("cases", "RequestTransfer")] = lambda r, t: requested.append(r) or cases_pb2.Transfer(transfer_id="tr-1")
    web.sign_in("cm-1")
    assert "Активної згоди на передачу немає" in web.get(f"/cases/{NUMBER}/transfer").text
    bad = web.post(
        f"/cases/{NUMBER}/transfer/consent",
        {"to_community": "UA32080070000050759", "method": "1", "given_at": "2026-12-01", "expires_at": "не дата"},
        csrf_from=f"/cases/{NUMBER}/transfer",
    )
    assert bad.status_code == 400 and 'id="err-consent-expires_at"' in bad.text and recorded == []
    ok = web.post(
        f"/cases/{NUMBER}/transfer/consent",
        {
            "to_community": "UA32080070000050759",
            "method": "1",
            "document": "Згода №7",
            "given_at": "2026-12-01",
            "expires_at": "2027-12-01",
        },
        csrf_from=f"/cases/{NUMBER}/transfer",
    )
    assert ok.status_code == 303
    consent = recorded[0].consent
    assert consent.purpose == cases_pb2.CONSENT_PURPOSE_TRANSFER and consent.recipient == "UA32080070000050759"
    assert consent.case_id == "c-42" and consent.method == cases_pb2.CONSENT_METHOD_WRITTEN
    assert consent.expires_at.ToDatetime().date().isoformat() == "2027-12-01"
    moved = web.post(
        f"/cases/{NUMBER}/transfer",
        {"to_community": "UA32080070000050759", "reason": "переїзд"},
        csrf_from=f"/cases/{NUMBER}/transfer",
    )
    assert moved.status_code == 303
    assert requested[0].to_community_code == "UA32080070000050759" and requested[0].expected_case_version == 3


def test_a_draft_contract_uses_recorded_categories_only(web, cases, fake_backend):
    cases[("cases", "GetPlan")] = lambda r, t: cases_pb2.Plan(
        case_id="c-42",
        version=1,
        services=[
            cases_pb2.PlannedService(service_id="sv1", service_type=cases_pb2.SERVICE_TYPE_HOME_CARE, provider="Центр")
        ],
    )
    cases[("cases", "ListContracts")] = lambda r, t: cases_pb2.ListContractsResponse()
    drafts = []
    cases[("cases", "DraftContract")] = lambda r, t: (
        drafts.append(r)
        or cases_pb2.ContractDraft(
            contract_id="k-1",
            stored=True,
            amount="120.00",
            explanation=["Дохід вищий за 2 прожиткові мінімуми / income above"],
        )
    )
    web.sign_in("cm-1")
    reply = web.post(
        f"/cases/{NUMBER}/contract",
        {
            "service_id": "sv1",
            "income": "9000",
            "subsistence": "3028",
            "tariff": "1200",
            "categories": "1",
            "action": "draft",
        },
        csrf_from=f"/cases/{NUMBER}/contract",
    )
    assert reply.status_code == 200 and "k-1" in reply.text and "120.00" in reply.text
    assert list(drafts[0].categories) == []  # what-if categories are never claimed in a draft


def test_a_move_the_case_is_not_ready_for_names_what_is_missing(web, cases):
    def refuse(request, token):
        assert (request.case_id, request.target_stage, request.expected_version) == (
            "c-42",
            cases_pb2.STAGE_PLANNING,
            3,
        )
        raise BackendError(
            "FAILED_PRECONDITION",
            "Спершу потрібна затверджена оцінка потреб / an approved needs assessment is required first",
        )

    cases[("cases", "TransitionCase")] = refuse
    web.sign_in("cm-1")
    reply = web.post(
        f"/cases/{NUMBER}/transition",
        {"target_stage": "3", "expected_version": "3", "outcome": "0"},
        csrf_from=f"/cases/{NUMBER}",
    )
    assert reply.status_code == 409
    assert 'id="transition-error">Спершу потрібна затверджена оцінка потреб<' in reply.text
    assert 'aria-describedby="transition-error"' in reply.text


def test_a_case_moved_says_where_to(web, cases):
    moved = cases_pb2.Case()
    moved.CopyFrom(CASE)
    moved.stage = cases_pb2.STAGE_PLANNING
    cases[("cases", "TransitionCase")] = lambda r, t: moved
    web.sign_in("cm-1")
    reply = web.post(
        f"/cases/{NUMBER}/transition", {"target_stage": "3", "expected_version": "3"}, csrf_from=f"/cases/{NUMBER}"
    )
    assert reply.status_code == 303
    assert "Випадок переведено на етап «Планування»" in web.get(f"/cases/{NUMBER}").text


def test_history_timeline_names_kinds_and_keeps_erroneous_entries_marked(web, cases):
    from google.protobuf import timestamp_pb2

    cases[("cases", "GetSocialHistory")] = lambda r, t: cases_pb2.SocialHistory(
        entries=[
            cases_pb2.HistoryEntry(
                at=timestamp_pb2.Timestamp(seconds=1796860800), kind="case.opened", summary="Відкрито", entry_id=1
            ),
            cases_pb2.HistoryEntry(
                at=timestamp_pb2.Timestamp(seconds=1796860900),
                kind="registry.housing.damaged",
                summary="Пошкоджене житло",
                entry_id=2,
                erroneous=True,
                erroneous_reason="інша особа",
                marked_erroneous_by="sv-1",
            ),
        ],
        next_page_token="h2",
    )
    web.sign_in("cm-1")
    html = web.get(f"/cases/{NUMBER}/history").text
    assert "відкрито випадок" in html and "пошкоджене житло" in html
    assert 'class="erroneous"' in html and "інша особа" in html and "sv-1" in html
    assert "page_token=h2" in html
    asked = [c[2] for c in web.app.state.backend.calls if c[1] == "GetSocialHistory"][0]
    assert asked.person_id == "p-1"


def test_a_health_lookup_consent_is_recorded_from_the_registry_page(web, cases):
    recorded = []
    cases[("cases", "RecordConsent")] = lambda r, t: recorded.append(r) or r.consent
    web.sign_in("cm-1")
    page = web.get(f"/cases/{NUMBER}/registry").text
    assert "лише за записаною згодою" in page
    reply = web.post(
        f"/cases/{NUMBER}/registry/consent",
        {
            "registry": "health",
            "method": "4",
            "document": "Дія-1",
            "given_at": "2026-12-01",
            "expires_at": "2027-06-01",
        },
        csrf_from=f"/cases/{NUMBER}/registry",
    )
    assert reply.status_code == 303
    consent = recorded[0].consent
    assert (consent.purpose, consent.recipient) == (cases_pb2.CONSENT_PURPOSE_REGISTRY_LOOKUP, "health")
    assert list(consent.data_categories) == ["identity", "health"] and consent.method == cases_pb2.CONSENT_METHOD_DIIA
    refused = web.post(
        f"/cases/{NUMBER}/registry/consent",
        {"registry": "border_guard", "given_at": "2026-12-01", "expires_at": "2027-06-01"},
        csrf_from=f"/cases/{NUMBER}/registry",
    )
    assert refused.status_code == 400 and len(recorded) == 1
