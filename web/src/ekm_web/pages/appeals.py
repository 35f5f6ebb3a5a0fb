"""Entering an appeal: staff (case manager, supervisor, operator) take one in person or on the
phone line (``/appeals/new``); a recipient submits their own in the cabinet
(``/cabinet/appeals/new``, channel CHANNEL_RECIPIENT_CABINET, the subject is themselves).
Both call intake's SubmitAppeal with the signed-in user's token — intake checks that the
channel is the caller's (``intake.domain.channels.WHO_MAY``). Each form carries its own
idempotency key (hidden ``client_request_id``): a double submit gives one appeal. Errors are
shown at their fields (the BadRequest field paths, e.g. ``applicant.person.rnokpp``). Nothing
personal goes into a URL: the form is POSTed and the answer is the page itself."""

from __future__ import annotations

import secrets

from starlette.requests import Request
from starlette.routing import Route

from ekm.common.v1 import common_pb2
from ekm.intake.v1 import intake_pb2
from ekm_web import i18n
from ekm_web.backend import BackendError
from ekm_web.forms import errors_at_fields
from ekm_web.pages import call, nav, page, render

STAFF_INTAKE = ("case_manager", "supervisor", "operator")
RECIPIENT = ("recipient",)
STAFF_CHANNELS = {"in_person": common_pb2.CHANNEL_IN_PERSON, "phone": common_pb2.CHANNEL_PHONE}
PERSON_FIELDS = ("last_name", "first_name", "patronymic", "rnokpp", "unzr", "birth_date")
TEXT_FIELDS = (
    tuple(f"applicant-person-{f}" for f in PERSON_FIELDS)
    + tuple(f"subject-{f}" for f in PERSON_FIELDS)
    + (
        "applicant-phone",
        "applicant-email",
        "applicant-relation_to_subject",
        "community_code",
        "actual_address-region",
        "actual_address-settlement",
        "actual_address-street",
        "description",
        "source_reference",
        "channel",
    )
)
FLAGS = ("is_subject", "consent_to_processing", "urgent")
LIMIT = 70_000  # characters of any one field the BFF passes on (intake has its own limits)

