"""Printable documents of a case as PDF (Ukrainian): the Act of needs assessment (Order No. 1005
layout), the individual plan and a contract. For whoever may see the case (its case manager,
their supervisor): cases decides — others get NOT_FOUND, shown as 404. Addressed by case
number and ids; the PDF is sent with no-store and as an attachment named by the case number."""

from __future__ import annotations

import asyncio

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ekm.cases.v1 import cases_pb2
from ekm_web import documents, i18n
from ekm_web.backend import BackendError
from ekm_web.pages import STAFF, PageError, call, page

i18n.register(
    {
        "doc.assessment": ("Акт оцінки потреб (PDF)", "Assessment act (PDF)"),
        "doc.plan": ("Індивідуальний план (PDF)", "Individual plan (PDF)"),
        "doc.contract": ("Договір (PDF)", "Contract (PDF)"),
    }
)

PURPOSE = "друк документа випадку"


async def _case_and_person(request: Request):
    number = request.path_params["case_number"]
    case = await call(request, "cases", "GetCase", cases_pb2.GetCaseRequest(case_number=number, purpose=PURPOSE))
    name = ""
    if case.person_id:
        try:
            person = await call(request, "cases", "GetPerson", cases_pb2.GetPersonRequest(person_id=case.person_id))
            name = " ".join(
                p for p in (person.identity.last_name, person.identity.first_name, person.identity.patronymic) if p
            )
        except BackendError as exc:
            if exc.code not in ("NOT_FOUND", "PERMISSION_DENIED"):
                raise
    return case, name


def _pdf(content: bytes, filename: str) -> Response:
    return Response(
        content, media_type="application/pdf", headers={"Content-Disposition": f'inline; filename="{filename}"'}
    )


@page(roles=STAFF)
async def assessment_pdf(request: Request):
    case, name = await _case_and_person(request)
    act = await call(request, "cases", "GetAssessment", cases_pb2.GetAssessmentRequest(case_id=case.case_id))
    try:
        scoring = await call(
            request, "cases", "ScoreAssessment", cases_pb2.ScoreAssessmentRequest(case_id=case.case_id)
        )
    except BackendError as exc:
        if exc.code not in ("FAILED_PRECONDITION", "INVALID_ARGUMENT", "NOT_FOUND"):
            raise
        scoring = None
    content = await asyncio.to_thread(documents.assessment_act, case, act, scoring, request.app.state.catalogue, name)
    return _pdf(content, f"akt-otsinky-{case.case_number}-v{act.version}.pdf")


@page(roles=STAFF)
async def plan_pdf(request: Request):
    case, name = await _case_and_person(request)
    plan = await call(request, "cases", "GetPlan", cases_pb2.GetPlanRequest(case_id=case.case_id))
    content = await asyncio.to_thread(documents.individual_plan, case, plan, request.app.state.catalogue, name)
    return _pdf(content, f"plan-{case.case_number}-v{plan.version}.pdf")


@page(roles=STAFF)
async def contract_pdf(request: Request):
    case, name = await _case_and_person(request)
    draft = await call(
        request, "cases", "GetContract", cases_pb2.GetContractRequest(contract_id=request.path_params["contract_id"])
    )
    if draft.case_id != case.case_id:  # a contract of another case under this case's number
        raise PageError(404, "error.404", "error.404.text")
    content = await asyncio.to_thread(documents.contract, case, draft, request.app.state.catalogue, name)
    return _pdf(content, f"dohovir-{case.case_number}-{draft.contract_id[:8]}.pdf")


routes = [
    Route("/cases/{case_number}/documents/assessment.pdf", assessment_pdf, methods=["GET"]),
    Route("/cases/{case_number}/documents/plan.pdf", plan_pdf, methods=["GET"]),
    Route("/cases/{case_number}/documents/contracts/{contract_id}.pdf", contract_pdf, methods=["GET"]),
]
