"""Protobuf messages to domain objects and back."""
from __future__ import annotations

from datetime import datetime, timezone

from ekm.cases.v1 import cases_pb2
from ekm.common.v1 import common_pb2
from google.protobuf import json_format

from ekm_platform.errors import ValidationError
from ekm_platform.grpc_mapping import decode_page_token, encode_page_token, timestamp

from cases.domain.assessment import Assessment, Domain
from cases.domain.deadlines import Deadlines, is_overdue
from cases.domain.lifecycle import Outcome
from cases.domain.model import Case, Stage
from cases.domain.plan import NO_SIGN_OFF, Plan
from cases.domain.review import Review
from cases.domain.scoring import ScoringResult

STAGES = {stage: getattr(cases_pb2, f"STAGE_{stage.name}") for stage in Stage}
STAGE_OF = {number: stage for stage, number in STAGES.items()}
OUTCOMES = {outcome: getattr(cases_pb2, f"OUTCOME_{outcome.name}") for outcome in Outcome}
OUTCOME_OF = {number: outcome for outcome, number in OUTCOMES.items()}
LEVELS = {"information": common_pb2.SCREENING_LEVEL_INFORMATION,
          "assessment": common_pb2.SCREENING_LEVEL_ASSESSMENT,
          "crisis": common_pb2.SCREENING_LEVEL_CRISIS}


def _dict(message) -> dict:
    return json_format.MessageToDict(message, preserving_proto_field_name=True,
                                      always_print_fields_with_no_presence=True)


def case_message(case: Case, deadlines: Deadlines | None = None) -> cases_pb2.Case:
    entered = case.stage_entered_at or case.opened_at
    return cases_pb2.Case(
        case_id=case.case_id, case_number=case.case_number, stage=STAGES[case.stage],
        screening_level=LEVELS.get(case.screening_level, 0),
        appeal_id=case.appeal_ids[0] if case.appeal_ids else "",
        community_code=case.community_code, person_id=case.person_id,
        assigned_to=case.assigned_to, opened_at=timestamp(case.opened_at), version=case.version,
        complexity=case.complexity, stage_entered_at=timestamp(entered),
        overdue=is_overdue(case.stage, entered, case.screening_level, datetime.now(timezone.utc),
                           deadlines or Deadlines()),
        assignment_explanation=case.assignment_explanation,
        outcome=OUTCOMES[Outcome(case.outcome)] if case.outcome else 0,
        closure_requested=OUTCOMES[Outcome(case.closure_requested)] if case.closure_requested else 0)


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
    return {"stage": stage, "community_code": request.community_code.strip(),
            "overdue_only": request.overdue_only, "assigned_to": request.assigned_to.strip(),
            "offset": decode_page_token(request.page_token), "limit": request.page_size or 50}


def list_response(found: list[Case], filters: dict) -> cases_pb2.ListCasesResponse:
    token = encode_page_token(filters["offset"] + len(found)) if len(found) == filters["limit"] else ""
    return cases_pb2.ListCasesResponse(cases=[case_message(c) for c in found], next_page_token=token)


def assessment_from(message: cases_pb2.Assessment) -> Assessment:
    data = _dict(message)
    for item in data.get("domains", []):
        if item["domain"] not in {d.value for d in Domain}:
            raise ValidationError.single("domains.domain", f"невідомий домен / unknown domain {item['domain']!r}")
    data["contributions"] = []  # contributions come only through AddAgencyContribution
    return Assessment.from_dict({**data, "version": data.get("version") or 1})


def assessment_message(assessment: Assessment) -> cases_pb2.Assessment:
    data = assessment.to_dict()
    data["status"] = assessment.status.value
    data["domains"] = [{**d, "domain": d["domain"].value if hasattr(d["domain"], "value") else d["domain"]}
                       for d in data["domains"]]
    data["contributions"] = [{**c, "at": c["at"]} for c in data["contributions"]]
    return json_format.ParseDict(data, cases_pb2.Assessment(), ignore_unknown_fields=True)


