"""The case manager's forms: the Order 1005 needs assessment (family table, seven domains
with need levels 0–3 and strengths, each child's needs), the scoring result with its
explanations, the individual plan (goals, steps with who and by when, services) and the
review. A service's field violations are shown at their fields."""

from __future__ import annotations

import asyncio
import datetime as dt

from starlette.requests import Request
from starlette.routing import Route

from ekm.cases.v1 import cases_pb2
from ekm_web import i18n
from ekm_web.backend import BackendError
from ekm_web.forms import errors_at_fields, rows
from ekm_web.pages import STAFF, call, flash, page, redirect
from ekm_web.pages.case_manager import EDITORS, case_render, load_case, optional

DOMAINS = ("health", "disability", "mental_health", "self_care", "employment", "social_contacts", "housing")
FAMILY_FIELDS = (
    "full_name",
    "birth_date",
    "relation",
    "legal_capacity",
    "disability",
    "work_or_study",
    "registration",
    "phone",
    "rnokpp",
    "unzr",
)
CHILD_FIELDS = ("child_ref", "need_level", "strengths", "notes")
GOAL_FIELDS = ("goal_id", "need_domain", "description")
STEP_FIELDS = ("step_id", "goal_id", "what", "responsible_kind", "responsible_ref", "due_on", "status")
SERVICE_FIELDS = ("service_id", "service_type", "provider", "frequency")
STEP_STATUSES = ("planned", "in_progress", "done", "cancelled")
BLANK_ROWS = 2

