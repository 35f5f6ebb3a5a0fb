"""The case-management use cases over a real (SQLite) database, no broker."""

from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from cases.adapters.orm import audit_log, metadata
from cases.adapters.repository import CaseRepository
from cases.domain.assessment import Assessment, Domain, DomainAssessment, FamilyMember
from cases.domain.consent import Consent
from cases.domain.lifecycle import Outcome
from cases.domain.model import Stage
from cases.domain.plan import Goal, Plan, PlannedService, Step
from cases.domain.review import Review
from cases.domain.workload import CaseManager
from cases.service_layer import (
    assessments,
    cabinet,
    consents,
    contracts,
    handlers,
    persons,
    plans,
    stages,
    supervision,
    transfers,
    workload,
)
from ekm_platform.audit import chain_pending, verify
from ekm_platform.auth import Principal
from ekm_platform.envelope import Envelope
from ekm_platform.errors import Aborted, FailedPrecondition, NotFound, PermissionDenied, ValidationError

COMMUNITY = "UA80000000000093317"
CM, OTHER, SV = Principal("cm-1", "case_manager"), Principal("cm-2", "case_manager"), Principal("sv-1", "supervisor")
PERSON = {
    "rnokpp": "3221512349",
    "unzr": "19880314-43212",
    "last_name": "Коваленко",
    "first_name": "Андрій",
    "patronymic": "",
    "birth_date": "1988-03-14",
}


@pytest.fixture
def uow(sqlite_uow):
    factory = sqlite_uow("cases", metadata, CaseRepository)
    with factory() as u:
        workload.register_manager(u, CaseManager("cm-1", COMMUNITY, 10, frozenset({"veterans"}), "sv-1"))
    with factory() as u:
        workload.register_manager(u, CaseManager("cm-2", COMMUNITY, 10, frozenset(), "sv-2"))
    return factory


@pytest.fixture
def case(uow):
    event = Envelope(
        "appeal.accepted", "intake", {"appeal_id": "a-1", "screening_level": "assessment", "community_code": COMMUNITY}
    )
    with uow() as u:
        opened = handlers.open_case_for_appeal(event, u, lambda appeal_id: {"person": PERSON})
        u.commit()
    assert opened.assigned_to == "cm-1"
    return opened


def act(case, **levels):
    return Assessment(
        case.case_id,
        1,
        "2026-11-01",
        "cm-1",
        family=(FamilyMember("Коваленко Андрій", "1988-03-14", "self"),),
        domains=tuple(DomainAssessment(d, levels.get(d.value, 0)) for d in Domain),
    )


def current(uow, case):
    with uow() as u:
        return u.repo.get(case_id=case.case_id)


