from dataclasses import replace

import pytest

from ekm_platform.errors import ValidationError
from intake.domain.model import ScreeningLevel, screen
from intake.domain.validation import validate


def fields(submission) -> set[str]:
    with pytest.raises(ValidationError) as caught:
        validate(submission)
    return {v.field for v in caught.value.violations}


def test_a_valid_submission_passes(valid, subject):
    validate(valid)
    validate(
        replace(
            valid,
            applicant_is_subject=False,
            applicant=replace(subject, rnokpp="", unzr=""),
            subject=subject,
            relation_to_subject="дружина",
        )
    )


@pytest.mark.parametrize(
    "change, field",
    [
        ({"applicant": {"rnokpp": "3221512348"}}, "applicant.person.rnokpp"),
        ({"applicant": {"unzr": "19880314-43213"}}, "applicant.person.unzr"),
        ({"applicant": {"rnokpp": "", "unzr": "", "birth_date": ""}}, "applicant.person.rnokpp"),
        ({"applicant": {"last_name": ""}}, "applicant.person.last_name"),
        ({"applicant": {"first_name": "A\x00"}}, "applicant.person.first_name"),
        ({"applicant": {"birth_date": "2999-01-01"}}, "applicant.person.birth_date"),
        ({"channel": None}, "channel"),
        ({"description": "   "}, "description"),
        ({"description": "я" * 40000}, "description"),  # 80,000 bytes in UTF-8
        ({"consent_to_processing": False}, "consent_to_processing"),
        ({"applicant_phone": "0501110001"}, "applicant.phone"),
        ({"applicant_phone": ""}, "applicant.phone"),
        ({"applicant_email": "not-an-address"}, "applicant.email"),
        ({"community_code": "Kyiv"}, "community_code"),
        ({"client_request_id": "x" * 65}, "client_request_id"),
    ],
)
def test_each_invalid_field_is_named(valid, subject, change, field):
    change = {k: (replace(subject, **v) if k == "applicant" else v) for k, v in change.items()}
    assert field in fields(replace(valid, **change))


def test_a_subject_other_than_the_applicant_needs_an_identifier(valid, subject):
    submission = replace(valid, applicant_is_subject=False, subject=replace(subject, rnokpp="", unzr="", birth_date=""))
    assert "subject.rnokpp" in fields(submission)


def test_without_an_identifier_a_date_of_birth_will_do(valid, subject):
    """The person is then matched by name and date of birth (cases; uncertain ones reviewed)."""
    validate(replace(valid, applicant_is_subject=False, subject=replace(subject, rnokpp="", unzr="")))


def test_description_of_exactly_64_kib_is_accepted(valid):
    validate(replace(valid, description="a" * 64 * 1024))


def test_screening(valid):
    assert screen(valid).outcome == ScreeningLevel.ASSESSMENT.value and screen(valid).rule_ids == ["AS-DEFAULT"]
    assert screen(replace(valid, urgent=True)).outcome == ScreeningLevel.CRISIS.value
    assert screen(replace(valid, urgent=True)).rule_ids == ["CR-URGENT"]
