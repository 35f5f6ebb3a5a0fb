"""The case manager's pages: worklist, case, assessment (Order 1005), scoring, plan, review,
registry lookup, social history, transfer, contract. Supervisors read them too (their team's
cases); the forms that change a case are the case manager's. Every case page is addressed by
its case number (an identifier, never a name); searches are POSTed, never in a URL."""

from __future__ import annotations

import asyncio
import datetime as dt

from google.protobuf import timestamp_pb2
from starlette.requests import Request
from starlette.routing import Route

from ekm.cases.v1 import cases_pb2
from ekm.registry.v1 import registry_pb2
from ekm_web import i18n
from ekm_web.backend import BackendError
from ekm_web.forms import errors_at_fields
from ekm_web.pages import ROLE_HOME, STAFF, PageError, call, flash, nav, page, redirect, render

EDITORS = ("case_manager",)

i18n.register(
    {
        "nav.worklist": ("Мої випадки", "My cases"),
        "worklist.title": ("Перелік випадків", "Worklist"),
        "worklist.filters": ("Фільтри", "Filters"),
        "worklist.stage": ("Етап", "Stage"),
        "worklist.any_stage": ("Будь-який етап", "Any stage"),
        "worklist.overdue_only": ("Лише прострочені", "Overdue only"),
        "worklist.assigned_to": ("Фахівець команди (ідентифікатор)", "Team case manager (id)"),
        "worklist.community": ("Громада (код КАТОТТГ)", "Community (KATOTTH code)"),
        "worklist.apply": ("Застосувати", "Apply"),
        "worklist.search": ("Пошук за ПІБ або РНОКПП", "Search by name or RNOKPP"),
        "worklist.search_hint": (
            "Початок прізвища та імені або 10 цифр РНОКПП.",
            "The start of the surname and name, or the 10 digits of the RNOKPP.",
        ),
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
        "case.title": ("Випадок {number}", "Case {number}"),
        "case.sections": ("Розділи випадку", "Case sections"),
        "case.overview": ("Огляд", "Overview"),
        "case.person": ("Особа", "Person"),
        "case.name": ("ПІБ", "Full name"),
        "case.rnokpp": ("РНОКПП", "RNOKPP"),
        "case.unzr": ("УНЗР", "UNZR"),
        "case.birth_date": ("Дата народження", "Date of birth"),
        "case.phone": ("Телефон", "Phone"),
        "case.email": ("Ел. пошта", "E-mail"),
        "case.veteran_statuses": ("Статуси", "Statuses"),
        "case.disability_group": ("Група інвалідності", "Disability group"),
        "case.household": ("Домогосподарство", "Household"),
        "case.address": ("Адреса", "Address"),
        "case.no_household": (
            "Склад сім'ї ще не записано (він записується в оцінці потреб).",
            "The household is not recorded yet (the needs assessment records it).",
        ),
        "case.relation": ("Родинний зв'язок", "Relation"),
        "case.appeal": ("Звернення", "Appeal"),
        "case.appeal_unavailable": ("Звернення зараз недоступне.", "The appeal is not available now."),
        "case.tracking": ("Номер звернення", "Tracking number"),
        "case.channel": ("Канал", "Channel"),
        "case.submitted_at": ("Подано", "Submitted"),
        "case.urgent": ("Термінове", "Urgent"),
        "case.applicant": ("Заявник", "Applicant"),
        "case.applicant_is_subject": ("Звертається сама особа", "The person applied themselves"),
        "case.applicant_relation": ("Ким доводиться особі", "Relation to the person"),
        "case.description": ("Зміст звернення", "What the appeal says"),
        "case.source": ("Джерело", "Source"),
        "case.stage": ("Етап", "Stage"),
        "case.stage_since": ("На етапі з", "In this stage since"),
        "case.stage_due": ("Строк етапу", "Stage due"),
        "case.opened_at": ("Відкрито", "Opened"),
        "case.assigned_to": ("Фахівець", "Case manager"),
        "case.complexity": ("Складність", "Complexity"),
        "case.screening": ("Рівень скринінгу", "Screening level"),
        "case.outcome": ("Результат", "Outcome"),
        "case.closure_requested": ("Запит на закриття", "Closure requested"),
        "case.next_actions": ("Наступні дії", "Next actions"),
        "case.move_to": ("Перевести на етап", "Move to stage"),
        "case.outcome_for_closure": ("Результат (для закриття)", "Outcome (to close)"),
        "case.reason": ("Причина / коментар", "Reason / comment"),
        "case.transition_submit": ("Перевести", "Move"),
        "case.moved": ("Випадок переведено на етап «{stage}».", "The case moved to \u201c{stage}\u201d."),
        "case.closure_asked": (
            "Запит на закриття передано супервізору.",
            "The closure request went to the supervisor.",
        ),
        "case.none_allowed": ("Дій на цьому етапі немає.", "No actions at this stage."),
        "case.deadlines": ("Строки", "Deadlines"),
        "case.documents": ("Документи для друку (PDF)", "Printable documents (PDF)"),
        "case.doc_assessment": ("Акт оцінки потреб (наказ № 1005)", "Act of needs assessment (Order No. 1005)"),
        "case.doc_plan": ("Індивідуальний план", "Individual plan"),
        "case.doc_contract": ("Договір: {provider}", "Contract: {provider}"),
        "case.next_step_due": ("Найближчий крок плану", "Next plan step due"),
        "case.overdue_steps": ("Прострочені кроки", "Overdue steps"),
        "case.read_only": (
            "Лише перегляд: зміни вносить фахівець випадку.",
            "Read only: the case manager makes changes.",
        ),
        "section.assessment": ("Оцінка потреб", "Needs assessment"),
        "section.scoring": ("Результат оцінювання", "Scoring result"),
        "section.plan": ("Індивідуальний план", "Individual plan"),
        "section.review": ("Перегляд випадку", "Case review"),
        "section.registry": ("Запит до реєстрів", "Registry lookup"),
        "section.history": ("Соціальна історія", "Social history"),
        "section.transfer": ("Передача випадку", "Transfer"),
        "section.contract": ("Договір і плата", "Contract and fee"),
        "history.title": ("Соціальна історія", "Social history"),
        "history.empty": ("Записів немає.", "No entries."),
        "history.erroneous": ("Позначено помилковим", "Marked erroneous"),
        "history.more": ("Далі", "More"),
        "history.source": ("джерело", "source"),
        "hkind.appeal": ("звернення", "appeal"),
        "hkind.assessment": ("оцінка потреб", "needs assessment"),
        "hkind.case.closure_request_lapsed": ("запит на закриття втратив силу", "closure request lapsed"),
        "hkind.case.closure_requested": ("запит на закриття", "closure requested"),
        "hkind.case.opened": ("відкрито випадок", "case opened"),
        "hkind.case.stage": ("зміна етапу", "stage change"),
        "hkind.case.transferred": ("передача випадку", "case transferred"),
        "hkind.consent.recorded": ("згоду записано", "consent recorded"),
        "hkind.consent.withdrawn": ("згоду відкликано", "consent withdrawn"),
        "hkind.contract": ("договір", "contract"),
        "hkind.history.marked_erroneous": ("запис позначено помилковим", "entry marked erroneous"),
        "hkind.household": ("склад сім'ї", "household"),
        "hkind.person.matched": ("особу зіставлено", "person matched"),
        "hkind.person.merged": ("записи особи об'єднано", "person records merged"),
        "hkind.plan": ("індивідуальний план", "individual plan"),
        "hkind.referral": ("направлення", "referral"),
        "hkind.review": ("перегляд випадку", "case review"),
        "hkind.supervision.returned": ("повернуто супервізором", "returned by the supervisor"),
        "registry.title": ("Запит до державних реєстрів", "State registry lookup"),
        "registry.who": ("Про кого запит", "Who the lookup is about"),
        "registry.the_person": ("Особа випадку", "The person of the case"),
        "registry.member": ("Член сім'ї: {name}", "Household member: {name}"),
        "registry.registries": ("Реєстри", "Registries"),
        "registry.all": ("не обрано жодного — усі дозволені", "none chosen: all allowed"),
        "registry.purpose": ("Мета запиту", "Purpose of the lookup"),
        "registry.purpose_default": ("оцінка потреб", "needs assessment"),
        "registry.submit": ("Надіслати запит", "Send the lookup"),
        "registry.results": ("Відповіді реєстрів", "Registry answers"),
        "registry.status": ("Стан", "Status"),
        "registry.facts": ("Факти", "Facts"),
        "registry.evidence": ("Доказ запиту", "Evidence of the lookup"),
        "registry.show_evidence": ("Показати доказ", "Show evidence"),
        "registry.from_cache": (
            "з кешу (відповідь попереднього обміну)",
            "from the cache (the answer of an earlier exchange)",
        ),
        "registry.xroad_id": ("Ідентифікатор X-Road", "X-Road id"),
        "registry.user": ("Хто запитував", "Asked by"),
        "registry.issue": ("Справа (issue)", "Issue"),
        "registry.sha256": ("SHA-256 відповіді", "Response SHA-256"),
        "registry.requested_at": ("Час запиту", "Requested at"),
        "registry.original": ("Оригінальний обмін", "Original exchange"),
        "registry.consent": ("Згода, на яку спирався запит", "Consent relied on"),
        "registry.query_id": ("Ідентифікатор запиту", "Query id"),
        "registry.consents": ("Згоди особи на запити до реєстрів", "The person's consents to registry lookups"),
        "registry.consent_needed": (
            "Запити про здоров'я та інвалідність — лише за записаною згодою особи.",
            "Health and disability lookups need the person's recorded consent.",
        ),
        "registry.record_consent": ("Записати згоду на запит", "Record a consent to a lookup"),
        "registry.status.1": ("Знайдено", "Found"),
        "registry.status.2": ("Не знайдено", "Not found"),
        "registry.status.3": (
            "Реєстр недоступний — запит буде повторено",
            "Registry unavailable — it will be asked again",
        ),
        "registry.status.4": ("Очікує", "Pending"),
        "registry.status.5": ("Заборонено (немає згоди або права)", "Denied (no consent or right)"),
        "registry.status.6": ("Не застосовно до наданих ідентифікаторів", "Not applicable to the identifiers given"),
        "reg.border_guard": ("Держприкордонслужба", "State Border Guard Service"),
        "reg.children": ("ЄІАС «Діти»", "EIAS \u201cChildren\u201d"),
        "reg.education": ("Освіта", "Education"),
        "reg.health": ("Охорона здоров'я", "Health"),
        "reg.disability": ("Банк даних про інвалідність", "Disability data bank"),
        "reg.housing": ("Реєстр пошкодженого житла", "Damaged housing register"),
        "fact.registry.person.returned_from_service": ("повернення зі служби", "returned from service"),
        "fact.registry.person.crossed_border": ("перетин кордону", "border crossing"),
        "fact.registry.person.registered_job_seeker": ("реєстрація як шукача роботи", "registered as a job seeker"),
        "fact.registry.person.rehabilitation_started": ("початок реабілітації", "rehabilitation started"),
        "fact.registry.health.family_doctor_declared": ("декларація з сімейним лікарем", "family doctor declaration"),
        "fact.registry.health.rehabilitation_episode": ("епізод реабілітації", "rehabilitation episode"),
        "fact.registry.disability.established": ("встановлено інвалідність", "disability established"),
        "fact.registry.housing.damaged": ("пошкоджене житло", "damaged housing"),
        "fact.registry.child.enrolled": ("дитина навчається", "child enrolled"),
        "fact.registry.child.in_household": ("дитина в домогосподарстві", "child in the household"),
        "fact.registry.child.special_educational_needs": (
            "особливі освітні потреби дитини",
            "child's special educational needs",
        ),
        "fact.registry.child.status": ("статус дитини", "child's status"),
        "transfer.title": ("Передача випадку", "Case transfer"),
        "transfer.consents": ("Згоди особи на передачу", "The person's consents to a transfer"),
        "transfer.no_consent": (
            "Активної згоди на передачу немає: без неї дані особи не передаються.",
            "There is no active consent to a transfer: without one the person's data does not move.",
        ),
        "transfer.record_consent": ("Записати згоду на передачу", "Record a consent to the transfer"),
        "transfer.to_community": ("Громада, що приймає (код КАТОТТГ)", "Receiving community (KATOTTH code)"),
        "transfer.to_manager": ("Фахівець, що приймає (необов'язково)", "Receiving case manager (optional)"),
        "transfer.to_provider": ("Надавач, що поведе випадок (необов'язково)", "Provider to lead the case (optional)"),
        "transfer.reason": ("Причина передачі", "Reason for the transfer"),
        "transfer.submit": ("Запросити передачу", "Request the transfer"),
        "transfer.requested": (
            "Передачу запитано ({id}); її має прийняти сторона, що приймає.",
            "Transfer requested ({id}); the receiving side has to accept it.",
        ),
        "consent.method": ("Спосіб надання", "How it was given"),
        "consent.document": ("Документ (номер бланка, запит Дія)", "Document (form number, Diia request)"),
        "consent.given_at": ("Дата надання", "Given on"),
        "consent.expires_at": ("Діє до", "Valid until"),
        "consent.categories": ("Категорії даних", "Data categories"),
        "consent.recipient": ("Отримувач", "Recipient"),
        "consent.state": ("Стан", "State"),
        "consent.submit": ("Записати згоду", "Record the consent"),
        "consent.recorded": ("Згоду записано.", "The consent was recorded."),
        "consent.method.1": ("Письмово", "Written"),
        "consent.method.2": ("Усно", "Oral"),
        "consent.method.3": ("В електронному кабінеті", "In the electronic cabinet"),
        "consent.method.4": ("Через Дію", "Through Diia"),
        "consent.state.1": ("Активна", "Active"),
        "consent.state.2": ("Строк минув", "Expired"),
        "consent.state.3": ("Відкликана", "Withdrawn"),
        "contract.title": ("Договір про надання послуги", "Service contract"),
        "contract.service": ("Послуга з плану", "Service of the plan"),
        "contract.no_services": ("У плані ще немає послуг.", "The plan has no services yet."),
        "contract.income": (
            "Середньомісячний дохід на члена сім'ї, грн",
            "Average monthly income per family member, UAH",
        ),
        "contract.subsistence": ("Прожитковий мінімум, грн", "Subsistence minimum, UAH"),
        "contract.tariff": ("Тариф, грн на місяць", "Tariff, UAH per month"),
        "contract.categories": (
            "Додаткові категорії (лише для розрахунку «що буде, якщо»)",
            "Extra categories (what-if calculation only)",
        ),
        "contract.calculate": ("Розрахувати плату", "Calculate the fee"),
        "contract.draft": ("Створити проєкт договору", "Draft the contract"),
        "contract.result": ("Розрахунок плати", "Fee calculation"),
        "contract.free": ("Безоплатно", "Free of charge"),
        "contract.amount": ("Плата, грн на місяць", "Fee, UAH per month"),
        "contract.explanation": ("Пояснення", "Explanation"),
        "contract.rules_version": ("Версія правил", "Rules version"),
        "contract.what_if": (
            "Розрахунок «що буде, якщо»: нічого не збережено.",
            "What-if calculation: nothing was stored.",
        ),
        "contract.stored": ("Проєкт договору збережено ({id}).", "The draft contract was stored ({id})."),
        "contract.existing": ("Договори випадку", "Contracts of the case"),
        "contract.provider": ("Надавач", "Provider"),
        "contract.created": ("Створено", "Created"),
    }
)

