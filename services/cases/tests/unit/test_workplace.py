"""The case manager's workplace: the appeal behind a case, worklist rows and search, approval
moving a case on, reopening, contracts from recorded categories, closed code lists and
deadlines from configuration. Real (SQLite) database, no broker."""

import json
import pathlib
import re
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from cases.adapters import grpc_mapping as m
from cases.adapters.orm import audit_log, metadata
from cases.adapters.orm import contracts as contracts_table
from cases.adapters.repository import CaseRepository
from cases.domain import assessment as assessment_domain
from cases.domain import labels
from cases.domain import plan as plan_domain
from cases.domain import review as review_domain
from cases.domain.assessment import Assessment, Domain, DomainAssessment, FamilyMember
from cases.domain.contracts import FEE_CATEGORIES
from cases.domain.deadlines import Deadlines
from cases.domain.lifecycle import Outcome
from cases.domain.model import VETERAN_STATUSES, Stage
from cases.domain.plan import Goal, Plan, PlannedService, Step
from cases.domain.scoring import SERVICE_CATALOGUE
from cases.domain.search import parse_search, search_key
from cases.domain.workload import CaseManager
from cases.service_layer import appeals, assessments, contracts, handlers, persons, plans, stages, supervision, workload
from ekm.cases.v1 import cases_pb2 as pb
from ekm.notifications.v1 import notifications_pb2
from ekm_platform.auth import Principal
from ekm_platform.envelope import Envelope
from ekm_platform.errors import FailedPrecondition, NotFound, PermissionDenied, ValidationError

COMMUNITY = "UA80000000000093317"
CM, OTHER, SV = Principal("cm-1", "case_manager"), Principal("cm-2", "case_manager"), Principal("sv-1", "supervisor")
OPERATOR = Principal("op-1", "operator")
PEOPLE = [
    {
        "rnokpp": "3221512349",
        "last_name": "Коваленко",
        "first_name": "Андрій",
        "patronymic": "Петрович",
        "birth_date": "1988-03-14",
    },
    {"rnokpp": "", "last_name": "Прокоп’єнко", "first_name": "Олена", "patronymic": "", "birth_date": "1991-05-05"},
    {"rnokpp": "", "last_name": "Ковальчук", "first_name": "Іван", "patronymic": "", "birth_date": "2012-01-01"},
]


@pytest.fixture
def uow(sqlite_uow):
    factory = sqlite_uow("cases", metadata, CaseRepository)
    with factory() as u:
        workload.register_manager(u, CaseManager("cm-1", COMMUNITY, 30, frozenset({"veterans"}), "sv-1"))
    with factory() as u:
        workload.register_manager(u, CaseManager("cm-2", COMMUNITY, 1, frozenset(), "sv-2"))
    return factory


def open_case(uow, n=0, level="assessment"):
    event = Envelope(
        "appeal.accepted", "intake", {"appeal_id": f"a-{n}", "screening_level": level, "community_code": COMMUNITY}
    )
    with uow() as u:
        opened = handlers.open_case_for_appeal(event, u, lambda appeal_id: {"person": PEOPLE[n]})
        u.commit()
    assert opened.assigned_to == "cm-1"
    return opened


@pytest.fixture
def case(uow):
    return open_case(uow)


def current(uow, case):
    with uow() as u:
        return u.repo.get(case_id=case.case_id)


def act(case, version=1):
    return Assessment(
        case.case_id,
        version,
        "2026-11-01",
        "cm-1",
        family=(FamilyMember("Коваленко Андрій", "1988-03-14", "self"),),
        domains=tuple(DomainAssessment(d, 2 if d is Domain.HEALTH else 0) for d in Domain),
    )


def approved(uow, case, version=1):
    with uow() as u:
        assessments.save_assessment(u, CM, act(case, version), current(uow, case).version, submit=True)
    with uow() as u:
        assessments.approve_assessment(u, SV, case.case_id, version)


PLAN = dict(
    goals=(Goal("g1", "health", "Реабілітація"),),
    steps=(
        Step("s1", "g1", "Візит", "person", "p", "2020-01-01"),
        Step("s2", "g1", "Вправи", "person", "p", "2099-01-01"),
    ),
    services=(PlannedService("sv1", "rehabilitation", "Центр", "щотижня"),),
)