def scoring_message(result: ScoringResult) -> cases_pb2.ScoringResult:
    def reason(r):
        return cases_pb2.Reason(field=r.field, value=r.value, rule_id=r.rule_id, text_uk=r.text_uk, text_en=r.text_en)
    return cases_pb2.ScoringResult(
        rules_version=result.rules_version, complexity=result.complexity, long_term=result.long_term,
        recommendations=[cases_pb2.Recommendation(service_type=r.service_type, because=[reason(x) for x in r.because])
                         for r in result.recommendations],
        explanation=[reason(r) for r in result.explanation])


# The sign-off times travel as Timestamps, not as the domain's ISO strings.
PLAN_TIMES = ("agreed_at", "approved_at")


def plan_from(message: cases_pb2.Plan) -> Plan:
    """A plan as written: the sign-off comes only from ApprovePlan and AgreePlan."""
    data = _dict(message)
    for step in data.get("steps", []):
        step["status"] = step.get("status") or "planned"
    return Plan.from_dict({**data, "version": data.get("version") or 1, **NO_SIGN_OFF})


def plan_message(plan: Plan) -> cases_pb2.Plan:
    data = plan.to_dict()
    times = {name: data.pop(name) for name in PLAN_TIMES}
    message = json_format.ParseDict(data, cases_pb2.Plan())
    for name, value in times.items():
        if value:
            getattr(message, name).CopyFrom(timestamp(datetime.fromisoformat(value)))
    return message


def review_from(message: cases_pb2.Review) -> Review:
    return Review(case_id=message.case_id, held_on=message.held_on.strip(),
                  services_relevant=message.services_relevant, goal_results=dict(message.goal_results),
                  impact=message.impact, reassessment_needed=message.reassessment_needed)


def review_message(review: Review) -> cases_pb2.Review:
    return json_format.ParseDict(review.to_dict(), cases_pb2.Review())


def workload_message(rows) -> cases_pb2.WorkloadReport:
    return cases_pb2.WorkloadReport(managers=[
        cases_pb2.ManagerLoad(manager_id=m.manager_id, community_code=m.community_code, capacity=m.capacity,
                              weighted_load=weighted, open_cases=count) for m, weighted, count in rows])


def history_entry_message(r) -> cases_pb2.HistoryEntry:
    """An entry as it was written, with a supervisor's erroneous flag (who, when, why) when it has one."""
    return cases_pb2.HistoryEntry(at=timestamp(r.at), kind=r.kind, reference=r.reference, summary=r.summary,
                                  source=r.source, entry_id=r.seq, erroneous=r.erroneous_at is not None,
                                  erroneous_reason=r.erroneous_reason or "", marked_erroneous_by=r.erroneous_by or "",
                                  marked_erroneous_at=timestamp(r.erroneous_at))


def history_message(rows, offset: int, limit: int) -> cases_pb2.SocialHistory:
    return cases_pb2.SocialHistory(
        entries=[history_entry_message(r) for r in rows],
        next_page_token=encode_page_token(offset + len(rows)) if len(rows) == limit else "")


def cabinet_message(view) -> cases_pb2.Cabinet:
    plan = view.plan
    return cases_pb2.Cabinet(
        case_number=view.case.case_number, stage=STAGES[view.case.stage],
        plan_version=plan.version if plan else 0, plan_agreed=bool(plan and plan.agreed),
        read_only=view.read_only, closed_at=timestamp(view.closed_at),
        rating_open_until=timestamp(view.rating_open_until),
        goals=[g.description for g in plan.goals] if plan else [],
        steps=[cases_pb2.CabinetStep(step_id=s.step_id, what=s.what, responsible_kind=s.responsible_kind,
                                     due_on=s.due_on, status=s.status, mine=s.responsible_kind == "person")
               for s in (plan.steps if plan else ())],
        services=[cases_pb2.CabinetService(service_id=s.service_id, service_type=s.service_type, provider=s.provider,
                                           frequency=s.frequency, my_rating=view.my_ratings.get(s.service_id, 0))
                  for s in (plan.services if plan else ())])