nav("/worklist", "nav.worklist", STAFF)
ROLE_HOME.setdefault("case_manager", "/worklist")
ROLE_HOME.setdefault("supervisor", "/worklist")

PAGE_SIZE = 25


def _worklist_request(source) -> tuple[cases_pb2.ListCasesRequest, dict]:
    stage = str(source.get("stage", "") or "")
    community = str(source.get("community", "") or "").strip()
    overdue = str(source.get("overdue", "") or "") in ("1", "on", "true")
    token = str(source.get("page_token", "") or "")
    assigned_to = str(source.get("assigned_to", "") or "").strip()  # supervisors: one team member's list
    request = cases_pb2.ListCasesRequest(
        page_size=PAGE_SIZE, page_token=token, overdue_only=overdue, community_code=community, assigned_to=assigned_to
    )
    if stage and stage.isdigit() and int(stage) in cases_pb2.Stage.values():
        request.stage = int(stage)
    return request, {"stage": request.stage, "community": community, "overdue": overdue, "assigned_to": assigned_to}


@page(roles=STAFF)
async def worklist(request: Request):
    message, filters = _worklist_request(request.query_params)
    reply = await call(request, "cases", "ListCases", message)
    return render(
        request,
        "cm/worklist.html",
        cases=reply.cases,
        next_token=reply.next_page_token,
        filters=filters,
        search="",
        stages=request.app.state.catalogue.entries(cases_pb2.Stage),
        page_token=message.page_token,
        search_errors={},
    )


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
    return render(
        request,
        "cm/worklist.html",
        status_code=400 if errors else 200,
        cases=cases,
        next_token=next_token,
        filters=filters,
        search=search,
        page_token=message.page_token,
        stages=request.app.state.catalogue.entries(cases_pb2.Stage),
        search_errors=errors,
    )


