"""The supervisor's pages: the approval queue (assessments, plans, closures: approve or return
with a reason), workload by case manager and community, and quality KPIs with charts drawn
on the server as SVG (no script, no CDN). Only the supervisor role reaches them."""

from __future__ import annotations

from starlette.requests import Request
from starlette.routing import Route

from ekm.cases.v1 import cases_pb2
from ekm_web import i18n
from ekm_web.backend import BackendError
from ekm_web.charts import bar_chart
from ekm_web.pages import ROLE_HOME, PageError, call, flash, nav, page, redirect, render

SUPERVISOR = ("supervisor",)
APPROVALS = ("assessment_approval", "plan_approval", "closure_approval")

i18n.register(
    {
        "nav.supervision": ("Черга погодження", "Approval queue"),
        "nav.workload": ("Навантаження", "Workload"),
        "nav.kpis": ("Показники якості", "Quality KPIs"),
        "sv.queue.title": ("Черга погодження", "Approval queue"),
        "sv.queue.approvals": ("Чекають на затвердження", "Awaiting approval"),
        "sv.queue.other": ("Потребують уваги", "Need attention"),
        "sv.queue.empty": ("Нічого не чекає на затвердження.", "Nothing awaits approval."),
        "sv.queue.other_empty": ("Нерозподілених і прострочених випадків немає.", "No unassigned or overdue cases."),
        "sv.kind.assessment_approval": ("Оцінка потреб", "Needs assessment"),
        "sv.kind.plan_approval": ("Індивідуальний план", "Individual plan"),
        "sv.kind.closure_approval": ("Закриття випадку", "Case closure"),
        "sv.kind.unassigned_case": ("Нерозподілений випадок", "Unassigned case"),
        "sv.kind.overdue_case": ("Прострочений випадок", "Overdue case"),
        "sv.col.kind": ("Що", "What"),
        "sv.col.case": ("Випадок", "Case"),
        "sv.col.detail": ("Подробиці", "Details"),
        "sv.col.since": ("З", "Since"),
        "sv.col.decision": ("Рішення", "Decision"),
        "sv.approve": ("Затвердити", "Approve"),
        "sv.return": ("Повернути на доопрацювання", "Return for rework"),
        "sv.reason": ("Причина повернення", "Reason for returning"),
        "sv.reason_hint": (
            "Обов'язкова, якщо повертаєте; її побачить фахівець.",
            "Required when returning; the case manager will see it.",
        ),
        "sv.approved": ("Затверджено: {case}.", "Approved: {case}."),
        "sv.returned": ("Повернуто на доопрацювання: {case}.", "Returned for rework: {case}."),
        "sv.reason_required": ("Вкажіть причину повернення.", "Give the reason for returning."),
        "sv.act_pdf": ("Акт оцінки (PDF)", "Assessment act (PDF)"),
        "sv.plan_pdf": ("План (PDF)", "Plan (PDF)"),
        "sv.workload.title": ("Навантаження фахівців", "Case managers' workload"),
        "sv.workload.by_manager": ("За фахівцями", "By case manager"),
        "sv.workload.by_community": ("За громадами", "By community"),
        "sv.workload.manager": ("Фахівець", "Case manager"),
        "sv.workload.community": ("Громада", "Community"),
        "sv.workload.open": ("Відкритих випадків", "Open cases"),
        "sv.workload.weighted": ("Зважене навантаження", "Weighted load"),
        "sv.workload.capacity": ("Спроможність", "Capacity"),
        "sv.workload.managers": ("Фахівців", "Case managers"),
        "sv.workload.chart": (
            "Зважене навантаження і спроможність за фахівцями",
            "Weighted load and capacity by case manager",
        ),
        "sv.workload.empty": ("Фахівців не знайдено.", "No case managers found."),
        "sv.kpis.title": ("Показники якості", "Quality KPIs"),
        "sv.kpis.open": ("Відкритих випадків", "Open cases"),
        "sv.kpis.caseload": ("Випадків на фахівця", "Cases per case manager"),
        "sv.kpis.overdue_cases": ("Прострочених випадків", "Overdue cases"),
        "sv.kpis.overdue_steps": ("Прострочених кроків плану", "Overdue plan steps"),
        "sv.kpis.days": ("Тривалість етапів, днів", "Time to each milestone, days"),
        "sv.kpis.days_to_assessment": ("До затвердженої оцінки", "To an approved assessment"),
        "sv.kpis.days_to_plan": ("До погодженого плану", "To an agreed plan"),
        "sv.kpis.days_to_closure": ("До закриття", "To closure"),
        "sv.kpis.outcomes": ("Результати закритих випадків", "Outcomes of closed cases"),
        "sv.kpis.no_outcomes": ("Закритих випадків ще немає.", "No closed cases yet."),
        "sv.kpis.rating": ("Оцінка послуг отримувачами", "Recipients' rating of services"),
        "sv.kpis.rating_value": ("{avg} з 5 (оцінок: {n})", "{avg} of 5 (ratings: {n})"),
        "sv.kpis.community": (
            "Громада (код КАТОТТГ; порожньо — ваша команда)",
            "Community (KATOTTH code; empty: your team)",
        ),
        "sv.kpis.show": ("Показати", "Show"),
        "sv.kpis.table": ("Дані діаграми", "Chart data"),
    }
)

nav("/supervision", "nav.supervision", SUPERVISOR)
nav("/supervision/workload", "nav.workload", SUPERVISOR)
nav("/supervision/kpis", "nav.kpis", SUPERVISOR)
ROLE_HOME["supervisor"] = "/supervision"


