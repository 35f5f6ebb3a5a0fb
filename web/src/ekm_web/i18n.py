"""Ukrainian first, English on request: a small message catalogue and the enums' labels.

Each page module registers its own texts: ``MESSAGES.update({"key": ("український", "English")})``
(or ``register({...})``); templates call ``t("key")`` (``t("key", n=3)`` formats ``{n}``).
A missing key shows the key itself, and ``tests/unit/test_i18n.py`` fails on any key a template
uses that no module registered. Enum labels come from CaseService.GetCatalogue (``Catalogue``)."""

from __future__ import annotations

LANGUAGES = ("uk", "en")

MESSAGES: dict[str, tuple[str, str]] = {
    "app.name": ("ЕКМ — ведення випадку", "EKM — case management"),
    "app.skip": ("Перейти до змісту", "Skip to content"),
    "nav.main": ("Головне меню", "Main menu"),
    "nav.signout": ("Вийти", "Sign out"),
    "nav.language": ("Мова", "Language"),
    "nav.switch_to": ("English", "Українська"),
    "nav.signed_in_as": ("Ви увійшли як", "Signed in as"),
    "role.case_manager": ("Фахівець із ведення випадку", "Case manager"),
    "role.supervisor": ("Супервізор", "Supervisor"),
    "role.recipient": ("Отримувач послуг", "Recipient"),
    "role.partner_agency": ("Партнерська установа", "Partner agency"),
    "role.donor": ("Донор", "Donor"),
    "role.operator": ("Оператор", "Operator"),
    "signin.title": ("Вхід", "Sign in"),
    "signin.dev_idp": (
        "Демонстраційний постачальник ідентичності: оберіть користувача",
        "Development identity provider: choose a demo user",
    ),
    "signin.dev_warning": (
        "Лише для розробки та демонстрації. У робочому середовищі вхід — через OpenID Connect.",
        "For development and demonstration only. In production, sign-in is through OpenID Connect.",
    ),
    "signin.submit": ("Увійти", "Sign in"),
    "signin.oidc": ("Увійти через {issuer}", "Sign in with {issuer}"),
    "signin.oidc_pending": (
        "Вхід через OpenID Connect налаштовано, але ще не реалізовано.",
        "OpenID Connect sign-in is configured but not implemented yet.",
    ),
    "signin.none": (
        "Немає способу входу: налаштуйте EKM_WEB_OIDC_ISSUER або EKM_WEB_DEV_IDP=1.",
        "No way to sign in: configure EKM_WEB_OIDC_ISSUER or EKM_WEB_DEV_IDP=1.",
    ),
    "signin.expired": (
        "Сеанс завершено через бездіяльність. Увійдіть знову.",
        "Your session ended after a period of inactivity. Please sign in again.",
    ),
    "signin.unknown_user": ("Оберіть користувача зі списку.", "Choose a user from the list."),
    "signin.no_demo_person": (
        "Демо-особу не знайдено: завантажте демо-дані (ekm demo).",
        "The demo person was not found: load the demo data (ekm demo).",
    ),
    "error.title": ("Помилка", "Error"),
    "error.403": ("Доступ заборонено", "Access denied"),
    "error.403.text": (
        "Ця сторінка або дія недоступна для вашої ролі.",
        "This page or action is not available to your role.",
    ),
    "error.csrf": (
        "Форма застаріла або надіслана не з цієї сторінки. Оновіть сторінку й спробуйте знову.",
        "The form is stale or was not sent from this page. Reload the page and try again.",
    ),
    "error.404": ("Не знайдено", "Not found"),
    "error.404.text": (
        "Такого запису немає або він вам недоступний.",
        "There is no such record, or it is not available to you.",
    ),
    "error.503": ("Сервіс тимчасово недоступний", "Service temporarily unavailable"),
    "error.503.text": ("Спробуйте трохи пізніше.", "Please try again a little later."),
    "error.500": ("Внутрішня помилка", "Internal error"),
    "error.back": ("На головну", "Back to the start page"),
    "common.yes": ("так", "yes"),
    "common.no": ("ні", "no"),
    "common.save": ("Зберегти", "Save"),
    "common.cancel": ("Скасувати", "Cancel"),
    "common.none": ("—", "—"),
    "common.required": ("обов'язкове поле", "required"),
    "common.form_has_errors": (
        "Форму не збережено: виправте позначені поля.",
        "The form was not saved: correct the marked fields.",
    ),
    "home.title": ("Головна", "Start"),
}


def register(messages: dict[str, tuple[str, str]]) -> None:
    for key in messages:
        if key in MESSAGES and MESSAGES[key] != messages[key]:
            raise ValueError(f"message key registered twice with different texts: {key}")
    MESSAGES.update(messages)


class Translator:
    def __init__(self, lang: str):
        self.lang = lang if lang in LANGUAGES else "uk"
        self._index = LANGUAGES.index(self.lang)

    def __call__(self, key: str, **values) -> str:
        texts = MESSAGES.get(key)
        text = texts[self._index] if texts else key
        return text.format(**values) if values else text


class Catalogue:
    """Enum labels from CaseService.GetCatalogue (loaded once per process, with the first
    signed-in user's token), falling back to the local descriptors for enums it lacks."""

    def __init__(self):
        self.lists: dict[str, dict[int, object]] = {}
        self.loaded = False

    def load(self, reply) -> None:
        for lst in reply.lists:
            self.lists[lst.enum] = {entry.number: entry for entry in lst.entries}
        self.loaded = True

    def entries(self, enum_type) -> list:
        name = _full_name(enum_type)
        if name in self.lists:
            return list(self.lists[name].values())
        from google.protobuf import descriptor_pool

        from ekm_platform.codes import CodeList

        if isinstance(enum_type, str):
            try:
                enum_type = descriptor_pool.Default().FindEnumTypeByName(enum_type)
            except KeyError:
                return []
        return list(CodeList(enum_type).entries)

    def label(self, enum_type, number: int, lang: str) -> str:
        if not number:
            return ""
        for entry in self.entries(enum_type):
            if entry.number == number:
                return entry.label_en if lang == "en" else entry.label_uk
        return str(number)

    def label_by_code(self, enum_type, code: str, lang: str) -> str:
        for entry in self.entries(enum_type):
            if entry.code == code:
                return entry.label_en if lang == "en" else entry.label_uk
        return code


def _full_name(enum_type) -> str:
    if isinstance(enum_type, str):
        return enum_type
    return getattr(enum_type, "DESCRIPTOR", enum_type).full_name