# The lifecycle graph (cases.domain.lifecycle.ALLOWED) as a hint for the buttons offered; the
# service decides and names what is missing (FAILED_PRECONDITION) when a move is not yet possible.
NEXT_STAGES = {
    cases_pb2.STAGE_SCREENING: (cases_pb2.STAGE_ASSESSMENT, cases_pb2.STAGE_CLOSED),
    cases_pb2.STAGE_ASSESSMENT: (cases_pb2.STAGE_PLANNING, cases_pb2.STAGE_CLOSED),
    cases_pb2.STAGE_PLANNING: (cases_pb2.STAGE_IMPLEMENTATION, cases_pb2.STAGE_ASSESSMENT, cases_pb2.STAGE_CLOSED),
    cases_pb2.STAGE_IMPLEMENTATION: (cases_pb2.STAGE_MONITORING, cases_pb2.STAGE_CLOSED),
    cases_pb2.STAGE_MONITORING: (cases_pb2.STAGE_REVIEW, cases_pb2.STAGE_IMPLEMENTATION, cases_pb2.STAGE_CLOSED),
    cases_pb2.STAGE_REVIEW: (
        cases_pb2.STAGE_CLOSED,
        cases_pb2.STAGE_MONITORING,
        cases_pb2.STAGE_IMPLEMENTATION,
        cases_pb2.STAGE_ASSESSMENT,
    ),
    cases_pb2.STAGE_CLOSED: (cases_pb2.STAGE_ASSESSMENT,),
}
REGISTRIES = ("border_guard", "children", "education", "health", "disability", "housing")
SECTIONS = (
    ("", "case.overview"),
    ("/assessment", "section.assessment"),
    ("/scoring", "section.scoring"),
    ("/plan", "section.plan"),
    ("/review", "section.review"),
    ("/registry", "section.registry"),
    ("/history", "section.history"),
    ("/transfer", "section.transfer"),
    ("/contract", "section.contract"),
)


