"""Every identifier validator: for any string it answers (None or its documented problem) and
raises nothing else; where a reference library exists it accepts exactly what that library
accepts in the canonical form (РНОКПП: python-stdnum ``stdnum.ua.rntrc``; phone:
``phonenumbers``, E.164; e-mail: ``email_validator``)."""

from __future__ import annotations

from datetime import date

import phonenumbers
import pytest
from email_validator import EmailNotValidError, validate_email
from hypothesis import example, given
from hypothesis import strategies as st
from stdnum.ua import edrpou, rntrc

from ekm_platform import identifiers
from ekm_platform.errors import ValidationError
from ekm_platform.identifiers import make_rnokpp, make_unzr
from tests.fuzz.profile import THOROUGH, scaled

pytestmark = pytest.mark.timeout(1200 if THOROUGH else 120)

# Strings near the valid ones: ASCII and other scripts' digits, separators, a trailing newline.
DIGITS = "0123456789"
LOOKALIKE_DIGITS = "٠١٢٣٤٥٦٧٨٩０１２３４５６７８９߀𝟎"
JUNK = st.sampled_from(["", " ", "\n", "\t", "-", "+", "\x00", "\u200b", "\ufeff", "UA", "ua", "٣", "３", "é"])


def near(valid: st.SearchStrategy) -> st.SearchStrategy:
    """A valid value, or one with junk put before, after or inside it, or a digit swapped for a
    look-alike."""

    def mutate(draw_value, junk, where, position):
        if where == "before":
            return junk + draw_value
        if where == "after":
            return draw_value + junk
        if where == "inside":
            i = position % (len(draw_value) + 1)
            return draw_value[:i] + junk + draw_value[i:]
        if where == "lookalike":
            i = position % max(1, len(draw_value))
            if draw_value and draw_value[i] in DIGITS:
                return draw_value[:i] + LOOKALIKE_DIGITS[int(draw_value[i])] + draw_value[i + 1 :]
        return draw_value

    return st.builds(
        mutate, valid, JUNK, st.sampled_from(["same", "before", "after", "inside", "lookalike"]), st.integers(0, 40)
    )


ANY_TEXT = st.text(max_size=40) | st.text(alphabet=DIGITS + LOOKALIKE_DIGITS + " -+\n", max_size=20)
RNOKPPS = near(st.text(alphabet=DIGITS, min_size=9, max_size=9).map(make_rnokpp)) | ANY_TEXT
UNZRS = near(st.builds(make_unzr, st.dates(date(1900, 1, 1), date(2030, 12, 31)), st.integers(0, 9999))) | ANY_TEXT
KATOTTGS = near(st.text(alphabet=DIGITS, min_size=17, max_size=17).map(lambda d: "UA" + d)) | ANY_TEXT
EDRPOUS = near(st.text(alphabet=DIGITS, min_size=8, max_size=8)) | ANY_TEXT
PHONES = (
    near(st.text(alphabet=DIGITS, min_size=7, max_size=12).map(lambda d: "+380" + d))
    | near(st.text(alphabet=DIGITS, min_size=8, max_size=14).map(lambda d: "+" + d))
    | ANY_TEXT
)
EMAILS = near(st.emails()) | st.builds(lambda a, b: f"{a}@{b}", st.text(max_size=12), st.text(max_size=12)) | ANY_TEXT


def answers(problem_function, value):
    problem = problem_function(value)
    assert problem is None or (isinstance(problem, str) and problem), problem
    return problem


@scaled(80)
@given(RNOKPPS)
@example("3221512349\n")  # found by this test: a trailing newline crashed it (ValueError)
@example("٣٢٢١٥١٢٣٤٩")  # Arabic-Indic digits were accepted as a valid РНОКПП
def test_rnokpp_is_what_python_stdnum_accepts(value):
    reference = rntrc.is_valid(value) and rntrc.compact(value) == value
    assert (answers(identifiers.rnokpp_problem, value) is None) == reference


@scaled(80)
@given(UNZRS)
@example("19880314-43212\n")
@example("١٩٨٨٠٣١٤-٤٣٢١٢")
def test_unzr_answers_and_accepts_only_ascii_dates_with_their_check_digit(value):
    if answers(identifiers.unzr_problem, value) is None:
        digits = value.replace("-", "")
        assert len(digits) == 13 and digits.isascii() and digits.isdigit()
        date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
        assert int(digits[12]) == identifiers.unzr_check_digit(digits[:12])
        assert identifiers.normalise_unzr(value) == f"{digits[:8]}-{digits[8:]}"


