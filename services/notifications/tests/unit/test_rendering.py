"""Templates: Jinja2 sandboxed with StrictUndefined, Babel plurals, dates and money in Ukrainian
and English, versions kept side by side, an empty render refused."""

import pytest

from notifications.domain import rendering
from notifications.domain.rendering import TemplateProblem, render

REMINDER_V1 = """key = "test.reminder"
version = 1
variables = ["count", "due", "amount"]
[uk]
subject = "Нагадування"
text = "{{ count }} {{ count|plural(one='крок', few='кроки', many='кроків', other='кроку') }} до {{ due|date }}, {{ amount|money }}"
[en]
subject = "Reminder"
text = "{{ count }} {{ count|plural(one='step', other='steps') }} by {{ due|date }}, {{ amount|money }}"
"""
REMINDER_V2 = REMINDER_V1.replace("version = 1", "version = 2").replace("Нагадування", "Нагадування v2")
EMPTY = """key = "test.empty"
version = 1
variables = ["note"]
[uk]
text = "{{ note }}   "
[en]
text = "{{ note }}"
"""
SNEAKY = """key = "test.sneaky"
version = 1
variables = ["x"]
[uk]
text = "{{ x.__class__.__mro__[1].__subclasses__() }}"
[en]
text = "x"
"""


def plain(text):
    """Babel separates with (narrow) no-break spaces."""
    return text.replace("\u202f", " ").replace("\u00a0", " ")


@pytest.fixture
def templates(tmp_path, monkeypatch):
    for name, text in (
        ("test.reminder.v1.toml", REMINDER_V1),
        ("test.reminder.v2.toml", REMINDER_V2),
        ("test.empty.v1.toml", EMPTY),
        ("test.sneaky.v1.toml", SNEAKY),
    ):
        (tmp_path / name).write_text(text, encoding="utf-8")
    monkeypatch.setattr(rendering, "TEMPLATE_DIR", tmp_path)
    rendering.catalogue.cache_clear()
    rendering._compiled.cache_clear()
    yield
    rendering.catalogue.cache_clear()
    rendering._compiled.cache_clear()


@pytest.mark.parametrize(
    "count, word", [(1, "крок"), (3, "кроки"), (5, "кроків"), (11, "кроків"), (21, "крок"), (22, "кроки")]
)
def test_ukrainian_plurals(templates, count, word):
    r = render("test.reminder", {"count": count, "due": "2026-12-04", "amount": "1234.5"})
    assert plain(r.text_uk) == f"{count} {word} до 4 грудня 2026 р., 1 234,50 ₴"


def test_dates_and_money_in_each_language(templates):
    r = render("test.reminder", {"count": 2, "due": "2026-12-04", "amount": "1234.5"})
    assert plain(r.text_uk).endswith("1 234,50 ₴")
    assert "2 steps by December 4, 2026, UAH1,234.50" in r.text_en
    assert r.text == f"{r.text_uk} / {r.text_en}"


def test_versions_are_kept_and_the_current_is_the_highest(templates):
    assert render("test.reminder", {"count": 1, "due": "2026-12-04", "amount": 1}).subject_uk == "Нагадування v2"
    assert (
        render("test.reminder", {"count": 1, "due": "2026-12-04", "amount": 1}, version=1).subject_uk == "Нагадування"
    )
    with pytest.raises(TemplateProblem) as problem:
        render("test.reminder", {}, version=7)
    assert problem.value.field == "version"


def test_an_empty_render_is_refused(templates):
    with pytest.raises(TemplateProblem) as problem:
        render("test.empty", {"note": "   "})
    assert problem.value.field == "uk.text" and "порожнє" in problem.value.message


def test_the_sandbox_refuses_python_internals(templates):
    with pytest.raises(TemplateProblem) as problem:
        render("test.sneaky", {"x": "a"})
    assert problem.value.field == "uk.text"


def test_a_bad_value_for_a_filter_is_a_template_problem(templates):
    with pytest.raises(TemplateProblem):
        render("test.reminder", {"count": 1, "due": "not a date", "amount": 1})


def test_every_shipped_template_is_named_by_key_and_version_and_has_both_languages():
    rendering.catalogue.cache_clear()
    for key, versions in rendering.catalogue().items():
        for version, src in versions.items():
            assert src.texts["uk"]["text"] and src.texts["en"]["text"], (key, version)