def planned(uow, case):
    approved(uow, case)
    with uow() as u:
        plans.save_plan(u, CM, Plan(case.case_id, 1, **PLAN), current(uow, case).version)


def audit_actions(uow):
    with uow() as u:
        return [(r.actor_id, r.action, json.loads(r.details)) for r in u.session.execute(select(audit_log))]


# --- the appeal behind a case ------------------------------------------------------------------

APPEAL = {
    "appeal_id": "a-0",
    "tracking_number": "EKM-1",
    "description": "Потрібна реабілітація",
    "channel": "phone",
    "source_reference": "",
    "submitted_at": "2026-11-20T10:00:00+00:00",
    "urgent": False,
    "screening_level": "assessment",
    "applicant": {
        "last_name": "Коваленко",
        "first_name": "Марія",
        "patronymic": "",
        "is_subject": False,
        "relation_to_subject": "дружина",
    },
    "contact": {"phone": "+380501110002", "email": ""},
}


def test_another_case_manager_gets_not_found_and_intake_is_never_asked(uow, case):
    asked = []
    for who in (OTHER, Principal("sv-2", "supervisor")):
        with uow() as u, pytest.raises(NotFound):
            appeals.case_appeal(u, who, lambda *a: asked.append(a) or APPEAL, case_id=case.case_id)
    with uow() as u, pytest.raises(PermissionDenied):
        appeals.case_appeal(u, OPERATOR, lambda *a: asked.append(a) or APPEAL, case_id=case.case_id)
    with uow() as u, pytest.raises(NotFound):  # an appeal that is not the case's
        appeals.case_appeal(u, CM, lambda *a: asked.append(a) or APPEAL, case_id=case.case_id, appeal_id="a-9")
    assert asked == [] and [a for _, a, _ in audit_actions(uow) if a == "appeal.read"] == []


def test_the_case_manager_sees_the_applicant_who_is_not_the_subject_and_the_read_is_audited(uow, case):
    asked = []
    with uow() as u:
        found = appeals.case_appeal(
            u,
            CM,
            lambda appeal_id, actor: asked.append((appeal_id, actor)) or APPEAL,
            case_number=case.case_number.lower(),
            purpose="підготовка до візиту",
        )
    assert asked == [("a-0", CM.as_actor())]
    message = m.case_appeal_message(found)
    assert (
        message.description,
        message.channel,
        message.applicant.is_subject,
        message.applicant.phone,
        message.applicant.relation_to_subject,
    ) == ("Потрібна реабілітація", 2, False, "+380501110002", "дружина")
    assert message.case_number == case.case_number and list(message.appeal_ids) == ["a-0"]
    assert ("cm-1", "appeal.read", {"case_number": case.case_number, "appeal_id": "a-0"}) in audit_actions(uow)
    with uow() as u, pytest.raises(NotFound):  # intake does not know the appeal
        appeals.case_appeal(u, CM, lambda *a: None, case_id=case.case_id)


# --- worklist rows, search and paging ----------------------------------------------------------


def test_worklist_rows_carry_the_name_deadline_and_overdue_steps_but_not_for_an_operator(uow, case):
    planned(uow, case)
    with uow() as u:
        [row] = handlers.worklist(u, CM)
    assert (row.person_name, row.next_step_due_on, row.overdue_steps) == ("Коваленко Андрій Петрович", "2020-01-01", 1)
    entered = current(uow, case).stage_entered_at
    assert row.case.stage is Stage.PLANNING and row.stage_due_at == entered + timedelta(days=14) and not row.overdue
    with uow() as u:
        [seen] = handlers.worklist(u, OPERATOR)
    assert seen.person_name == "" and seen.case.case_id == case.case_id
    shown = [d for _, a, d in audit_actions(uow) if a == "worklist.read"]
    assert shown == [{"case_numbers": [case.case_number], "searched": False}]  # the operator's read is not personal
    message = m.list_response([row], {"offset": 0, "limit": 50}).cases[0]
    assert (message.person_name, message.overdue_steps, message.next_step_due_on) == (
        "Коваленко Андрій Петрович",
        1,
        "2020-01-01",
    ) and message.stage_due_at.seconds > 0