i18n.register(
    {
        "assessment.title": ("Акт оцінювання потреб (наказ № 1005)", "Act of needs assessment (Order No. 1005)"),
        "assessment.version": ("Версія {v}, стан: {status}", "Version {v}, status: {status}"),
        "assessment.new": ("Нова оцінка (ще не збережено)", "New assessment (not saved yet)"),
        "assessment.dates": ("Дати оцінювання", "Assessment dates"),
        "assessment.started_on": ("Дата початку", "Started on"),
        "assessment.ended_on": ("Дата завершення", "Ended on"),
        "assessment.specialist": ("Фахівець, що проводить оцінку", "Specialist carrying out the assessment"),
        "assessment.family": ("Склад сім'ї / домогосподарства", "Family / household members"),
        "assessment.family_caption": (
            "Члени сім'ї; порожні рядки не зберігаються",
            "Family members; blank rows are not saved",
        ),
        "assessment.row": ("Рядок {n}", "Row {n}"),
        "assessment.full_name": ("ПІБ", "Full name"),
        "assessment.birth_date": ("Дата народження", "Date of birth"),
        "assessment.relation": ("Родинний зв'язок", "Relation"),
        "assessment.legal_capacity": ("Дієздатність", "Legal capacity"),
        "assessment.disability": ("Інвалідність", "Disability"),
        "assessment.work_or_study": ("Робота / навчання", "Work / study"),
        "assessment.registration": ("Місце реєстрації", "Registered at"),
        "assessment.phone": ("Телефон", "Phone"),
        "assessment.rnokpp": ("РНОКПП", "RNOKPP"),
        "assessment.unzr": ("УНЗР", "UNZR"),
        "assessment.choose": ("— оберіть —", "— choose —"),
        "assessment.domains": (
            "Сфери життєдіяльності: рівень потреби та сильні сторони",
            "Areas of life: level of need and strengths",
        ),
        "assessment.need_level": ("Рівень потреби", "Level of need"),
        "assessment.not_assessed": ("— не оцінено —", "— not assessed —"),
        "assessment.strengths": ("Сильні сторони", "Strengths"),
        "assessment.notes": ("Примітки", "Notes"),
        "assessment.children": ("Потреби дітей", "Children's needs"),
        "assessment.child_ref": ("Дитина (ПІБ як у складі сім'ї)", "Child (full name as in the family table)"),
        "assessment.submit_for_approval": (
            "Подати супервізору на затвердження",
            "Submit to the supervisor for approval",
        ),
        "assessment.save": ("Зберегти оцінку", "Save the assessment"),
        "assessment.saved": ("Оцінку збережено: версія {v}.", "The assessment was saved: version {v}."),
        "assessment.update_household": (
            "Записати цей склад сім'ї як домогосподарство випадку",
            "Record this family table as the case's household",
        ),
        "assessment.household_address": ("Адреса домогосподарства", "Household address"),
        "assessment.household_saved": ("Склад домогосподарства оновлено.", "The household was updated."),
        "assessment.contributions": ("Внески інших установ", "Other agencies' contributions"),
        "level.0": ("0 — потреби немає", "0 — no need"),
        "level.1": ("1 — незначна", "1 — minor"),
        "level.2": ("2 — помірна", "2 — moderate"),
        "level.3": ("3 — значна (гостра)", "3 — significant (acute)"),
        "domain.health": ("Здоров'я", "Health"),
        "domain.disability": ("Інвалідність", "Disability"),
        "domain.mental_health": ("Психічне здоров'я", "Mental health"),
        "domain.self_care": ("Самообслуговування", "Self-care"),
        "domain.employment": ("Зайнятість", "Employment"),
        "domain.social_contacts": ("Соціальні контакти та сімейні стосунки", "Social contacts and family relations"),
        "domain.housing": ("Житлові умови", "Housing"),
        "domain.children": ("Потреби дітей", "Children's needs"),
        "status.draft": ("чернетка", "draft"),
        "status.submitted": ("подано на затвердження", "submitted for approval"),
        "status.approved": ("затверджено", "approved"),
        "scoring.title": ("Результат оцінювання", "Scoring result"),
        "scoring.complexity": ("Складність випадку", "Complexity of the case"),
        "scoring.long_term": ("Потрібне тривале ведення випадку", "Long-term case management needed"),
        "scoring.recommendations": ("Рекомендовані послуги", "Recommended services"),
        "scoring.because": ("Чому", "Because"),
        "scoring.explanation": ("Пояснення", "Explanation"),
        "scoring.rules": ("Версія правил: {v}", "Rules version: {v}"),
        "scoring.unavailable": ("Результату ще немає", "No result yet"),
        "complexity.low": ("низька", "low"),
        "complexity.medium": ("середня", "medium"),
        "complexity.high": ("висока", "high"),
        "plan.title": ("Індивідуальний план", "Individual plan"),
        "plan.version": ("Версія {v}", "Version {v}"),
        "plan.new": ("Новий план (ще не збережено)", "New plan (not saved yet)"),
        "plan.approved_by": ("Затвердив: {who}", "Approved by: {who}"),
        "plan.agreed": ("Погоджено особою {at} ({channel})", "Agreed by the person {at} ({channel})"),
        "plan.goals": ("Цілі", "Goals"),
        "plan.goal": ("Мета {n}", "Goal {n}"),
        "plan.need_domain": ("Потреба", "Need"),
        "plan.description": ("Опис мети", "Goal"),
        "plan.steps": ("Кроки", "Steps"),
        "plan.step_goal": ("До мети", "For goal"),
        "plan.what": ("Що зробити", "What to do"),
        "plan.who": ("Хто", "Who"),
        "plan.who_ref": ("Хто саме (ПІБ, установа)", "Who exactly (name, agency)"),
        "plan.due_on": ("До якої дати", "By when"),
        "plan.status": ("Стан", "Status"),
        "plan.services": ("Послуги", "Services"),
        "plan.service_type": ("Послуга", "Service"),
        "plan.provider": ("Надавач", "Provider"),
        "plan.frequency": ("Періодичність", "Frequency"),
        "plan.save": ("Зберегти план", "Save the plan"),
        "plan.saved": ("План збережено: версія {v}.", "The plan was saved: version {v}."),
        "plan.agree_in_person": ("Особа погодила план особисто", "The person agreed to the plan in person"),
        "plan.agreed_now": ("Погодження особи записано.", "The person's agreement was recorded."),
        "step.planned": ("заплановано", "planned"),
        "step.in_progress": ("виконується", "in progress"),
        "step.done": ("виконано", "done"),
        "step.cancelled": ("скасовано", "cancelled"),
        "review.title": ("Перегляд випадку", "Case review"),
        "review.held_on": ("Дата перегляду", "Held on"),
        "review.services_relevant": ("Послуги відповідають потребам", "The services meet the needs"),
        "review.goal_results": ("Результат за кожною метою", "Result for each goal"),
        "review.impact": ("Вплив на життя особи / сім'ї", "Impact on the person's / family's life"),
        "review.reassessment": ("Потрібна повторна оцінка потреб", "A new needs assessment is needed"),
        "review.save": ("Записати перегляд", "Record the review"),
        "review.saved": ("Перегляд записано.", "The review was recorded."),
        "review.no_plan": ("Немає плану для перегляду.", "There is no plan to review."),
    }
)


