"""What each trigger tells whom: template keys, dedupe keys and the labels a message shows.

Every notification a trigger produces has a dedupe key made of what it is about (the case, the
plan version, the referral's answer, the registry query), never of the event id: a redelivered
event and the same fact announced again under a new event id give the same key, and the
pipeline stores one notification per key. Plain Python.
"""

from __future__ import annotations

# Templates (notifications/templates/<key>.v<N>.toml, Ukrainian first, English second).
CASE_ASSIGNED, CASE_ASSIGNED_URGENT = "case.assigned", "case.assigned.urgent"
CRISIS_UNASSIGNED = "case.crisis.unassigned"  # to the community's supervisors
PLAN_AGREED_PERSON, PLAN_AGREED_MANAGER = "plan.agreed.person", "plan.agreed.manager"
PLAN_CHANGED_PERSON, PLAN_CHANGED_MANAGER = "plan.changed.person", "plan.changed.manager"
STEP_DUE_PERSON, STEP_DUE_MANAGER = "step.due.person", "step.due.manager"
STEP_OVERDUE_PERSON, STEP_OVERDUE_MANAGER = "step.overdue.person", "step.overdue.manager"
REVIEW_DUE_MANAGER = "review.due.manager"
REFERRAL_ANSWERED = {
    "accepted": "referral.accepted",
    "rejected": "referral.rejected",
    "completed": "referral.completed",
}
REGISTRY_FACTS = "registry.facts_found"

STEP_TEMPLATES = {
    ("step_due", "person"): STEP_DUE_PERSON,
    ("step_due", "case_manager"): STEP_DUE_MANAGER,
    ("step_overdue", "person"): STEP_OVERDUE_PERSON,
    ("step_overdue", "case_manager"): STEP_OVERDUE_MANAGER,
}

SECTORS = {
    "health": ("заклад охорони здоров'я", "health care"),
    "education": ("заклад освіти", "education"),
    "employment": ("центр зайнятості", "employment service"),
    "border_guard": ("Державна прикордонна служба", "State Border Guard Service"),
    "child_services": ("служба у справах дітей", "child services"),
    "probation": ("орган пробації", "probation"),
    "housing": ("житлові питання", "housing"),
    "legal_aid": ("безоплатна правнича допомога", "legal aid"),
    "ngo": ("громадська організація", "non-governmental organisation"),
}
REJECTIONS = {
    "client_refused": ("особа відмовилася від послуг", "the person refused the services"),
    "no_capacity": ("брак потужностей", "no capacity"),
    "not_eligible": ("особа не відповідає умовам", "the person is not eligible"),
    "out_of_area": ("поза зоною обслуговування", "outside the agency's area"),
    "unable_to_contact": ("не вдалося зв'язатися з особою", "unable to contact the person"),
    "duplicate": ("повторне направлення", "a duplicate referral"),
    "other": ("інша причина", "another reason"),
}
REGISTRIES = {
    "border_guard": ("ДПСУ", "State Border Guard Service"),
    "education": ("Реєстр освіти", "education registry"),
    "health": ("ЕСОЗ", "e-health"),
    "disability": ("ЦБІ", "disability data bank"),
    "housing": ("Реєстр пошкодженого майна", "housing damage register"),
    "children": ("ЄІАС «Діти»", "children's registry"),
}


def label(table: dict, code: str) -> tuple[str, str]:
    """(Ukrainian, English) of a code; an unknown code shows as itself in both."""
    return table.get(code, (code, code))


def assigned_key(case_id: str, manager_id: str) -> str:
    return f"case.assigned:{case_id}:{manager_id}"


def unassigned_key(case_id: str, supervisor_id: str) -> str:
    return f"case.crisis.unassigned:{case_id}:{supervisor_id}"


def plan_key(what: str, case_id: str, version: int, recipient_kind: str) -> str:
    return f"plan.{what}:{case_id}:v{version}:{recipient_kind}"


def referral_key(referral_id: str, status: str) -> str:
    return f"referral.{status}:{referral_id}"


def registry_key(query_id: str) -> str:
    return f"registry.facts_found:{query_id}"


def reminder_notice_key(reminder_key: str, recipient_kind: str) -> str:
    return f"{reminder_key}:{recipient_kind}"
