"""Protobuf messages to domain objects and back."""

from __future__ import annotations

from datetime import datetime, timezone

from google.protobuf import json_format

from cases.domain.assessment import Assessment, Domain, Status
from cases.domain.deadlines import Deadlines, is_overdue
from cases.domain.lifecycle import Outcome
from cases.domain.model import Case, Stage
from cases.domain.plan import NO_SIGN_OFF, Plan
from cases.domain.review import Review
from cases.domain.scoring import ScoringResult
from ekm.cases.v1 import cases_pb2
from ekm.common.v1 import common_pb2
from ekm_platform.codes import CodeList
from ekm_platform.errors import FieldViolation, ValidationError
from ekm_platform.grpc_mapping import decode_page_token, encode_page_token, timestamp

STAGES = {stage: getattr(cases_pb2, f"STAGE_{stage.name}") for stage in Stage}
STAGE_OF = {number: stage for stage, number in STAGES.items()}
OUTCOMES = {outcome: getattr(cases_pb2, f"OUTCOME_{outcome.name}") for outcome in Outcome}
OUTCOME_OF = {number: outcome for outcome, number in OUTCOMES.items()}
# Closed code lists: enum numbers on the wire, codes in the domain and the database.
RELATION = CodeList(cases_pb2.Relation)
LEGAL_CAPACITY = CodeList(cases_pb2.LegalCapacity)
GOAL_RESULT = CodeList(cases_pb2.GoalResult)
RESPONSIBLE = CodeList(cases_pb2.ResponsibleKind)
SERVICE_TYPE = CodeList(cases_pb2.ServiceType)
FEE_CATEGORY = CodeList(cases_pb2.FeeCategory)
VETERAN_STATUS = CodeList(cases_pb2.VeteranStatus)
CHANNEL = CodeList(common_pb2.Channel)
CATALOGUE = (
    CodeList(cases_pb2.Stage),
    CodeList(cases_pb2.Outcome),
    RELATION,
    LEGAL_CAPACITY,
    GOAL_RESULT,
    RESPONSIBLE,
    SERVICE_TYPE,
    FEE_CATEGORY,
    VETERAN_STATUS,
    CHANNEL,
    CodeList(common_pb2.ScreeningLevel),
)
LEVELS = {
    "information": common_pb2.SCREENING_LEVEL_INFORMATION,
    "assessment": common_pb2.SCREENING_LEVEL_ASSESSMENT,
    "crisis": common_pb2.SCREENING_LEVEL_CRISIS,
}


def _dict(message) -> dict:
    try:
        return json_format.MessageToDict(
            message, preserving_proto_field_name=True, always_print_fields_with_no_presence=True
        )
    except (ValueError, json_format.Error) as exc:  # a Timestamp outside 0001..9999 (tests/fuzz): was INTERNAL
        raise ValidationError.single("request", f"недійсне значення / an invalid value: {str(exc)[:200]}") from exc


def case_message(case: Case, deadlines: Deadlines | None = None) -> cases_pb2.Case:
    entered = case.stage_entered_at or case.opened_at
    return cases_pb2.Case(
        case_id=case.case_id,
        case_number=case.case_number,
        stage=STAGES[case.stage],
        screening_level=LEVELS.get(case.screening_level, 0),
        appeal_id=case.appeal_ids[0] if case.appeal_ids else "",
        community_code=case.community_code,
        person_id=case.person_id,
        assigned_to=case.assigned_to,
        opened_at=timestamp(case.opened_at),
        version=case.version,
        complexity=case.complexity,
        stage_entered_at=timestamp(entered),
        overdue=is_overdue(
            case.stage, entered, case.screening_level, datetime.now(timezone.utc), deadlines or Deadlines.configured()
        ),
        assignment_explanation=case.assignment_explanation,
        outcome=OUTCOMES[Outcome(case.outcome)] if case.outcome else 0,
        closure_requested=OUTCOMES[Outcome(case.closure_requested)] if case.closure_requested else 0,
    )


