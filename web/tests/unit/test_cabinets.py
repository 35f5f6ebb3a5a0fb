"""Supervisor, recipient cabinet, partner agency, donor and operator pages, and the printable
documents, through the BFF over a fake gRPC layer: each role reaches only its own pages and
actions (others: 403 before any service is called), forms call what they say, and the PDFs
carry the Ukrainian text."""

from __future__ import annotations

import io
import re

import pytest
from google.protobuf.timestamp_pb2 import Timestamp

from ekm.cases.v1 import cases_pb2
from ekm.common.v1 import common_pb2
from ekm.intake.v1 import intake_pb2
from ekm.interagency.v1 import interagency_pb2
from ekm_web.backend import BackendError
from web.tests.conftest import csrf_of

NUMBER = "CASE-2026-000042"
CASE = cases_pb2.Case(
    case_id="c-42",
    case_number=NUMBER,
    stage=cases_pb2.STAGE_ASSESSMENT,
    person_id="p-1",
    version=3,
    assigned_to="cm-1",
    community_code="UA80000000000093317",
)
PERSON = cases_pb2.Person(
    person_id="p-1",
    identity=common_pb2.PersonIdentity(last_name="Коваленко", first_name="Андрій", patronymic="Петрович"),
)
NOW = Timestamp(seconds=1_796_000_000)

# (path, the roles that may open it)
PAGES = {
    "/supervision": ("supervisor",),
    "/supervision/workload": ("supervisor",),
    "/supervision/kpis": ("supervisor",),
    "/cabinet": ("recipient",),
    "/cabinet/consents": ("recipient",),
    "/partner/referrals": ("partner_agency",),
    "/partner/tasks": ("partner_agency",),
    "/donor": ("donor",),
    "/operator/health": ("operator",),
    "/operator/queues": ("operator",),
    "/operator/traces": ("operator",),
    f"/cases/{NUMBER}/documents/assessment.pdf": ("case_manager", "supervisor"),
    f"/cases/{NUMBER}/documents/plan.pdf": ("case_manager", "supervisor"),
}
POSTS = {
    "/supervision/decide": ("supervisor",),
    "/cabinet/agree": ("recipient",),
    "/cabinet/appeal": ("recipient",),
    "/cabinet/steps/done": ("recipient",),
    "/cabinet/rate": ("recipient",),
    "/cabinet/consents/withdraw": ("recipient",),
    "/partner/referrals/r-1/accept": ("partner_agency",),
    "/partner/referrals/r-1/reject": ("partner_agency",),
    "/partner/referrals/r-1/complete": ("partner_agency",),
    "/partner/tasks/done": ("partner_agency",),
    "/donor/offers": ("donor",),
    "/donor/offers/withdraw": ("donor",),
}
USERS = {
    "case_manager": "cm-1",
    "supervisor": "sv-1",
    "recipient": "recipient",
    "partner_agency": "partner",
    "donor": "donor",
    "operator": "operator",
}


def queue():
    return cases_pb2.SupervisionQueue(
        items=[
            cases_pb2.QueueItem(
                kind="assessment_approval",
                case_id="c-42",
                case_number=NUMBER,
                detail="оцінка v1 чекає затвердження / assessment v1 awaits approval",
                since=NOW,
            ),
            cases_pb2.QueueItem(
                kind="overdue_case",
                case_id="c-7",
                case_number="CASE-2026-000007",
                detail="етап прострочено / overdue",
                since=NOW,
            ),
        ]
    )


def cabinet(**kw):
    values = dict(
        case_number=NUMBER,
        stage=cases_pb2.STAGE_PLANNING,
        plan_version=1,
        plan_agreed=False,
        goals=["Пройти реабілітацію"],
        steps=[
            cases_pb2.CabinetStep(
                step_id="s-1",
                what="Записатися до реабілітолога",
                due_on="2026-12-20",
                status="planned",
                mine=True,
                responsible_kind=cases_pb2.RESPONSIBLE_KIND_PERSON,
            )
        ],
        services=[
            cases_pb2.CabinetService(
                service_id="sv-r",
                provider="Центр «Відновлення»",
                frequency="щотижня",
                service_type=cases_pb2.SERVICE_TYPE_REHABILITATION,
            )
        ],
    )
    values.update(kw)
    return cases_pb2.Cabinet(**values)


