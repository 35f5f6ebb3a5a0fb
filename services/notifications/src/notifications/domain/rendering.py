"""Message templates: Ukrainian first, English second, with variables, versioned.

A template is a TOML file ``notifications/templates/<key>.v<N>.toml``::

    key = "appeal.accepted"
    version = 1
    variables = ["tracking_number"]        # every variable it may use (anything else is refused)
    [uk]
    subject = "…"                          # e-mail subject and the inbox title
    text = "…"
    [en]
    subject = "…"
    text = "…"

A new wording is a new file with the next version; the old one stays, so a queued notification is
rendered with the version it was enqueued with (the delivery keeps key and version). Texts are
Jinja2 in a sandbox (no attribute access to Python internals) with StrictUndefined (a variable the
caller did not give is an error, not an empty string). Babel filters, in the locale being rendered:
``{{ n|plural(one="крок", few="кроки", many="кроків", other="кроку") }}``, ``{{ d|date }}`` (ISO date),
``{{ t|datetime }}`` (ISO time, shown in the recipient's time zone), ``{{ amount|money }}`` (hryvnias),
``{{ n|number }}``. What a person reads is Ukrainian first, then English after " / ".
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date, format_datetime, get_timezone
from babel.numbers import format_currency, format_decimal
from jinja2 import StrictUndefined, TemplateError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates"
LOCALES = ("uk", "en")
DEFAULT_TIMEZONE = "Europe/Kyiv"
MAX_TEXT = 4000


class TemplateProblem(ValueError):
    """Why a template cannot be rendered with these variables: ``field`` names what is wrong
    (``template``, ``variables.<name>``, ``uk.text`` …), ``message`` says it, Ukrainian first."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field, self.message = field, message


@dataclass(frozen=True)
class TemplateSource:
    key: str
    version: int
    variables: tuple[str, ...]
    texts: dict  # {"uk": {"subject", "text"}, "en": {...}}


@dataclass(frozen=True)
class Rendered:
    template: str
    version: int
    subject: str  # "uk / en"
    text: str  # "uk / en" (one line: SMS, push, inbox)
    text_uk: str
    text_en: str
    subject_uk: str = ""
    subject_en: str = ""

    @property
    def locale(self) -> str:
        return "uk"

    def email_body(self) -> str:
        """Ukrainian, then English below it."""
        return f"{self.text_uk}\n\n---\n\n{self.text_en}\n"


@lru_cache(maxsize=1)
def catalogue() -> dict[str, dict[int, TemplateSource]]:
    found: dict[str, dict[int, TemplateSource]] = {}
    for path in sorted(TEMPLATE_DIR.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        source = TemplateSource(
            data["key"],
            int(data["version"]),
            tuple(data.get("variables", ())),
            {loc: {"subject": data[loc].get("subject", ""), "text": data[loc].get("text", "")} for loc in LOCALES},
        )
        if path.name != f"{source.key}.v{source.version}.toml":
            raise ValueError(f"{path.name}: must be named {source.key}.v{source.version}.toml")
        found.setdefault(source.key, {})[source.version] = source
    return found


def current_version(key: str) -> int:
    versions = catalogue().get(key)
    if not versions:
        raise TemplateProblem("template", f"невідомий шаблон {key!r} / unknown template {key!r}")
    return max(versions)


def source(key: str, version: int | None = None) -> TemplateSource:
    versions = catalogue().get(key)
    if not versions:
        raise TemplateProblem("template", f"невідомий шаблон {key!r} / unknown template {key!r}")
    version = version or max(versions)
    if version not in versions:
        raise TemplateProblem(
            "version", f"шаблон {key!r} не має версії {version} / template {key!r} has no version {version}"
        )
    return versions[version]


def render(key: str, variables: dict, version: int | None = None, timezone: str = DEFAULT_TIMEZONE) -> Rendered:
    """Both languages of one template version, or ``TemplateProblem`` (nothing to send)."""
    src = source(key, version)
    unknown = sorted(set(variables) - set(src.variables))
    if unknown:
        raise TemplateProblem(
            f"variables.{unknown[0]}",
            f"невідома змінна шаблону {src.key} v{src.version}: {unknown[0]} / "
            f"unknown template variable {unknown[0]} (known: {', '.join(src.variables) or '—'})",
        )
    out: dict[str, dict[str, str]] = {}
    for loc in LOCALES:
        out[loc] = {}
        for part in ("subject", "text"):
            try:
                text = _compiled(src.key, src.version, loc, part, timezone).render(**variables)
            except UndefinedError as exc:
                raise TemplateProblem(
                    f"variables.{_undefined_name(exc)}",
                    f"бракує змінної шаблону: {_undefined_name(exc)} / missing template variable: {exc.message}",
                ) from None
            except (TemplateError, ValueError, TypeError, InvalidOperation) as exc:
                raise TemplateProblem(
                    f"{loc}.{part}", f"шаблон не відображається: {exc} / the template does not render: {exc}"
                ) from None
            out[loc][part] = " ".join(text.split()) if part == "subject" else text.strip()
        if not out[loc]["text"]:
            raise TemplateProblem(
                f"{loc}.text",
                f"шаблон {src.key} v{src.version} дає порожнє повідомлення / the template renders empty ({loc})",
            )
        if len(out[loc]["text"]) > MAX_TEXT:
            raise TemplateProblem(
                f"{loc}.text",
                f"повідомлення довше {MAX_TEXT} символів / the message is longer than {MAX_TEXT} characters",
            )
    uk, en = out["uk"], out["en"]
    subject = " / ".join(s for s in (uk["subject"], en["subject"]) if s)
    return Rendered(
        src.key,
        src.version,
        subject,
        f"{uk['text']} / {en['text']}",
        uk["text"],
        en["text"],
        uk["subject"],
        en["subject"],
    )


def _undefined_name(exc: UndefinedError) -> str:
    message = exc.message or ""
    if "'" in message:
        return message.split("'")[1]
    return "?"


@lru_cache(maxsize=512)
def _compiled(key: str, version: int, loc: str, part: str, timezone: str):
    return _environment(loc, timezone).from_string(source(key, version).texts[loc][part])


@lru_cache(maxsize=32)
def _environment(loc: str, timezone: str) -> SandboxedEnvironment:
    env = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False)
    locale = Locale.parse(loc)

    def plural(n, one="", few="", many="", other=""):
        forms = {"one": one, "few": few, "many": many, "other": other}
        return forms.get(locale.plural_form(_number(n)), "") or other or many or one

    def as_date(value, fmt="long"):
        return format_date(_date(value), fmt, locale=locale)

    def as_datetime(value, fmt="d MMMM y, HH:mm"):
        moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
        return format_datetime(moment, fmt, tzinfo=get_timezone(timezone), locale=locale)

    def money(value, currency="UAH"):
        return format_currency(Decimal(str(value)), currency, locale=locale)

    def number(value):
        return format_decimal(_number(value), locale=locale)

    env.filters.update(plural=plural, date=as_date, datetime=as_datetime, money=money, number=number)
    return env


def _number(value):
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return value
    text = str(value).strip()
    return Decimal(text) if any(c in text for c in ".eE") else int(text)


def _date(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])
