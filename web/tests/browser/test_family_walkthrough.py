"""One family through the whole case in Debian's chromium, against the real processes:
the appeal entered on the case manager's "Нове звернення" page → case → assessment → the supervisor's approval → plan → returned by the supervisor with
a reason (shown in the history) → saved again → approval → agreement in the
recipient's cabinet (a phone-sized screen) → implementation, a step the person marks done →
review → closure request → approval → rating in the read-only cabinet → the KPIs show it; the
Order 1005 act and the plan as Ukrainian PDFs. axe-core checks every page on the way;
screenshots are saved in var/test-artifacts/walk-*.png."""

from __future__ import annotations

import io
import json
import time
from datetime import date

import pytest

from ekm_platform import config
from web.tests.browser.a11y import assert_accessible
from web.tests.browser.helpers import shot, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(240)]

DOMAINS = ("health", "disability", "mental_health", "self_care", "employment", "social_contacts", "housing")


def _check(page, name):
    assert_accessible(page, name)
    shot(page, name)


@pytest.fixture(scope="module")
def roster(platform):
    """The demo case managers, registered in cases (as ``ekm demo`` does)."""
    from nameko.standalone.rpc import ServiceRpcClient

    demo = config.home() / "deploy" / "demo"
    with ServiceRpcClient("cases", uri=platform.env["EKM_AMQP_URI"], timeout=30) as cases:
        for manager in json.loads((demo / "case_managers.json").read_text(encoding="utf-8")):
            cases.register_case_manager(**manager)


def _opened_case(platform, tracking):
    """The case the appeal opened (cases opens it from intake's event), taken by cm-1."""
    from ekm.cases.v1 import cases_pb2, cases_pb2_grpc
    from ekm.intake.v1 import intake_pb2, intake_pb2_grpc

    staff, supervisor = platform.bearer("case_manager", "cm-1"), platform.bearer("supervisor", "sv-1")
    with platform.channel("intake") as ch:
        intake = intake_pb2_grpc.IntakeServiceStub(ch)
        number = ""
        for _ in range(200):
            number = intake.GetAppealStatus(
                intake_pb2.GetAppealStatusRequest(tracking_number=tracking), metadata=staff, timeout=5
            ).case_number
            if number:
                break
            time.sleep(0.1)
    assert number, "the appeal should open a case"
    with platform.channel("cases") as ch:
        stub = cases_pb2_grpc.CaseServiceStub(ch)
        case = stub.GetCase(cases_pb2.GetCaseRequest(case_number=number), metadata=supervisor, timeout=10)
        if case.assigned_to != "cm-1":
            stub.AssignCase(
                cases_pb2.AssignCaseRequest(case_id=case.case_id, manager_id="cm-1", reason="walkthrough"),
                metadata=supervisor,
                timeout=10,
            )
    return number


def _enter_appeal(cm):
    """The third demo family's appeal (Бондаренко, in person; deploy/demo/appeals.json), entered by
    the case manager on the "Нове звернення" page: first without the consent (the error is shown
    at its field, what was typed stays), then with it. Returns the tracking number."""
    cm.goto("/appeals/new")
    cm.select_option("#channel", "in_person")
    cm.fill("#applicant-person-last_name", "Бондаренко")
    cm.fill("#applicant-person-first_name", "Сергій")
    cm.fill("#applicant-person-patronymic", "Миколайович")
    cm.fill("#applicant-person-rnokpp", "2918112360")
    cm.fill("#applicant-person-unzr", "19791123-43235")
    cm.fill("#applicant-person-birth_date", "1979-11-23")
    assert cm.is_checked("#is_subject")
    cm.fill("#applicant-email", "s.bondarenko@example.org")
    cm.fill("#description", "Пошкоджене житло, потрібна допомога з компенсацією.")
    cm.click("#submit-appeal")
    assert cm.get_attribute("#consent_to_processing", "aria-invalid") == "true"
    assert "згода" in cm.locator("#err-consent_to_processing").inner_text()
    assert cm.input_value("#applicant-person-last_name") == "Бондаренко"
    _check(cm, "walk-00-appeal-errors")
    cm.check("#consent_to_processing")
    cm.click("#submit-appeal")
    tracking = cm.locator("#tracking-number").inner_text().strip()
    assert tracking.startswith("EKM-"), cm.locator("main").inner_text()
    assert "Оцінка потреб" in cm.locator("#screening-level").inner_text()
    _check(cm, "walk-00-appeal-accepted")
    return tracking