@pytest.fixture
def fake(fake_backend, tmp_path, monkeypatch):
    from ekm_platform.testing.platform import free_port

    monkeypatch.setenv("EKM_TRACE_DB", str(tmp_path / "traces.db"))
    monkeypatch.setenv("EKM_HOME", str(tmp_path))  # no service databases here
    monkeypatch.delenv("EKM_DATABASE_URL", raising=False)
    monkeypatch.setenv("EKM_WEB_RABBITMQ_API", f"http://127.0.0.1:{free_port()}")  # nothing listens
    h = fake_backend.handlers
    h[("cases", "GetCatalogue")] = lambda r, t: cases_pb2.Catalogue()
    h[("cases", "ListCases")] = lambda r, t: cases_pb2.ListCasesResponse(
        cases=[cases_pb2.Case(person_id="p-1", case_number=NUMBER)]
    )
    h[("cases", "GetSupervisionQueue")] = lambda r, t: queue()
    h[("cases", "GetWorkloadReport")] = lambda r, t: cases_pb2.WorkloadReport(
        managers=[
            cases_pb2.ManagerLoad(
                manager_id="cm-1", community_code="UA80000000000093317", capacity=20, weighted_load=7, open_cases=5
            ),
            cases_pb2.ManagerLoad(
                manager_id="cm-2", community_code="UA80000000000093317", capacity=20, weighted_load=3, open_cases=2
            ),
        ]
    )
    h[("cases", "GetQualityKpis")] = lambda r, t: cases_pb2.QualityKpis(
        open_cases=7,
        caseload_per_manager=3.5,
        days_to_assessment=4.5,
        days_to_plan=9,
        days_to_closure=40,
        outcomes={"resolved": 3, "refused": 1},
        average_rating=4.5,
        ratings=6,
    )
    h[("cases", "GetCabinet")] = lambda r, t: cabinet()
    h[("cases", "ListMyConsents")] = lambda r, t: cases_pb2.ListConsentsResponse(
        consents=[
            cases_pb2.Consent(
                consent_id="k-1",
                purpose=cases_pb2.CONSENT_PURPOSE_REFERRAL,
                recipient="12345678",
                data_categories=["contacts", "health"],
                state=cases_pb2.CONSENT_STATE_ACTIVE,
                given_at=NOW,
                expires_at=NOW,
            )
        ]
    )
    h[("intake", "ListMyAppeals")] = lambda r, t: intake_pb2.ListMyAppealsResponse(
        appeals=[
            intake_pb2.AppealStatus(
                tracking_number="EKM-2026-1", state_label_uk="Відкрито випадок", case_number=NUMBER, submitted_at=NOW
            )
        ]
    )
    h[("interagency", "ListReferrals")] = lambda r, t: interagency_pb2.ListReferralsResponse(
        referrals=[
            interagency_pb2.Referral(
                referral_id="r-1",
                case_number=NUMBER,
                sector=interagency_pb2.SECTOR_HEALTH,
                state=interagency_pb2.REFERRAL_STATE_IN_PROGRESS,
                respond_by=NOW,
            )
        ]
    )
    h[("interagency", "GetReferralDetails")] = lambda r, t: interagency_pb2.ReferralDetails(
        referral=interagency_pb2.Referral(
            referral_id="r-1",
            case_number=NUMBER,
            need="Реабілітація після поранення",
            state=interagency_pb2.REFERRAL_STATE_ACCEPTED,
        ),
        person=interagency_pb2.SharedPerson(last_name="Коваленко", first_name="Андрій", phone="+380501110001"),
    )
    h[("interagency", "ListOffers")] = lambda r, t: interagency_pb2.ListOffersResponse(
        offers=[
            interagency_pb2.ResourceOffer(
                offer_id="o-1",
                title="Набори гігієни",
                region="UA80",
                capacity=10,
                remaining=3,
                state="active",
                service_type=cases_pb2.SERVICE_TYPE_IN_KIND_HELP,
                valid_from="2026-12-01",
                valid_until="2027-03-01",
            )
        ]
    )
    h[("interagency", "GetDonorReport")] = lambda r, t: interagency_pb2.DonorReport(
        offers=1,
        recipients=(
            interagency_pb2.DeidentifiedTable(
                column_labels=["18-34", "35-59, 60+"],
                k=5,
                total=12,
                column_totals=[5, 7],
                rows=[
                    interagency_pb2.ReportRow(
                        label="UA80000000000093317",
                        total=12,
                        cells=[interagency_pb2.ReportCell(count=5), interagency_pb2.ReportCell(suppressed=True)],
                    )
                ],
            )
        ),
    )
    h[("interagency", "ListAgencyTasks")] = lambda r, t: interagency_pb2.ListAgencyTasksResponse(
        tasks=[
            interagency_pb2.AgencyTask(
                conference_id="conf-1",
                case_number=NUMBER,
                decision=interagency_pb2.ConferenceDecision(
                    text="Провести огляд у реабілітолога", due_on="2027-01-10", step_id="st-9"
                ),
            )
        ]
    )
    h[("interagency", "WithdrawOffer")] = lambda r, t: interagency_pb2.ResourceOffer(offer_id=r.offer_id)
    h[("cases", "GetCase")] = lambda r, t: CASE
    h[("cases", "GetPerson")] = lambda r, t: PERSON
    h[("cases", "GetAssessment")] = lambda r, t: cases_pb2.Assessment(
        case_id="c-42",
        version=1,
        started_on="2026-11-01",
        specialist_id="cm-1",
        status="submitted",
        family=[
            cases_pb2.FamilyMember(
                full_name="Коваленко Андрій Петрович", birth_date="1988-03-14", relation=cases_pb2.RELATION_SELF
            )
        ],
        domains=[
            cases_pb2.DomainAssessment(
                domain="health", need_level=2, strengths="Мотивований", notes="Потребує реабілітації"
            )
        ],
    )
    h[("cases", "ScoreAssessment")] = lambda r, t: cases_pb2.ScoringResult(complexity="medium")
    h[("cases", "GetPlan")] = lambda r, t: cases_pb2.Plan(
        case_id="c-42",
        version=1,
        goals=[cases_pb2.Goal(goal_id="g1", need_domain="health", description="Відновити рухливість")],
        steps=[
            cases_pb2.Step(
                step_id="s-1",
                goal_id="g1",
                what="Курс реабілітації",
                due_on="2026-12-20",
                status="planned",
                responsible_kind=cases_pb2.RESPONSIBLE_KIND_PROVIDER,
            )
        ],
    )
    return fake_backend


