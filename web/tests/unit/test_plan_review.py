"""The plan editor and the review form through the BFF (fake gRPC): requests built from the
rows, errors at their fields; the development IdP signs the demo person in as themselves."""

from __future__ import annotations

import re

import pytest

from ekm.cases.v1 import cases_pb2
from ekm_web.backend import BackendError

NUMBER = "CASE-2026-000042"
CASE = cases_pb2.Case(case_id="c-42", case_number=NUMBER, stage=cases_pb2.STAGE_PLANNING, person_id="p-1", version=5)
PLAN = cases_pb2.Plan(
    case_id="c-42",
    version=1,
    goals=[
        cases_pb2.Goal(goal_id="g1", need_domain="health", description="Реабілітація"),
        cases_pb2.Goal(goal_id="g2", need_domain="employment", description="Робота"),
    ],
)


@pytest.fixture
def cases(fake_backend):
    h = fake_backend.handlers
    h[("cases", "GetCatalogue")] = lambda r, t: cases_pb2.Catalogue()
    h[("cases", "GetCase")] = lambda r, t: CASE
    h[("cases", "GetPlan")] = lambda r, t: PLAN
    return h


def test_plan_rows_become_goals_steps_and_services_and_errors_land_at_the_row(web, cases):
    sent = []

    def refuse(request, token):
        sent.append(request)
        raise BackendError(
            "INVALID_ARGUMENT",
            "План не збережено / not saved",
            {
                "steps[0].due_on": "дата РРРР-ММ-ДД / a YYYY-MM-DD date",
                "goals[1].need_domain": "мета має відповідати оціненій потребі / a goal must answer an assessed need",
            },
        )

    cases[("cases", "SavePlan")] = refuse
    web.sign_in("cm-1")
    form = {
        "goals-0-goal_id": "g1",
        "goals-0-need_domain": "health",
        "goals-0-description": "Реабілітація",
        "goals-1-goal_id": "",
        "goals-1-need_domain": "",
        "goals-1-description": "",  # blank row
        "goals-2-goal_id": "",
        "goals-2-need_domain": "housing",
        "goals-2-description": "Житло",
        "steps-0-step_id": "",
        "steps-0-goal_id": "g3",
        "steps-0-what": "Подати заяву",
        "steps-0-due_on": "завтра",
        "steps-0-responsible_kind": "1",
        "steps-0-status": "planned",
        "steps-1-step_id": "",
        "steps-1-goal_id": "g1",
        "steps-1-what": "",
        "steps-1-status": "planned",  # blank
        "services-0-service_id": "",
        "services-0-service_type": "8",
        "services-0-provider": "Центр",
        "expected_case_version": "5",
    }
    reply = web.post(f"/cases/{NUMBER}/plan", form, csrf_from=f"/cases/{NUMBER}/plan")
    assert reply.status_code == 400
    plan = sent[0].plan
    assert [(g.goal_id, g.need_domain) for g in plan.goals] == [("g1", "health"), ("g3", "housing")]
    assert [(s.step_id, s.goal_id, s.responsible_kind) for s in plan.steps] == [("s1", "g3", 1)]
    assert plan.services[0].service_type == cases_pb2.SERVICE_TYPE_REHABILITATION and sent[0].expected_case_version == 5
    html = reply.text
    # request goal 1 is form row 2; request step 0 is form row 0
    assert re.search(r'name="goals-2-need_domain" id="goals-2-need_domain" aria-invalid="true"', html)
    assert re.search(r'name="steps-0-due_on" value="завтра" id="steps-0-due_on" aria-invalid="true"', html)
    assert "мета має відповідати оціненій потребі" in html


def test_review_sends_a_result_per_goal_and_shows_missing_ones(web, cases):
    sent = []

    def refuse(request, token):
        sent.append(request)
        raise BackendError(
            "INVALID_ARGUMENT",
            "Перегляд не записано / not recorded",
            {"goal_results": "без результату / without a result: g2", "impact": "обов'язкове поле / required"},
        )

    cases[("cases", "RecordReview")] = refuse
    web.sign_in("cm-1")
    page = web.get(f"/cases/{NUMBER}/review").text
    assert "Реабілітація" in page and "Робота" in page
    reply = web.post(
        f"/cases/{NUMBER}/review",
        {
            "held_on": "2026-12-03",
            "services_relevant": "1",
            "goal_results-g1": "1",
            "goal_results-g2": "",
            "impact": "",
        },
        csrf_from=f"/cases/{NUMBER}/review",
    )
    assert reply.status_code == 400
    assert dict(sent[0].review.goal_results) == {"g1": cases_pb2.GOAL_RESULT_ACHIEVED}
    assert sent[0].review.services_relevant
    assert 'id="err-goal_results">без результату' in reply.text
    assert re.search(r'<textarea name="impact" id="impact" aria-invalid="true"', reply.text)


def test_the_dev_idp_signs_the_demo_person_in_as_their_person_id(web, fake_backend):
    def search(request, token):
        assert request.search == "3221512349"
        return cases_pb2.ListCasesResponse(cases=[cases_pb2.Case(case_number=NUMBER, person_id="person-77")])

    fake_backend.handlers[("cases", "ListCases")] = search
    web.sign_in("recipient")
    session = next(s for s in web.app.state.sessions._sessions.values() if s.user)
    assert (session.user.user_id, session.user.role) == ("person-77", "recipient")


def test_the_dev_idp_without_the_demo_person_says_so(web, fake_backend):
    fake_backend.handlers[("cases", "ListCases")] = lambda r, t: cases_pb2.ListCasesResponse()
    reply = web.post("/signin", {"user": "recipient"})
    assert reply.status_code == 503 and "ekm demo" in reply.text


def test_the_dev_idp_can_be_switched_off(fake_backend, tmp_path):
    from ekm_web.app import create_app
    from ekm_web.settings import Settings
    from web.tests.conftest import DEMO_USERS, WebClient

    settings = Settings(
        session_secret="s", demo_users_path=DEMO_USERS, dev_idp=False, oidc_issuer="https://id.example.gov.ua"
    )
    with WebClient(create_app(settings, fake_backend)) as client:
        page = client.get("/signin").text
        assert "https://id.example.gov.ua" in page and 'name="user"' not in page
        assert client.post("/signin", {"user": "cm-1"}).status_code == 400
