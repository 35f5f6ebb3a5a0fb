"""The recipient cabinet (mobile-first): where my appeal and my case stand, my plan and its
steps, agreeing to the plan, marking my own steps done, rating the services (also after the
case is closed, while the rating period lasts), and my consents (list, withdraw). The
recipient's token subject is their person id: cases answers only about their own case."""

from __future__ import annotations

from starlette.requests import Request
from starlette.routing import Route

from ekm.cases.v1 import cases_pb2
from ekm.intake.v1 import intake_pb2
from ekm_web import i18n
from ekm_web.backend import BackendError
from ekm_web.pages import ROLE_HOME, call, flash, nav, page, redirect, render

RECIPIENT = ("recipient",)

i18n.register(
    {
        "nav.cabinet": ("Мій випадок", "My case"),
        "nav.my_consents": ("Мої згоди", "My consents"),
        "cab.title": ("Мій кабінет", "My cabinet"),
        "cab.no_case": (
            "У вас ще немає відкритого випадку. Коли фахівець відкриє його, тут з'явиться ваш план.",
            "You have no case yet. When a case manager opens one, your plan will appear here.",
        ),
        "cab.appeals": ("Мої звернення", "My appeals"),
        "cab.appeals_none": ("Звернень, поданих вами, немає.", "No appeals submitted by you."),
        "cab.check": ("Стан звернення за номером", "An appeal's state by its number"),
        "cab.check_hint": (
            "Номер із повідомлення про прийняття звернення, наприклад EKM-261203-ABCDEFGH.",
            "The number from the acknowledgement of your appeal, e.g. EKM-261203-ABCDEFGH.",
        ),
        "cab.check_submit": ("Перевірити", "Check"),
        "cab.check_not_found": (
            "Звернення з таким номером не знайдено серед ваших.",
            "No appeal of yours has this number.",
        ),
        "cab.tracking": ("Номер звернення", "Tracking number"),
        "cab.state": ("Стан", "State"),
        "cab.submitted": ("Подано", "Submitted"),
        "cab.case": ("Випадок", "Case"),
        "cab.stage": ("Етап", "Stage"),
        "cab.read_only": (
            "Випадок закрито {date}. Його можна переглядати, але не змінювати.",
            "The case was closed on {date}. You can read it but not change it.",
        ),
        "cab.plan": ("Мій індивідуальний план (версія {v})", "My individual plan (version {v})"),
        "cab.no_plan": ("Плану ще немає.", "There is no plan yet."),
        "cab.goals": ("Цілі", "Goals"),
        "cab.steps": ("Кроки", "Steps"),
        "cab.step_due": ("до {date}", "by {date}"),
        "cab.step_who": ("Виконує", "Done by"),
        "cab.mark_done": ("Позначити виконаним", "Mark as done"),
        "cab.step_done": ("Крок позначено виконаним.", "The step is marked as done."),
        "cab.agreed": ("Ви погодили цей план.", "You agreed to this plan."),
        "cab.agree": ("Погоджуюся з планом", "I agree to the plan"),
        "cab.agree_text": (
            "Ознайомтеся з цілями, кроками та послугами. Погодження записується з датою і часом.",
            "Read the goals, steps and services. Your agreement is recorded with the date and time.",
        ),
        "cab.agreed_now": ("Дякуємо: ваше погодження записано.", "Thank you: your agreement is recorded."),
        "cab.services": ("Послуги", "Services"),
        "cab.provider": ("Надавач", "Provider"),
        "cab.frequency": ("Періодичність", "Frequency"),
        "cab.my_rating": ("Моя оцінка: {n} з 5", "My rating: {n} of 5"),
        "cab.rate": ("Оцініть послугу", "Rate the service"),
        "cab.rate_open_until": ("Оцінити послуги можна до {date}.", "You can rate the services until {date}."),
        "cab.rating": ("Оцінка (1 — погано, 5 — чудово)", "Rating (1 poor, 5 excellent)"),
        "cab.comment": ("Коментар (необов'язково)", "Comment (optional)"),
        "cab.send_rating": ("Надіслати оцінку", "Send the rating"),
        "cab.rated": ("Дякуємо за оцінку.", "Thank you for your rating."),
        "cab.status.planned": ("заплановано", "planned"),
        "cab.status.in_progress": ("виконується", "in progress"),
        "cab.status.done": ("виконано", "done"),
        "cab.status.cancelled": ("скасовано", "cancelled"),
        "cons.title": ("Мої згоди на обробку даних", "My consents to data processing"),
        "cons.none": ("Згод немає.", "There are no consents."),
        "cons.purpose": ("Мета", "Purpose"),
        "cons.recipient": ("Кому", "Recipient"),
        "cons.categories": ("Які дані", "Which data"),
        "cons.given": ("Надано", "Given"),
        "cons.expires": ("Діє до", "Valid until"),
        "cons.state": ("Стан", "State"),
        "cons.withdraw": ("Відкликати згоду", "Withdraw the consent"),
        "cons.reason": ("Причина відкликання", "Reason for withdrawing"),
        "cons.withdrawn_now": ("Згоду відкликано.", "The consent is withdrawn."),
        "cons.reason_required": ("Вкажіть причину.", "Give a reason."),
        "cons.withdrawn_at": ("відкликано {date}", "withdrawn on {date}"),
        "cons.purpose.1": ("Запит до державного реєстру", "A state registry lookup"),
        "cons.purpose.2": ("Передача випадку іншій громаді", "Transfer of the case to another community"),
        "cons.purpose.3": ("Направлення до іншої установи", "A referral to another agency"),
        "cons.state.1": ("чинна", "active"),
        "cons.state.2": ("строк минув", "expired"),
        "cons.state.3": ("відкликана", "withdrawn"),
    }
)