def test_the_case_goes_from_assessment_to_closure_and_reopens(uow, case):
    with uow() as u, pytest.raises(FailedPrecondition, match="approved needs assessment"):
        stages.transition_case(u, CM, case.case_id, Stage.PLANNING, current(uow, case).version)
    with uow() as u:
        saved = assessments.save_assessment(
            u, CM, act(case, health=2, housing=1), current(uow, case).version, submit=True
        )
    assert saved.status.value == "submitted"
    with uow() as u, pytest.raises(PermissionDenied):
        assessments.approve_assessment(u, CM, case.case_id, 1)
    with uow() as u:
        assessments.approve_assessment(u, SV, case.case_id, 1)
    assert current(uow, case).complexity == "medium"
    with uow() as u:
        result = assessments.score_assessment(u, CM, case.case_id)
    assert "rehabilitation" in {r.service_type for r in result.recommendations}
    assert current(uow, case).stage is Stage.PLANNING  # the approval moved the case on
    plan = Plan(
        case.case_id,
        1,
        goals=(Goal("g1", "health", "Реабілітація"),),
        steps=(Step("s1", "g1", "Візит до лікаря", "person", "p", "2026-12-01"),),
        services=(PlannedService("sv1", "rehabilitation", "Центр", "щотижня"),),
    )
    with uow() as u:
        plans.save_plan(u, CM, plan, current(uow, case).version)
    with uow() as u, pytest.raises(FailedPrecondition, match="agreement"):
        stages.transition_case(u, CM, case.case_id, Stage.IMPLEMENTATION, current(uow, case).version)
    with uow() as u, pytest.raises(FailedPrecondition, match="supervisor approves"):
        plans.agree_plan(u, CM, case.case_id, 1, "in_person")
    with uow() as u:
        assert [i.kind for i in supervision.queue(u, SV)] == ["plan_approval"]
    with uow() as u:
        plans.approve_plan(u, SV, case.case_id, 1)
    with uow() as u:
        plans.agree_plan(u, CM, case.case_id, 1, "in_person")
    for target in (Stage.IMPLEMENTATION, Stage.MONITORING, Stage.REVIEW):
        with uow() as u:
            stages.transition_case(u, CM, case.case_id, target, current(uow, case).version)
    with uow() as u, pytest.raises(FailedPrecondition, match="review is required"):
        stages.transition_case(u, CM, case.case_id, Stage.CLOSED, current(uow, case).version, Outcome.RESOLVED)
    with uow() as u:
        plans.record_review(
            u, CM, Review(case.case_id, "2026-12-20", True, {"g1": "achieved"}, "Працює"), current(uow, case).version
        )
    with uow() as u:
        requested = stages.transition_case(
            u, CM, case.case_id, Stage.CLOSED, current(uow, case).version, Outcome.RESOLVED
        )
    assert (requested.stage, requested.closure_requested) == (Stage.REVIEW, "resolved")  # waits for the supervisor
    with uow() as u:
        assert "closure_approval" in [i.kind for i in supervision.queue(u, SV)]
    with uow() as u, pytest.raises(PermissionDenied):
        stages.approve_closure(u, CM, case.case_id, current(uow, case).version)
    with uow() as u:
        closed = stages.approve_closure(u, SV, case.case_id, current(uow, case).version)
    assert (closed.stage, closed.outcome, closed.closure_requested) == (Stage.CLOSED, "resolved", "")
    with uow() as u:
        reopened = stages.transition_case(u, CM, case.case_id, Stage.ASSESSMENT, current(uow, case).version)
    assert reopened.stage is Stage.ASSESSMENT and reopened.outcome == ""

    with uow() as u:
        kinds = [row.kind for row in handlers.social_history(u, CM, case.person_id, 0, 100)]
        events = [r.event_type for r in u.session.execute(select(metadata.tables["outbox"]))]
    assert {"appeal", "case.opened", "assessment", "plan", "review", "case.stage"} <= set(kinds)
    assert events.count("case.stage_changed") == 6 and "case.plan_agreed" in events
    assert "case.closure_requested" in events
    with uow() as u:
        assert chain_pending(u.session.connection(), audit_log) > 10
        u.commit()
    with uow() as u:
        assert verify(u.session.connection(), audit_log).ok
        payloads = " ".join(r.details for r in u.session.execute(select(audit_log)))
    assert PERSON["last_name"] not in payloads and PERSON["rnokpp"] not in payloads


def test_a_stale_version_is_aborted_and_changes_nothing(uow, case):
    version = current(uow, case).version
    with uow() as u:
        assessments.save_assessment(u, CM, act(case), version)
    with uow() as u, pytest.raises(Aborted):
        assessments.save_assessment(u, CM, act(case, health=3), version)
    with uow() as u:
        assert assessments.get_assessment(u, CM, case.case_id).level(Domain.HEALTH) == 0


def test_invalid_assessment_values_per_field_and_nothing_stored(uow, case):
    bad = replace(act(case), domains=(DomainAssessment(Domain.HEALTH, 7),), started_on="2026-13-01")
    with uow() as u, pytest.raises(ValidationError) as caught:
        assessments.save_assessment(u, CM, bad, current(uow, case).version)
    assert {"domains.health.need_level", "started_on"} <= {v.field for v in caught.value.violations}
    with uow() as u, pytest.raises(NotFound):
        assessments.get_assessment(u, CM, case.case_id)


def test_reassignment_report_and_others_cannot_see(uow, case):
    with uow() as u, pytest.raises(NotFound):
        handlers.get_case(u, OTHER, case_id=case.case_id)
    with uow() as u, pytest.raises(ValidationError):
        workload.assign_case(u, SV, case.case_id, "cm-2", "відпустка")  # cm-2 is not in sv-1's team
    with uow() as u:
        workload.register_manager(u, CaseManager("cm-3", COMMUNITY, 5, frozenset(), "sv-1"))
    with uow() as u:
        moved = workload.assign_case(u, SV, case.case_id, "cm-3", "відпустка")
    assert moved.assigned_to == "cm-3" and "відпустка" in moved.assignment_explanation
    with uow() as u:
        report = {m.manager_id: (load, count) for m, load, count in workload.workload_report(u, SV, COMMUNITY)}
    assert report["cm-3"] == (2, 1) and report["cm-1"] == (0, 0)