def stage_from(number: int, field: str = "target_stage") -> Stage:
    if number not in STAGE_OF:
        raise ValidationError.single(field, "невідомий етап / unknown stage")
    return STAGE_OF[number]


def outcome_from(number: int) -> Outcome | None:
    if number == cases_pb2.OUTCOME_UNSPECIFIED:
        return None
    if number not in OUTCOME_OF:
        raise ValidationError.single("outcome", "невідомий результат / unknown outcome")
    return OUTCOME_OF[number]


def list_filters(request: cases_pb2.ListCasesRequest) -> dict:
    stage = "" if request.stage == cases_pb2.STAGE_UNSPECIFIED else stage_from(request.stage, "stage").value
    return {
        "stage": stage,
        "community_code": request.community_code.strip(),
        "overdue_only": request.overdue_only,
        "assigned_to": request.assigned_to.strip(),
        "offset": decode_page_token(request.page_token),
        "limit": request.page_size or 50,
        "search": request.search.strip(),
    }


def list_response(rows, filters: dict) -> cases_pb2.ListCasesResponse:
    """Worklist rows (``handlers.WorklistRow``); a full page carries the next page's token."""
    token = encode_page_token(filters["offset"] + len(rows)) if len(rows) == filters["limit"] else ""
    messages = []
    for row in rows:
        message = case_message(row.case)
        message.overdue = row.overdue
        message.person_name, message.next_step_due_on = row.person_name, row.next_step_due_on
        message.overdue_steps = row.overdue_steps
        if row.stage_due_at:
            message.stage_due_at.CopyFrom(timestamp(row.stage_due_at))
        messages.append(message)
    return cases_pb2.ListCasesResponse(cases=messages, next_page_token=token)


def _member_codes(members: list[dict], messages) -> None:
    """Enum numbers of the family table to the domain's codes (an unknown number: "")."""
    for member, message in zip(members, messages):
        member["relation"] = RELATION.code(message.relation)
        member["legal_capacity"] = LEGAL_CAPACITY.code(message.legal_capacity)


def _member_numbers(member: dict) -> dict:
    """A stored family member for the wire (a relation outside the list, kept from before the
    list was closed, reads as "other")."""
    return {
        **member,
        "relation": RELATION.number(
            member.get("relation", ""), cases_pb2.RELATION_OTHER if member.get("relation") else 0
        ),
        "legal_capacity": LEGAL_CAPACITY.number(member.get("legal_capacity", "")),
    }


def assessment_from(message: cases_pb2.Assessment) -> Assessment:
    data = _dict(message)
    _member_codes(data.get("family", []), message.family)
    for item in data.get("domains", []):
        if item["domain"] not in {d.value for d in Domain}:
            raise ValidationError.single("domains.domain", f"невідомий домен / unknown domain {item['domain']!r}")
    if data.get("status") and data["status"] not in {s.value for s in Status}:  # was a ValueError: INTERNAL
        raise ValidationError.single("status", f"невідомий статус / unknown status {data['status'][:40]!r}")
    data["contributions"] = []  # contributions come only through AddAgencyContribution
    return Assessment.from_dict({**data, "version": data.get("version") or 1})


def assessment_message(assessment: Assessment) -> cases_pb2.Assessment:
    data = assessment.to_dict()
    data["status"] = assessment.status.value
    data["domains"] = [
        {**d, "domain": d["domain"].value if hasattr(d["domain"], "value") else d["domain"]} for d in data["domains"]
    ]
    data["contributions"] = [{**c, "at": c["at"]} for c in data["contributions"]]
    data["family"] = [_member_numbers(m) for m in data["family"]]
    return json_format.ParseDict(data, cases_pb2.Assessment(), ignore_unknown_fields=True)


