"""The partner agency's cabinet: the referrals addressed to my agency (the token's `org` claim),
one referral with its history and the person as their consent allows, and my answers: accept,
reject with a reason, complete with the outcome. Interagency decides what the agency may see;
the BFF only shows it. Referrals are addressed by their id (never a name)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.routing import Route

from ekm.interagency.v1 import interagency_pb2
from ekm_web import i18n
from ekm_web.backend import BackendError
from ekm_web.pages import ROLE_HOME, PageError, call, flash, nav, page, redirect, render

PARTNER = ("partner_agency",)
# The interagency API grows in wave 2 (referrals-helper); pages that need a missing call say so.
HAS_LOOP = all(
    hasattr(interagency_pb2, name)
    for name in ("ListReferralsRequest", "AcceptReferralRequest", "RejectReferralRequest", "CompleteReferralRequest")
)

i18n.register(
    {
        "nav.referrals": ("Направлення", "Referrals"),
        "pa.title": ("Направлення до нашої установи", "Referrals to our agency"),
        "pa.unavailable": (
            "Інтерфейс відповідей на направлення ще не доступний у цій версії платформи.",
            "Answering referrals is not available in this version of the platform yet.",
        ),
        "pa.none": ("Направлень немає.", "There are no referrals."),
        "pa.filter": ("Стан", "State"),
        "pa.any_state": ("Будь-який стан", "Any state"),
        "pa.show": ("Показати", "Show"),
        "pa.case": ("Випадок", "Case"),
        "pa.sector": ("Сфера", "Sector"),
        "pa.state": ("Стан", "State"),
        "pa.need": ("Потреба", "Need"),
        "pa.action": ("Що просять зробити", "What is asked"),
        "pa.respond_by": ("Відповісти до", "Answer by"),
        "pa.complete_by": ("Виконати до", "Complete by"),
        "pa.overdue": ("Прострочено", "Overdue"),
        "pa.open": ("Відкрити", "Open"),
        "pa.referral": ("Направлення", "Referral"),
        "pa.history": ("Історія", "History"),
        "pa.person": ("Особа (у межах згоди)", "The person (as their consent allows)"),
        "pa.no_consent": ("Згоди на передачу даних немає: лише контакти.", "No consent to share data: contacts only."),
        "pa.shared": ("Передано за згодою", "Shared under consent"),
        "pa.name": ("ПІБ", "Name"),
        "pa.phone": ("Телефон", "Phone"),
        "pa.accept": ("Прийняти", "Accept"),
        "pa.note": ("Примітка", "Note"),
        "pa.reject": ("Відхилити", "Reject"),
        "pa.reason": ("Причина", "Reason"),
        "pa.complete": ("Завершити з результатом", "Complete with the outcome"),
        "pa.outcome": ("Результат", "Outcome"),
        "pa.success": ("Потребу задоволено", "The need was met"),
        "pa.done.accept": ("Направлення прийнято.", "The referral is accepted."),
        "pa.done.reject": ("Направлення відхилено.", "The referral is rejected."),
        "pa.done.complete": ("Направлення виконано.", "The referral is completed."),
        "pa.outcome_required": ("Опишіть результат.", "Describe the outcome."),
        "pa.reason_required": ("Оберіть причину.", "Choose a reason."),
        "pa.by": ("хто", "by"),
        "nav.agency_tasks": ("Завдання з конференцій", "Conference tasks"),
        "pa.tasks.title": (
            "Завдання нашій установі з конференцій випадку",
            "Tasks given to our agency by case conferences",
        ),
        "pa.tasks.none": ("Завдань немає.", "There are no tasks."),
        "pa.tasks.what": ("Завдання", "Task"),
        "pa.tasks.due": ("Строк", "Due"),
        "pa.tasks.done": ("Виконано", "Done"),
        "pa.tasks.mark": ("Позначити виконаним", "Mark as done"),
        "pa.tasks.marked": (
            "Завдання позначено виконаним; крок плану випадку теж.",
            "The task is marked as done, and so is the plan step.",
        ),
    }
)

nav("/partner/referrals", "nav.referrals", PARTNER)
HAS_TASKS = hasattr(interagency_pb2, "ListAgencyTasksRequest")
if HAS_TASKS:
    nav("/partner/tasks", "nav.agency_tasks", PARTNER)
ROLE_HOME["partner_agency"] = "/partner/referrals"


def _date(ts) -> str:
    return ts.ToDatetime().strftime("%Y-%m-%d") if ts.seconds else ""


@page(roles=PARTNER)
async def inbox(request: Request):
    if not HAS_LOOP:
        return render(request, "partner/referrals.html", available=False, referrals=[], states=[], state=0, date=_date)
    state = str(request.query_params.get("state", ""))
    message = interagency_pb2.ListReferralsRequest(page_size=100)
    if state.isdigit() and int(state) in interagency_pb2.ReferralState.values():
        message.states.append(int(state))
    reply = await call(request, "interagency", "ListReferrals", message)
    states = request.app.state.catalogue.entries(interagency_pb2.ReferralState)
    return render(
        request,
        "partner/referrals.html",
        available=True,
        referrals=reply.referrals,
        states=states,
        state=int(state) if state.isdigit() else 0,
        date=_date,
    )


async def _details_page(request: Request, referral_id: str, status_code: int = 200, errors=None):
    details = await call(
        request, "interagency", "GetReferralDetails", interagency_pb2.GetReferralRequest(referral_id=referral_id)
    )
    reasons = [e for e in request.app.state.catalogue.entries(interagency_pb2.RejectionReason) if e.number]
    return render(
        request,
        "partner/referral.html",
        status_code=status_code,
        d=details,
        r=details.referral,
        reasons=reasons,
        date=_date,
        errors=errors or {},
    )


@page(roles=PARTNER)
async def referral(request: Request):
    if not HAS_LOOP:
        raise PageError(404, "error.404", "error.404.text")
    return await _details_page(request, request.path_params["referral_id"])


@page(roles=PARTNER)
async def answer(request: Request):
    if not HAS_LOOP:
        raise PageError(404, "error.404", "error.404.text")
    referral_id, action = request.path_params["referral_id"], request.path_params["action"]
    form = request.state.form
    note = str(form.get("note", "")).strip()
    if action == "accept":
        message, method = interagency_pb2.AcceptReferralRequest(referral_id=referral_id, note=note), "AcceptReferral"
    elif action == "reject":
        reason = str(form.get("reason", ""))
        if not reason.isdigit() or int(reason) not in interagency_pb2.RejectionReason.values() or reason == "0":
            return await _details_page(request, referral_id, 400, {"reason": "pa.reason_required"})
        message = interagency_pb2.RejectReferralRequest(referral_id=referral_id, reason=int(reason), note=note)
        method = "RejectReferral"
    elif action == "complete":
        outcome = str(form.get("outcome", "")).strip()
        if not outcome:
            return await _details_page(request, referral_id, 400, {"outcome": "pa.outcome_required"})
        message = interagency_pb2.CompleteReferralRequest(
            referral_id=referral_id, outcome=outcome, success=form.get("success") == "1"
        )
        method = "CompleteReferral"
    else:
        raise PageError(404, "error.404", "error.404.text")
    try:
        await call(request, "interagency", method, message)
        flash(request, "ok", i18n.Translator(request.state.session.lang)(f"pa.done.{action}"))
    except BackendError as exc:
        if exc.code == "INVALID_ARGUMENT" and exc.fields:
            return await _details_page(request, referral_id, 400, {k.split(".")[-1]: v for k, v in exc.fields.items()})
        if exc.code not in ("FAILED_PRECONDITION", "INVALID_ARGUMENT"):
            raise
        flash(request, "error", exc.message)
    return redirect(f"/partner/referrals/{referral_id}")


@page(roles=PARTNER)
async def tasks(request: Request):
    if not HAS_TASKS:
        raise PageError(404, "error.404", "error.404.text")
    reply = await call(request, "interagency", "ListAgencyTasks", interagency_pb2.ListAgencyTasksRequest())
    return render(request, "partner/tasks.html", tasks=reply.tasks, date=_date)


@page(roles=PARTNER)
async def task_done(request: Request):
    if not HAS_TASKS:
        raise PageError(404, "error.404", "error.404.text")
    form = request.state.form
    try:
        await call(
            request,
            "interagency",
            "CompleteAgencyTask",
            interagency_pb2.CompleteAgencyTaskRequest(
                conference_id=str(form.get("conference_id", "")), step_id=str(form.get("step_id", ""))
            ),
        )
        flash(request, "ok", i18n.Translator(request.state.session.lang)("pa.tasks.marked"))
    except BackendError as exc:
        if exc.code not in ("FAILED_PRECONDITION", "INVALID_ARGUMENT"):
            raise
        flash(request, "error", exc.message)
    return redirect("/partner/tasks")


routes = [
    Route("/partner/tasks", tasks, methods=["GET"]),
    Route("/partner/tasks/done", task_done, methods=["POST"]),
    Route("/partner/referrals", inbox, methods=["GET"]),
    Route("/partner/referrals/{referral_id}", referral, methods=["GET"]),
    Route("/partner/referrals/{referral_id}/{action}", answer, methods=["POST"]),
]