i18n.register(
    {
        "nav.new_appeal": ("Нове звернення", "New appeal"),
        "nav.submit_appeal": ("Подати звернення", "Submit an appeal"),
        "appeal.new_title": ("Нове звернення", "New appeal"),
        "appeal.cabinet_title": ("Подати звернення", "Submit an appeal"),
        "appeal.staff_intro": (
            "Звернення, прийняте особисто або телефоном. Поля із зірочкою обов'язкові.",
            "An appeal taken in person or on the phone line. Fields marked with * are required.",
        ),
        "appeal.cabinet_intro": (
            "Опишіть, що сталося і якої допомоги потребуєте. Звернення подається від вашого імені і стосується вас.",
            "Describe what happened and what help you need. The appeal is yours and is about you.",
        ),
        "appeal.channel": ("Канал звернення *", "Channel *"),
        "appeal.channel.in_person": ("Особисто", "In person"),
        "appeal.channel.phone": ("Телефоном (гаряча лінія)", "Phone line"),
        "appeal.source_reference": ("Номер дзвінка чи відвідування (необов'язково)", "Call or visit number (optional)"),
        "appeal.applicant": ("Заявник", "Applicant"),
        "appeal.me": ("Про мене", "About me"),
        "appeal.subject": ("Особа, якої стосується звернення", "The person the appeal is about"),
        "appeal.subject_hint": (
            "Заповніть, якщо заявник звертається не щодо себе.",
            "Fill in when the applicant is not the person the appeal is about.",
        ),
        "appeal.is_subject": ("Заявник звертається щодо себе", "The applicant is the person the appeal is about"),
        "appeal.relation": (
            "Ким заявник доводиться особі (наприклад, дружина)",
            "The applicant's relation to the person (e.g. wife)",
        ),
        "appeal.last_name": ("Прізвище *", "Last name *"),
        "appeal.first_name": ("Ім'я *", "First name *"),
        "appeal.patronymic": ("По батькові", "Patronymic"),
        "appeal.rnokpp": ("РНОКПП (10 цифр)", "RNOKPP (10 digits)"),
        "appeal.unzr": ("УНЗР (РРРРММДД-ХХХХХ)", "UNZR (YYYYMMDD-XXXXX)"),
        "appeal.birth_date": ("Дата народження", "Date of birth"),
        "appeal.identity_hint": (
            "Потрібен РНОКПП, УНЗР або дата народження.",
            "An RNOKPP, a UNZR or the date of birth is required.",
        ),
        "appeal.contact": ("Контакти (телефон або e-mail) *", "Contact (phone or e-mail) *"),
        "appeal.phone": ("Телефон (+380XXXXXXXXX)", "Phone (+380XXXXXXXXX)"),
        "appeal.email": ("E-mail", "E-mail"),
        "appeal.where": ("Громада або адреса", "Community or address"),
        "appeal.where_hint_staff": (
            "Без коду громади звернення отримає ваша громада, якщо не вказано адресу.",
            "Without a community code the appeal goes to your community unless an address is given.",
        ),
        "appeal.where_hint_cabinet": (
            "Код громади (КАТОТТГ) або адреса фактичного проживання.",
            "The community's code (KATOTTG) or the address where you actually live.",
        ),
        "appeal.community_code": ("Код громади за КАТОТТГ (UA + 17 цифр)", "Community code, KATOTTG (UA + 17 digits)"),
        "appeal.region": ("Область", "Region"),
        "appeal.settlement": ("Населений пункт", "Settlement"),
        "appeal.street": ("Вулиця, будинок, квартира", "Street, house, flat"),
        "appeal.description": ("Опис ситуації *", "Description of the situation *"),
        "appeal.urgent": ("Загроза життю чи здоров'ю (кризове втручання)", "A threat to life or health (crisis)"),
        "appeal.consent": (
            "Згода на обробку персональних даних для розгляду звернення *",
            "Consent to processing the personal data to handle the appeal *",
        ),
        "appeal.submit": ("Подати звернення", "Submit the appeal"),
        "appeal.accepted": ("Звернення прийнято", "The appeal is accepted"),
        "appeal.tracking": ("Номер звернення", "Tracking number"),
        "appeal.tracking_hint": (
            "Збережіть номер: за ним можна дізнатися стан звернення.",
            "Keep the number: it tells the appeal's state.",
        ),
        "appeal.state": ("Стан", "State"),
        "appeal.screening": ("Результат скринінгу", "Screening result"),
        "appeal.rules": ("Правила скринінгу (версія {v})", "Screening rules (version {v})"),
        "appeal.merged": (
            "Схоже звернення вже є: це звернення об'єднано з ним, стежте за номером вище.",
            "A similar appeal exists: this one is merged into it; follow the number above.",
        ),
        "appeal.another": ("Ввести ще одне звернення", "Enter another appeal"),
        "appeal.to_cabinet": ("Повернутися до кабінету", "Back to the cabinet"),
    }
)

nav("/appeals/new", "nav.new_appeal", STAFF_INTAKE)
nav("/cabinet/appeals/new", "nav.submit_appeal", RECIPIENT)


def _values(form) -> dict:
    values = {name: str(form.get(name, "") or "").strip()[:LIMIT] for name in TEXT_FIELDS}
    values.update({name: form.get(name) in ("on", "1", "true") for name in FLAGS})
    key = str(form.get("client_request_id", "") or "")
    values["client_request_id"] = (
        key if 8 <= len(key) <= 64 and key.replace("-", "").replace("_", "").isalnum() else _new_key()
    )
    return values


def _new_key() -> str:
    return "web-" + secrets.token_urlsafe(18)