async def load_case(request: Request) -> cases_pb2.Case:
    number = request.path_params["case_number"]
    return await call(request, "cases", "GetCase", cases_pb2.GetCaseRequest(case_number=number))


async def optional(awaitable, *codes: str):
    """A read the page can do without (NOT_FOUND, …): None instead of an error page."""
    try:
        return await awaitable
    except BackendError as exc:
        if exc.code in (codes or ("NOT_FOUND",)):
            return None
        raise


def can_edit(request: Request) -> bool:
    user = request.state.session.user
    return user is not None and user.role in EDITORS


def case_render(request: Request, template: str, case, section: str, status_code: int = 200, **context):
    return render(
        request,
        template,
        status_code=status_code,
        case=case,
        section=section,
        sections=SECTIONS,
        can_edit=can_edit(request),
        **context,
    )


@page(roles=STAFF)
async def case_page(request: Request, errors: dict | None = None, status_code: int = 200):
    case = await load_case(request)
    person, household, appeal = await asyncio.gather(
        optional(call(request, "cases", "GetPerson", cases_pb2.GetPersonRequest(person_id=case.person_id))),
        optional(call(request, "cases", "GetHousehold", cases_pb2.GetHouseholdRequest(case_id=case.case_id))),
        optional(
            call(request, "cases", "GetCaseAppeal", cases_pb2.GetCaseAppealRequest(case_id=case.case_id)),
            "NOT_FOUND",
            "PERMISSION_DENIED",
            "UNAVAILABLE",
        ),
    )
    row, documents = await asyncio.gather(_worklist_row(request, case, person), _documents(request, case))
    if row is not None:  # GetCase carries no deadlines; the worklist row of this case does
        case = cases_pb2.Case()
        case.CopyFrom(row)
    return case_render(
        request,
        "cm/case.html",
        case,
        "",
        status_code=status_code,
        person=person,
        household=household,
        appeal=appeal,
        next_stages=NEXT_STAGES.get(case.stage, ()),
        documents=documents,
        outcomes=request.app.state.catalogue.entries(cases_pb2.Outcome),
        errors=errors or {},
    )