def test_review_can_send_the_case_back_to_assessment(uow, case):
    with uow() as u:
        assessments.save_assessment(u, CM, act(case, health=2), current(uow, case).version, submit=True)
    with uow() as u:
        assessments.approve_assessment(u, SV, case.case_id, 1)  # moves the case on to planning
    with uow() as u:
        plans.save_plan(
            u, CM, Plan(case.case_id, 1, goals=(Goal("g1", "health", "Лікування"),)), current(uow, case).version
        )
    with uow() as u:
        plans.approve_plan(u, SV, case.case_id, 1)
    with uow() as u:
        plans.agree_plan(u, CM, case.case_id, 1, "in_person")
    for target in (Stage.IMPLEMENTATION, Stage.MONITORING, Stage.REVIEW):
        with uow() as u:
            stages.transition_case(u, CM, case.case_id, target, current(uow, case).version)
    with uow() as u:
        plans.record_review(
            u,
            CM,
            Review(case.case_id, "2026-12-20", False, {"g1": "not_achieved"}, "Погіршення", reassessment_needed=True),
            current(uow, case).version,
        )
    assert current(uow, case).stage is Stage.ASSESSMENT
    with uow() as u:
        draft = assessments.get_assessment(u, CM, case.case_id)
    assert (draft.version, draft.status.value) == (2, "draft")
    with (
        uow() as u,
        pytest.raises(FailedPrecondition, match="approved needs assessment"),
    ):  # the old approval no longer counts
        stages.transition_case(u, CM, case.case_id, Stage.PLANNING, current(uow, case).version)


# Recipient cabinet, ratings, the supervision queue and quality KPIs ----------------------------


def planned(uow, case):
    with uow() as u:
        assessments.save_assessment(u, CM, act(case, health=2), current(uow, case).version, submit=True)
    with uow() as u:
        queued = supervision.queue(u, SV)
    assert [i.kind for i in queued] == ["assessment_approval"]
    with uow() as u:
        assessments.approve_assessment(u, SV, case.case_id, 1)  # moves the case on to planning
    with uow() as u:
        plans.save_plan(
            u,
            CM,
            Plan(
                case.case_id,
                1,
                goals=(Goal("g1", "health", "Реабілітація"),),
                steps=(
                    Step("s1", "g1", "Візит", "person", "p", "2026-01-01"),
                    Step("s2", "g1", "Направлення", "case_manager", "cm-1", "2099-01-01"),
                ),
                services=(PlannedService("sv1", "rehabilitation", "Центр", "щотижня"),),
            ),
            current(uow, case).version,
        )
    with uow() as u:
        plans.approve_plan(u, SV, case.case_id, 1)


def test_the_person_agrees_marks_own_steps_and_rates(uow, case):
    planned(uow, case)
    me = Principal(case.person_id, "recipient")
    with uow() as u:
        view = cabinet.cabinet(u, me)
    assert view.plan.version == 1 and not view.plan.agreed
    with uow() as u:
        assert cabinet.agree_in_cabinet(u, me, 1).plan.agreement_channel == "cabinet"
    with uow() as u, pytest.raises(PermissionDenied):
        cabinet.mark_own_step_done(u, me, "s2")
    with uow() as u:
        assert cabinet.mark_own_step_done(u, me, "s1").plan.steps[0].status == "done"
    with uow() as u, pytest.raises(ValidationError):
        cabinet.rate_service(u, me, "sv1", 6, "")
    with uow() as u, pytest.raises(ValidationError):
        cabinet.rate_service(u, me, "sv-unknown", 5, "")
    with uow() as u:
        cabinet.rate_service(u, me, "sv1", 4, "Добре")
    with uow() as u:
        assert cabinet.cabinet(u, me).my_ratings == {"sv1": 4}
    with uow() as u, pytest.raises(NotFound):
        cabinet.cabinet(u, Principal("someone-else", "recipient"))
    with uow() as u, pytest.raises(PermissionDenied):
        cabinet.cabinet(u, CM)
    with uow() as u:
        stages.transition_case(u, CM, case.case_id, Stage.IMPLEMENTATION, current(uow, case).version)
    with uow() as u:
        k = supervision.kpis(u, SV)
    assert (k.open_cases, k.ratings, k.average_rating) == (1, 1, 4.0)
    assert k.days_to_assessment >= 0 and k.days_to_plan >= 0 and k.overdue_steps == 0  # s1 done