nav("/cabinet", "nav.cabinet", RECIPIENT)
nav("/cabinet/consents", "nav.my_consents", RECIPIENT)
ROLE_HOME["recipient"] = "/cabinet"


def _date(ts) -> str:
    return ts.ToDatetime().strftime("%Y-%m-%d") if ts.seconds else ""


@page(roles=RECIPIENT)
async def cabinet(
    request: Request, errors: dict | None = None, checked=None, tracking: str = "", status_code: int = 200
):
    try:
        cab = await call(request, "cases", "GetCabinet", cases_pb2.GetCabinetRequest())
    except BackendError as exc:
        if exc.code != "NOT_FOUND":
            raise
        cab = None
    try:
        appeals = (
            await call(request, "intake", "ListMyAppeals", intake_pb2.ListMyAppealsRequest(page_size=20))
        ).appeals
    except BackendError as exc:
        if exc.code not in ("UNAVAILABLE", "DEADLINE_EXCEEDED", "NOT_FOUND"):
            raise
        appeals = []
    rating_open = bool(cab and (not cab.read_only or (cab.rating_open_until.seconds and _open(cab))))
    return render(
        request,
        "cabinet/cabinet.html",
        status_code=status_code,
        cab=cab,
        appeals=appeals,
        date=_date,
        rating_open=rating_open,
        errors=errors or {},
        checked=checked,
        tracking=tracking,
    )


@page(roles=RECIPIENT)
async def check_appeal(request: Request):
    """An appeal's state by its tracking number (POSTed: it stays out of URLs and logs). Intake
    answers only for the recipient's own appeals and the one behind their case: any other
    number is NOT_FOUND, shown exactly as an unknown one."""
    tracking = str(request.state.form.get("tracking_number", "")).strip().upper()[:40]
    if not tracking:
        return await cabinet.__wrapped__(request, errors={"tracking_number": "common.required"}, status_code=400)
    try:
        status = await call(
            request, "intake", "GetAppealStatus", intake_pb2.GetAppealStatusRequest(tracking_number=tracking)
        )
    except BackendError as exc:
        if exc.code not in ("NOT_FOUND", "INVALID_ARGUMENT"):
            raise
        return await cabinet.__wrapped__(
            request, errors={"tracking_number": "cab.check_not_found"}, tracking=tracking, status_code=404
        )
    return await cabinet.__wrapped__(request, checked=status, tracking=tracking)


def _open(cab) -> bool:
    from datetime import datetime, timezone

    return cab.rating_open_until.ToDatetime(timezone.utc) > datetime.now(timezone.utc)


async def _act(request: Request, method: str, message, ok_key: str):
    try:
        await call(request, "cases", method, message)
        flash(request, "ok", i18n.Translator(request.state.session.lang)(ok_key))
    except BackendError as exc:
        if exc.code not in ("FAILED_PRECONDITION", "INVALID_ARGUMENT", "PERMISSION_DENIED", "NOT_FOUND"):
            raise
        text = exc.message if not exc.fields else "; ".join(exc.fields.values())
        flash(request, "error", text)


@page(roles=RECIPIENT)
async def agree(request: Request):
    version = str(request.state.form.get("plan_version", "0"))
    await _act(
        request,
        "AgreePlanInCabinet",
        cases_pb2.AgreePlanInCabinetRequest(plan_version=int(version) if version.isdigit() else 0),
        "cab.agreed_now",
    )
    return redirect("/cabinet")


@page(roles=RECIPIENT)
async def step_done(request: Request):
    await _act(
        request,
        "MarkOwnStepDone",
        cases_pb2.MarkOwnStepDoneRequest(step_id=str(request.state.form.get("step_id", ""))),
        "cab.step_done",
    )
    return redirect("/cabinet")


@page(roles=RECIPIENT)
async def rate(request: Request):
    form = request.state.form
    rating = str(form.get("rating", ""))
    await _act(
        request,
        "RateService",
        cases_pb2.RateServiceRequest(
            service_id=str(form.get("service_id", "")),
            rating=int(rating) if rating.isdigit() else 0,
            comment=str(form.get("comment", ""))[:4000],
        ),
        "cab.rated",
    )
    return redirect("/cabinet")


@page(roles=RECIPIENT)
async def consents(request: Request):
    reply = await call(request, "cases", "ListMyConsents", cases_pb2.ListMyConsentsRequest())
    return render(request, "cabinet/consents.html", consents=reply.consents, date=_date, errors={})


@page(roles=RECIPIENT)
async def withdraw(request: Request):
    form = request.state.form
    consent_id, reason = str(form.get("consent_id", "")), str(form.get("reason", "")).strip()
    if not reason:
        reply = await call(request, "cases", "ListMyConsents", cases_pb2.ListMyConsentsRequest())
        return render(
            request,
            "cabinet/consents.html",
            status_code=400,
            consents=reply.consents,
            date=_date,
            errors={consent_id: "cons.reason_required"},
        )
    await _act(
        request,
        "WithdrawMyConsent",
        cases_pb2.WithdrawConsentRequest(consent_id=consent_id, reason=reason),
        "cons.withdrawn_now",
    )
    return redirect("/cabinet/consents")


routes = [
    Route("/cabinet", cabinet, methods=["GET"]),
    Route("/cabinet/appeal", check_appeal, methods=["POST"]),
    Route("/cabinet/agree", agree, methods=["POST"]),
    Route("/cabinet/steps/done", step_done, methods=["POST"]),
    Route("/cabinet/rate", rate, methods=["POST"]),
    Route("/cabinet/consents", consents, methods=["GET"]),
    Route("/cabinet/consents/withdraw", withdraw, methods=["POST"]),
]
