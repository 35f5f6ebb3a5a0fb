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
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from pathlib import Path

from ekm_platform.errors import FieldViolation, ValidationError

RULES = Path(__file__).with_name("fee_rules.json")


@lru_cache(maxsize=None)
def load_fee_rules(path: str = str(RULES)) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


@dataclass(frozen=True)
class FeeDecision:
    free: bool
    amount: Decimal
    explanation: tuple[str, ...]
    rules_version: str


def compute_fee(average_monthly_income: Decimal, subsistence_minimum: Decimal, categories: set[str],
                tariff: Decimal, rules: dict | None = None) -> FeeDecision:
    rules = rules or load_fee_rules()
    problems = [FieldViolation(name, "не може бути від'ємним / cannot be negative")
                for name, value in (("average_monthly_income", average_monthly_income), ("tariff", tariff))
                if value < 0]
    if subsistence_minimum <= 0:
        problems.append(FieldViolation("subsistence_minimum", "має бути більшим за 0 / must be positive"))
    if problems:
        raise ValidationError(problems)
    version = rules["version"]
    free_categories = sorted(set(categories) & set(rules["free_categories"]))
    if free_categories:
        return FeeDecision(True, Decimal("0.00"), (
            f"Безоплатно: категорія {', '.join(free_categories)} / free of charge: category {', '.join(free_categories)}",),
            version)
    ratio = average_monthly_income / subsistence_minimum   # compared unrounded; rounded only to show
    multiple = ratio.quantize(Decimal("0.01"))
    threshold = Decimal(rules["free_below_subsistence_multiple"])
    income_line = (f"Середньомісячний дохід {average_monthly_income} = {multiple} прожиткового мінімуму "
                   f"({subsistence_minimum}) / average monthly income is {multiple} × the subsistence minimum")
    if ratio < threshold:
        return FeeDecision(True, Decimal("0.00"), (income_line, f"менше {threshold} ПМ — безоплатно / below "
                                                               f"{threshold} × — free of charge"), version)
    for band in rules["bands"]:
        limit = band["up_to_subsistence_multiple"]
        if limit is None or ratio < Decimal(limit):
            share = Decimal(band["share_of_tariff"])
            amount = (tariff * share).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            bound = f"до {limit} ПМ" if limit else "понад межі / above the bands"
            return FeeDecision(False, amount, (
                income_line, f"{bound}: {share * 100:.0f}% тарифу {tariff} = {amount} / "
                             f"{share * 100:.0f}% of the tariff {tariff} = {amount}"), version)
    raise ValueError("fee rules have no open-ended band")


@dataclass(frozen=True)
class ContractDraft:
    case_id: str
    provider: str
    service_type: str
    fee: FeeDecision
    contract_id: str = field(default_factory=lambda: str(uuid.uuid4()))
