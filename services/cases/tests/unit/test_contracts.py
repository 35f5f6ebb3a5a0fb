from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cases.domain.contracts import compute_fee, load_fee_rules
from ekm_platform.errors import ValidationError

PM = Decimal("3028.00")  # subsistence minimum used in the examples


def test_free_for_listed_categories_whatever_the_income():
    decision = compute_fee(Decimal("100000"), PM, {"combatant"}, Decimal("2000"))
    assert decision.free and decision.amount == 0 and "combatant" in decision.explanation[0]


def test_free_below_two_subsistence_minimums_and_bands_above():
    assert compute_fee(Decimal("6000"), PM, set(), Decimal("2000")).free
    quarter = compute_fee(Decimal("7000"), PM, set(), Decimal("2000"))
    assert (quarter.free, quarter.amount) == (False, Decimal("500.00")) and "25%" in quarter.explanation[1]
    half = compute_fee(Decimal("10000"), PM, set(), Decimal("2000"))
    assert half.amount == Decimal("1000.00")
    full = compute_fee(Decimal("50000"), PM, {"unknown-category"}, Decimal("2000"))
    assert full.amount == Decimal("2000.00") and full.rules_version == load_fee_rules()["version"]


def test_bad_numbers_are_refused_per_field():
    with pytest.raises(ValidationError) as caught:
        compute_fee(Decimal("-1"), Decimal("0"), set(), Decimal("-5"))
    assert {v.field for v in caught.value.violations} == {"average_monthly_income", "subsistence_minimum", "tariff"}


@given(
    st.decimals(min_value=0, max_value=10**6, places=2),
    st.decimals(min_value=0, max_value=10**5, places=2),
    st.sets(st.sampled_from(["combatant", "child", "student", "retired"])),
)
def test_the_fee_is_never_negative_never_above_the_tariff_and_free_categories_pay_nothing(income, tariff, categories):
    decision = compute_fee(income, PM, categories, tariff)
    assert Decimal(0) <= decision.amount <= tariff and decision.explanation
    if categories & {"combatant", "child"}:
        assert decision.free and decision.amount == 0


def test_thresholds_compare_the_exact_ratio_not_the_rounded_one():
    assert compute_fee(Decimal("6041"), PM, set(), Decimal("2000")).free  # 1.995 × is below 2 ×
    assert compute_fee(Decimal("9068"), PM, set(), Decimal("2000")).amount == Decimal("500.00")  # 2.995 × < 3 ×