# --- the needs assessment ------------------------------------------------------------------


def _family_from(members) -> list[dict]:
    return [
        {
            "full_name": m.full_name,
            "birth_date": m.birth_date,
            "relation": str(m.relation or ""),
            "legal_capacity": str(m.legal_capacity or ""),
            "disability": m.disability,
            "work_or_study": m.work_or_study,
            "registration": m.registration,
            "phone": m.phone,
            "rnokpp": m.rnokpp,
            "unzr": m.unzr,
        }
        for m in members
    ]


def _values_from(assessment, household, person, user_id: str) -> dict:
    today = dt.date.today().isoformat()
    if assessment is not None:
        family = _family_from(assessment.family)
        domains = {
            d.domain: {"need_level": str(d.need_level), "strengths": d.strengths, "notes": d.notes}
            for d in assessment.domains
        }
        children = [
            {"child_ref": c.child_ref, "need_level": str(c.need_level), "strengths": c.strengths, "notes": c.notes}
            for c in assessment.children
        ]
        head = {
            "started_on": assessment.started_on or today,
            "ended_on": assessment.ended_on,
            "specialist_id": assessment.specialist_id or user_id,
        }
    else:
        family = _family_from(household.members) if household and household.members else []
        if not family and person is not None:
            ident = person.identity
            family = [
                {
                    "full_name": " ".join(p for p in (ident.last_name, ident.first_name, ident.patronymic) if p),
                    "birth_date": ident.birth_date,
                    "relation": str(cases_pb2.RELATION_SELF),
                    "legal_capacity": "",
                    "disability": "",
                    "work_or_study": "",
                    "registration": "",
                    "phone": person.phone,
                    "rnokpp": ident.rnokpp,
                    "unzr": ident.unzr,
                }
            ]
        domains, children = {}, []
        head = {"started_on": today, "ended_on": "", "specialist_id": user_id}
    return {
        **head,
        "family": family,
        "domains": domains,
        "children": children,
        "household_address": household.address if household else "",
        "update_household": True,
    }


def _values_from_form(form) -> dict:
    family = [(i, v) for i, v in rows(form, "family", FAMILY_FIELDS)]
    children = [(i, v) for i, v in rows(form, "children", CHILD_FIELDS)]
    domains = {
        d: {
            "need_level": str(form.get(f"domains-{d}-need_level", "")),
            "strengths": str(form.get(f"domains-{d}-strengths", "")),
            "notes": str(form.get(f"domains-{d}-notes", "")),
        }
        for d in DOMAINS
    }
    return {
        "started_on": str(form.get("started_on", "")).strip(),
        "ended_on": str(form.get("ended_on", "")).strip(),
        "specialist_id": str(form.get("specialist_id", "")).strip(),
        "family_rows": family,
        "children_rows": children,
        "domains": domains,
        "submit": form.get("submit") == "1",
        "household_address": str(form.get("household_address", "")),
        "update_household": form.get("update_household") == "1",
    }


def _int(text: str, default: int = 0) -> int:
    try:
        return int(text)
    except (TypeError, ValueError):
        return default


