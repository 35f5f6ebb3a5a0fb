"""State Border Guard Service (ДПСУ): border crossings and returns from service."""

from __future__ import annotations

from datetime import date

from lxml import etree

from ekm_platform.soap import SoapFault
from registry_simulators import demo_people

NS = "http://dpsu.gov.ua/xroad/border-crossings/v1"


def _text(request, name: str) -> str:
    element = request.find(f"{{{NS}}}{name}")
    return (element.text or "").strip() if element is not None else ""


def handle(request):
    if request.tag == f"{{{NS}}}GetNewReturns":
        return get_new_returns(request)
    if request.tag != f"{{{NS}}}GetBorderCrossings":
        raise SoapFault("Client", f"Невідома операція / unknown operation {request.tag}", 400)
    return get_border_crossings(request)


def get_new_returns(request):
    try:
        since = date.fromisoformat(_text(request, "since"))
    except ValueError as exc:
        raise SoapFault("Client", "since: дата РРРР-ММ-ДД / a YYYY-MM-DD date", 400) from exc
    response = etree.Element(f"{{{NS}}}GetNewReturnsResponse", nsmap={"bg": NS})
    for item in demo_people.NEW_RETURNS:
        if item["returnedOn"] >= since:
            element = etree.SubElement(response, f"{{{NS}}}return")
            for key in ("sourceId", "rnokpp", "unzr", "lastName", "firstName", "returnedOn", "checkpoint"):
                value = item[key]
                etree.SubElement(element, f"{{{NS}}}{key}").text = (
                    value.isoformat() if hasattr(value, "isoformat") else value
                )
    return response


def get_border_crossings(request):
    rnokpp, unzr = _text(request, "rnokpp"), _text(request, "unzr")
    if not (rnokpp or unzr):
        raise SoapFault("Client", "Потрібен rnokpp або unzr / rnokpp or unzr is required", 400)
    try:
        date_from, date_to = (
            date.fromisoformat(_text(request, "dateFrom")),
            date.fromisoformat(_text(request, "dateTo")),
        )
    except ValueError as exc:
        raise SoapFault("Client", "dateFrom/dateTo: дата РРРР-ММ-ДД / a YYYY-MM-DD date", 400) from exc
    person = demo_people.find(rnokpp, unzr)
    response = etree.Element(f"{{{NS}}}GetBorderCrossingsResponse", nsmap={"bg": NS})
    etree.SubElement(response, f"{{{NS}}}found").text = "true" if person else "false"
    for crossing in (person or {}).get("crossings", []):
        if date_from <= crossing["date"] <= date_to:
            element = etree.SubElement(response, f"{{{NS}}}crossing")
            etree.SubElement(element, f"{{{NS}}}date").text = crossing["date"].isoformat()
            etree.SubElement(element, f"{{{NS}}}direction").text = crossing["direction"]
            etree.SubElement(element, f"{{{NS}}}checkpoint").text = crossing["checkpoint"]
            etree.SubElement(element, f"{{{NS}}}returnedFromService").text = str(
                crossing["returnedFromService"]
            ).lower()
    return response
