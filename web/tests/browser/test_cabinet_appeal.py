"""A recipient submits an appeal in the cabinet (a phone-sized screen, Debian's chromium, the
real processes): the cabinet's own channel, about themselves; the tracking number and the
screening result come back (the same form sent twice is one appeal), and the cabinet's "Мої звернення" shows the appeal with its state."""

from __future__ import annotations

import pytest

from web.tests.browser.a11y import assert_accessible
from web.tests.browser.helpers import COMMUNITY, shot, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(120)]


@pytest.fixture
def phone(browser, web_url):
    context = browser.new_context(
        base_url=web_url, locale="uk-UA", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    context.set_default_timeout(10_000)
    try:
        yield context.new_page()
    finally:
        context.close()


def test_a_recipient_submits_an_appeal_in_the_cabinet_and_sees_its_status(phone, demo_case):
    me = phone
    sign_in(me, "recipient")
    me.click("#new-appeal")
    assert me.url.endswith("/cabinet/appeals/new")
    assert me.locator("#channel, #subject-last_name, #is_subject").count() == 0  # the cabinet's channel, about me
    me.fill("#applicant-person-last_name", "Коваленко")
    me.fill("#applicant-person-first_name", "Андрій")
    me.fill("#applicant-person-patronymic", "Петрович")
    me.fill("#applicant-person-rnokpp", "3221512349")
    me.fill("#applicant-phone", "+380501110001")
    me.fill("#community_code", COMMUNITY)
    me.fill("#description", "Прошу роз'яснити, як оформити пільгу на оплату комунальних послуг для ветерана.")
    me.check("#consent_to_processing")
    sent = me.eval_on_selector(
        "form[action='/cabinet/appeals/new']", "f => Object.fromEntries(new FormData(f).entries())"
    )
    me.click("#submit-appeal")
    tracking = me.locator("#tracking-number").inner_text().strip()
    assert tracking.startswith("EKM-"), me.locator("main").inner_text()
    again = me.request.post("/cabinet/appeals/new", form=sent)  # the same form sent twice: one appeal
    assert again.status == 200 and f'id="tracking-number">{tracking}<' in again.text()
    assert "Схоже звернення вже є" not in again.text()  # replayed by its key, not merged as a duplicate
    assert me.locator("#screening-level").inner_text().strip()
    assert "3221512349" not in me.url and "Коваленко" not in me.url  # nothing personal in the URL
    assert_accessible(me, "cabinet-appeal-accepted")
    shot(me, "cabinet-appeal-accepted")

    me.click("a[href='/cabinet']")
    mine = me.locator("#h-appeals + ul").inner_text()
    assert mine.count(tracking) == 1 and "Об'єднано" not in mine, mine
    row = me.locator("#h-appeals + ul li", has_text=tracking).inner_text()
    assert any(
        state in row
        for state in (
            "Прийнято",
            "Долучено до відкритого випадку",
            "Перевіряється особа",
            "Відкрито випадок",
            "Надано консультацію",
        )
    ), row
    shot(me, "cabinet-appeal-listed")
