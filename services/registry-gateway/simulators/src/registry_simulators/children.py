"""ЄІАС «Діти»: the children of a household and their status."""

from __future__ import annotations

from datetime import date

from lxml import etree

from ekm_platform.soap import SoapFault

NS = "http://children.gov.ua/xroad/eias/v1"
HOUSEHOLDS = {
    "3378612352": [  # Шевченко Олена: a family of a fallen defender
        {
            "childRef": "child-1",
            "birthDate": date(2016, 4, 9),
            "status": ["difficult_circumstances"],
            "statusSince": date(2025, 2, 1),
        },
        {"childRef": "child-2", "birthDate": date(2021, 8, 30), "status": [], "statusSince": None},
    ],
}


def handle(request):
    if request.tag != f"{{{NS}}}GetHouseholdChildren":
        raise SoapFault("Client", f"Невідома операція / unknown operation {request.tag}", 400)
    element = request.find(f"{{{NS}}}parentRnokpp")
    parent = (element.text or "").strip() if element is not None else ""
    if not parent.isdigit() or len(parent) != 10:
        raise SoapFault("Client", "parentRnokpp: 10 цифр / 10 digits", 400)
    response = etree.Element(f"{{{NS}}}GetHouseholdChildrenResponse", nsmap={"ch": NS})
    etree.SubElement(response, f"{{{NS}}}found").text = "true" if parent in HOUSEHOLDS else "false"
    for child in HOUSEHOLDS.get(parent, []):
        item = etree.SubElement(response, f"{{{NS}}}child")
        etree.SubElement(item, f"{{{NS}}}childRef").text = child["childRef"]
        etree.SubElement(item, f"{{{NS}}}birthDate").text = child["birthDate"].isoformat()
        for status in child["status"]:
            etree.SubElement(item, f"{{{NS}}}status").text = status
        if child["statusSince"]:
            etree.SubElement(item, f"{{{NS}}}statusSince").text = child["statusSince"].isoformat()
    return response
