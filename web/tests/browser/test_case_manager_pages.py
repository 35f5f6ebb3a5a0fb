"""The case manager's pages in Debian's chromium against the real processes."""
from __future__ import annotations

import pytest

from web.tests.browser.helpers import shot, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(180)]


def test_sign_in_as_a_case_manager_and_see_the_worklist(page, demo_case):
    sign_in(page, "cm-1")
    assert page.url.endswith("/worklist")
    assert page.locator("h1").inner_text() == "Перелік випадків"
    shot(page, "cm-worklist")
    assert page.locator(f"a[href='/cases/{demo_case['case_number']}']").count() == 1
