"""Every text a template or page names is in the catalogue, in Ukrainian and English."""

from __future__ import annotations

import importlib
import pathlib
import re

from ekm_web import app, i18n

SRC = pathlib.Path(app.__file__).parent
LITERAL_KEY = re.compile(r"""\bt\(\s*["']([a-z0-9_.]+)["']""")


def _load_pages():
    for name in app.PAGE_MODULES:
        importlib.import_module(name)


def test_every_literal_key_is_registered_in_both_languages():
    _load_pages()
    used = set()
    for path in list(SRC.rglob("*.html")) + list(SRC.rglob("*.py")):
        if path.name == "i18n.py":  # its docstring's examples
            continue
        used |= set(LITERAL_KEY.findall(path.read_text(encoding="utf-8")))
    missing = sorted(k for k in used if not k.endswith(".") and k not in i18n.MESSAGES)  # "x." ~ code: below
    assert missing == []
    for key, (uk, en) in i18n.MESSAGES.items():
        assert uk.strip() and en.strip(), key


def test_keys_built_from_codes_are_registered():
    """Keys a template builds (``"domain." ~ d``, ``"step." ~ s`` …) for every code it may get."""
    _load_pages()
    from ekm_web.pages import case_manager, cm_forms

    expected = [f"domain.{d}" for d in cm_forms.DOMAINS + ("children",)]
    expected += [f"step.{s}" for s in cm_forms.STEP_STATUSES]
    expected += [f"status.{s}" for s in ("draft", "submitted", "approved")]
    expected += [f"complexity.{c}" for c in ("low", "medium", "high")]
    expected += [f"level.{n}" for n in range(4)]
    expected += [f"reg.{r}" for r in case_manager.REGISTRIES]
    expected += [f"registry.status.{n}" for n in range(1, 7)]
    expected += [f"consent.method.{n}" for n in range(1, 5)] + [f"consent.state.{n}" for n in range(1, 4)]
    from ekm_platform.auth import ROLES

    expected += [f"role.{r}" for r in ROLES]
    assert [k for k in expected if k not in i18n.MESSAGES] == []


def test_ukrainian_first_english_on_request():
    assert i18n.Translator("uk")("signin.title") == "Вхід"
    assert i18n.Translator("en")("signin.title") == "Sign in"
    assert i18n.Translator("xx")("signin.title") == "Вхід"