def assessment_message(case_id: str, values: dict) -> tuple[cases_pb2.Assessment, dict]:
    """The Assessment to save, and for each repeated field the form row of each request item."""
    message = cases_pb2.Assessment(
        case_id=case_id,
        started_on=values["started_on"],
        ended_on=values["ended_on"],
        specialist_id=values["specialist_id"],
    )
    for _, v in values["family_rows"]:
        message.family.add(
            full_name=v["full_name"],
            birth_date=v["birth_date"],
            relation=_int(v["relation"]),
            legal_capacity=_int(v["legal_capacity"]),
            disability=v["disability"],
            work_or_study=v["work_or_study"],
            registration=v["registration"],
            phone=v["phone"],
            rnokpp=v["rnokpp"],
            unzr=v["unzr"],
        )
    domain_rows = []
    for d in DOMAINS:
        entry = values["domains"][d]
        if entry["need_level"] == "" and not entry["strengths"].strip() and not entry["notes"].strip():
            continue
        message.domains.add(
            domain=d, need_level=_int(entry["need_level"], -1), strengths=entry["strengths"], notes=entry["notes"]
        )
        domain_rows.append(d)
    for _, v in values["children_rows"]:
        message.children.add(
            child_ref=v["child_ref"], need_level=_int(v["need_level"], -1), strengths=v["strengths"], notes=v["notes"]
        )
    row_of = {"family": [i for i, _ in values["family_rows"]], "children": [i for i, _ in values["children_rows"]]}
    return message, {"row_of": row_of, "domain_rows": domain_rows}


def _assessment_errors(fields: dict, maps: dict) -> dict:
    errors = {}
    for path, text in fields.items():
        path = path.removeprefix("assessment.")
        if path.startswith("domains[") and "]" in path:  # domains[i].x -> the domain's need level
            i = _int(path[len("domains[") : path.index("]")], -1)
            if 0 <= i < len(maps["domain_rows"]):
                path = f"domains.{maps['domain_rows'][i]}.need_level"
        errors.update(errors_at_fields({path: text}, maps["row_of"]))
    return errors


def _as_rows(items: list[dict], blank: int) -> list[tuple[int, dict]]:
    return list(enumerate(items)) + [(len(items) + k, {}) for k in range(blank)]


async def _assessment_page(request, case, values, assessment=None, errors=None, status_code=200):
    catalogue = request.app.state.catalogue
    if "family_rows" not in values:
        values["family_rows"] = _as_rows(values.pop("family"), BLANK_ROWS)
        values["children_rows"] = _as_rows(values.pop("children"), BLANK_ROWS)
    else:  # re-shown after an error: the rows as sent, plus blank ones after them
        last = max([i for i, _ in values["family_rows"]], default=-1)
        values["family_rows"] = values["family_rows"] + [(last + 1 + k, {}) for k in range(BLANK_ROWS)]
        last = max([i for i, _ in values["children_rows"]], default=-1)
        values["children_rows"] = values["children_rows"] + [(last + 1 + k, {}) for k in range(BLANK_ROWS)]
    errors = errors or {}
    known = {
        f"{p}-{i}-{f}"
        for p, fs, rs in (
            ("family", FAMILY_FIELDS, values["family_rows"]),
            ("children", CHILD_FIELDS, values["children_rows"]),
        )
        for i, _ in rs
        for f in fs
    }
    known |= {f"domains-{d}-{f}" for d in DOMAINS for f in ("need_level", "strengths", "notes")}
    known |= {"started_on", "ended_on", "specialist_id", "family", "domains", "children", "household_address"}
    return case_render(
        request,
        "cm/assessment.html",
        case,
        "/assessment",
        status_code=status_code,
        assessment=assessment,
        values=values,
        errors=errors,
        known=known,
        domains=DOMAINS,
        relations=catalogue.entries(cases_pb2.Relation),
        capacities=catalogue.entries(cases_pb2.LegalCapacity),
    )