def rating_message(case, service_id, rating, comment, at) -> cases_pb2.Rating:
    return cases_pb2.Rating(case_number=case.case_number, service_id=service_id, rating=rating, comment=comment,
                            at=timestamp(at))


def queue_message(items) -> cases_pb2.SupervisionQueue:
    return cases_pb2.SupervisionQueue(items=[
        cases_pb2.QueueItem(kind=i.kind, case_id=i.case_id, case_number=i.case_number, detail=i.detail,
                            since=timestamp(i.since)) for i in items])


def kpis_message(k) -> cases_pb2.QualityKpis:
    return cases_pb2.QualityKpis(
        open_cases=k.open_cases, caseload_per_manager=k.caseload_per_manager, overdue_cases=k.overdue_cases,
        overdue_steps=k.overdue_steps, days_to_assessment=k.days_to_assessment, days_to_plan=k.days_to_plan,
        days_to_closure=k.days_to_closure, outcomes=k.outcomes, average_rating=k.average_rating, ratings=k.ratings)


def contract_message(draft) -> cases_pb2.ContractDraft:
    return cases_pb2.ContractDraft(
        contract_id=draft.contract_id, case_id=draft.case_id, provider=draft.provider,
        service_type=draft.service_type, free_of_charge=draft.fee.free, amount=str(draft.fee.amount),
        explanation=list(draft.fee.explanation), rules_version=draft.fee.rules_version)


def transfer_message(t) -> cases_pb2.Transfer:
    return cases_pb2.Transfer(
        transfer_id=t.transfer_id, case_id=t.case_id, from_manager_id=t.from_manager_id,
        to_manager_id=t.to_manager_id, to_community_code=t.to_community_code, to_provider=t.to_provider,
        state=t.state, requested_at=timestamp(t.requested_at), accepted_at=timestamp(t.accepted_at),
        consent_id=t.consent_id)


VETERAN = {"combatant": cases_pb2.VETERAN_STATUS_COMBATANT, "wounded": cases_pb2.VETERAN_STATUS_WOUNDED,
           "returned_from_service": cases_pb2.VETERAN_STATUS_RETURNED_FROM_SERVICE,
           "released_from_captivity": cases_pb2.VETERAN_STATUS_RELEASED_FROM_CAPTIVITY}
VETERAN_OF = {number: name for name, number in VETERAN.items()}


def statuses_from(numbers) -> list[str]:
    unknown = [n for n in numbers if n not in VETERAN_OF]
    if unknown:
        raise ValidationError.single("veteran_statuses", "невідомий статус / unknown status")
    return [VETERAN_OF[n] for n in numbers]


def person_message(person) -> cases_pb2.Person:
    return cases_pb2.Person(
        person_id=person.person_id,
        identity=common_pb2.PersonIdentity(rnokpp=person.rnokpp, unzr=person.unzr, last_name=person.last_name,
                                           first_name=person.first_name, patronymic=person.patronymic,
                                           birth_date=person.birth_date),
        phone=person.phone, email=person.email, veteran_statuses=[VETERAN[s] for s in person.veteran_statuses],
        disability_group=person.disability_group, merged_into=person.merged_into)


def members_from(message: cases_pb2.Household) -> list:
    from cases.domain.assessment import FamilyMember
    return [FamilyMember(**_dict(m)) for m in message.members]


def household_message(household_id, case_id, address, members) -> cases_pb2.Household:
    return cases_pb2.Household(household_id=household_id, case_id=case_id, address=address,
                               members=[cases_pb2.FamilyMember(**m) for m in members])