def signed_in(web, role):
    web.sign_in(USERS.get(role, role))


def service_calls(fake):
    return [c for c in fake.calls if c[1] != "GetCatalogue" and not (c[0] == "cases" and c[1] == "ListCases")]


@pytest.mark.parametrize("role", list(USERS))
def test_each_role_opens_only_its_own_pages_and_the_rest_are_403_before_any_call(web, fake, role):
    signed_in(web, role)
    for path, roles in PAGES.items():
        fake.calls.clear()
        reply = web.get(path)
        if role in roles:
            assert reply.status_code == 200, (role, path, reply.text[:300])
        else:
            assert reply.status_code == 403, (role, path)
            assert service_calls(fake) == [], (role, path)


@pytest.mark.parametrize("role", list(USERS))
def test_each_role_posts_only_its_own_actions(web, fake, role):
    signed_in(web, role)
    token = csrf_of(web.get("/signin").text)
    for path, roles in POSTS.items():
        if role in roles:
            continue
        fake.calls.clear()
        reply = web.http.post(
            path, data={"csrf_token": token, "case_id": "c-42", "kind": "assessment_approval", "decision": "approve"}
        )
        assert reply.status_code == 403, (role, path)
        assert service_calls(fake) == [], (role, path)


@pytest.mark.parametrize("role", list(USERS))
def test_the_menu_shows_only_the_roles_own_pages(web, fake, role):
    signed_in(web, role)
    home = web.get("/", follow_redirects=True).text
    links = set(re.findall(r'<li><a href="([^"]+)"', home))
    for path, roles in PAGES.items():
        if path.endswith(".pdf"):
            continue
        assert (path in links) == (role in roles), (role, path, links)


