"""Ukrainian state identifiers: РНОКПП (taxpayer number), УНЗР (demographic register number),
КАТОТТГ codes, ЄДРПОУ codes, phone numbers and e-mail addresses.

These are data types every service reads, like a date; they hold no domain rules. Each
``*_problem`` function returns None for a valid value, else what is wrong (uk / en), and
raises nothing for any ``str``. Only ASCII digits count as digits, and a value is matched
whole (a trailing newline is not forgiven). РНОКПП is checked as python-stdnum's
``stdnum.ua.rntrc`` checks it; phone numbers as ``phonenumbers`` does (written in E.164);
e-mail addresses as ``email_validator`` does (syntax only, no DNS).
"""

from __future__ import annotations

import re
from datetime import date

_RNOKPP = re.compile(r"[0-9]{10}")
_RNOKPP_WEIGHTS = (-1, 5, 7, 9, 4, 6, 10, 5, 7)
_UNZR = re.compile(r"([0-9]{8})-?([0-9]{5})")
_KATOTTG = re.compile(r"UA[0-9]{17}")
_EDRPOU = re.compile(r"[0-9]{8}")
_UNZR_WEIGHTS = (7, 3, 1)


def rnokpp_problem(value: str) -> str | None:
    """None when ``value`` is a valid РНОКПП, else what is wrong (uk / en)."""
    if not isinstance(value, str) or not _RNOKPP.fullmatch(value):
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
    match = _UNZR.fullmatch(value) if isinstance(value, str) else None
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


def katottg_problem(value: str) -> str | None:
    """None when ``value`` looks like a КАТОТТГ code: ``UA`` and 17 digits."""
    if not isinstance(value, str) or not _KATOTTG.fullmatch(value):
        return "код КАТОТТГ UA + 17 цифр / KATOTTG code UA + 17 digits"
    return None


def edrpou_problem(value: str) -> str | None:
    """None when ``value`` looks like a ЄДРПОУ code: 8 digits (the check digit is not checked:
    registry codes of the demo agencies are made up)."""
    if not isinstance(value, str) or not _EDRPOU.fullmatch(value):
        return "код ЄДРПОУ з 8 цифр / EDRPOU code of 8 digits"
    return None


def phone_problem(value: str) -> str | None:
    """None when ``value`` is a valid phone number (``phonenumbers``) written in E.164 (+380…)."""
    import phonenumbers

    problem = "формат +380XXXXXXXXX / a valid number in E.164 format"
    if not isinstance(value, str) or not value.startswith("+") or len(value) > 16:
        return problem
    try:
        number = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException:
        return problem
    if (
        not phonenumbers.is_valid_number(number)
        or phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164) != value
    ):
        return problem
    return None


def email_problem(value: str) -> str | None:
    """None when ``email_validator`` accepts ``value`` (syntax only: no DNS lookups)."""
    from email_validator import EmailNotValidError, validate_email

    if not isinstance(value, str):
        return "невірна адреса / invalid address"
    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError as exc:
        return f"невірна адреса / invalid address: {exc}"
    return None


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