@pytest.fixture
def pages(browser, web_url):
    """One browser context per person: the case manager and the supervisor on a desktop, the
    recipient on a phone-sized screen."""
    contexts = {
        "cm": browser.new_context(base_url=web_url, locale="uk-UA", viewport={"width": 1280, "height": 900}),
        "sv": browser.new_context(base_url=web_url, locale="uk-UA", viewport={"width": 1280, "height": 900}),
        "me": browser.new_context(
            base_url=web_url, locale="uk-UA", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
        ),
    }
    try:
        out = {}
        for name, context in contexts.items():
            context.set_default_timeout(15_000)
            out[name] = context.new_page()
        yield out
    finally:
        for context in contexts.values():
            context.close()


def _decide(sv, number, kind_label, decision="approve"):
    sv.goto("/supervision")
    row = sv.locator("tr", has=sv.locator(f"a[href='/cases/{number}']")).filter(has_text=kind_label)
    assert row.count() == 1, sv.locator("main").inner_text()
    row.locator(f"button[value={decision}]").click()
    sv.wait_for_load_state()
    assert f"Затверджено: {number}" in sv.locator("main > .flash-ok").inner_text()


def _move(cm, number, stage_label, outcome_label=None):
    cm.goto(f"/cases/{number}")
    cm.select_option("#target_stage", label=stage_label)
    if outcome_label:
        cm.select_option("#outcome", label=outcome_label)
        cm.fill("#reason", "Цілі плану досягнуто")
    cm.locator("form[action$='/transition'] button.primary").click()
    cm.wait_for_load_state()
    assert cm.locator(".flash-error, .error-summary").count() == 0, cm.locator("main").inner_text()


def _pdf_text(page, path):
    from pypdf import PdfReader

    reply = page.request.get(path)
    assert reply.status == 200 and reply.headers["content-type"] == "application/pdf"
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(reply.body())).pages)


