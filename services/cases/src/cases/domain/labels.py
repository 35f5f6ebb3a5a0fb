"""Ukrainian labels of the codes that appear in messages people read (errors, the social
history, the supervision queue, fee explanations): a Ukrainian message names a stage, an
outcome, a service or a category in Ukrainian, never by its English code.

The closed lists are also proto enums whose values carry the same labels (for frontends:
``GetCatalogue``); ``tests/unit/test_codes.py`` keeps the two equal.
"""

from __future__ import annotations

STAGE = {
    "screening": "скринінг",
    "assessment": "оцінка потреб",
    "planning": "планування",
    "implementation": "виконання плану",
    "monitoring": "моніторинг",
    "review": "перегляд",
    "closed": "закрито",
}
OUTCOME = {
    "resolved": "СЖО подолано",
    "minimised": "СЖО мінімізовано",
    "transferred": "передано іншому надавачу",
    "refused": "особа відмовилася",
    "moved": "особа переїхала",
    "deceased": "особа померла",
}
SERVICE = {
    "consultation": "консультування",
    "representation_of_interests": "представництво інтересів",
    "home_care": "догляд вдома",
    "in_kind_help": "натуральна допомога",
    "social_support_of_families": "соціальний супровід сімей",
    "social_adaptation": "соціальна адаптація",
    "crisis_intervention": "кризове та екстрене втручання",
    "rehabilitation": "реабілітація",
    "prosthetics_and_assistive_devices": "протезування та допоміжні засоби",
    "payments": "виплати",
}
FEE_CATEGORY = {
    "combatant": "учасник бойових дій (УБД)",
    "disabled_due_to_war": "особа з інвалідністю внаслідок війни",
    "family_of_fallen_defender": "член сім'ї загиблого (померлого) Захисника",
    "released_from_captivity": "звільнений з полону",
    "child": "дитина",
}
STEP_STATUS = {"planned": "заплановано", "in_progress": "виконується", "done": "виконано", "cancelled": "скасовано"}
ASSESSMENT_STATUS = {"draft": "чернетка", "submitted": "подано на затвердження", "approved": "затверджено"}
COMPLEXITY = {"low": "низька", "medium": "середня", "high": "висока"}
AGREEMENT_CHANNEL = {"cabinet": "у кабінеті отримувача", "in_person": "особисто"}
CHANNEL = {
    "in_person": "особисто",
    "phone": "телефоном",
    "recipient_cabinet": "кабінет отримувача",
    "mobile_app": "мобільний застосунок",
    "diia": "Дія",
    "chatbot": "чат-бот",
    "agency_referral": "направлення іншого органу",
    "registry_signal": "сигнал реєстру",
}
ROLE = {
    "case_manager": "кейс-менеджер",
    "supervisor": "керівник",
    "operator": "оператор",
    "recipient": "отримувач",
    "partner_agency": "партнерська установа",
    "donor": "донор",
}
SKILL = {
    "veterans": "робота з ветеранами",
    "children": "робота з дітьми",
    "disability": "інвалідність",
    "crisis": "кризове втручання",
}

CONSENT_PURPOSE = {"registry_lookup": "запит до реєстру", "transfer": "передача випадку", "referral": "направлення"}
CONSENT_METHOD = {
    "written": "письмово",
    "oral": "усно",
    "electronic_cabinet": "в електронному кабінеті",
    "diia": "через Дію",
}
DATA_CATEGORY = {
    "identity": "особа",
    "contacts": "контакти",
    "family": "сім'я",
    "health": "здоров'я",
    "disability": "інвалідність",
    "social_benefits": "соціальні виплати",
    "income": "доходи",
    "education": "освіта",
    "housing": "житло",
    "veteran_status": "статус ветерана",
    "case_history": "історія випадку",
    "border_crossings": "перетин кордону",
}
REGISTRY = {
    "border_guard": "Держприкордонслужба",
    "education": "освіта",
    "health": "охорона здоров'я",
    "disability": "банк даних про інвалідність",
    "housing": "реєстр пошкодженого майна",
    "children": "ЄІАС «Діти»",
}

FACT_KIND = {
    "registry.person.returned_from_service": "повернення зі служби",
    "registry.person.crossed_border": "перетин кордону",
    "registry.person.registered_job_seeker": "реєстрація як шукача роботи",
    "registry.person.rehabilitation_started": "початок реабілітації",
    "registry.health.family_doctor_declared": "декларація з сімейним лікарем",
    "registry.health.rehabilitation_episode": "епізод реабілітації",
    "registry.disability.established": "встановлено інвалідність",
    "registry.housing.damaged": "пошкоджене житло",
    "registry.child.enrolled": "дитина навчається",
    "registry.child.in_household": "дитина в домогосподарстві",
    "registry.child.special_educational_needs": "особливі освітні потреби дитини",
    "registry.child.status": "статус дитини",
}


def uk(table: dict, code: str) -> str:
    """The Ukrainian label; an unlisted code (free data, not a closed list) is shown in quotes."""
    return table.get(code) or (f"«{code}»" if code else "—")