def test_overdue_steps_count_and_an_unagreed_plan_cannot_start(uow, case):
    planned(uow, case)
    with uow() as u, pytest.raises(FailedPrecondition):
        stages.transition_case(u, CM, case.case_id, Stage.IMPLEMENTATION, current(uow, case).version)
    with uow() as u:
        assert supervision.kpis(u, SV).overdue_steps == 1


def test_a_contract_for_a_planned_service_with_its_explained_fee(uow, case):
    planned(uow, case)
    with uow() as u:
        draft = contracts.draft_contract(u, CM, case.case_id, "sv1", "7000", "3028.00", [], "2000")
    assert (draft.provider, draft.fee.free, str(draft.fee.amount)) == ("Центр", False, "500.00")
    with uow() as u:  # what-if: a category the person's record does not prove yet
        assert contracts.calculate_fee(u, CM, case.case_id, "sv1", "7000", "3028", ["combatant"], "2000").fee.free
    with uow() as u, pytest.raises(ValidationError) as caught:
        contracts.draft_contract(u, CM, case.case_id, "nope", "lots", "3028", [], "NaN")
    assert {v.field for v in caught.value.violations} == {"service_id", "average_monthly_income", "tariff"}


def test_a_transfer_needs_consent_and_the_receiver_accepts_it_with_the_history(uow, case):
    receiver = Principal("cm-9", "case_manager")
    with uow() as u:
        workload.register_manager(u, CaseManager("cm-9", "UA80000000000012345", 10, frozenset(), "sv-9"))
    version = current(uow, case).version
    with uow() as u, pytest.raises(FailedPrecondition, match="consent"):  # no stored consent of the person
        transfers.request_transfer(u, CM, case.case_id, "cm-9", "UA80000000000012345", "", "переїзд", version)
    with uow() as u:  # the person's written consent to move their data to the receiving community, on record
        consents.record_consent(
            u,
            CM,
            Consent(
                "",
                case.case_id,
                "transfer",
                "UA80000000000012345",
                ("identity", "case_history"),
                "person",
                "written",
                datetime.now(timezone.utc) - timedelta(hours=1),
                datetime.now(timezone.utc) + timedelta(days=30),
                "",
            ),
        )
    with uow() as u, pytest.raises(ValidationError):
        transfers.request_transfer(u, CM, case.case_id, "cm-404", "UA80000000000012345", "", "переїзд", version)
    with uow() as u:
        transfer = transfers.request_transfer(
            u, CM, case.case_id, "cm-9", "UA80000000000012345", "", "переїзд", version
        )
    assert transfer.consent_id
    assert current(uow, case).assigned_to == "cm-1"  # nothing moves before acceptance
    with uow() as u, pytest.raises(NotFound):
        transfers.accept_transfer(u, OTHER, transfer.transfer_id)
    with uow() as u:
        assert transfers.accept_transfer(u, receiver, transfer.transfer_id).state == "accepted"
    moved = current(uow, case)
    assert (moved.assigned_to, moved.community_code) == ("cm-9", "UA80000000000012345")
    with uow() as u:
        kinds = [e.kind for e in handlers.social_history(u, receiver, case.person_id, 0, 50)]
    assert "case.transferred" in kinds and "appeal" in kinds  # the whole history moved with it
    with uow() as u, pytest.raises(NotFound):
        handlers.get_case(u, CM, case_id=case.case_id)