def scoring_message(result: ScoringResult) -> cases_pb2.ScoringResult:
    def reason(r):
        return cases_pb2.Reason(field=r.field, value=r.value, rule_id=r.rule_id, text_uk=r.text_uk, text_en=r.text_en)

    return cases_pb2.ScoringResult(
        rules_version=result.rules_version,
        complexity=result.complexity,
        long_term=result.long_term,
        recommendations=[
            cases_pb2.Recommendation(
                service_type=SERVICE_TYPE.number(r.service_type), because=[reason(x) for x in r.because]
            )
            for r in result.recommendations
        ],
        explanation=[reason(r) for r in result.explanation],
    )


# The sign-off times travel as Timestamps, not as the domain's ISO strings.
PLAN_TIMES = ("agreed_at", "approved_at")


def plan_from(message: cases_pb2.Plan) -> Plan:
    """A plan as written: the sign-off comes only from ApprovePlan and AgreePlan."""
    data = _dict(message)
    for step, step_message in zip(data.get("steps", []), message.steps):
        step["status"] = step.get("status") or "planned"
        step["responsible_kind"] = RESPONSIBLE.code(step_message.responsible_kind)
    for service, service_message in zip(data.get("services", []), message.services):
        service["service_type"] = SERVICE_TYPE.code(service_message.service_type)
    return Plan.from_dict({**data, "version": data.get("version") or 1, **NO_SIGN_OFF})


def plan_message(plan: Plan) -> cases_pb2.Plan:
    data = plan.to_dict()
    times = {name: data.pop(name) for name in PLAN_TIMES}
    data["steps"] = [{**s, "responsible_kind": RESPONSIBLE.number(s["responsible_kind"])} for s in data["steps"]]
    data["services"] = [{**s, "service_type": SERVICE_TYPE.number(s["service_type"])} for s in data["services"]]
    message = json_format.ParseDict(data, cases_pb2.Plan())
    for name, value in times.items():
        if value:
            getattr(message, name).CopyFrom(timestamp(datetime.fromisoformat(value)))
    return message


def review_from(message: cases_pb2.Review) -> Review:
    return Review(
        case_id=message.case_id,
        held_on=message.held_on.strip(),
        services_relevant=message.services_relevant,
        goal_results={goal: GOAL_RESULT.code(number) for goal, number in message.goal_results.items()},
        impact=message.impact,
        reassessment_needed=message.reassessment_needed,
    )


def review_message(review: Review) -> cases_pb2.Review:
    data = review.to_dict()
    data["goal_results"] = {goal: GOAL_RESULT.number(code) for goal, code in data["goal_results"].items()}
    return json_format.ParseDict(data, cases_pb2.Review())


def workload_message(rows) -> cases_pb2.WorkloadReport:
    return cases_pb2.WorkloadReport(
        managers=[
            cases_pb2.ManagerLoad(
                manager_id=m.manager_id,
                community_code=m.community_code,
                capacity=m.capacity,
                weighted_load=weighted,
                open_cases=count,
            )
            for m, weighted, count in rows
        ]
    )


def history_entry_message(r) -> cases_pb2.HistoryEntry:
    """An entry as it was written, with a supervisor's erroneous flag (who, when, why) when it has one."""
    return cases_pb2.HistoryEntry(
        at=timestamp(r.at),
        kind=r.kind,
        reference=r.reference,
        summary=r.summary,
        source=r.source,
        entry_id=r.seq,
        erroneous=r.erroneous_at is not None,
        erroneous_reason=r.erroneous_reason or "",
        marked_erroneous_by=r.erroneous_by or "",
        marked_erroneous_at=timestamp(r.erroneous_at),
    )


def history_message(rows, offset: int, limit: int) -> cases_pb2.SocialHistory:
    return cases_pb2.SocialHistory(
        entries=[history_entry_message(r) for r in rows],
        next_page_token=encode_page_token(offset + len(rows)) if len(rows) == limit else "",
    )


