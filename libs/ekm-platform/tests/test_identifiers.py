from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from ekm_platform.identifiers import make_rnokpp, make_unzr, rnokpp_problem, unzr_problem


@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_a_completed_rnokpp_is_valid_and_any_other_check_digit_is_not(first_nine):
    valid = make_rnokpp(first_nine)
    assert rnokpp_problem(valid) is None
    for digit in "0123456789":
        if digit != valid[-1]:
            assert "контрольна" in rnokpp_problem(first_nine + digit)


def test_known_rnokpp_values():
    assert rnokpp_problem("3221512349") is None  # demo data
    assert rnokpp_problem("3221512348") is not None
    assert "10 цифр" in rnokpp_problem("12345")
    assert rnokpp_problem("32215123a9") is not None


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2025, 12, 31)), st.integers(0, 9999))
def test_a_made_unzr_is_valid_and_a_changed_digit_is_not(born, serial):
    valid = make_unzr(born, serial)
    assert unzr_problem(valid) is None
    assert unzr_problem(valid.replace("-", "")) is None
    wrong = valid[:-1] + str((int(valid[-1]) + 1) % 10)
    assert unzr_problem(wrong) is not None


def test_unzr_with_impossible_date_or_shape():
    assert "дату" in unzr_problem("19880231-12345")
    assert unzr_problem("1988-03-14") is not None
