"""Contracts for the provision of social services and the fee they carry.

The fee is free of charge for listed categories, or when the average monthly income per
family member is below a multiple of the subsistence minimum ("прожитковий мінімум");
otherwise a share of the service tariff by income band. The rules are configuration
(``fee_rules.json``, replaceable per deployment), and every decision explains itself.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path

from cases.domain import labels
from cases.domain.labels import uk
from ekm_platform.errors import FieldViolation, ValidationError

RULES = Path(__file__).with_name("fee_rules.json")
# The categories the fee rules may name (the proto enum FeeCategory carries the same codes).
FEE_CATEGORIES = ("combatant", "disabled_due_to_war", "family_of_fallen_defender", "released_from_captivity", "child")
# A person's recorded veteran statuses (UpdatePerson) that are fee categories as they are.
STATUS_CATEGORIES = {"combatant", "disabled_due_to_war", "family_of_fallen_defender", "released_from_captivity"}
ADULT_AGE = 18


@cache
def load_fee_rules(path: str = str(RULES)) -> dict:
    rules = json.loads(Path(path).read_text(encoding="utf-8"))
    unknown = set(rules["free_categories"]) - set(FEE_CATEGORIES)
    if unknown:
        raise ValueError(f"fee rules {path} name unknown categories: {sorted(unknown)}")
    return rules


def recorded_categories(veteran_statuses, birth_date: str, today: date) -> set[str]:
    """The fee categories the person's record proves: veteran statuses (УБД, captivity, …),
    and "child" for a person under 18 on ``today``."""
    found = set(veteran_statuses) & STATUS_CATEGORIES
    try:
        born = date.fromisoformat(birth_date)
    except (TypeError, ValueError):
        born = None
    if born is not None and (today.year - born.year - ((today.month, today.day) < (born.month, born.day))) < ADULT_AGE:
        found.add("child")
    return found


def check_categories(claimed: list[str], recorded: set[str], what_if: bool) -> set[str]:
    """The categories a fee is decided with. Unknown ones are refused; a stored draft uses only
    what the person's record proves (a claimed category must be recorded first); a what-if
    calculation adds the claimed ones to the recorded."""
    problems = [
        FieldViolation(f"categories[{i}]", "невідома категорія / unknown category")
        for i, c in enumerate(claimed)
        if c not in FEE_CATEGORIES
    ]
    if not what_if:
        problems += [
            FieldViolation(
                f"categories[{i}]",
                f"категорію не записано в особи; спершу внесіть її до даних "
                f"особи / not recorded for the person: {c}; record it first",
            )
            for i, c in enumerate(claimed)
            if c in FEE_CATEGORIES and c not in recorded
        ]
    if problems:
        raise ValidationError(problems)
    return recorded | set(claimed) if what_if else set(recorded)


@dataclass(frozen=True)
class FeeDecision:
    free: bool
    amount: Decimal
    explanation: tuple[str, ...]
    rules_version: str


def compute_fee(
    average_monthly_income: Decimal,
    subsistence_minimum: Decimal,
    categories: set[str],
    tariff: Decimal,
    rules: dict | None = None,
) -> FeeDecision:
    rules = rules or load_fee_rules()
    problems = [
        FieldViolation(name, "не може бути від'ємним / cannot be negative")
        for name, value in (("average_monthly_income", average_monthly_income), ("tariff", tariff))
        if value < 0
    ]
    if subsistence_minimum <= 0:
        problems.append(FieldViolation("subsistence_minimum", "має бути більшим за 0 / must be positive"))
    if problems:
        raise ValidationError(problems)
    version = rules["version"]
    free_categories = sorted(set(categories) & set(rules["free_categories"]))
    if free_categories:
        return FeeDecision(
            True,
            Decimal("0.00"),
            (
                f"Безоплатно: категорія {', '.join(uk(labels.FEE_CATEGORY, c) for c in free_categories)} / "
                f"free of charge: category {', '.join(free_categories)}",
            ),
            version,
        )
    ratio = average_monthly_income / subsistence_minimum  # compared unrounded; rounded only to show
    multiple = ratio.quantize(Decimal("0.01"))
    threshold = Decimal(rules["free_below_subsistence_multiple"])
    income_line = (
        f"Середньомісячний дохід {average_monthly_income} = {multiple} прожиткового мінімуму "
        f"({subsistence_minimum}) / average monthly income is {multiple} × the subsistence minimum"
    )
    if ratio < threshold:
        return FeeDecision(
            True,
            Decimal("0.00"),
            (income_line, f"менше {threshold} ПМ — безоплатно / below {threshold} × — free of charge"),
            version,
        )
    for band in rules["bands"]:
        limit = band["up_to_subsistence_multiple"]
        if limit is None or ratio < Decimal(limit):
            share = Decimal(band["share_of_tariff"])
            amount = (tariff * share).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            bound = f"до {limit} ПМ" if limit else "понад межі"
            return FeeDecision(
                False,
                amount,
                (
                    income_line,
                    f"{bound}: {share * 100:.0f}% тарифу {tariff} = {amount} / "
                    f"{share * 100:.0f}% of the tariff {tariff} = {amount}",
                ),
                version,
            )
    raise ValueError("fee rules have no open-ended band")


@dataclass(frozen=True)
class ContractDraft:
    case_id: str
    provider: str
    service_type: str
    fee: FeeDecision
    contract_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    service_id: str = ""
    categories: tuple[str, ...] = ()  # the categories the fee was decided with
    tariff: Decimal = Decimal("0")
    created_by: str = ""
    created_at: datetime | None = None
    status: str = "draft"
    stored: bool = True  # False: a what-if calculation