def test_the_supervisor_approves_an_assessment_from_the_queue(web, fake):
    fake.handlers[("cases", "ApproveAssessment")] = lambda r, t: cases_pb2.Assessment(case_id=r.case_id)
    signed_in(web, "supervisor")
    page = web.get("/supervision").text
    assert "Оцінка потреб" in page and NUMBER in page and "Прострочений випадок" in page
    reply = web.http.post(
        "/supervision/decide",
        data={"csrf_token": csrf_of(page), "case_id": "c-42", "kind": "assessment_approval", "decision": "approve"},
    )
    assert reply.status_code == 303
    approved = [c for c in fake.calls if c[1] == "ApproveAssessment"]
    assert len(approved) == 1 and approved[0][2].case_id == "c-42"
    assert "Затверджено" in web.get("/supervision").text


def test_returning_needs_a_reason_and_then_calls_return_for_rework(web, fake):
    fake.handlers[("cases", "ReturnForRework")] = lambda r, t: CASE
    signed_in(web, "supervisor")
    token = csrf_of(web.get("/supervision").text)
    reply = web.http.post(
        "/supervision/decide",
        data={"csrf_token": token, "case_id": "c-42", "kind": "assessment_approval", "decision": "return"},
    )
    assert reply.status_code == 400 and 'aria-invalid="true"' in reply.text
    assert not [c for c in fake.calls if c[1] == "ReturnForRework"]
    reply = web.http.post(
        "/supervision/decide",
        data={
            "csrf_token": token,
            "case_id": "c-42",
            "kind": "assessment_approval",
            "decision": "return",
            "reason": "Не описано житло",
        },
    )
    assert reply.status_code == 303
    (call,) = [c for c in fake.calls if c[1] == "ReturnForRework"]
    assert (call[2].case_id, call[2].kind, call[2].reason) == ("c-42", "assessment_approval", "Не описано житло")


def test_a_forged_decision_on_something_not_in_the_queue_calls_no_approval(web, fake):
    signed_in(web, "supervisor")
    token = csrf_of(web.get("/supervision").text)
    reply = web.http.post(
        "/supervision/decide",
        data={"csrf_token": token, "case_id": "c-99", "kind": "closure_approval", "decision": "approve"},
    )
    assert reply.status_code == 404
    assert not [c for c in fake.calls if c[1].startswith("Approve")]


def test_workload_and_kpis_are_drawn_as_svg_with_their_figures_in_tables(web, fake):
    signed_in(web, "supervisor")
    workload = web.get("/supervision/workload").text
    assert "<svg" in workload and "cm-1" in workload and "<title" in workload
    kpis = web.get("/supervision/kpis").text
    assert kpis.count("<svg") == 2 and "СЖО подолано" in kpis and "4.5" in kpis
    assert " style=" not in kpis and "<script>" not in kpis


