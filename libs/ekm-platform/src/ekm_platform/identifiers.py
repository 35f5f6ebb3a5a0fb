"""Ukrainian state identifiers: РНОКПП (taxpayer number) and УНЗР (demographic register number).

These are data types every service reads, like a date; they hold no domain rules.
"""
from __future__ import annotations

import re
from datetime import date

_RNOKPP = re.compile(r"^\d{10}$")
_RNOKPP_WEIGHTS = (-1, 5, 7, 9, 4, 6, 10, 5, 7)
_UNZR = re.compile(r"^(\d{8})-?(\d{5})$")
_UNZR_WEIGHTS = (7, 3, 1)


def rnokpp_problem(value: str) -> str | None:
    """None when ``value`` is a valid РНОКПП, else what is wrong (uk / en)."""
    if not _RNOKPP.match(value):
        return "РНОКПП має складатися з 10 цифр / RNOKPP must be 10 digits"
    digits = [int(c) for c in value]
    check = sum(d * w for d, w in zip(digits, _RNOKPP_WEIGHTS)) % 11 % 10
    if check != digits[9]:
        return "Невірна контрольна цифра РНОКПП / wrong RNOKPP check digit"
    return None


def rnokpp_check_digit(first_nine: str) -> int:
    return sum(int(c) * w for c, w in zip(first_nine, _RNOKPP_WEIGHTS)) % 11 % 10


def unzr_problem(value: str) -> str | None:
    """None when ``value`` is a valid УНЗР (YYYYMMDD-NNNNC), else what is wrong (uk / en)."""
    match = _UNZR.match(value)
    if not match:
        return "УНЗР має формат РРРРММДД-NNNNN / UNZR must look like YYYYMMDD-NNNNN"
    born, tail = match.groups()
    try:
        date(int(born[:4]), int(born[4:6]), int(born[6:]))
    except ValueError:
        return "УНЗР містить неіснуючу дату / UNZR holds an impossible date"
    digits = [int(c) for c in born + tail]
    if unzr_check_digit(born + tail[:4]) != digits[12]:
        return "Невірна контрольна цифра УНЗР / wrong UNZR check digit"
    return None


def unzr_check_digit(first_twelve: str) -> int:
    return sum(int(c) * _UNZR_WEIGHTS[i % 3] for i, c in enumerate(first_twelve)) % 10


def normalise_unzr(value: str) -> str:
    digits = value.replace("-", "")
    return f"{digits[:8]}-{digits[8:]}"


def make_rnokpp(first_nine: str) -> str:
    """Complete nine digits with their check digit (demo data and tests)."""
    return first_nine + str(rnokpp_check_digit(first_nine))


def make_unzr(birth: date, serial: int) -> str:
    """A valid УНЗР for a birth date and a 4-digit serial (demo data and tests)."""
    body = f"{birth:%Y%m%d}{serial:04d}"
    return f"{body[:8]}-{body[8:]}{unzr_check_digit(body)}"


_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # base32 without I, L, O, U


def random_code(length: int) -> str:
    """A random code easy to read out on a phone line (tracking and case numbers)."""
    import secrets

    return "".join(secrets.choice(_CROCKFORD) for _ in range(length))