async def _documents(request: Request, case) -> dict:
    """Which printable documents the case has: the Order 1005 act once an assessment was
    approved (the case got past the assessment stage), the plan once one is saved, the
    contracts drafted. Before planning there is nothing to print and nothing is asked."""
    docs = {"assessment": False, "plan": False, "contracts": []}
    if case.stage < cases_pb2.STAGE_PLANNING:
        return docs
    quiet = ("NOT_FOUND", "PERMISSION_DENIED", "FAILED_PRECONDITION", "UNAVAILABLE")
    reads = [
        optional(call(request, "cases", "GetPlan", cases_pb2.GetPlanRequest(case_id=case.case_id)), *quiet),
        optional(call(request, "cases", "ListContracts", cases_pb2.ListContractsRequest(case_id=case.case_id)), *quiet),
    ]
    if case.stage == cases_pb2.STAGE_CLOSED:  # a case may be closed without an assessment
        reads.append(
            optional(
                call(request, "cases", "GetAssessment", cases_pb2.GetAssessmentRequest(case_id=case.case_id)), *quiet
            )
        )
    plan, contracts, *assessment = await asyncio.gather(*reads)
    docs["assessment"] = bool(assessment[0] and assessment[0].version) if assessment else True
    docs["plan"] = bool(plan is not None and plan.version)
    docs["contracts"] = [c for c in (contracts.contracts if contracts else []) if c.contract_id]
    return docs


async def _worklist_row(request: Request, case, person):
    """The case's worklist row (stage due date, next step, overdue steps), found by the
    person's РНОКПП among the caller's cases (a POST-free, audited listing of case numbers)."""
    rnokpp = person.identity.rnokpp if person is not None else ""
    if not rnokpp:
        return None
    reply = await optional(
        call(request, "cases", "ListCases", cases_pb2.ListCasesRequest(search=rnokpp, page_size=50)),
        "NOT_FOUND",
        "INVALID_ARGUMENT",
        "PERMISSION_DENIED",
    )
    return next((c for c in (reply.cases if reply else []) if c.case_id == case.case_id), None)