@page(roles=STAFF)
async def assessment_form(request: Request):
    case = await load_case(request)
    assessment, household, person = await asyncio.gather(
        optional(call(request, "cases", "GetAssessment", cases_pb2.GetAssessmentRequest(case_id=case.case_id))),
        optional(call(request, "cases", "GetHousehold", cases_pb2.GetHouseholdRequest(case_id=case.case_id))),
        optional(call(request, "cases", "GetPerson", cases_pb2.GetPersonRequest(person_id=case.person_id))),
    )
    values = _values_from(assessment, household, person, request.state.session.user.user_id)
    return await _assessment_page(request, case, values, assessment)


@page(roles=EDITORS)
async def assessment_save(request: Request):
    form = request.state.form
    case = await load_case(request)
    values = _values_from_form(form)
    message, maps = assessment_message(case.case_id, values)
    try:
        saved = await call(
            request,
            "cases",
            "SaveAssessment",
            cases_pb2.SaveAssessmentRequest(
                assessment=message,
                expected_case_version=_int(str(form.get("expected_case_version", "")), case.version),
                submit=values["submit"],
            ),
        )
    except BackendError as exc:
        if exc.code not in ("INVALID_ARGUMENT", "FAILED_PRECONDITION", "ABORTED"):
            raise
        errors = _assessment_errors(exc.fields, maps) if exc.fields else {"form": exc.message}
        current = await optional(
            call(request, "cases", "GetAssessment", cases_pb2.GetAssessmentRequest(case_id=case.case_id))
        )
        return await _assessment_page(request, case, values, current, errors, status_code=400)
    t = i18n.Translator(request.state.session.lang)
    saved_text = t("assessment.saved", v=saved.version)
    if form.get("update_household") == "1" and len(message.family):
        # the household is the act's family table (Order 1005): kept in step when the manager asks
        try:
            await call(
                request,
                "cases",
                "SaveHousehold",
                cases_pb2.SaveHouseholdRequest(
                    household=cases_pb2.Household(
                        case_id=case.case_id,
                        address=str(form.get("household_address", "")).strip(),
                        members=list(message.family),
                    )
                ),
            )
            saved_text += " " + t("assessment.household_saved")
        except BackendError as exc:
            if exc.code not in ("INVALID_ARGUMENT", "FAILED_PRECONDITION"):
                raise
            flash(request, "error", exc.message)
    flash(request, "ok", saved_text)  # one message: pages and tests find it as .flash-ok
    return redirect(f"/cases/{case.case_number}/assessment")


# --- scoring -------------------------------------------------------------------------------


@page(roles=STAFF)
async def scoring(request: Request):
    case = await load_case(request)
    try:
        result = await call(request, "cases", "ScoreAssessment", cases_pb2.ScoreAssessmentRequest(case_id=case.case_id))
        problem = ""
    except BackendError as exc:
        if exc.code not in ("FAILED_PRECONDITION", "NOT_FOUND"):
            raise
        result, problem = None, exc.message
    return case_render(request, "cm/scoring.html", case, "/scoring", result=result, problem=problem)


# --- the plan ------------------------------------------------------------------------------


def _plan_values(plan) -> dict:
    if plan is None:
        return {"goals": [], "steps": [], "services": []}
    return {
        "goals": [
            {"goal_id": g.goal_id, "need_domain": g.need_domain, "description": g.description} for g in plan.goals
        ],
        "steps": [
            {
                "step_id": s.step_id,
                "goal_id": s.goal_id,
                "what": s.what,
                "responsible_kind": str(s.responsible_kind or ""),
                "responsible_ref": s.responsible_ref,
                "due_on": s.due_on,
                "status": s.status,
            }
            for s in plan.steps
        ],
        "services": [
            {
                "service_id": s.service_id,
                "service_type": str(s.service_type or ""),
                "provider": s.provider,
                "frequency": s.frequency,
            }
            for s in plan.services
        ],
    }


def _plan_rows(values: dict) -> dict:
    out = {}
    for name in ("goals", "steps", "services"):
        items = values[name]
        if items and isinstance(items[0], tuple):
            last = max(i for i, _ in items)
            out[name] = items + [(last + 1 + k, {}) for k in range(BLANK_ROWS)]
        else:
            out[name] = _as_rows(items, BLANK_ROWS)
    # every goal row has an id (kept, or g<n> for a new one) so a step can name it
    for _i, goal in out["goals"]:
        goal.setdefault("goal_id", "")
    return out


