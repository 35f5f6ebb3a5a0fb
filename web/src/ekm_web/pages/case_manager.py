"""The case manager's pages: worklist, case, assessment (Order 1005), scoring, plan, review,
registry lookup, social history, transfer, contract. Supervisors read them too (their team's
cases); the forms that change a case are the case manager's. Every case page is addressed by
its case number (an identifier, never a name); searches are POSTed, never in a URL."""
from __future__ import annotations

from starlette.requests import Request
from starlette.routing import Route

from ekm.cases.v1 import cases_pb2
from ekm_web import i18n
from ekm_web.backend import BackendError
from ekm_web.pages import ROLE_HOME, STAFF, call, nav, page, render

EDITORS = ("case_manager",)

i18n.register({
    "nav.worklist": ("Мої випадки", "My cases"),
    "worklist.title": ("Перелік випадків", "Worklist"),
    "worklist.filters": ("Фільтри", "Filters"),
    "worklist.stage": ("Етап", "Stage"),
    "worklist.any_stage": ("Будь-який етап", "Any stage"),
    "worklist.overdue_only": ("Лише прострочені", "Overdue only"),
    "worklist.community": ("Громада (код КАТОТТГ)", "Community (KATOTTH code)"),
    "worklist.apply": ("Застосувати", "Apply"),
    "worklist.search": ("Пошук за ПІБ або РНОКПП", "Search by name or RNOKPP"),
    "worklist.search_hint": ("Початок прізвища та імені або 10 цифр РНОКПП.",
                             "The start of the surname and name, or the 10 digits of the RNOKPP."),
    "worklist.search_submit": ("Шукати", "Search"),
    "worklist.search_clear": ("Показати всі", "Show all"),
    "worklist.search_results": ("Результати пошуку", "Search results"),
    "worklist.case_number": ("Номер випадку", "Case number"),
    "worklist.person": ("Особа", "Person"),
    "worklist.stage_due": ("Строк етапу", "Stage due"),
    "worklist.next_step": ("Найближчий крок", "Next step due"),
    "worklist.overdue": ("Прострочено", "Overdue"),
    "worklist.overdue_steps": ("прострочених кроків: {n}", "overdue steps: {n}"),
    "worklist.empty": ("Випадків не знайдено.", "No cases found."),
    "worklist.next_page": ("Наступна сторінка", "Next page"),
    "worklist.first_page": ("Перша сторінка", "First page"),
    "worklist.caption": ("Випадки ({n} на сторінці)", "Cases ({n} on this page)"),
})

nav("/worklist", "nav.worklist", STAFF)
ROLE_HOME.setdefault("case_manager", "/worklist")
ROLE_HOME.setdefault("supervisor", "/worklist")

PAGE_SIZE = 25


def _worklist_request(source) -> tuple[cases_pb2.ListCasesRequest, dict]:
    stage = str(source.get("stage", "") or "")
    community = str(source.get("community", "") or "").strip()
    overdue = str(source.get("overdue", "") or "") in ("1", "on", "true")
    token = str(source.get("page_token", "") or "")
    request = cases_pb2.ListCasesRequest(page_size=PAGE_SIZE, page_token=token, overdue_only=overdue,
                                         community_code=community)
    if stage and stage.isdigit() and int(stage) in cases_pb2.Stage.values():
        request.stage = int(stage)
    return request, {"stage": request.stage, "community": community, "overdue": overdue}


@page(roles=STAFF)
async def worklist(request: Request):
    message, filters = _worklist_request(request.query_params)
    reply = await call(request, "cases", "ListCases", message)
    return render(request, "cm/worklist.html", cases=reply.cases, next_token=reply.next_page_token,
                  filters=filters, search="", stages=request.app.state.catalogue.entries(cases_pb2.Stage),
                  page_token=message.page_token, search_errors={})


@page(roles=STAFF)
async def worklist_search(request: Request):
    """A search by name or РНОКПП comes in a POST body, so it never reaches a URL or a log."""
    form = request.state.form
    message, filters = _worklist_request(form)
    search = str(form.get("search", "")).strip()
    message.search = search
    errors = {}
    cases, next_token = [], ""
    try:
        reply = await call(request, "cases", "ListCases", message)
        cases, next_token = reply.cases, reply.next_page_token
    except BackendError as exc:
        if exc.code != "INVALID_ARGUMENT":
            raise
        errors = {"search": exc.fields.get("search") or exc.message}
    return render(request, "cm/worklist.html", status_code=400 if errors else 200, cases=cases,
                  next_token=next_token, filters=filters, search=search, page_token=message.page_token,
                  stages=request.app.state.catalogue.entries(cases_pb2.Stage), search_errors=errors)


routes = [
    Route("/worklist", worklist, methods=["GET"]),
    Route("/worklist", worklist_search, methods=["POST"]),
]