def test_the_recipient_agrees_marks_a_step_done_and_rates(web, fake):
    for method in ("AgreePlanInCabinet", "MarkOwnStepDone"):
        fake.handlers[("cases", method)] = lambda r, t: cabinet()
    fake.handlers[("cases", "RateService")] = lambda r, t: cases_pb2.Rating(rating=r.rating)
    signed_in(web, "recipient")
    page = web.get("/cabinet").text
    assert "Записатися до реабілітолога" in page and "Погоджуюся з планом" in page and "EKM-2026-1" in page
    token = csrf_of(page)
    assert web.http.post("/cabinet/agree", data={"csrf_token": token, "plan_version": "1"}).status_code == 303
    assert web.http.post("/cabinet/steps/done", data={"csrf_token": token, "step_id": "s-1"}).status_code == 303
    assert (
        web.http.post(
            "/cabinet/rate", data={"csrf_token": token, "service_id": "sv-r", "rating": "5", "comment": "Дякую"}
        ).status_code
        == 303
    )
    calls = {c[1]: c[2] for c in fake.calls}
    assert calls["AgreePlanInCabinet"].plan_version == 1 and calls["MarkOwnStepDone"].step_id == "s-1"
    assert (calls["RateService"].service_id, calls["RateService"].rating) == ("sv-r", 5)


def test_a_refused_cabinet_action_is_shown_not_hidden(web, fake):
    def refuse(r, t):
        raise BackendError(
            "FAILED_PRECONDITION", "Спершу план затверджує керівник / a supervisor approves the plan first"
        )

    fake.handlers[("cases", "AgreePlanInCabinet")] = refuse
    signed_in(web, "recipient")
    token = csrf_of(web.get("/cabinet").text)
    web.http.post("/cabinet/agree", data={"csrf_token": token, "plan_version": "1"})
    assert "Спершу план затверджує керівник" in web.get("/cabinet").text


def test_a_closed_case_is_read_only_and_rated_only_while_the_period_lasts(web, fake):
    future, past = Timestamp(seconds=4_000_000_000), Timestamp(seconds=1_000_000_000)
    fake.handlers[("cases", "GetCabinet")] = lambda r, t: cabinet(
        read_only=True, plan_agreed=True, stage=cases_pb2.STAGE_CLOSED, closed_at=NOW, rating_open_until=future
    )
    signed_in(web, "recipient")
    page = web.get("/cabinet").text
    assert "Випадок закрито" in page and 'action="/cabinet/rate"' in page
    assert 'action="/cabinet/steps/done"' not in page and 'action="/cabinet/agree"' not in page
    fake.handlers[("cases", "GetCabinet")] = lambda r, t: cabinet(
        read_only=True, plan_agreed=True, stage=cases_pb2.STAGE_CLOSED, closed_at=NOW, rating_open_until=past
    )
    assert 'action="/cabinet/rate"' not in web.get("/cabinet").text


def test_the_recipient_checks_an_appeal_by_its_number_and_another_is_not_found(web, fake):
    def status(r, t):
        if r.tracking_number != "EKM-261203-MINE":
            raise BackendError("NOT_FOUND", "Звернення не знайдено / appeal not found")
        return intake_pb2.AppealStatus(
            tracking_number=r.tracking_number, state_label_uk="Відкрито випадок", case_number=NUMBER
        )

    fake.handlers[("intake", "GetAppealStatus")] = status
    signed_in(web, "recipient")
    token = csrf_of(web.get("/cabinet").text)
    reply = web.http.post("/cabinet/appeal", data={"csrf_token": token, "tracking_number": ""})
    assert reply.status_code == 400 and not [c for c in fake.calls if c[1] == "GetAppealStatus"]
    reply = web.http.post("/cabinet/appeal", data={"csrf_token": token, "tracking_number": "ekm-261203-mine"})
    assert reply.status_code == 200 and 'id="appeal-state"' in reply.text and "Відкрито випадок" in reply.text
    reply = web.http.post("/cabinet/appeal", data={"csrf_token": token, "tracking_number": "EKM-261203-OTHER"})
    assert (
        reply.status_code == 404 and "не знайдено серед ваших" in reply.text and 'id="appeal-state"' not in reply.text
    )