def plan_message(case_id: str, form) -> tuple[cases_pb2.Plan, dict, dict]:
    goals = rows(form, "goals", GOAL_FIELDS)
    # a row whose only content is its (hidden) id is blank
    goals = [(i, v) for i, v in goals if v["need_domain"] or v["description"]]
    steps = [(i, v) for i, v in rows(form, "steps", STEP_FIELDS) if v["what"] or v["due_on"] or v["responsible_ref"]]
    services = [(i, v) for i, v in rows(form, "services", SERVICE_FIELDS) if v["service_type"] or v["provider"]]
    message = cases_pb2.Plan(case_id=case_id)
    for i, v in goals:
        v["goal_id"] = v["goal_id"] or f"g{i + 1}"
        message.goals.add(goal_id=v["goal_id"], need_domain=v["need_domain"], description=v["description"])
    for i, v in steps:
        v["step_id"] = v["step_id"] or f"s{i + 1}"
        message.steps.add(
            step_id=v["step_id"],
            goal_id=v["goal_id"],
            what=v["what"],
            responsible_kind=_int(v["responsible_kind"]),
            responsible_ref=v["responsible_ref"],
            due_on=v["due_on"],
            status=v["status"] or "planned",
        )
    for i, v in services:
        v["service_id"] = v["service_id"] or f"sv{i + 1}"
        message.services.add(
            service_id=v["service_id"],
            service_type=_int(v["service_type"]),
            provider=v["provider"],
            frequency=v["frequency"],
        )
    row_of = {"goals": [i for i, _ in goals], "steps": [i for i, _ in steps], "services": [i for i, _ in services]}
    return message, row_of, {"goals": goals, "steps": steps, "services": services}


async def _plan_page(request, case, plan, values, errors=None, status_code=200):
    catalogue = request.app.state.catalogue
    shown = _plan_rows(values)
    known = {
        f"{p}-{i}-{f}"
        for p, fs in (("goals", GOAL_FIELDS), ("steps", STEP_FIELDS), ("services", SERVICE_FIELDS))
        for i, _ in shown[p]
        for f in fs
    } | {"goals", "steps", "services"}
    return case_render(
        request,
        "cm/plan.html",
        case,
        "/plan",
        status_code=status_code,
        plan=plan,
        rows=shown,
        errors=errors or {},
        known=known,
        need_domains=DOMAINS + ("children",),
        kinds=catalogue.entries(cases_pb2.ResponsibleKind),
        service_types=catalogue.entries(cases_pb2.ServiceType),
        statuses=STEP_STATUSES,
    )


@page(roles=STAFF)
async def plan_form(request: Request):
    case = await load_case(request)
    plan = await optional(
        call(request, "cases", "GetPlan", cases_pb2.GetPlanRequest(case_id=case.case_id)),
        "NOT_FOUND",
        "FAILED_PRECONDITION",
    )
    return await _plan_page(request, case, plan, _plan_values(plan))


@page(roles=EDITORS)
async def plan_save(request: Request):
    form = request.state.form
    case = await load_case(request)
    message, row_of, sent = plan_message(case.case_id, form)
    try:
        saved = await call(
            request,
            "cases",
            "SavePlan",
            cases_pb2.SavePlanRequest(
                plan=message, expected_case_version=_int(str(form.get("expected_case_version", "")), case.version)
            ),
        )
    except BackendError as exc:
        if exc.code not in ("INVALID_ARGUMENT", "FAILED_PRECONDITION", "ABORTED"):
            raise
        errors = {}
        for path, text in exc.fields.items():
            errors.update(errors_at_fields({path.removeprefix("plan."): text}, row_of))
        if not errors:
            errors = {"form": exc.message}
        plan = await optional(
            call(request, "cases", "GetPlan", cases_pb2.GetPlanRequest(case_id=case.case_id)),
            "NOT_FOUND",
            "FAILED_PRECONDITION",
        )
        return await _plan_page(request, case, plan, sent, errors, status_code=400)
    flash(request, "ok", i18n.Translator(request.state.session.lang)("plan.saved", v=saved.version))
    return redirect(f"/cases/{case.case_number}/plan")


