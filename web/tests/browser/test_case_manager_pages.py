"""The case manager's pages in Debian's chromium against the real processes: sign in, the
worklist, a case, the Order 1005 assessment with a field error shown at the field and then
fixed, the assessment form by keyboard only, and 403 for every role that may not see them."""

from __future__ import annotations

import re

import pytest

from web.tests.browser.helpers import shot, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(180)]

DOMAINS = ("health", "disability", "mental_health", "self_care", "employment", "social_contacts", "housing")


def test_sign_in_as_a_case_manager_and_see_the_worklist(page, demo_case):
    sign_in(page, "cm-1")
    assert page.url.endswith("/worklist")
    assert page.locator("h1").inner_text() == "Перелік випадків"
    row = page.locator("tr", has=page.locator(f"a[href='/cases/{demo_case['case_number']}']"))
    assert "Коваленко" in row.inner_text() and "Оцінка потреб" in row.inner_text()
    shot(page, "cm-worklist")
    # search by RNOKPP is POSTed: the address stays /worklist, nothing personal in it
    page.fill("#search", "3221512349")
    page.click("form[role=search] button[type=submit]")
    assert page.url.endswith("/worklist") and "3221512349" not in page.url
    assert page.locator(f"a[href='/cases/{demo_case['case_number']}']").count() == 1
    # English
    page.click("form[action='/lang'] button")
    assert page.locator("h1").inner_text() == "Worklist"


def test_open_the_case_page(page, demo_case):
    sign_in(page, "cm-1")
    page.click(f"a[href='/cases/{demo_case['case_number']}']")
    assert page.locator("h1").inner_text() == f"Випадок {demo_case['case_number']}"
    text = page.locator("main").inner_text()
    assert "Коваленко Андрій Петрович" in text  # the person
    assert "реабілітації та працевлаштування" in text  # the appeal's text (GetCaseAppeal)
    assert "Звертається сама особа" in text  # the applicant
    assert page.locator("#target_stage option", has_text="Планування").count() == 1  # next allowed action
    shot(page, "cm-case")


def _fill_domains(page):
    for i, d in enumerate(DOMAINS):
        page.select_option(f"#domains-{d}-need_level", str((i % 3) + 1))
    page.fill("#domains-health-strengths", "Мотивований до реабілітації")


def test_assessment_error_is_shown_at_the_field_then_fixed(page, demo_case):
    number = demo_case["case_number"]
    sign_in(page, "cm-1")
    page.goto(f"/cases/{number}/assessment")
    assert page.input_value("#family-0-full_name") == "Коваленко Андрій Петрович"  # from the person record
    _fill_domains(page)
    page.fill("#family-1-full_name", "Коваленко Оля")
    page.fill("#family-1-birth_date", "2999-01-01")  # not a past date
    page.select_option("#family-1-relation", label="Дитина")
    page.click("#save-assessment")
    field = page.locator("#family-1-birth_date")
    assert field.get_attribute("aria-invalid") == "true"
    assert field.get_attribute("aria-describedby") == "err-family-1-birth_date"
    assert "у минулому" in page.locator("#err-family-1-birth_date").inner_text()
    assert page.evaluate("document.activeElement.id") == "family-1-birth_date"  # focus moved to it
    assert page.input_value("#domains-health-strengths") == "Мотивований до реабілітації"  # nothing lost
    shot(page, "cm-assessment-field-error")
    field.fill("2015-06-01")
    page.click("#save-assessment")
    assert "Оцінку збережено: версія" in page.locator(".flash-ok").inner_text()
    assert page.locator("[aria-invalid='true']").count() == 0
    assert page.input_value("#family-1-full_name") == "Коваленко Оля"
    assert "Склад домогосподарства оновлено" in page.locator("main").inner_text()
    shot(page, "cm-assessment-saved")
    page.goto(f"/cases/{number}")
    assert "Коваленко Оля" in page.locator("#h-household").locator("xpath=..").inner_text()
    page.goto(f"/cases/{number}/scoring")
    assert page.locator("h2", has_text="Результат оцінювання").count() == 1
    assert "Складність випадку" in page.locator("main").inner_text()
    shot(page, "cm-scoring")