def test_search_by_rnokpp_or_the_start_of_a_name_among_the_callers_cases_only(uow, case):
    second, third = open_case(uow, 1), open_case(uow, 2)

    def found(who, text):
        with uow() as u:
            return {r.case.case_id for r in handlers.worklist(u, who, search=text)}

    assert found(CM, "3221512349") == {case.case_id}
    assert found(CM, "КОВАЛ") == {case.case_id, third.case_id}
    assert found(CM, "коваленко ан") == {case.case_id}
    assert found(CM, "Прокоп'єнко") == found(CM, "прокопʼєнко о") == {second.case_id}  # any apostrophe
    assert found(CM, "50%") == found(CM, "_") == set()  # no wildcards
    assert found(OTHER, "Ковал") == set() and found(SV, "Ковал") == {case.case_id, third.case_id}
    with uow() as u, pytest.raises(PermissionDenied):
        handlers.worklist(u, OPERATOR, search="Коваленко")
    with uow() as u, pytest.raises(ValidationError):
        handlers.worklist(u, CM, search="я" * 101)
    assert {"searched": True}.items() <= [d for _, a, d in audit_actions(uow) if a == "worklist.read"][0].items()


def test_paging_gives_every_case_once(uow, case):
    others = [open_case(uow, n) for n in (1, 2)]
    seen, offset = [], 0
    while True:
        with uow() as u:
            rows = handlers.worklist(u, CM, offset=offset, limit=2)
        seen += [r.case.case_id for r in rows]
        token = m.list_response(rows, {"offset": offset, "limit": 2}).next_page_token
        if not token:
            break
        offset = m.decode_page_token(token)
    assert sorted(seen) == sorted([case.case_id] + [c.case_id for c in others])


def test_search_keys_ignore_case_apostrophes_and_spacing():
    assert search_key("Прокоп’єнко", " Олена ", "") == search_key("ПРОКОП'ЄНКО", "олена") == "прокоп'єнко олена"
    assert parse_search(" 3221512349 ") == ("rnokpp", "3221512349") and parse_search("") == ("", "")
    assert parse_search("322151234") == ("name", "322151234")


# --- deadlines from configuration --------------------------------------------------------------


def test_deadlines_come_from_the_environment(uow, case, monkeypatch):
    with uow() as u:
        assert [r.overdue for r in handlers.worklist(u, CM)] == [False]
        assert handlers.list_cases(u, CM, overdue_only=True) == []
    monkeypatch.setenv("EKM_DEADLINE_ASSESSMENT_DAYS", "0")
    assert Deadlines.configured() == Deadlines(assessment_days=0)
    with uow() as u:
        [row] = handlers.worklist(u, CM)
        assert row.overdue and row.stage_due_at == current(uow, case).stage_entered_at
        assert [c.case_id for c in handlers.list_cases(u, CM, overdue_only=True)] == [case.case_id]
        assert supervision.kpis(u, SV).overdue_cases == 1
    assert m.case_message(current(uow, case)).overdue
    monkeypatch.setenv("EKM_DEADLINE_PLANNING_DAYS", "two weeks")
    with pytest.raises(ValueError, match="EKM_DEADLINE_PLANNING_DAYS"):
        Deadlines.configured()


def test_a_crisis_case_is_overdue_sooner_and_an_overdue_list_holds_only_overdue_cases(uow, case):
    crisis = open_case(uow, 1, level="crisis")
    later = datetime.now(timezone.utc) - timedelta(days=2)
    with uow() as u:
        for c in (case, crisis):
            c = u.repo.get(case_id=c.case_id)
            c.stage_entered_at = later
            u.repo.save_case(c, c.version)
        u.commit()
    with uow() as u:
        assert [c.case_id for c in handlers.list_cases(u, CM, overdue_only=True)] == [crisis.case_id]


# --- approval moves the case on; SavePlan names the missing step; reopening ---------------------