@page(roles=EDITORS)
async def plan_agree(request: Request):
    case = await load_case(request)
    version = _int(str(request.state.form.get("version", "")))
    await call(
        request,
        "cases",
        "AgreePlan",
        cases_pb2.AgreePlanRequest(case_id=case.case_id, version=version, channel="in_person"),
    )
    flash(request, "ok", i18n.Translator(request.state.session.lang)("plan.agreed_now"))
    return redirect(f"/cases/{case.case_number}/plan")


# --- the review ----------------------------------------------------------------------------


@page(roles=STAFF)
async def review_form(request: Request):
    case = await load_case(request)
    plan = await optional(
        call(request, "cases", "GetPlan", cases_pb2.GetPlanRequest(case_id=case.case_id)),
        "NOT_FOUND",
        "FAILED_PRECONDITION",
    )
    return _review_page(
        request,
        case,
        plan,
        {
            "held_on": dt.date.today().isoformat(),
            "services_relevant": True,
            "results": {},
            "impact": "",
            "reassessment": False,
        },
    )


def _review_page(request, case, plan, values, errors=None, status_code=200):
    return case_render(
        request,
        "cm/review.html",
        case,
        "/review",
        status_code=status_code,
        plan=plan,
        values=values,
        errors=errors or {},
        results=request.app.state.catalogue.entries(cases_pb2.GoalResult),
    )


@page(roles=EDITORS)
async def review_save(request: Request):
    form = request.state.form
    case = await load_case(request)
    plan = await optional(
        call(request, "cases", "GetPlan", cases_pb2.GetPlanRequest(case_id=case.case_id)),
        "NOT_FOUND",
        "FAILED_PRECONDITION",
    )
    goal_ids = [g.goal_id for g in plan.goals] if plan else []
    values = {
        "held_on": str(form.get("held_on", "")).strip(),
        "services_relevant": form.get("services_relevant") == "1",
        "results": {g: str(form.get(f"goal_results-{g}", "")) for g in goal_ids},
        "impact": str(form.get("impact", "")),
        "reassessment": form.get("reassessment") == "1",
    }
    review = cases_pb2.Review(
        case_id=case.case_id,
        held_on=values["held_on"],
        services_relevant=values["services_relevant"],
        impact=values["impact"],
        reassessment_needed=values["reassessment"],
    )
    for goal_id, result in values["results"].items():
        if _int(result):
            review.goal_results[goal_id] = _int(result)
    try:
        await call(
            request,
            "cases",
            "RecordReview",
            cases_pb2.RecordReviewRequest(
                review=review, expected_case_version=_int(str(form.get("expected_case_version", "")), case.version)
            ),
        )
    except BackendError as exc:
        if exc.code not in ("INVALID_ARGUMENT", "FAILED_PRECONDITION", "ABORTED"):
            raise
        errors = {}
        for path, text in exc.fields.items():
            errors[path.removeprefix("review.").replace(".", "-")] = text
        errors = errors or {"form": exc.message}
        return _review_page(request, case, plan, values, errors, status_code=400)
    flash(request, "ok", i18n.Translator(request.state.session.lang)("review.saved"))
    return redirect(f"/cases/{case.case_number}")


routes = [
    Route("/cases/{case_number}/assessment", assessment_form, methods=["GET"]),
    Route("/cases/{case_number}/assessment", assessment_save, methods=["POST"]),
    Route("/cases/{case_number}/scoring", scoring, methods=["GET"]),
    Route("/cases/{case_number}/plan", plan_form, methods=["GET"]),
    Route("/cases/{case_number}/plan", plan_save, methods=["POST"]),
    Route("/cases/{case_number}/plan/agree", plan_agree, methods=["POST"]),
    Route("/cases/{case_number}/review", review_form, methods=["GET"]),
    Route("/cases/{case_number}/review", review_save, methods=["POST"]),
]