def cabinet_message(view) -> cases_pb2.Cabinet:
    plan = view.plan
    return cases_pb2.Cabinet(
        case_number=view.case.case_number,
        stage=STAGES[view.case.stage],
        plan_version=plan.version if plan else 0,
        plan_agreed=bool(plan and plan.agreed),
        read_only=view.read_only,
        closed_at=timestamp(view.closed_at),
        rating_open_until=timestamp(view.rating_open_until),
        goals=[g.description for g in plan.goals] if plan else [],
        steps=[
            cases_pb2.CabinetStep(
                step_id=s.step_id,
                what=s.what,
                responsible_kind=RESPONSIBLE.number(s.responsible_kind),
                due_on=s.due_on,
                status=s.status,
                mine=s.responsible_kind == "person",
            )
            for s in (plan.steps if plan else ())
        ],
        services=[
            cases_pb2.CabinetService(
                service_id=s.service_id,
                service_type=SERVICE_TYPE.number(s.service_type),
                provider=s.provider,
                frequency=s.frequency,
                my_rating=view.my_ratings.get(s.service_id, 0),
            )
            for s in (plan.services if plan else ())
        ],
    )


def rating_message(case, service_id, rating, comment, at) -> cases_pb2.Rating:
    return cases_pb2.Rating(
        case_number=case.case_number, service_id=service_id, rating=rating, comment=comment, at=timestamp(at)
    )


def queue_message(items) -> cases_pb2.SupervisionQueue:
    return cases_pb2.SupervisionQueue(
        items=[
            cases_pb2.QueueItem(
                kind=i.kind, case_id=i.case_id, case_number=i.case_number, detail=i.detail, since=timestamp(i.since)
            )
            for i in items
        ]
    )


def kpis_message(k) -> cases_pb2.QualityKpis:
    return cases_pb2.QualityKpis(
        open_cases=k.open_cases,
        caseload_per_manager=k.caseload_per_manager,
        overdue_cases=k.overdue_cases,
        overdue_steps=k.overdue_steps,
        days_to_assessment=k.days_to_assessment,
        days_to_plan=k.days_to_plan,
        days_to_closure=k.days_to_closure,
        outcomes=k.outcomes,
        average_rating=k.average_rating,
        ratings=k.ratings,
    )


def contract_message(draft) -> cases_pb2.ContractDraft:
    return cases_pb2.ContractDraft(
        contract_id=draft.contract_id if draft.stored else "",
        case_id=draft.case_id,
        provider=draft.provider,
        service_type=SERVICE_TYPE.number(draft.service_type),
        free_of_charge=draft.fee.free,
        amount=str(draft.fee.amount),
        explanation=list(draft.fee.explanation),
        rules_version=draft.fee.rules_version,
        service_id=draft.service_id,
        categories=[FEE_CATEGORY.number(c) for c in sorted(draft.categories)],
        stored=draft.stored,
        tariff=str(draft.tariff),
        created_by=draft.created_by,
        created_at=timestamp(draft.created_at),
        status=draft.status if draft.stored else "",
    )


def contracts_message(drafts) -> cases_pb2.ListContractsResponse:
    return cases_pb2.ListContractsResponse(contracts=[contract_message(d) for d in drafts])


def categories_from(numbers) -> list[str]:
    """Fee categories from the wire; an unknown number is refused, naming its position."""
    unknown = [
        FieldViolation(f"categories[{i}]", "невідома категорія / unknown category")
        for i, n in enumerate(numbers)
        if not FEE_CATEGORY.known(n)
    ]
    if unknown:
        raise ValidationError(unknown)
    return [FEE_CATEGORY.code(n) for n in numbers]


