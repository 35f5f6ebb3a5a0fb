"""axe-core on every page of the web workplace, signed in as the role that uses it (no serious
or critical violation), and in the real browser every role gets 403 for the supervisor,
cabinet, partner, donor, operator and document pages that are not its own."""

from __future__ import annotations

import pytest

from web.tests.browser.a11y import assert_accessible
from web.tests.browser.helpers import shot, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(240)]

CM_PAGES = ("", "/history", "/registry", "/transfer", "/contract", "/assessment", "/scoring", "/plan", "/review")
OWN = {
    "sv-1": ("/supervision", "/supervision/workload", "/supervision/kpis"),
    "recipient": ("/cabinet", "/cabinet/consents", "/cabinet/appeals/new"),
    "partner": ("/partner/referrals", "/partner/tasks"),
    "donor": ("/donor",),
    "operator": ("/appeals/new", "/operator/health", "/operator/queues", "/operator/traces"),
}


@pytest.fixture(scope="module")
def referral(platform, demo_case):
    """A referral of the demo case to the demo partner agency (ЄДРПОУ 12345678), when this build
    of the interagency API has the agency's side of the loop; else None."""
    from ekm.interagency.v1 import interagency_pb2, interagency_pb2_grpc
    from ekm_web.pages.partner import HAS_LOOP

    if not HAS_LOOP:
        return None
    from nameko.standalone.rpc import ServiceRpcClient

    with ServiceRpcClient("interagency", uri=platform.env["EKM_AMQP_URI"], timeout=30) as interagency:
        interagency.register_agency(
            {
                "agency_code": "12345678",
                "name": "Центр реабілітації (демо)",
                "sector": "health",
                "community_code": "UA80000000000093317",
            }
        )
    with platform.channel("interagency") as ch:
        stub = interagency_pb2_grpc.InteragencyServiceStub(ch)
        created = stub.CreateReferral(
            interagency_pb2.CreateReferralRequest(
                case_number=demo_case["case_number"],
                sector=interagency_pb2.SECTOR_HEALTH,
                agency_code="12345678",
                reason="Потрібна реабілітація після поранення",
                action="Прийняти на курс реабілітації",
                client_request_id="a11y-referral",
            ),
            metadata=platform.bearer("case_manager", "cm-1"),
            timeout=10,
        )
    return created.referral_id


def test_axe_on_every_page_for_the_role_that_uses_it(page, demo_case, referral):
    number = demo_case["case_number"]
    page.goto("/signin")
    assert_accessible(page, "signin")
    sign_in(page, "cm-1")
    for suffix in ("/worklist", "/appeals/new") + tuple(f"/cases/{number}{p}" for p in CM_PAGES):
        response = page.goto(suffix)
        assert response.status == 200, suffix
        assert_accessible(page, "cm" + suffix.replace("/", "-"))
    page.goto("/cases/CASE-1999-999999")
    assert_accessible(page, "error-404")
    page.goto("/supervision")
    assert_accessible(page, "error-403")
    page.click("form[action='/lang'] button")  # and one page in English
    page.goto(f"/cases/{number}")
    assert page.locator("html").get_attribute("lang") == "en"
    assert_accessible(page, "cm-case-en")

    for user, paths in OWN.items():
        page.context.clear_cookies()
        sign_in(page, user)
        for path in paths:
            response = page.goto(path if path != "/operator/traces" else f"{path}?key={demo_case['tracking']}")
            assert response.status == 200, (user, path)
            assert_accessible(page, user + path.replace("/", "-"))
        if user == "operator":
            assert page.locator("table.spans tbody tr").count() >= 2, "the demo appeal's trace"
            page.goto("/operator/queues")
            assert page.locator("main table").first.locator("tbody tr").count() >= 3, "the vhost's event queues"
            assert "API керування RabbitMQ недоступний" not in page.locator("main").inner_text()
            shot(page, "operator-trace")
        if user == "donor":
            page.fill("#offerer_name", "Благодійний фонд (демо)")
            page.fill("#title", "Продуктові набори для родин")
            page.select_option("#service_type", label="Натуральна допомога")
            page.click("form[action='/donor/offers'] button.primary")
            assert "Пропозицію додано" in page.locator("main > .flash-ok").inner_text(), page.locator(
                "main"
            ).inner_text()
            assert "Продуктові набори для родин" in page.locator("main table").first.inner_text()
            assert_accessible(page, "donor-offer-added")
            shot(page, "donor-cabinet")
        if user == "partner" and referral:
            page.goto(f"/partner/referrals/{referral}")
            assert "Потрібна реабілітація після поранення" in page.locator("main").inner_text()
            assert_accessible(page, "partner-referral")
            page.locator("form[action$='/accept'] button").click()
            assert page.locator("main > .flash-ok").count() == 1
            page.fill("#outcome", "Курс реабілітації пройдено")
            page.locator("form[action$='/complete'] button").click()
            assert "виконано" in page.locator("main").inner_text()
            shot(page, "partner-referral-completed")
    page.context.clear_cookies()
    sign_in(page, "sv-1")
    page.goto(f"/cases/{number}")
    assert_accessible(page, "sv-case")
    if referral:  # every HTML page of the app was checked: a new page is checked or this fails
        _every_get_route_was_checked()


def _every_get_route_was_checked():
    import importlib
    import urllib.parse

    from starlette.routing import Route

    from ekm_web.app import PAGE_MODULES
    from web.tests.browser.a11y import CHECKED

    paths = {urllib.parse.urlsplit(url).path for url in CHECKED}
    routes = [
        r
        for name in PAGE_MODULES
        for r in importlib.import_module(name).routes
        if isinstance(r, Route) and "GET" in (r.methods or ()) and r.path != "/" and not r.path.endswith(".pdf")
    ]
    missed = [r.path for r in routes if not any(r.path_regex.match(p) for p in paths)]
    assert missed == [], f"pages without an axe check: {missed}"


ALL_OWN = {
    "/supervision": "sv-1",
    "/supervision/workload": "sv-1",
    "/supervision/kpis": "sv-1",
    "/cabinet": "recipient",
    "/cabinet/consents": "recipient",
    "/cabinet/appeals/new": "recipient",
    "/partner/referrals": "partner",
    "/partner/tasks": "partner",
    "/donor": "donor",
    "/operator/health": "operator",
    "/operator/queues": "operator",
    "/operator/traces": "operator",
}


@pytest.mark.parametrize("user", ["cm-1", "sv-1", "recipient", "partner", "donor", "operator"])
def test_a_role_never_reaches_another_roles_pages(page, demo_case, user):
    sign_in(page, user)
    number = demo_case["case_number"]
    forbidden = [p for p, owner in ALL_OWN.items() if owner != user]
    if user in ("recipient", "partner", "donor"):  # staff (and the operator) enter appeals
        forbidden.append("/appeals/new")
    if user not in ("cm-1", "sv-1"):
        forbidden += [f"/cases/{number}/documents/assessment.pdf", f"/cases/{number}/documents/plan.pdf"]
    for path in forbidden:
        response = page.request.get(path)
        assert response.status == 403, (user, path)
        assert "Коваленко" not in response.text().split("<main", 1)[1]  # nothing of the case in the page
    menu = page.locator("header nav").inner_text() if page.locator("header nav").count() else ""
    for path, owner in ALL_OWN.items():
        if owner != user:
            assert page.locator(f"header nav a[href='{path}']").count() == 0, (user, path, menu)