def test_save_plan_names_the_real_missing_step_and_approval_moves_the_case_to_planning(uow, case):
    def refused():
        with uow() as u, pytest.raises(FailedPrecondition) as caught:
            plans.save_plan(u, CM, Plan(case.case_id, 1, **PLAN), current(uow, case).version)
        return caught.value.message

    assert "save and submit the needs assessment" in refused()
    with uow() as u:
        assessments.save_assessment(u, CM, act(case), current(uow, case).version)
    assert "submit the needs assessment (version 1)" in refused()
    with uow() as u:
        assessments.save_assessment(u, CM, act(case), current(uow, case).version, submit=True)
    assert "awaits the supervisor's approval" in refused()
    with uow() as u:
        assessments.approve_assessment(u, SV, case.case_id, 1)
    moved = current(uow, case)
    assert moved.stage is Stage.PLANNING and moved.complexity == "medium"
    with uow() as u:
        assert plans.save_plan(u, CM, Plan(case.case_id, 1, **PLAN), moved.version).version == 1
    with uow() as u:
        history = [e.summary for e in u.repo.history_of(case.person_id, 0, 50)]
    assert "оцінка потреб → планування" in history


def close_as(uow, case, outcome):
    with uow() as u:
        stages.transition_case(u, SV, case.case_id, Stage.CLOSED, current(uow, case).version, outcome)


def test_reopening_needs_a_new_assessment_and_keeps_the_earlier_outcome_in_the_kpis(uow, case):
    approved(uow, case)
    close_as(uow, case, Outcome.MOVED)
    with uow() as u:
        assert supervision.kpis(u, SV).outcomes == {"moved": 1}
    with uow() as u:
        stages.transition_case(u, CM, case.case_id, Stage.ASSESSMENT, current(uow, case).version, reason="повернувся")
    with uow() as u:
        draft = assessments.get_assessment(u, CM, case.case_id)
    assert (draft.version, draft.status.value) == (2, "draft")
    with uow() as u, pytest.raises(FailedPrecondition, match="approved needs assessment"):
        stages.transition_case(u, CM, case.case_id, Stage.PLANNING, current(uow, case).version)
    with uow() as u, pytest.raises(FailedPrecondition, match=r"submit the needs assessment \(version 2\)"):
        plans.save_plan(u, CM, Plan(case.case_id, 1, **PLAN), current(uow, case).version)
    with uow() as u:
        assert supervision.kpis(u, SV).outcomes == {"moved": 1}  # the reopened case's earlier closure counts
    approved(uow, case, version=2)
    assert current(uow, case).stage is Stage.PLANNING
    close_as(uow, case, Outcome.REFUSED)
    with uow() as u:
        assert supervision.kpis(u, SV).outcomes == {"moved": 1, "refused": 1}


# --- contracts -----------------------------------------------------------------------------------


def record(uow, case, *statuses):
    with uow() as u:
        persons.update_person(u, CM, case.person_id, "", "", list(statuses), 0)


def test_a_stored_draft_uses_the_recorded_categories_and_refuses_unrecorded_or_unknown_ones(uow, case):
    planned(uow, case)
    args = (
        "sv1",
        "7000",
        "3028",
    )
    with uow() as u, pytest.raises(ValidationError) as caught:
        contracts.draft_contract(u, CM, case.case_id, *args, ["combatant", "astronaut"], "2000")
    assert [v.field for v in caught.value.violations] == ["categories[1]", "categories[0]"]
    assert "not recorded" in caught.value.message and "unknown category" in caught.value.message
    with uow() as u:
        assert not contracts.draft_contract(u, CM, case.case_id, *args, [], "2000").fee.free
    record(uow, case, "combatant")  # УБД recorded with UpdatePerson
    with uow() as u:
        draft = contracts.draft_contract(u, CM, case.case_id, *args, [], "2000")
    assert draft.fee.free and draft.categories == ("combatant",)
    assert (
        "учасник бойових дій (УБД)" in draft.fee.explanation[0]
        and "combatant" not in draft.fee.explanation[0].split(" / ")[0]
    )
    with uow() as u:
        listed = contracts.list_contracts(u, CM, case.case_id)
    assert [c.fee.free for c in listed] == [False, True]
    with uow() as u:
        read = contracts.get_contract(u, CM, draft.contract_id)
    assert (read.categories, read.created_by, read.tariff, read.status, read.service_id) == (
        ("combatant",),
        "cm-1",
        2000,
        "draft",
        "sv1",
    )
    message = m.contract_message(read)
    assert message.stored and message.service_type == pb.SERVICE_TYPE_REHABILITATION
    assert list(message.categories) == [pb.FEE_CATEGORY_COMBATANT] and message.contract_id == draft.contract_id