@page(roles=EDITORS)
async def transition(request: Request):
    form = request.state.form
    case = await load_case(request)
    target = int(form.get("target_stage", "0") or 0) if str(form.get("target_stage", "")).isdigit() else 0
    outcome = int(form.get("outcome", "0") or 0) if str(form.get("outcome", "")).isdigit() else 0
    try:
        moved = await call(
            request,
            "cases",
            "TransitionCase",
            cases_pb2.TransitionCaseRequest(
                case_id=case.case_id,
                target_stage=target,
                expected_version=int(form.get("expected_version", "0") or 0),
                outcome=outcome,
                reason=str(form.get("reason", "")),
            ),
        )
    except BackendError as exc:
        if exc.code not in ("INVALID_ARGUMENT", "FAILED_PRECONDITION", "ABORTED"):
            raise
        errors = errors_at_fields(exc.fields) or {"transition": exc.message}
        errors.setdefault("transition", exc.message)
        return await case_page.__wrapped__(request, errors=errors, status_code=409)
    t = i18n.Translator(request.state.session.lang)
    if moved.closure_requested and moved.stage != cases_pb2.STAGE_CLOSED:
        flash(request, "ok", t("case.closure_asked"))
    else:
        flash(
            request,
            "ok",
            t("case.moved", stage=request.app.state.catalogue.label(cases_pb2.Stage, moved.stage, t.lang)),
        )
    return redirect(f"/cases/{case.case_number}")


@page(roles=STAFF)
async def history(request: Request):
    case = await load_case(request)
    token = str(request.query_params.get("page_token", ""))
    reply = await call(
        request,
        "cases",
        "GetSocialHistory",
        cases_pb2.GetSocialHistoryRequest(person_id=case.person_id, page_size=50, page_token=token),
    )
    return case_render(
        request, "cm/history.html", case, "/history", entries=reply.entries, next_token=reply.next_page_token
    )


async def _registry_context(request: Request, case):
    household, consents = await asyncio.gather(
        optional(call(request, "cases", "GetHousehold", cases_pb2.GetHouseholdRequest(case_id=case.case_id))),
        optional(call(request, "cases", "ListConsents", cases_pb2.ListConsentsRequest(case_id=case.case_id))),
    )
    members = [m for m in (household.members if household else []) if m.rnokpp or m.unzr]
    lookups = [
        c for c in (consents.consents if consents else []) if c.purpose == cases_pb2.CONSENT_PURPOSE_REGISTRY_LOOKUP
    ]
    return {"members": members, "registries": REGISTRIES, "consents": lookups, "today": dt.date.today().isoformat()}


@page(roles=STAFF)
async def registry_form(request: Request):
    case = await load_case(request)
    return case_render(
        request,
        "cm/registry.html",
        case,
        "/registry",
        results=None,
        evidence=None,
        errors={},
        values={},
        **await _registry_context(request, case),
    )


@page(roles=EDITORS)
async def registry_lookup(request: Request):
    """Who is looked up travels as the index of a household member (or the case's person),
    never as an identifier in the form: the BFF reads the РНОКПП / УНЗР from the case."""
    form = request.state.form
    case = await load_case(request)
    context = await _registry_context(request, case)
    who = str(form.get("who", "person"))
    if who == "person":
        person = await call(request, "cases", "GetPerson", cases_pb2.GetPersonRequest(person_id=case.person_id))
        rnokpp, unzr = person.identity.rnokpp, person.identity.unzr
    else:
        members = context["members"]
        if not who.isdigit() or int(who) >= len(members):
            raise PageError(400, "error.title")
        rnokpp, unzr = members[int(who)].rnokpp, members[int(who)].unzr
    chosen = [r for r in form.getlist("registries") if r in REGISTRIES]
    purpose = str(form.get("purpose", "")).strip() or i18n.Translator("uk")("registry.purpose_default")
    try:
        reply = await call(
            request,
            "registry-gateway",
            "LookupPerson",
            registry_pb2.LookupPersonRequest(
                rnokpp=rnokpp, unzr=unzr, case_number=case.case_number, purpose=purpose, registries=chosen
            ),
        )
    except BackendError as exc:
        if exc.code != "INVALID_ARGUMENT":
            raise
        return case_render(
            request,
            "cm/registry.html",
            case,
            "/registry",
            status_code=400,
            results=None,
            evidence=None,
            errors={"lookup": exc.message, **errors_at_fields(exc.fields)},
            values={},
            **context,
        )
    return case_render(
        request,
        "cm/registry.html",
        case,
        "/registry",
        results=reply.results,
        evidence=None,
        errors={},
        values={},
        **context,
    )


@page(roles=STAFF)
async def registry_evidence(request: Request):
    form = request.state.form
    case = await load_case(request)
    evidence = await call(
        request,
        "registry-gateway",
        "GetEvidence",
        registry_pb2.GetEvidenceRequest(query_id=str(form.get("query_id", ""))),
    )
    return case_render(
        request,
        "cm/registry.html",
        case,
        "/registry",
        results=None,
        evidence=evidence,
        errors={},
        values={},
        **await _registry_context(request, case),
    )


