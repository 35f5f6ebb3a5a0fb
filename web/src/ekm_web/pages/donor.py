"""The donor's cabinet: my offers and the de-identified reports. The interagency API for offers
and reports is being built (wave 2, "resources-helper"); until InteragencyService has those
calls this page says so honestly instead of showing invented figures."""
from __future__ import annotations

from starlette.requests import Request
from starlette.routing import Route

from ekm.interagency.v1 import interagency_pb2
from ekm_web import i18n
from ekm_web.pages import ROLE_HOME, nav, page, render

DONOR = ("donor",)

i18n.register({
    "nav.donor": ("Мої пропозиції та звіти", "My offers and reports"),
    "donor.title": ("Кабінет донора", "Donor cabinet"),
    "donor.pending": ("Пропозиції допомоги та знеособлені звіти ще не доступні в цій версії платформи: "
                      "сервіс міжвідомчої взаємодії поки не має цих функцій. Тут не показано жодних "
                      "вигаданих даних.",
                      "Offers of help and de-identified reports are not available in this version of the "
                      "platform yet: the interagency service does not have these functions. No invented "
                      "figures are shown here."),
    "donor.what": ("Що буде тут", "What will be here"),
    "donor.what.offers": ("ваші пропозиції допомоги (товари, послуги, кошти) та їхній стан;",
                          "your offers of help (goods, services, funds) and their state;"),
    "donor.what.reports": ("знеособлені звіти: кількість людей за громадами, віковими групами та послугами, "
                           "де малі числа приховано (k-анонімність).",
                           "de-identified reports: counts of people by community, age band and service, "
                           "with small numbers suppressed (k-anonymity)."),
    "donor.calls": ("Доступні виклики API", "Available API calls"),
})

nav("/donor", "nav.donor", DONOR)
ROLE_HOME["donor"] = "/donor"


def donor_calls() -> list[str]:
    """The InteragencyService calls for offers and reports that this build of the API has."""
    service = interagency_pb2.DESCRIPTOR.services_by_name["InteragencyService"]
    return sorted(m.name for m in service.methods if "Offer" in m.name or "Report" in m.name)


@page(roles=DONOR)
async def donor(request: Request):
    return render(request, "donor/donor.html", calls=donor_calls())


routes = [Route("/donor", donor, methods=["GET"])]
