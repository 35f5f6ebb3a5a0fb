"""Builders for intake's tests."""

import pytest

from intake.domain.model import Channel, PersonData, Submission

SUBJECT = PersonData(
    rnokpp="3221512349",
    unzr="19880314-43212",
    last_name="Коваленко",
    first_name="Андрій",
    patronymic="Петрович",
    birth_date="1988-03-14",
)
VALID = Submission(
    applicant=SUBJECT,
    subject=PersonData(),
    channel=Channel.PHONE,
    description="Потрібна допомога",
    consent_to_processing=True,
    applicant_phone="+380501110001",
    applicant_is_subject=True,
    community_code="UA80000000000093317",
)


@pytest.fixture
def subject():
    return SUBJECT


@pytest.fixture
def valid():
    return VALID
