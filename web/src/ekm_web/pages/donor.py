"""The donor's cabinet: my offers in the community resource bank (add, withdraw) and the
de-identified report of who received my help — counts only, k ≥ 5, small cells suppressed,
as interagency publishes them (GetDonorReport). Interagency shows a donor only its own offers."""

from __future__ import annotations

from datetime import date, timedelta

from starlette.requests import Request
from starlette.routing import Route

from ekm.cases.v1 import cases_pb2
from ekm.interagency.v1 import interagency_pb2
from ekm_web import i18n
from ekm_web.backend import BackendError
from ekm_web.pages import ROLE_HOME, call, flash, nav, page, redirect, render

DONOR = ("donor",)
HAS_RESOURCES = all(
    hasattr(interagency_pb2, n) for n in ("ListOffersRequest", "GetDonorReportRequest", "CreateOfferRequest")
)

i18n.register(
    {
        "nav.donor": ("Мої пропозиції та звіти", "My offers and reports"),
        "donor.title": ("Кабінет донора", "Donor cabinet"),
        "donor.pending": (
            "Пропозиції допомоги та знеособлені звіти ще не доступні в цій версії платформи: "
            "сервіс міжвідомчої взаємодії поки не має цих функцій. Тут не показано жодних "
            "вигаданих даних.",
            "Offers of help and de-identified reports are not available in this version of the "
            "platform yet: the interagency service does not have these functions. No invented "
            "figures are shown here.",
        ),
        "donor.offers": ("Мої пропозиції допомоги", "My offers of help"),
        "donor.no_offers": ("Пропозицій ще немає.", "No offers yet."),
        "donor.offer_title": ("Назва", "Title"),
        "donor.service": ("Послуга", "Service"),
        "donor.where": ("Де", "Where"),
        "donor.places": ("Місця (залишилось / усього)", "Places (left / in all)"),
        "donor.valid": ("Діє", "Valid"),
        "donor.state": ("Стан", "State"),
        "donor.state.active": ("чинна", "active"),
        "donor.state.withdrawn": ("відкликана", "withdrawn"),
        "donor.withdraw": ("Відкликати", "Withdraw"),
        "donor.withdrawn_now": ("Пропозицію відкликано.", "The offer is withdrawn."),
        "donor.add": ("Додати пропозицію", "Add an offer"),
        "donor.name": ("Ім'я або назва донора", "Donor's name"),
        "donor.description": ("Опис", "Description"),
        "donor.region": ("Область (код КАТОТТГ, напр. UA80)", "Region (KATOTTH code, e.g. UA80)"),
        "donor.community": (
            "Громада (код КАТОТТГ; порожньо — уся область)",
            "Community (KATOTTH code; empty: the whole region)",
        ),
        "donor.capacity": ("Кількість місць", "Number of places"),
        "donor.valid_from": ("Діє з", "Valid from"),
        "donor.valid_until": ("Діє до", "Valid until"),
        "donor.added": ("Пропозицію додано.", "The offer is added."),
        "donor.report": ("Хто отримав допомогу (знеособлено)", "Who received the help (de-identified)"),
        "donor.report_hint": (
            "Лише кількість людей за громадами та віковими групами; кожне число — 0 або не менше {k}; "
            "менші приховано разом із тими, з яких їх можна було б обчислити.",
            "Only counts of people by community and age band; every number is 0 or at least {k}; "
            "smaller ones are hidden, with those they could be worked out from.",
        ),
        "donor.too_small": (
            "Замало людей, щоб показати будь-які числа (менше {k}).",
            "Too few people to show any figure (fewer than {k}).",
        ),
        "donor.hidden": ("приховано", "hidden"),
        "donor.total": ("Усього", "Total"),
        "donor.community_col": ("Громада", "Community"),
    }
)

nav("/donor", "nav.donor", DONOR)
ROLE_HOME["donor"] = "/donor"


def _form_defaults() -> dict:
    today = date.today()
    return {
        "offerer_name": "",
        "title": "",
        "description": "",
        "service_type": "",
        "region": "UA80",
        "community_code": "",
        "capacity": "10",
        "valid_from": today.isoformat(),
        "valid_until": (today + timedelta(days=90)).isoformat(),
    }


async def _page(request: Request, values: dict | None = None, errors: dict | None = None, status_code: int = 200):
    if not HAS_RESOURCES:
        return render(request, "donor/donor.html", available=False)
    offers = (await call(request, "interagency", "ListOffers", interagency_pb2.ListOffersRequest())).offers
    report = await call(request, "interagency", "GetDonorReport", interagency_pb2.GetDonorReportRequest())
    services = [e for e in request.app.state.catalogue.entries(cases_pb2.ServiceType) if e.number]
    return render(
        request,
        "donor/donor.html",
        status_code=status_code,
        available=True,
        offers=offers,
        report=report.recipients,
        services=services,
        values=values or _form_defaults(),
        errors=errors or {},
    )


@page(roles=DONOR)
async def donor(request: Request):
    return await _page(request)


@page(roles=DONOR)
async def add_offer(request: Request):
    form = request.state.form
    values = {k: str(form.get(k, "")).strip() for k in _form_defaults()}
    service = values["service_type"]
    capacity = values["capacity"]
    message = interagency_pb2.CreateOfferRequest(
        offerer_kind=interagency_pb2.OFFERER_KIND_DONOR,
        offerer_name=values["offerer_name"],
        title=values["title"],
        description=values["description"],
        service_type=int(service) if service.isdigit() else 0,
        region=values["region"],
        community_code=values["community_code"],
        capacity=int(capacity) if capacity.isdigit() else 0,
        valid_from=values["valid_from"],
        valid_until=values["valid_until"],
    )
    try:
        await call(request, "interagency", "CreateOffer", message)
    except BackendError as exc:
        if exc.code not in ("INVALID_ARGUMENT", "FAILED_PRECONDITION"):
            raise
        errors = {k.split(".")[-1]: v for k, v in exc.fields.items()} or {"form": exc.message}
        return await _page(request, values, errors, status_code=400)
    flash(request, "ok", i18n.Translator(request.state.session.lang)("donor.added"))
    return redirect("/donor")


@page(roles=DONOR)
async def withdraw_offer(request: Request):
    try:
        await call(
            request,
            "interagency",
            "WithdrawOffer",
            interagency_pb2.GetOfferRequest(offer_id=str(request.state.form.get("offer_id", ""))),
        )
        flash(request, "ok", i18n.Translator(request.state.session.lang)("donor.withdrawn_now"))
    except BackendError as exc:
        if exc.code != "FAILED_PRECONDITION":
            raise
        flash(request, "error", exc.message)
    return redirect("/donor")


routes = [
    Route("/donor", donor, methods=["GET"]),
    Route("/donor/offers", add_offer, methods=["POST"]),
    Route("/donor/offers/withdraw", withdraw_offer, methods=["POST"]),
]