def test_person_details_household_and_merging_duplicates(uow, case):
    with uow() as u:
        person = persons.update_person(u, CM, case.person_id, "+380501110001", "", ["combatant", "wounded"], 2)
    assert person.veteran_statuses == ("combatant", "wounded") and person.disability_group == 2
    with uow() as u, pytest.raises(ValidationError) as caught:
        persons.update_person(u, CM, case.person_id, "050", "x@", ["hero"], 5)
    assert {v.field for v in caught.value.violations} == {"phone", "email", "veteran_statuses", "disability_group"}
    members = [
        FamilyMember("Коваленко Андрій", "1988-03-14", "self"),
        FamilyMember("Коваленко Ія", "2016-02-02", "child"),
    ]
    with uow() as u:
        persons.save_household(u, CM, case.case_id, "м. Київ", members)
    with uow() as u:
        assert len(persons.get_household(u, CM, case.case_id)[3]) == 2
    # a duplicate of the same person came in through another appeal and its case was closed
    from cases.domain.model import Person

    with uow() as u:
        duplicate = Person.new(rnokpp="", unzr="", last_name="Коваленко", first_name="Андрій")
        u.repo.add_person(duplicate)
        u.repo.add_history(duplicate.person_id, "appeal", "a-dup", "дублікат", "intake")
        u.commit()
    with uow() as u, pytest.raises(PermissionDenied):
        persons.merge_persons(u, CM, case.person_id, duplicate.person_id, "дублікат")
    with uow() as u:
        kept = persons.merge_persons(u, SV, case.person_id, duplicate.person_id, "той самий РНОКПП")
    assert kept.person_id == case.person_id
    with uow() as u:
        refs = [e.reference for e in handlers.social_history(u, CM, case.person_id, 0, 50)]
        assert u.repo.get_person(duplicate.person_id).merged_into == case.person_id
    assert "a-dup" in refs and "a-1" in refs  # both histories


def test_due_and_overdue_steps_are_announced_once(uow, case):
    from datetime import date

    planned(uow, case)  # s1 due 2026-01-01 (overdue), s2 due 2099-01-01
    with uow() as u:
        assert plans.announce_due_steps(u, date(2026, 11, 22)) == 1
    with uow() as u:
        assert plans.announce_due_steps(u, date(2026, 11, 22)) == 0
    with uow() as u:
        assert plans.announce_due_steps(u, date(2098, 12, 30)) == 1  # s2 comes due
        events = [(r.event_type, r.payload) for r in u.session.execute(select(metadata.tables["outbox"]))]
    kinds = [e for e, _ in events if e.startswith("case.step_")]
    assert kinds == ["case.step_overdue", "case.step_due"]


def test_registry_facts_enter_the_history_once_by_source_id(uow, case):
    from ekm_platform.dependencies import PermanentEventError

    body = {
        "case_number": case.case_number,
        "registry": "border_guard",
        "query_id": "q-1",
        "facts": [{"kind": "registry.person.returned_from_service", "occurred_on": "2026-10-30"}],
    }
    for query_id in ("q-1", "q-2"):  # the same fact found by two lookups
        with uow() as u:
            handlers.apply_registry_facts(
                Envelope("registry.facts_found", "registry_gateway", {**body, "query_id": query_id}), u
            )
            u.commit()
    with uow() as u:
        kinds = [e.kind for e in handlers.social_history(u, CM, case.person_id, 0, 50)]
    assert kinds.count("registry.person.returned_from_service") == 1
    with uow() as u, pytest.raises(PermanentEventError):
        handlers.apply_registry_facts(Envelope("registry.facts_found", "registry_gateway", {"case_number": "X"}), u)


def test_registry_facts_about_somebody_else_never_enter_the_case_persons_history(uow, case):
    from ekm_platform.dependencies import PermanentEventError

    body = {
        "case_number": case.case_number,
        "registry": "border_guard",
        "query_id": "q-9",
        "person_id": "somebody-else",
        "facts": [{"kind": "registry.person.returned_from_service", "occurred_on": "2026-10-30"}],
    }
    with uow() as u, pytest.raises(PermanentEventError):
        handlers.apply_registry_facts(Envelope("registry.facts_found", "registry_gateway", body), u)
    with uow() as u:
        kinds = [e.kind for e in handlers.social_history(u, CM, case.person_id, 0, 50)]
    assert "registry.person.returned_from_service" not in kinds
    with uow() as u:  # about the case's own person: it is written
        assert (
            handlers.apply_registry_facts(
                Envelope("registry.facts_found", "registry_gateway", {**body, "person_id": case.person_id}), u
            )
            == 1
        )
