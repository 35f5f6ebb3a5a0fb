"""What a referral may share with an agency: the fields of each consent data category.

The person's consent record (cases, purpose ``referral``, recipient = the agency's code) lists
data categories; only the fields of those categories leave cases, and the interagency service
filters again with the same table before an agency sees anything. Without a consent the agency
gets ``CONTACT_FIELDS`` only: what it needs to contact the person. Categories the cases service
holds no field for (income, education, …) share nothing. Used by cases and interagency.
"""

from __future__ import annotations

CONTACT_FIELDS = ("last_name", "first_name", "patronymic", "phone")
CATEGORY_FIELDS: dict[str, tuple[str, ...]] = {
    "identity": ("rnokpp", "unzr", "birth_date"),
    "contacts": ("email", "address"),
    "family": ("household",),
    "disability": ("disability_group",),
    "veteran_status": ("veteran_statuses",),
    "health": ("health_need_level", "mental_health_need_level"),
    "housing": ("address", "housing_need_level"),
    "case_history": ("case_stage",),
    "income": (),
    "social_benefits": (),
    "education": (),
    "border_crossings": (),
}


def allowed_fields(categories) -> set[str]:
    """The contact fields, and the fields of every consented category (unknown ones add nothing)."""
    allowed = set(CONTACT_FIELDS)
    for category in categories or ():
        allowed.update(CATEGORY_FIELDS.get(category, ()))
    return allowed


def filter_fields(data: dict, categories) -> dict:
    """``data`` with only the fields the categories allow."""
    allowed = allowed_fields(categories)
    return {k: v for k, v in (data or {}).items() if k in allowed}
