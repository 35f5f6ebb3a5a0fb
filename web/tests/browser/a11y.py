"""axe-core (bundled by axe-playwright-python; nothing fetched) on a page in the real chromium:
no serious or critical violation is allowed. The full result of a page with any violation is
written next to the screenshots (var/test-artifacts/axe-<name>.json)."""

from __future__ import annotations

import json

from axe_playwright_python.sync_playwright import Axe

from web.tests.browser.helpers import ARTIFACTS

_axe = Axe()
CHECKED: list[str] = []


def assert_accessible(page, name: str) -> None:
    results = _axe.run(page)
    violations = results.response.get("violations", [])
    bad = [v for v in violations if v.get("impact") in ("serious", "critical")]
    if violations:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        (ARTIFACTS / f"axe-{name}.json").write_text(
            json.dumps(violations, ensure_ascii=False, indent=1), encoding="utf-8"
        )
    CHECKED.append(page.url)
    assert not bad, f"{name} ({page.url}): " + "; ".join(
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}" for v in bad
    )