def _person(values: dict, prefix: str) -> common_pb2.PersonIdentity:
    return common_pb2.PersonIdentity(**{f: values[f"{prefix}-{f}"] for f in PERSON_FIELDS})


def _request(values: dict, channel: int, is_subject: bool) -> intake_pb2.SubmitAppealRequest:
    request = intake_pb2.SubmitAppealRequest(
        applicant=intake_pb2.Applicant(
            person=_person(values, "applicant-person"),
            phone=values["applicant-phone"],
            email=values["applicant-email"],
            is_subject=is_subject,
            relation_to_subject="" if is_subject else values["applicant-relation_to_subject"],
        ),
        channel=channel,
        description=values["description"],
        consent_to_processing=values["consent_to_processing"],
        urgent=values["urgent"],
        community_code=values["community_code"].upper(),
        client_request_id=values["client_request_id"],
        source_reference=values["source_reference"],
    )
    if not is_subject:
        request.subject.CopyFrom(_person(values, "subject"))
    if values["actual_address-region"] or values["actual_address-settlement"] or values["actual_address-street"]:
        request.actual_address.CopyFrom(
            intake_pb2.Address(
                region=values["actual_address-region"],
                settlement=values["actual_address-settlement"],
                street=values["actual_address-street"],
            )
        )
    return request


def _form(
    request: Request, cabinet: bool, values: dict | None = None, errors: dict | None = None, status_code: int = 200
):
    values = values or {"client_request_id": _new_key(), "is_subject": True, "channel": "in_person"}
    known = set(TEXT_FIELDS) | set(FLAGS)
    return render(
        request,
        "appeals/new.html",
        status_code=status_code,
        cabinet=cabinet,
        values=values,
        errors=errors or {},
        known=known,
        person_fields=PERSON_FIELDS,
        action="/cabinet/appeals/new" if cabinet else "/appeals/new",
        channels=[(code, f"appeal.channel.{code}") for code in STAFF_CHANNELS],
    )


async def _submit(request: Request, cabinet: bool):
    values = _values(request.state.form)
    if cabinet:
        channel, is_subject = common_pb2.CHANNEL_RECIPIENT_CABINET, True
        values["source_reference"] = ""
    else:
        channel = STAFF_CHANNELS.get(values["channel"], 0)  # 0: intake names the field
        is_subject = values["is_subject"]
    try:
        reply = await call(request, "intake", "SubmitAppeal", _request(values, channel, is_subject))
    except BackendError as exc:
        if exc.code not in ("INVALID_ARGUMENT", "FAILED_PRECONDITION", "ALREADY_EXISTS"):
            raise
        errors = errors_at_fields(exc.fields) if exc.fields else {"form": exc.message}
        if exc.code == "ALREADY_EXISTS":  # the key was used for another appeal: a fresh one
            values["client_request_id"] = _new_key()
        return _form(request, cabinet, values, errors, status_code=400 if exc.code == "INVALID_ARGUMENT" else 409)
    return render(request, "appeals/accepted.html", cabinet=cabinet, reply=reply)


@page(roles=STAFF_INTAKE)
async def staff_form(request: Request):
    return _form(request, cabinet=False)


@page(roles=STAFF_INTAKE)
async def staff_submit(request: Request):
    return await _submit(request, cabinet=False)


@page(roles=RECIPIENT)
async def cabinet_form(request: Request):
    return _form(request, cabinet=True)


@page(roles=RECIPIENT)
async def cabinet_submit(request: Request):
    return await _submit(request, cabinet=True)


routes = [
    Route("/appeals/new", staff_form, methods=["GET"]),
    Route("/appeals/new", staff_submit, methods=["POST"]),
    Route("/cabinet/appeals/new", cabinet_form, methods=["GET"]),
    Route("/cabinet/appeals/new", cabinet_submit, methods=["POST"]),
]
