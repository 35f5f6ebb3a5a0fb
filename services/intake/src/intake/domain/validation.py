"""Validation of a submitted appeal: every problem, named by its field."""

from __future__ import annotations

import re
from datetime import date

from ekm_platform.errors import FieldViolation, ValidationError
from ekm_platform.identifiers import (
    email_problem,
    katottg_problem,
    phone_problem,
    rnokpp_problem,
    unzr_problem,
)
from intake.domain.model import PersonData, Submission

MAX_DESCRIPTION_BYTES = 64 * 1024
MAX_NAME = 100
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _person(prefix: str, person: PersonData, need_identity: bool) -> list[FieldViolation]:
    problems = []
    for name in ("last_name", "first_name"):
        if not getattr(person, name).strip():
            problems.append(FieldViolation(f"{prefix}.{name}", "обов'язкове поле / required"))
    for name in ("last_name", "first_name", "patronymic"):
        value = getattr(person, name)
        if len(value) > MAX_NAME or _CONTROL.search(value):
            problems.append(
                FieldViolation(
                    f"{prefix}.{name}", f"до {MAX_NAME} символів, без керуючих / up to {MAX_NAME} printable characters"
                )
            )
    if need_identity and not person.identified and not person.birth_date:
        # without an identifier the person is matched by name and date of birth (ekm_platform.matching)
        problems.append(
            FieldViolation(
                f"{prefix}.rnokpp",
                "потрібен РНОКПП, УНЗР або дата народження / RNOKPP, UNZR or the date of birth is required",
            )
        )
    if person.rnokpp and (problem := rnokpp_problem(person.rnokpp)):
        problems.append(FieldViolation(f"{prefix}.rnokpp", problem))
    if person.unzr and (problem := unzr_problem(person.unzr)):
        problems.append(FieldViolation(f"{prefix}.unzr", problem))
    if person.birth_date:
        try:
            born = date.fromisoformat(person.birth_date)
            if born > date.today() or born.year < 1900:
                raise ValueError
        except ValueError:
            problems.append(
                FieldViolation(f"{prefix}.birth_date", "дата РРРР-ММ-ДД у минулому / a past date YYYY-MM-DD")
            )
    return problems


def validate(submission: Submission, proactive: bool = False) -> None:
    """Raise ``ValidationError`` listing every invalid field; return None when valid.

    ``proactive``: an appeal the platform opens itself from a registry signal — there is no
    applicant to contact yet and the processing rests on the law, not on consent."""
    problems = _person(
        "applicant.person",
        submission.applicant,
        need_identity=submission.applicant_is_subject and not submission.subject.identified,
    )
    if not (submission.applicant_is_subject and not submission.subject.identified):
        problems += _person("subject", submission.subject, need_identity=True)
    if submission.channel is None:
        problems.append(FieldViolation("channel", "невідомий або не вказаний канал / unknown or missing channel"))
    if not submission.description.strip():
        problems.append(FieldViolation("description", "обов'язкове поле / required"))
    elif len(submission.description.encode("utf-8")) > MAX_DESCRIPTION_BYTES:
        problems.append(FieldViolation("description", "більше 64 КіБ / longer than 64 KiB"))
    if not submission.consent_to_processing and not proactive:
        problems.append(
            FieldViolation(
                "consent_to_processing",
                "потрібна згода на обробку персональних даних / consent to processing is required",
            )
        )
    if not (submission.applicant_phone or submission.applicant_email) and not proactive:
        problems.append(FieldViolation("applicant.phone", "потрібен телефон або e-mail / phone or e-mail is required"))
    if submission.applicant_phone and phone_problem(submission.applicant_phone):
        problems.append(FieldViolation("applicant.phone", "формат +380XXXXXXXXX / E.164 format"))
    if submission.applicant_email and email_problem(submission.applicant_email):
        problems.append(FieldViolation("applicant.email", "невірна адреса / invalid address"))
    if submission.community_code and katottg_problem(submission.community_code):
        problems.append(FieldViolation("community_code", "код КАТОТТГ UA + 17 цифр / KATOTTG code UA + 17 digits"))
    if len(submission.client_request_id) > 64 or len(submission.relation_to_subject) > MAX_NAME:
        field = "client_request_id" if len(submission.client_request_id) > 64 else "applicant.relation_to_subject"
        problems.append(FieldViolation(field, "задовге значення / too long"))
    if problems:
        raise ValidationError(problems)