def test_a_recipient_without_a_case_is_told_so(web, fake):
    def none(r, t):
        raise BackendError("NOT_FOUND", "Випадку немає / no case")

    fake.handlers[("cases", "GetCabinet")] = none
    signed_in(web, "recipient")
    assert "ще немає відкритого випадку" in web.get("/cabinet").text


def test_withdrawing_a_consent_needs_a_reason(web, fake):
    fake.handlers[("cases", "WithdrawMyConsent")] = lambda r, t: cases_pb2.Consent(consent_id=r.consent_id)
    signed_in(web, "recipient")
    page = web.get("/cabinet/consents").text
    assert "Направлення до іншої установи" in page and "12345678" in page
    token = csrf_of(page)
    assert (
        web.http.post("/cabinet/consents/withdraw", data={"csrf_token": token, "consent_id": "k-1"}).status_code == 400
    )
    assert not [c for c in fake.calls if c[1] == "WithdrawMyConsent"]
    assert (
        web.http.post(
            "/cabinet/consents/withdraw",
            data={"csrf_token": token, "consent_id": "k-1", "reason": "Більше не потрібно"},
        ).status_code
        == 303
    )
    (call,) = [c for c in fake.calls if c[1] == "WithdrawMyConsent"]
    assert (call[2].consent_id, call[2].reason) == ("k-1", "Більше не потрібно")


def test_the_partner_sees_its_referrals_and_answers_them(web, fake):
    fake.handlers[("interagency", "CompleteReferral")] = lambda r, t: interagency_pb2.Referral(
        referral_id=r.referral_id
    )
    fake.handlers[("interagency", "RejectReferral")] = lambda r, t: interagency_pb2.Referral(referral_id=r.referral_id)
    signed_in(web, "partner")
    assert "/partner/referrals/r-1" in web.get("/partner/referrals").text
    page = web.get("/partner/referrals/r-1").text
    assert "Реабілітація після поранення" in page and "Коваленко" in page and "Завершити з результатом" in page
    token = csrf_of(page)
    assert web.http.post("/partner/referrals/r-1/reject", data={"csrf_token": token}).status_code == 400
    assert web.http.post("/partner/referrals/r-1/complete", data={"csrf_token": token}).status_code == 400
    assert not [c for c in fake.calls if c[1] in ("RejectReferral", "CompleteReferral")]
    reply = web.http.post(
        "/partner/referrals/r-1/complete", data={"csrf_token": token, "outcome": "Курс пройдено", "success": "1"}
    )
    assert reply.status_code == 303
    (call,) = [c for c in fake.calls if c[1] == "CompleteReferral"]
    assert (call[2].referral_id, call[2].outcome, call[2].success) == ("r-1", "Курс пройдено", True)
    reply = web.http.post(
        "/partner/referrals/r-1/reject",
        data={"csrf_token": token, "reason": str(interagency_pb2.REJECTION_REASON_NO_CAPACITY), "note": ""},
    )
    assert reply.status_code == 303
    assert [c for c in fake.calls if c[1] == "RejectReferral"][0][
        2
    ].reason == interagency_pb2.REJECTION_REASON_NO_CAPACITY


def test_the_partner_marks_a_conference_task_done(web, fake):
    fake.handlers[("interagency", "CompleteAgencyTask")] = lambda r, t: interagency_pb2.AgencyTask(
        conference_id=r.conference_id
    )
    signed_in(web, "partner")
    page = web.get("/partner/tasks").text
    assert "Провести огляд у реабілітолога" in page and "2027-01-10" in page
    reply = web.http.post(
        "/partner/tasks/done", data={"csrf_token": csrf_of(page), "conference_id": "conf-1", "step_id": "st-9"}
    )
    assert reply.status_code == 303
    sent = [c for c in fake.calls if c[1] == "CompleteAgencyTask"][0][2]
    assert (sent.conference_id, sent.step_id) == ("conf-1", "st-9")