async def _transfer_context(request: Request, case):
    consents = await optional(
        call(request, "cases", "ListConsents", cases_pb2.ListConsentsRequest(case_id=case.case_id))
    )
    transfer_consents = [
        c for c in (consents.consents if consents else []) if c.purpose == cases_pb2.CONSENT_PURPOSE_TRANSFER
    ]
    return {
        "consents": transfer_consents,
        "active": [c for c in transfer_consents if c.state == cases_pb2.CONSENT_STATE_ACTIVE],
    }


@page(roles=STAFF)
async def transfer_form(request: Request):
    case = await load_case(request)
    return case_render(
        request,
        "cm/transfer.html",
        case,
        "/transfer",
        errors={},
        values={},
        today=dt.date.today().isoformat(),
        **await _transfer_context(request, case),
    )


def _ts(day: str) -> timestamp_pb2.Timestamp | None:
    try:
        parsed = dt.datetime.strptime(day, "%Y-%m-%d").replace(tzinfo=dt.timezone.utc)
    except ValueError:
        return None
    stamp = timestamp_pb2.Timestamp()
    stamp.FromDatetime(parsed)
    return stamp


CONSENT_FIELDS = ("method", "document", "given_at", "expires_at")
# what a consent covers, by purpose and recipient (ISO/IEC TS 27560 data categories)
CONSENT_CATEGORIES = {
    "transfer": ["identity", "contacts", "family", "case_history"],
    "health": ["identity", "health"],
    "disability": ["identity", "disability"],
}


async def _record_consent(request: Request, case, purpose: int, recipient: str, categories: list[str]):
    """RecordConsent from the consent fields of a form: ``(recorded, values, errors)``."""
    form = request.state.form
    values = {k: str(form.get(k, "")) for k in CONSENT_FIELDS}
    consent = cases_pb2.Consent(
        case_id=case.case_id,
        purpose=purpose,
        recipient=recipient,
        data_categories=categories,
        given_by=cases_pb2.CONSENT_GIVER_PERSON,
        method=int(values["method"]) if values["method"].isdigit() else 0,
        document_reference=values["document"].strip(),
    )
    errors = {}
    for name in ("given_at", "expires_at"):
        stamp = _ts(values[name])
        if stamp is None:
            errors[f"consent-{name}"] = "дата РРРР-ММ-ДД / a YYYY-MM-DD date"
        else:
            getattr(consent, name).CopyFrom(stamp)
    if not errors:
        try:
            await call(request, "cases", "RecordConsent", cases_pb2.RecordConsentRequest(consent=consent))
            flash(request, "ok", i18n.Translator(request.state.session.lang)("consent.recorded"))
            return True, values, {}
        except BackendError as exc:
            if exc.code not in ("INVALID_ARGUMENT", "FAILED_PRECONDITION"):
                raise
            errors = {"consent": exc.message}
            errors.update({f"consent-{k.removeprefix('consent.')}": v for k, v in exc.fields.items()})
    return False, values, errors


@page(roles=EDITORS)
async def transfer_consent(request: Request):
    case = await load_case(request)
    to_community = str(request.state.form.get("to_community", "")).strip()
    recorded, values, errors = await _record_consent(
        request, case, cases_pb2.CONSENT_PURPOSE_TRANSFER, to_community, CONSENT_CATEGORIES["transfer"]
    )
    if recorded:
        return redirect(f"/cases/{case.case_number}/transfer")
    values["to_community"] = to_community
    return case_render(
        request,
        "cm/transfer.html",
        case,
        "/transfer",
        status_code=400,
        errors=errors,
        values=values,
        today=dt.date.today().isoformat(),
        **await _transfer_context(request, case),
    )


@page(roles=EDITORS)
async def registry_consent(request: Request):
    """The person's consent to a health or disability lookup (the gateway asks nothing without one)."""
    case = await load_case(request)
    registry = str(request.state.form.get("registry", ""))
    if registry not in ("health", "disability"):
        raise PageError(400, "error.title")
    recorded, values, errors = await _record_consent(
        request, case, cases_pb2.CONSENT_PURPOSE_REGISTRY_LOOKUP, registry, CONSENT_CATEGORIES[registry]
    )
    if recorded:
        return redirect(f"/cases/{case.case_number}/registry")
    return case_render(
        request,
        "cm/registry.html",
        case,
        "/registry",
        status_code=400,
        results=None,
        evidence=None,
        errors=errors,
        values=values,
        **await _registry_context(request, case),
    )


