"""Message templates: Ukrainian first, English available. No personal data beyond what the
recipient needs to recognise the message (a tracking or case number)."""
from __future__ import annotations

from dataclasses import dataclass
from string import Template

TEMPLATES = {
    "appeal.accepted": {
        "uk": "ЕКМ: ваше звернення прийнято. Номер для відстеження: $tracking_number. "
              "Фахівець зв'яжеться з вами.",
        "en": "EKM: your appeal has been accepted. Tracking number: $tracking_number. "
              "A specialist will contact you.",
    },
    "appeal.accepted.crisis": {
        "uk": "ЕКМ: ваше термінове звернення $tracking_number прийнято. "
              "Фахівець зв'яжеться з вами сьогодні.",
        "en": "EKM: your urgent appeal $tracking_number has been accepted. "
              "A specialist will contact you today.",
    },
}
DEFAULT_LOCALE = "uk"


class UnknownTemplate(KeyError):
    pass


@dataclass(frozen=True)
class Rendered:
    template: str
    locale: str
    text: str


def render(template: str, locale: str, values: dict) -> Rendered:
    if template not in TEMPLATES:
        raise UnknownTemplate(template)
    texts = TEMPLATES[template]
    locale = locale if locale in texts else DEFAULT_LOCALE
    return Rendered(template, locale, Template(texts[locale]).substitute(values))