def catalogue_message() -> cases_pb2.Catalogue:
    from ekm.intake.v1 import intake_pb2
    from ekm.notifications.v1 import notifications_pb2

    lists = CATALOGUE + (
        CodeList(notifications_pb2.DeliveryChannel),
        CodeList(notifications_pb2.DeliveryStatus),
        CodeList(intake_pb2.AppealState),
    )  # an applicant's appeal statuses
    return cases_pb2.Catalogue(
        lists=[
            cases_pb2.CatalogueList(
                enum=c.full_name,
                entries=[
                    cases_pb2.CatalogueEntry(
                        number=e.number, name=e.name, code=e.code, label_uk=e.label_uk, label_en=e.label_en
                    )
                    for e in c.entries
                ],
            )
            for c in lists
        ]
    )


def transfer_message(t) -> cases_pb2.Transfer:
    return cases_pb2.Transfer(
        transfer_id=t.transfer_id,
        case_id=t.case_id,
        from_manager_id=t.from_manager_id,
        to_manager_id=t.to_manager_id,
        to_community_code=t.to_community_code,
        to_provider=t.to_provider,
        state=t.state,
        requested_at=timestamp(t.requested_at),
        accepted_at=timestamp(t.accepted_at),
        consent_id=t.consent_id,
    )


def statuses_from(numbers) -> list[str]:
    if any(not VETERAN_STATUS.known(n) for n in numbers):
        raise ValidationError.single("veteran_statuses", "невідомий статус / unknown status")
    return [VETERAN_STATUS.code(n) for n in numbers]


def person_message(person) -> cases_pb2.Person:
    return cases_pb2.Person(
        person_id=person.person_id,
        identity=common_pb2.PersonIdentity(
            rnokpp=person.rnokpp,
            unzr=person.unzr,
            last_name=person.last_name,
            first_name=person.first_name,
            patronymic=person.patronymic,
            birth_date=person.birth_date,
        ),
        phone=person.phone,
        email=person.email,
        veteran_statuses=[VETERAN_STATUS.number(s) for s in person.veteran_statuses],
        disability_group=person.disability_group,
        merged_into=person.merged_into,
    )


def members_from(message: cases_pb2.Household) -> list:
    from cases.domain.assessment import FamilyMember

    members = [_dict(m) for m in message.members]
    _member_codes(members, message.members)
    return [FamilyMember(**m) for m in members]


def household_message(household_id, case_id, address, members) -> cases_pb2.Household:
    return cases_pb2.Household(
        household_id=household_id,
        case_id=case_id,
        address=address,
        members=[cases_pb2.FamilyMember(**_member_numbers(m)) for m in members],
    )


def case_appeal_message(found) -> cases_pb2.CaseAppeal:
    """``appeals.CaseAppeal``: intake's answer (``intake.get_appeal_details``) for the wire."""
    d, case = found.details, found.case
    applicant, contact = d.get("applicant") or {}, d.get("contact") or {}
    channel = d.get("channel") or ""  # intake's code, e.g. "phone"
    submitted = d.get("submitted_at") or ""
    return cases_pb2.CaseAppeal(
        case_id=case.case_id,
        case_number=case.case_number,
        appeal_id=d.get("appeal_id", ""),
        tracking_number=d.get("tracking_number", ""),
        description=d.get("description", ""),
        channel=CHANNEL.number(channel),
        source_reference=d.get("source_reference", ""),
        submitted_at=timestamp(datetime.fromisoformat(submitted)) if submitted else None,
        urgent=bool(d.get("urgent")),
        screening_level=LEVELS.get(d.get("screening_level", ""), 0),
        appeal_ids=list(case.appeal_ids),
        applicant=cases_pb2.Applicant(
            last_name=applicant.get("last_name", ""),
            first_name=applicant.get("first_name", ""),
            patronymic=applicant.get("patronymic", ""),
            is_subject=bool(applicant.get("is_subject")),
            relation_to_subject=applicant.get("relation_to_subject", ""),
            phone=contact.get("phone", ""),
            email=contact.get("email", ""),
        ),
    )