@page(roles=EDITORS)
async def transfer_request(request: Request):
    form = request.state.form
    case = await load_case(request)
    values = {k: str(form.get(k, "")).strip() for k in ("to_community", "to_manager", "to_provider", "reason")}
    try:
        transfer = await call(
            request,
            "cases",
            "RequestTransfer",
            cases_pb2.RequestTransferRequest(
                case_id=case.case_id,
                to_community_code=values["to_community"],
                to_manager_id=values["to_manager"],
                to_provider=values["to_provider"],
                reason=values["reason"],
                expected_case_version=case.version,
            ),
        )
    except BackendError as exc:
        if exc.code not in ("INVALID_ARGUMENT", "FAILED_PRECONDITION", "ABORTED"):
            raise
        errors = {"transfer": exc.message}
        errors.update({f"transfer-{k}": v for k, v in exc.fields.items()})
        return case_render(
            request,
            "cm/transfer.html",
            case,
            "/transfer",
            status_code=409,
            errors=errors,
            values=values,
            today=dt.date.today().isoformat(),
            **await _transfer_context(request, case),
        )
    flash(request, "ok", i18n.Translator(request.state.session.lang)("transfer.requested", id=transfer.transfer_id))
    return redirect(f"/cases/{case.case_number}/transfer")


async def _contract_context(request: Request, case):
    plan = await optional(
        call(request, "cases", "GetPlan", cases_pb2.GetPlanRequest(case_id=case.case_id)),
        "NOT_FOUND",
        "FAILED_PRECONDITION",
    )
    contracts = await optional(
        call(request, "cases", "ListContracts", cases_pb2.ListContractsRequest(case_id=case.case_id))
    )
    return {
        "services": list(plan.services) if plan else [],
        "contracts": list(contracts.contracts) if contracts else [],
        "categories": request.app.state.catalogue.entries(cases_pb2.FeeCategory),
    }


@page(roles=STAFF)
async def contract_form(request: Request):
    case = await load_case(request)
    return case_render(
        request,
        "cm/contract.html",
        case,
        "/contract",
        result=None,
        errors={},
        values={"subsistence": "3028"},
        **await _contract_context(request, case),
    )


@page(roles=EDITORS)
async def contract_submit(request: Request):
    form = request.state.form
    case = await load_case(request)
    values = {k: str(form.get(k, "")).strip() for k in ("service_id", "income", "subsistence", "tariff")}
    values["categories"] = [int(c) for c in form.getlist("categories") if str(c).isdigit()]
    draft = str(form.get("action", "")) == "draft"
    message = cases_pb2.DraftContractRequest(
        case_id=case.case_id,
        service_id=values["service_id"],
        average_monthly_income=values["income"],
        subsistence_minimum=values["subsistence"],
        tariff=values["tariff"],
        categories=[] if draft else values["categories"],
    )
    try:
        result = await call(request, "cases", "DraftContract" if draft else "CalculateFee", message)
    except BackendError as exc:
        if exc.code not in ("INVALID_ARGUMENT", "FAILED_PRECONDITION"):
            raise
        names = {"average_monthly_income": "income", "subsistence_minimum": "subsistence"}
        errors = {"contract": exc.message}
        errors.update({f"contract-{names.get(k, k.split('[')[0])}": v for k, v in exc.fields.items()})
        return case_render(
            request,
            "cm/contract.html",
            case,
            "/contract",
            status_code=400,
            result=None,
            errors=errors,
            values=values,
            **await _contract_context(request, case),
        )
    if result.stored:
        flash(request, "ok", i18n.Translator(request.state.session.lang)("contract.stored", id=result.contract_id))
    return case_render(
        request,
        "cm/contract.html",
        case,
        "/contract",
        result=result,
        errors={},
        values=values,
        **await _contract_context(request, case),
    )


routes = [
    Route("/worklist", worklist, methods=["GET"]),
    Route("/worklist", worklist_search, methods=["POST"]),
    Route("/cases/{case_number}", case_page, methods=["GET"]),
    Route("/cases/{case_number}/transition", transition, methods=["POST"]),
    Route("/cases/{case_number}/history", history, methods=["GET"]),
    Route("/cases/{case_number}/registry", registry_form, methods=["GET"]),
    Route("/cases/{case_number}/registry", registry_lookup, methods=["POST"]),
    Route("/cases/{case_number}/registry/evidence", registry_evidence, methods=["POST"]),
    Route("/cases/{case_number}/registry/consent", registry_consent, methods=["POST"]),
    Route("/cases/{case_number}/transfer", transfer_form, methods=["GET"]),
    Route("/cases/{case_number}/transfer/consent", transfer_consent, methods=["POST"]),
    Route("/cases/{case_number}/transfer", transfer_request, methods=["POST"]),
    Route("/cases/{case_number}/contract", contract_form, methods=["GET"]),
    Route("/cases/{case_number}/contract", contract_submit, methods=["POST"]),
]