@page(roles=SUPERVISOR)
async def queue(request: Request):
    reply = await call(request, "cases", "GetSupervisionQueue", cases_pb2.GetSupervisionQueueRequest())
    approvals = [i for i in reply.items if i.kind in APPROVALS]
    other = [i for i in reply.items if i.kind not in APPROVALS]
    return render(request, "supervisor/queue.html", approvals=approvals, other=other, errors={})


@page(roles=SUPERVISOR)
async def decide(request: Request):
    """Approve or return one queue item. The item is looked up again in the supervisor's own
    queue (so a forged form cannot approve what is not waiting for this supervisor)."""
    form = request.state.form
    case_id, kind = str(form.get("case_id", "")), str(form.get("kind", ""))
    decision = str(form.get("decision", ""))
    reason = str(form.get("reason", "")).strip()
    if kind not in APPROVALS or decision not in ("approve", "return"):
        raise PageError(400, "error.title")
    reply = await call(request, "cases", "GetSupervisionQueue", cases_pb2.GetSupervisionQueueRequest())
    item = next((i for i in reply.items if i.case_id == case_id and i.kind == kind), None)
    if item is None:
        raise PageError(404, "error.404", "error.404.text")
    if decision == "return" and not reason:
        approvals = [i for i in reply.items if i.kind in APPROVALS]
        other = [i for i in reply.items if i.kind not in APPROVALS]
        return render(
            request,
            "supervisor/queue.html",
            status_code=400,
            approvals=approvals,
            other=other,
            errors={(case_id, kind): "sv.reason_required"},
        )
    try:
        if decision == "return":
            await call(
                request,
                "cases",
                "ReturnForRework",
                cases_pb2.ReturnForReworkRequest(case_id=case_id, kind=kind, reason=reason),
            )
            flash(request, "ok", i18n.Translator(request.state.session.lang)("sv.returned", case=item.case_number))
        else:
            if kind == "assessment_approval":
                await call(request, "cases", "ApproveAssessment", cases_pb2.ApproveAssessmentRequest(case_id=case_id))
            elif kind == "plan_approval":
                await call(request, "cases", "ApprovePlan", cases_pb2.ApprovePlanRequest(case_id=case_id))
            else:
                case = await call(
                    request,
                    "cases",
                    "GetCase",
                    cases_pb2.GetCaseRequest(case_id=case_id, purpose="затвердження закриття"),
                )
                await call(
                    request,
                    "cases",
                    "ApproveClosure",
                    cases_pb2.ApproveClosureRequest(case_id=case_id, expected_version=case.version),
                )
            flash(request, "ok", i18n.Translator(request.state.session.lang)("sv.approved", case=item.case_number))
    except BackendError as exc:
        if exc.code in ("FAILED_PRECONDITION", "ABORTED", "INVALID_ARGUMENT"):
            flash(request, "error", exc.message)
        else:
            raise
    return redirect("/supervision")


@page(roles=SUPERVISOR)
async def workload(request: Request):
    reply = await call(request, "cases", "GetWorkloadReport", cases_pb2.GetWorkloadReportRequest())
    managers = sorted(reply.managers, key=lambda m: (m.community_code, m.manager_id))
    communities: dict[str, dict] = {}
    for m in managers:
        row = communities.setdefault(
            m.community_code, {"code": m.community_code, "managers": 0, "open": 0, "weighted": 0, "capacity": 0}
        )
        row["managers"] += 1
        row["open"] += m.open_cases
        row["weighted"] += m.weighted_load
        row["capacity"] += m.capacity
    t = i18n.Translator(request.state.session.lang)
    chart = (
        bar_chart(
            [(m.manager_id, [m.weighted_load, m.capacity]) for m in managers],
            series=[t("sv.workload.weighted"), t("sv.workload.capacity")],
            title=t("sv.workload.chart"),
        )
        if managers
        else None
    )
    return render(
        request, "supervisor/workload.html", managers=managers, communities=list(communities.values()), chart=chart
    )


@page(roles=SUPERVISOR)
async def kpis(request: Request):
    community = str(request.query_params.get("community", "")).strip()
    reply = await call(request, "cases", "GetQualityKpis", cases_pb2.GetQualityKpisRequest(community_code=community))
    t = i18n.Translator(request.state.session.lang)
    catalogue = request.app.state.catalogue
    days = [
        (t("sv.kpis.days_to_assessment"), [round(reply.days_to_assessment, 1)]),
        (t("sv.kpis.days_to_plan"), [round(reply.days_to_plan, 1)]),
        (t("sv.kpis.days_to_closure"), [round(reply.days_to_closure, 1)]),
    ]
    outcomes = [
        (catalogue.label_by_code(cases_pb2.Outcome, code, t.lang), [count])
        for code, count in sorted(reply.outcomes.items())
    ]
    return render(
        request,
        "supervisor/kpis.html",
        k=reply,
        community=community,
        days_chart=bar_chart(days, series=[t("sv.kpis.days")], title=t("sv.kpis.days")),
        outcomes_chart=bar_chart(outcomes, series=[t("sv.kpis.outcomes")], title=t("sv.kpis.outcomes"))
        if outcomes
        else None,
        days=days,
        outcomes=outcomes,
    )


routes = [
    Route("/supervision", queue, methods=["GET"]),
    Route("/supervision/decide", decide, methods=["POST"]),
    Route("/supervision/workload", workload, methods=["GET"]),
    Route("/supervision/kpis", kpis, methods=["GET"]),
]