def test_keyboard_only_on_the_assessment_form(page, demo_case):
    number = demo_case["case_number"]
    sign_in(page, "cm-1")
    page.goto(f"/cases/{number}/assessment")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"  # skip link first
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    order, unlabelled = [], []
    for _ in range(400):
        page.keyboard.press("Tab")
        info = page.evaluate("""() => { const e = document.activeElement;
            return {id: e.id, tag: e.tagName, labelled: !!(e.labels && e.labels.length) || !!e.getAttribute('aria-label')
                    || e.tagName === 'A' || e.tagName === 'BUTTON'}; }""")
        if info["tag"] == "BODY":
            break
        order.append(info["id"])
        if not info["labelled"]:
            unlabelled.append(info)
        if info["id"] == "save-assessment":
            break
    assert unlabelled == []
    expected = (
        ["started_on", "ended_on", "specialist_id", "family-0-full_name", "family-0-birth_date", "family-0-relation"]
        + [f"domains-{d}-need_level" for d in DOMAINS]
        + ["submit", "save-assessment"]
    )
    positions = [order.index(i) for i in expected]
    assert positions == sorted(positions), order  # in reading order
    # change a level and save with the keyboard alone
    page.focus("#domains-housing-need_level")
    page.keyboard.press("Home")
    assert page.input_value("#domains-housing-need_level") == ""  # the first option: not assessed
    page.keyboard.press("End")
    assert page.input_value("#domains-housing-need_level") == "3"
    page.focus("#save-assessment")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert "Оцінку збережено" in page.locator(".flash-ok").inner_text()
    assert page.input_value("#domains-housing-need_level") == "3"
    shot(page, "cm-assessment-keyboard")


def test_another_case_manager_does_not_find_the_case(page, demo_case):
    sign_in(page, "cm-2")
    response = page.goto(f"/cases/{demo_case['case_number']}")
    assert response.status == 404


def test_the_supervisor_reads_but_may_not_change_the_assessment(page, demo_case):
    number = demo_case["case_number"]
    sign_in(page, "sv-1")
    response = page.goto(f"/cases/{number}/assessment")
    assert response.status == 200 and page.locator("#save-assessment").count() == 0
    csrf = page.locator("input[name=csrf_token]").first.get_attribute("value")
    refused = page.request.post(f"/cases/{number}/assessment", form={"csrf_token": csrf, "started_on": "2026-12-01"})
    assert refused.status == 403


@pytest.mark.parametrize("role", ["recipient", "partner", "donor", "operator"])
def test_roles_that_may_not_see_the_case_manager_pages_get_403(page, demo_case, role):
    sign_in(page, role)
    number = demo_case["case_number"]
    for path in (
        "/worklist",
        f"/cases/{number}",
        f"/cases/{number}/assessment",
        f"/cases/{number}/plan",
        f"/cases/{number}/registry",
        f"/cases/{number}/history",
        f"/cases/{number}/contract",
    ):
        response = page.goto(path)
        assert response.status == 403, (role, path)
        assert "Доступ заборонено" in page.locator("h1").inner_text()
        assert "Коваленко" not in page.locator("main").inner_text() and "3221512349" not in page.content()
    shot(page, f"forbidden-{role}")