def test_a_what_if_calculation_stores_nothing(uow, case):
    planned(uow, case)
    with uow() as u:
        before = len(u.repo.history_of(case.person_id, 0, 500))
    with uow() as u:
        what_if = contracts.calculate_fee(
            u, CM, case.case_id, "sv1", "7000", "3028", ["family_of_fallen_defender"], "2000"
        )
    assert what_if.fee.free and not what_if.stored and m.contract_message(what_if).contract_id == ""
    with uow() as u:
        assert u.session.execute(select(contracts_table)).all() == []
        assert len(u.repo.history_of(case.person_id, 0, 500)) == before
    with uow() as u, pytest.raises(ValidationError):
        contracts.calculate_fee(u, CM, case.case_id, "sv1", "7000", "3028", ["astronaut"], "2000")


def test_a_child_is_a_recorded_category_by_birth_date(uow, case):
    third = open_case(uow, 2)  # born 2012
    approved(uow, third)
    with uow() as u:
        plans.save_plan(u, CM, Plan(third.case_id, 1, **PLAN), current(uow, third).version)
    with uow() as u:
        assert contracts.draft_contract(u, CM, third.case_id, "sv1", "90000", "3028", [], "2000").categories == (
            "child",
        )


def test_contracts_of_another_managers_case_are_not_found_and_closed_cases_get_none(uow, case):
    planned(uow, case)
    with uow() as u:
        draft = contracts.draft_contract(u, CM, case.case_id, "sv1", "7000", "3028", [], "2000")
    for call in (
        lambda u: contracts.get_contract(u, OTHER, draft.contract_id),
        lambda u: contracts.list_contracts(u, OTHER, case.case_id),
        lambda u: contracts.draft_contract(u, OTHER, case.case_id, "sv1", "1", "3028", [], "2000"),
        lambda u: contracts.get_contract(u, CM, "no-such-contract"),
    ):
        with uow() as u, pytest.raises(NotFound):
            call(u)
    close_as(uow, case, Outcome.MOVED)
    with uow() as u, pytest.raises(FailedPrecondition, match="closed"):
        contracts.draft_contract(u, CM, case.case_id, "sv1", "7000", "3028", [], "2000")
    with uow() as u, pytest.raises(FailedPrecondition, match="closed"):
        contracts.calculate_fee(u, CM, case.case_id, "sv1", "7000", "3028", [], "2000")
    with uow() as u:  # what was drafted stays readable
        assert [c.contract_id for c in contracts.list_contracts(u, CM, case.case_id)] == [draft.contract_id]


def test_unknown_fee_category_numbers_are_refused_at_the_edge():
    assert m.categories_from([pb.FEE_CATEGORY_COMBATANT, pb.FEE_CATEGORY_CHILD]) == ["combatant", "child"]
    with pytest.raises(ValidationError) as caught:
        m.categories_from([pb.FEE_CATEGORY_CHILD, 0, 99])
    assert [v.field for v in caught.value.violations] == ["categories[1]", "categories[2]"]


# --- closed code lists ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "code_list, domain_codes, domain_labels",
    [
        (m.RELATION, assessment_domain.RELATIONS, None),
        (m.LEGAL_CAPACITY, assessment_domain.LEGAL_CAPACITIES, None),
        (m.GOAL_RESULT, review_domain.RESULTS, None),
        (m.RESPONSIBLE, plan_domain.RESPONSIBLE, None),
        (m.SERVICE_TYPE, SERVICE_CATALOGUE, labels.SERVICE),
        (m.FEE_CATEGORY, FEE_CATEGORIES, labels.FEE_CATEGORY),
        (m.VETERAN_STATUS, VETERAN_STATUSES, None),
        (m.CATALOGUE[0], tuple(s.value for s in Stage), labels.STAGE),
        (m.CATALOGUE[1], tuple(o.value for o in Outcome), labels.OUTCOME),
        (m.CHANNEL, tuple(labels.CHANNEL), labels.CHANNEL),
    ],
)
def test_each_proto_enum_carries_the_domains_codes_and_labels(code_list, domain_codes, domain_labels):
    assert set(code_list.codes) == set(domain_codes)
    assert all(e.label_uk and e.label_en and e.label_uk != e.code for e in code_list.entries)
    if domain_labels:
        assert {e.code: e.label_uk.lower() for e in code_list.entries} == {
            k: v.lower() for k, v in domain_labels.items()
        }