def test_the_donor_sees_its_offers_and_the_deidentified_report(web, fake):
    signed_in(web, "donor")
    page = web.get("/donor").text
    assert "Набори гігієни" in page and "3 / 10" in page and "UA80" in page
    assert "приховано" in page and "UA80000000000093317" in page and ">12<" in page
    token = csrf_of(page)
    reply = web.http.post("/donor/offers/withdraw", data={"csrf_token": token, "offer_id": "o-1"})
    assert reply.status_code == 303
    assert [c for c in fake.calls if c[1] == "WithdrawOffer"][0][2].offer_id == "o-1"


def test_a_donors_new_offer_and_its_errors_at_the_fields(web, fake):
    def create(r, t):
        if not r.title:
            raise BackendError(
                "INVALID_ARGUMENT", "title: обов'язкове / required", {"title": "обов'язкове поле / required"}
            )
        return interagency_pb2.ResourceOffer(offer_id="o-2", title=r.title)

    fake.handlers[("interagency", "CreateOffer")] = create
    signed_in(web, "donor")
    token = csrf_of(web.get("/donor").text)
    form = {
        "csrf_token": token,
        "offerer_name": "Фонд «Допомога»",
        "title": "",
        "service_type": "4",
        "region": "UA80",
        "capacity": "5",
        "valid_from": "2026-12-01",
        "valid_until": "2027-03-01",
    }
    reply = web.http.post("/donor/offers", data=form)
    assert reply.status_code == 400 and 'id="title" aria-invalid="true"' in reply.text
    assert 'value="Фонд «Допомога»"' in reply.text  # nothing typed is lost
    reply = web.http.post("/donor/offers", data={**form, "title": "Продуктові набори"})
    assert reply.status_code == 303
    sent = [c for c in fake.calls if c[1] == "CreateOffer"][-1][2]
    assert (sent.offerer_kind, sent.title, sent.service_type, sent.capacity) == (
        interagency_pb2.OFFERER_KIND_DONOR,
        "Продуктові набори",
        4,
        5,
    )


def test_the_operator_sees_each_services_health(web, fake):
    fake.handlers[("cases", "Health.Check")] = lambda: "NOT_SERVING"
    signed_in(web, "operator")
    page = web.get("/operator/health").text
    for service in ("intake", "cases", "registry-gateway", "interagency", "notifications"):
        assert f"<td>{service}</td>" in page
    assert "NOT_SERVING" in page and page.count("(SERVING)") == 4


def test_the_queues_page_says_when_the_broker_api_is_unreachable_and_creates_no_database(web, fake, tmp_path):
    signed_in(web, "operator")
    page = web.get("/operator/queues").text
    assert "API керування RabbitMQ недоступний" in page
    assert page.count("no database") == 5
    assert not list(tmp_path.rglob("*.db"))


def test_the_trace_viewer_shows_the_span_tree(web, fake, tmp_path):
    import sqlite3

    from ekm_platform.tracing import SqliteSpanExporter  # noqa: F401 - creates the store's schema on export

    db = tmp_path / "traces.db"
    conn = sqlite3.connect(db)
    conn.executescript("""
        CREATE TABLE spans (trace_id TEXT, span_id TEXT, parent_span_id TEXT, service TEXT, name TEXT, kind TEXT,
                            start_ns INTEGER, end_ns INTEGER, status TEXT, attributes TEXT);
        CREATE TABLE trace_keys (key TEXT, trace_id TEXT);
    """)
    tid = "a" * 32
    conn.executemany(
        "INSERT INTO spans VALUES (?,?,?,?,?,?,?,?,?,?)",
        [
            (tid, "s1", None, "intake", "SubmitAppeal", "SERVER", 0, 9_000_000, "OK", "{}"),
            (tid, "s2", "s1", "cases", "handle appeal.accepted", "CONSUMER", 1_000_000, 5_000_000, "ERROR", "{}"),
        ],
    )
    conn.execute("INSERT INTO trace_keys VALUES (?, ?)", ("EKM-2026-1", tid))
    conn.commit()
    conn.close()
    signed_in(web, "operator")
    page = web.get("/operator/traces?key=EKM-2026-1").text
    assert "SubmitAppeal" in page and "handle appeal.accepted" in page and 'class="d1"' in page
    assert "ПОМИЛКА" in page and "9.00" in page
    assert "Трасу не знайдено" in web.get("/operator/traces?key=EKM-NOPE").text


def pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)


def test_the_assessment_act_and_the_plan_are_pdfs_in_ukrainian(web, fake):
    signed_in(web, "cm-1")
    reply = web.get(f"/cases/{NUMBER}/documents/assessment.pdf")
    assert reply.status_code == 200 and reply.headers["content-type"] == "application/pdf"
    assert reply.headers["cache-control"] == "no-store"
    text = pdf_text(reply.content)
    for expected in (
        "АКТ",
        "оцінки потреб сім'ї/особи",
        "№ 1005",
        "Склад сім'ї",
        "Коваленко Андрій Петрович",
        "Стан здоров'я",
        "2 — помірна",
        "Потребує реабілітації",
        "Складність випадку",
        "середня",
    ):
        assert expected in text, expected
    plan = pdf_text(web.get(f"/cases/{NUMBER}/documents/plan.pdf").content)
    for expected in ("ІНДИВІДУАЛЬНИЙ ПЛАН", "Відновити рухливість", "Курс реабілітації", "2026-12-20"):
        assert expected in plan, expected


def test_the_contract_pdf_explains_the_fee_and_another_cases_contract_is_404(web, fake):
    fake.handlers[("cases", "GetContract")] = lambda r, t: cases_pb2.ContractDraft(
        contract_id=r.contract_id,
        case_id="c-42" if r.contract_id == "k-own" else "c-other",
        provider="Центр «Відновлення»",
        free_of_charge=True,
        explanation=["УБД: безоплатно / combatant: free of charge"],
        rules_version="v1",
        service_type=cases_pb2.SERVICE_TYPE_REHABILITATION,
    )
    signed_in(web, "cm-1")
    text = pdf_text(web.get(f"/cases/{NUMBER}/documents/contracts/k-own.pdf").content)
    assert "ДОГОВІР" in text and "безоплатно" in text and "Центр «Відновлення»" in text
    assert web.get(f"/cases/{NUMBER}/documents/contracts/k-other.pdf").status_code == 404


def test_a_case_the_caller_may_not_see_gives_no_document(web, fake):
    def not_found(r, t):
        raise BackendError("NOT_FOUND", "Випадок не знайдено / case not found")

    fake.handlers[("cases", "GetCase")] = not_found
    signed_in(web, "cm-1")
    assert web.get(f"/cases/{NUMBER}/documents/assessment.pdf").status_code == 404
    assert not [c for c in fake.calls if c[1] in ("GetAssessment", "GetPlan")]


def test_every_text_of_these_pages_is_registered_in_both_languages():
    import pathlib

    import ekm_web.pages.cabinet  # noqa: E401,F401
    import ekm_web.pages.donor
    import ekm_web.pages.operator
    import ekm_web.pages.partner
    import ekm_web.pages.supervisor  # noqa: F401
    from ekm_web import i18n
    from ekm_web.app import create_app  # noqa: F401 - imports every page module (their texts)

    root = pathlib.Path(i18n.__file__).parent / "templates"
    used = set()
    for area in ("supervisor", "cabinet", "partner", "donor", "operator"):
        for template in (root / area).glob("*.html"):
            used |= set(re.findall(r'\bt\("([a-z0-9_.]+)"', template.read_text(encoding="utf-8")))
    used = {k for k in used if not k.endswith(".")}  # "sv.kind." ~ kind: built from a code
    assert len(used) > 80  # the scan found the templates' texts
    missing = sorted(k for k in used if k not in i18n.MESSAGES)
    assert missing == []
    for key in used:
        uk, en = i18n.MESSAGES[key]
        assert uk and en, key