def test_a_family_through_the_whole_case(pages, platform, roster):
    cm, sv, me = pages["cm"], pages["sv"], pages["me"]

    # the family comes in person: the case manager enters the appeal in the browser
    sign_in(cm, "cm-1")
    tracking = _enter_appeal(cm)
    number = _opened_case(platform, tracking)

    # the appeal opened a case: it is in the case manager's worklist
    cm.goto("/worklist")
    assert cm.locator(f"a[href='/cases/{number}']").count() == 1
    _check(cm, "walk-01-worklist")
    cm.click(f"a[href='/cases/{number}']")
    assert "Бондаренко Сергій Миколайович" in cm.locator("main").inner_text()
    _check(cm, "walk-02-case")

    # the Order 1005 assessment, submitted for approval
    cm.goto(f"/cases/{number}/assessment")
    for d in DOMAINS:
        cm.select_option(f"#domains-{d}-need_level", "3" if d == "housing" else "1")
    cm.fill("#domains-housing-strengths", "Має документи на житло")
    cm.check("#submit")
    cm.click("#save-assessment")
    assert "Оцінку збережено" in cm.locator("main > .flash-ok").inner_text()
    _check(cm, "walk-03-assessment")

    # the supervisor approves it from the queue (the case moves on to planning)
    sign_in(sv, "sv-1")
    assert sv.url.endswith("/supervision")
    _check(sv, "walk-04-approval-queue")
    _decide(sv, number, "Оцінка потреб")
    cm.goto(f"/cases/{number}")  # the case page links the act now
    link = cm.locator(f"a[href='/cases/{number}/documents/assessment.pdf']")
    assert link.count() == 1 and cm.locator("a[href$='/documents/plan.pdf']").count() == 0
    acts = _pdf_text(cm, link.get_attribute("href"))
    assert "АКТ" in acts and "Бондаренко Сергій Миколайович" in acts and "Житлово-побутові умови" in acts

    # the plan, approved by the supervisor
    cm.goto(f"/cases/{number}/plan")
    cm.select_option("#goals-0-need_domain", "housing")
    cm.fill("#goals-0-description", "Отримати компенсацію за пошкоджене житло")
    cm.select_option("#steps-0-goal_id", "g1")
    cm.fill("#steps-0-what", "Подати заяву на компенсацію")
    cm.select_option("#steps-0-responsible_kind", label="Сама особа")
    cm.fill("#steps-0-responsible_ref", "Бондаренко С. М.")
    cm.fill("#steps-0-due_on", "2027-02-01")
    cm.select_option("#services-0-service_type", label="Консультування")
    cm.fill("#services-0-provider", "Центр надання соціальних послуг")
    cm.fill("#services-0-frequency", "щомісяця")
    cm.click("main form button.primary")
    assert "План збережено: версія 1" in cm.locator("main > .flash-ok").inner_text()
    _check(cm, "walk-05-plan")
    # the supervisor first returns it with a reason: it leaves the queue, the reason is in the history
    sv.goto("/supervision")
    row = sv.locator("tr", has=sv.locator(f"a[href='/cases/{number}']")).filter(has_text="Індивідуальний план")
    row.locator("textarea").fill("Уточніть строк подання заяви")
    row.locator("button[value=return]").click()
    assert f"Повернуто на доопрацювання: {number}" in sv.locator("main > .flash-ok").inner_text()
    assert (
        sv.locator("tr", has=sv.locator(f"a[href='/cases/{number}']")).filter(has_text="Індивідуальний план").count()
        == 0
    )
    cm.goto(f"/cases/{number}/history")
    assert "Уточніть строк подання заяви" in cm.locator("main").inner_text()
    cm.goto(f"/cases/{number}/plan")
    cm.fill("#steps-0-due_on", "2027-01-25")
    cm.click("main form button.primary")
    assert "План збережено: версія 1" in cm.locator("main > .flash-ok").inner_text()
    _decide(sv, number, "Індивідуальний план")
    cm.goto(f"/cases/{number}")
    plan = _pdf_text(cm, cm.locator(f"a[href='/cases/{number}/documents/plan.pdf']").get_attribute("href"))
    assert "ІНДИВІДУАЛЬНИЙ ПЛАН" in plan and "Подати заяву на компенсацію" in plan and "2027-01-25" in plan

    # the person agrees to it in the cabinet, on a phone
    sign_in(me, "recipient-2")
    assert me.url.endswith("/cabinet")
    assert "Отримати компенсацію за пошкоджене житло" in me.locator("main").inner_text()
    _check(me, "walk-06-cabinet-plan")
    me.fill("#tracking_number", tracking)  # the appeal behind the case, by its number
    me.click("form[action='/cabinet/appeal'] button")
    assert "Відкрито випадок" in me.locator("#appeal-state").inner_text()
    me.click("form[action='/cabinet/agree'] button")
    assert "погодження записано" in me.locator("main > .flash-ok").inner_text()
    assert me.locator("form[action='/cabinet/agree']").count() == 0

    # implementation: the person marks their own step done
    _move(cm, number, "Виконання плану")
    me.goto("/cabinet")
    me.locator("form[action='/cabinet/steps/done'] button").click()
    assert "виконаним" in me.locator("main > .flash-ok").inner_text()
    assert "виконано" in me.locator("ul.steps").inner_text()
    _check(me, "walk-07-cabinet-step-done")

    # monitoring, review
    _move(cm, number, "Моніторинг")
    _move(cm, number, "Перегляд")
    cm.goto(f"/cases/{number}/review")
    cm.fill("#held_on", date.today().isoformat())
    cm.check("#services_relevant")
    cm.select_option("#goal_results-g1", label="Досягнуто")
    cm.fill("#impact", "Заяву подано, компенсацію призначено")
    _check(cm, "walk-08-review")
    cm.click("main form button.primary")
    assert cm.locator("main > .flash-ok").count() == 1

    # closure: the case manager asks, the supervisor approves
    _move(cm, number, "Закрито", "СЖО подолано")
    _decide(sv, number, "Закриття випадку")
    cm.goto(f"/cases/{number}")
    assert "Закрито" in cm.locator("main").inner_text()

    # the closed case in the cabinet: read only, the services can still be rated
    me.goto("/cabinet")
    assert "Випадок закрито" in me.locator("main").inner_text()
    assert me.locator("form[action='/cabinet/steps/done']").count() == 0
    me.locator("form[action='/cabinet/rate'] label", has_text="5").first.click()
    me.fill("form[action='/cabinet/rate'] textarea", "Дякую, допомогли швидко")
    me.locator("form[action='/cabinet/rate'] button").click()
    assert "Дякуємо за оцінку" in me.locator("main > .flash-ok").inner_text()
    assert "Моя оцінка: 5 з 5" in me.locator("main").inner_text()
    _check(me, "walk-09-cabinet-closed-rated")
    me.goto("/cabinet/consents")
    _check(me, "walk-10-consents")

    # the supervisor's KPIs count the closure and the rating
    sv.goto("/supervision/kpis")
    kpis = sv.locator("main").inner_text()
    assert "СЖО подолано" in kpis and "(оцінок: " in kpis
    assert sv.locator("svg.chart").count() == 2
    _check(sv, "walk-11-kpis")
    sv.goto("/supervision/workload")
    assert "cm-1" in sv.locator("main").inner_text()
    _check(sv, "walk-12-workload")