def test_the_catalogue_lists_every_closed_code_with_ukrainian_and_english_labels():
    lists = {c.enum: c for c in m.catalogue_message().lists}
    assert {
        "ekm.cases.v1.Relation",
        "ekm.cases.v1.LegalCapacity",
        "ekm.cases.v1.GoalResult",
        "ekm.cases.v1.ResponsibleKind",
        "ekm.cases.v1.ServiceType",
        "ekm.cases.v1.FeeCategory",
        "ekm.notifications.v1.DeliveryChannel",
        "ekm.notifications.v1.DeliveryStatus",
    } <= set(lists)
    spouse = next(e for e in lists["ekm.cases.v1.Relation"].entries if e.code == "spouse")
    assert (spouse.number, spouse.name, spouse.label_uk) == (pb.RELATION_SPOUSE, "RELATION_SPOUSE", "Чоловік / дружина")
    sent = next(e for e in lists["ekm.notifications.v1.DeliveryStatus"].entries if e.code == "sent")
    assert sent.number == notifications_pb2.DELIVERY_STATUS_SENT and sent.label_uk == "Надіслано"
    consulted = next(e for e in lists["ekm.intake.v1.AppealState"].entries if e.code == "consulted")
    assert (consulted.label_uk, consulted.label_en) == ("Надано консультацію", "Consultation given")


def test_changed_fields_have_new_numbers_and_the_old_ones_are_reserved():
    from google.protobuf import descriptor_pb2

    def reserved(message):
        proto = descriptor_pb2.DescriptorProto()
        message.DESCRIPTOR.CopyToProto(proto)
        return {n for r in proto.reserved_range for n in range(r.start, r.end)}

    for message, field, old in (
        (pb.FamilyMember, "relation", 3),
        (pb.FamilyMember, "legal_capacity", 5),
        (pb.Review, "goal_results", 4),
        (pb.Step, "responsible_kind", 4),
        (pb.PlannedService, "service_type", 2),
        (pb.Recommendation, "service_type", 1),
        (pb.CabinetStep, "responsible_kind", 3),
        (pb.CabinetService, "service_type", 2),
        (pb.ContractDraft, "service_type", 4),
        (pb.DraftContractRequest, "categories", 5),
        (notifications_pb2.Delivery, "channel", 4),
        (notifications_pb2.Delivery, "status", 5),
    ):
        assert message.DESCRIPTOR.fields_by_name[field].number != old and old in reserved(message), (message, field)


def test_enums_cross_the_wire_and_back_to_the_domains_codes():
    plan = m.plan_from(
        pb.Plan(
            case_id="c",
            steps=[
                pb.Step(
                    step_id="s", goal_id="g", what="x", due_on="2026-01-01", responsible_kind=pb.RESPONSIBLE_KIND_AGENCY
                )
            ],
            services=[pb.PlannedService(service_id="v", provider="p", service_type=pb.SERVICE_TYPE_HOME_CARE)],
        )
    )
    assert (plan.steps[0].responsible_kind, plan.services[0].service_type) == ("agency", "home_care")
    back = m.plan_message(plan)
    assert (back.steps[0].responsible_kind, back.services[0].service_type) == (
        pb.RESPONSIBLE_KIND_AGENCY,
        pb.SERVICE_TYPE_HOME_CARE,
    )
    review = m.review_from(pb.Review(case_id="c", held_on="2026-01-01", goal_results={"g": pb.GOAL_RESULT_PARTLY}))
    assert review.goal_results == {"g": "partly"}
    assert m.review_message(review).goal_results["g"] == pb.GOAL_RESULT_PARTLY
    family = [
        pb.FamilyMember(
            full_name="А Б",
            birth_date="2000-01-01",
            relation=pb.RELATION_GUARDIAN,
            legal_capacity=pb.LEGAL_CAPACITY_LIMITED,
        )
    ]
    member = m.assessment_from(
        pb.Assessment(case_id="c", started_on="2026-01-01", specialist_id="s", family=family)
    ).family[0]
    assert (member.relation, member.legal_capacity) == ("guardian", "limited")
    legacy = m.household_message("h", "c", "", [{"full_name": "В", "birth_date": "2000-01-01", "relation": "кум"}])
    assert legacy.members[0].relation == pb.RELATION_OTHER  # free text kept from before the list was closed