@scaled(60)
@given(KATOTTGS)
@example("UA80000000000093317\n")
def test_katottg_is_ua_and_17_ascii_digits(value):
    accepted = answers(identifiers.katottg_problem, value) is None
    assert accepted == (len(value) == 19 and value[:2] == "UA" and value[2:].isascii() and value[2:].isdigit())


@scaled(60)
@given(EDRPOUS)
def test_edrpou_is_8_ascii_digits_and_includes_every_code_python_stdnum_accepts(value):
    accepted = answers(identifiers.edrpou_problem, value) is None
    assert accepted == (len(value) == 8 and value.isascii() and value.isdigit())
    if edrpou.is_valid(value) and edrpou.compact(value) == value:
        assert accepted  # the check digit is not required (documented: demo agency codes are made up)


@scaled(80)
@given(PHONES)
@example("+380501234567\n")
@example("+٣٨٠٥٠١٢٣٤٥٦٧")
def test_phone_is_what_phonenumbers_accepts_in_e164(value):
    try:
        number = phonenumbers.parse(value, None)
        reference = (
            phonenumbers.is_valid_number(number)
            and phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164) == value
        )
    except phonenumbers.NumberParseException:
        reference = False
    assert (answers(identifiers.phone_problem, value) is None) == reference


@scaled(50)
@given(EMAILS)
@example("user@example.com\n")
def test_email_is_what_email_validator_accepts(value):
    try:
        validate_email(value, check_deliverability=False)
        reference = True
    except EmailNotValidError:
        reference = False
    assert (answers(identifiers.email_problem, value) is None) == reference


@scaled(60)
@given(PHONES | EMAILS, st.sampled_from(["sms", "email", "push", "inbox"]))
def test_notification_addresses_are_normalised_or_refused_as_bad_addresses(value, channel):
    from notifications.domain.policy import BadAddress, normalise

    try:
        normalised = normalise(channel, value)
    except BadAddress as exc:
        assert str(exc)
        return
    if channel == "sms":
        assert identifiers.phone_problem(normalised) is None
    if channel == "email":
        assert identifiers.email_problem(normalised) is None


@scaled(60)
@given(RNOKPPS | ANY_TEXT)
def test_case_search_reads_any_text(value):
    from cases.domain.search import parse_search

    kind, key = parse_search(value)
    assert kind in ("", "rnokpp", "name")
    if kind == "rnokpp":
        assert key.isascii() and key.isdigit() and len(key) == 10


PEOPLE = st.builds(
    dict,
    rnokpp=RNOKPPS,
    unzr=UNZRS,
    last_name=st.text(max_size=120),
    first_name=st.text(max_size=5),
    patronymic=st.text(max_size=5),
    birth_date=st.sampled_from(["", "1988-03-14", "2999-01-01", "x"]),
)


@scaled(30)
@given(PEOPLE, PEOPLE, PHONES, EMAILS, KATOTTGS, st.booleans(), st.text(max_size=70))
def test_intake_validation_raises_only_its_validation_error(
    applicant, subject, phone, email, community, is_subject, request_id
):
    from intake.domain.model import Channel, PersonData, Submission
    from intake.domain.validation import validate

    submission = Submission(
        applicant=PersonData(**applicant),
        subject=PersonData(**subject),
        channel=Channel.PHONE,
        description="Потрібна допомога",
        consent_to_processing=True,
        applicant_phone=phone,
        applicant_email=email,
        applicant_is_subject=is_subject,
        community_code=community,
        client_request_id=request_id,
    )
    try:
        validate(submission)
    except ValidationError as exc:
        assert exc.violations
        return
    assert not phone or identifiers.phone_problem(phone) is None
    assert not email or identifiers.email_problem(email) is None
    assert not community or identifiers.katottg_problem(community) is None


@scaled(30)
@given(EDRPOUS, KATOTTGS, st.text(max_size=310), st.text(max_size=20))
def test_interagency_agency_and_referral_validation_raise_only_validation_errors(code, community, name, reason):
    from interagency.domain.agencies import Agency, validate_agency
    from interagency.domain.model import Sector, validate_referral

    for check in (
        lambda: validate_agency(Agency(agency_code=code, name=name, sector=Sector.HEALTH, community_code=community)),
        lambda: validate_referral("CASE-2026-AAAAAAA", Sector.HEALTH, code, reason),
    ):
        try:
            check()
        except ValidationError as exc:
            assert exc.violations


@scaled(60)
@given(st.sampled_from(["transfer", "referral", "registry_lookup", "other"]), KATOTTGS | ANY_TEXT)
def test_consent_recipients_answer_any_text(purpose, recipient):
    from cases.domain.consent import recipient_problem

    problem = recipient_problem(purpose, recipient)
    if problem is None and purpose == "transfer":
        assert identifiers.katottg_problem(recipient) is None