def test_plan_contract_registry_history_and_transfer_pages(page, platform, demo_case):
    """After the assessment is submitted (here) and approved (the supervisor, over gRPC): the
    plan editor saves goals, steps and services; the contract page explains a fee; a registry
    lookup shows its answer and evidence; the history and transfer pages read the case."""
    from ekm.cases.v1 import cases_pb2, cases_pb2_grpc

    number = demo_case["case_number"]
    sign_in(page, "cm-1")
    page.goto(f"/cases/{number}/assessment")
    page.check("#submit")
    page.click("#save-assessment")
    assert "Оцінку збережено" in page.locator(".flash-ok").inner_text()
    with platform.channel("cases") as ch:
        stub = cases_pb2_grpc.CaseServiceStub(ch)
        latest = stub.GetAssessment(
            cases_pb2.GetAssessmentRequest(case_id=demo_case["case_id"]),
            metadata=platform.bearer("supervisor", "sv-1"),
            timeout=10,
        )
        stub.ApproveAssessment(
            cases_pb2.ApproveAssessmentRequest(case_id=demo_case["case_id"], version=latest.version),
            metadata=platform.bearer("supervisor", "sv-1"),
            timeout=10,
        )

    page.goto(f"/cases/{number}/plan")
    page.select_option("#goals-0-need_domain", "health")
    page.fill("#goals-0-description", "Пройти курс реабілітації")
    page.select_option("#steps-0-goal_id", "g1")
    page.fill("#steps-0-what", "Записатися до реабілітаційного центру")
    page.select_option("#steps-0-responsible_kind", label="Сама особа")
    page.fill("#steps-0-responsible_ref", "Коваленко А. П.")
    page.fill("#steps-0-due_on", "2027-01-15")
    page.select_option("#services-0-service_type", label="Реабілітація")
    page.fill("#services-0-provider", "Центр реабілітації ветеранів")
    page.fill("#services-0-frequency", "щотижня")
    page.click("main form button.primary")
    assert "План збережено: версія 1" in page.locator(".flash-ok").inner_text()
    assert page.input_value("#goals-0-description") == "Пройти курс реабілітації"
    shot(page, "cm-plan")

    page.goto(f"/cases/{number}/contract")
    page.fill("#contract-income", "4000")
    page.fill("#contract-tariff", "1200")
    page.click("button[value=calculate]")
    result = page.locator("#h-fee").locator("xpath=..").inner_text()
    assert "Пояснення" in result and "нічого не збережено" in result
    shot(page, "cm-contract")

    page.goto(f"/cases/{number}/registry")
    page.check("#reg-border_guard")
    page.click("main form[action$='/registry'] button.primary")
    answers = page.locator("table").inner_text()
    assert "Держприкордонслужба" in answers
    page.locator("form[action$='/registry/evidence'] button").first.click()
    evidence = page.locator("#h-evidence").locator("xpath=..").inner_text()
    assert "cm-1" in evidence and number in evidence
    assert re.search(r"[0-9a-f]{64}", evidence)
    shot(page, "cm-registry-evidence")

    # a health lookup is denied until the person's consent is recorded, then the registry is asked
    page.goto(f"/cases/{number}/registry")
    page.check("#reg-health")
    page.click("main form[action$='/registry'] button.primary")
    assert "Заборонено" in page.locator("table").last.inner_text()
    page.select_option("#consent-registry", "health")
    page.fill("#consent-expires_at", "2027-06-01")
    page.click("form[action$='/registry/consent'] button")
    assert "Згоду записано" in page.locator(".flash-ok").inner_text()
    page.check("#reg-health")
    page.click("main form[action$='/registry'] button.primary")
    assert "Заборонено" not in page.locator("table").last.inner_text()
    shot(page, "cm-registry-health-with-consent")

    page.goto(f"/cases/{number}/history")
    assert page.locator("ol.timeline li").count() >= 2
    shot(page, "cm-history")

    page.goto(f"/cases/{number}/transfer")
    assert "Активної згоди на передачу немає" in page.locator("main").inner_text()


def test_no_personal_data_in_the_web_log_or_any_address(platform, web_url, demo_case):
    """After every page above (names, РНОКПП, searches, registry lookups): the BFF's log names
    paths and statuses only — no РНОКПП, УНЗР, name or phone — and no path carries one."""
    log = platform.log("web")
    assert "GET /worklist" in log and "POST /worklist" in log
    for secret in ("3221512349", "19880314-43212", "Коваленко", "Kovalenko", "+380501110001", "380501110001"):
        assert secret not in log, secret