def test_an_unspecified_relation_is_refused_naming_the_member():
    with pytest.raises(ValidationError) as caught:
        assessment_domain.validate_assessment(
            Assessment(
                "c",
                1,
                "2026-01-01",
                "s",
                family=(
                    FamilyMember("А Б", "2000-01-01", ""),
                    FamilyMember("В Г", "2000-01-01", "self", legal_capacity="x"),
                ),
            )
        )
    assert [v.field for v in caught.value.violations] == ["family[0].relation", "family[1].legal_capacity"]


LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
ALLOWED_IN_UKRAINIAN = {"UA", "XXXXXXXXX"}  # the community code's prefix, a phone format
# a placeholder that renders a stored code (a stage, an outcome, a channel, …) rather than its label
CODE_PLACEHOLDER = re.compile(
    r"\{(?!uk\(|labels\.)[^}]*(\.value|\.status|\.stage|\.outcome|channel|\.role|\.purpose|"
    r"\.method|service_type|closure_requested|complexity|skills(?!_uk))[^}]*\}"
)


def test_no_english_code_words_inside_the_ukrainian_part_of_cases_messages():
    root = pathlib.Path(__file__).resolve().parents[2] / "src" / "cases"
    found = []
    for path in sorted(root.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r'f?"([^"\n]*[А-Яа-яІіЇїЄєҐґ][^"\n]*)"', text):
            ukrainian = match.group(1).split(" / ")[0]
            words = set(LATIN_WORD.findall(re.sub(r"\{[^}]*\}", "", ukrainian))) - ALLOWED_IN_UKRAINIAN
            codes = [c.group(0) for c in CODE_PLACEHOLDER.finditer(ukrainian)]
            if (words and " / " in match.group(1)) or codes:
                found.append(f"{path.name}:{text[: match.start()].count(chr(10)) + 1}: {sorted(words)} {codes}")
    assert found == []


def test_an_intake_that_does_not_answer_is_unavailable_not_a_hung_call():
    import eventlet

    from cases.adapters.intake_client import appeal_details_source
    from ekm_platform.errors import Unavailable

    class SlowIntake:
        def get_appeal_details(self, appeal_id, actor):
            eventlet.sleep(5)

    class Intake:
        def get_appeal_details(self, appeal_id, actor):
            return {"appeal_id": appeal_id, "asked_by": actor["user_id"]}

    with pytest.raises(Unavailable, match="intake"):
        appeal_details_source(SlowIntake(), timeout=0.05)("a-1", CM.as_actor())
    assert appeal_details_source(Intake(), timeout=1)("a-1", CM.as_actor()) == {"appeal_id": "a-1", "asked_by": "cm-1"}


def test_a_registry_fact_reads_in_ukrainian_in_the_social_history(uow, case):
    event = Envelope(
        "registry.facts_found",
        "registry_gateway",
        {
            "case_number": case.case_number,
            "registry": "border_guard",
            "query_id": "q-1",
            "facts": [{"kind": "registry.person.returned_from_service", "occurred_on": "2026-11-01"}],
        },
    )
    with uow() as u:
        assert handlers.apply_registry_facts(event, u) == 1
        u.commit()
    with uow() as u:
        [entry] = [e for e in u.repo.history_of(case.person_id, 0, 50) if e.source == "registry-gateway"]
    assert (entry.kind, entry.summary) == (
        "registry.person.returned_from_service",
        "Держприкордонслужба: повернення зі служби",
    )
