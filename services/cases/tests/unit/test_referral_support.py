"""Issue 10 in cases: what a referral may share with an agency (its consent record only), a case
conference's decisions as plan steps under the plan's rules, referral transitions in the social
history, and consent records exported as ISO/IEC TS 27560 JSON."""

import json
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from cases.adapters.orm import audit_log, metadata
from cases.adapters.repository import CaseRepository
from cases.domain.assessment import Assessment, Domain, DomainAssessment, FamilyMember
from cases.domain.consent import Consent
from cases.domain.plan import Goal, Plan, Step
from cases.domain.workload import CaseManager
from cases.service_layer import assessments, consents, handlers, plans, workload
from cases.service_layer import referrals as support
from ekm_platform.auth import Principal
from ekm_platform.envelope import Envelope
from ekm_platform.errors import NotFound
from ekm_platform.sharing import CONTACT_FIELDS

COMMUNITY = "UA80000000000093317"
AGENCY, OTHER_AGENCY = "12345678", "87654321"
CM, OTHER, SV = Principal("cm-1", "case_manager"), Principal("cm-2", "case_manager"), Principal("sv-1", "supervisor")
PARTNER = Principal("pa-1", "partner_agency", organisation=AGENCY).as_actor()
OTHER_PARTNER = Principal("pa-2", "partner_agency", organisation=OTHER_AGENCY).as_actor()
PERSON = {
    "rnokpp": "3221512349",
    "unzr": "19880314-43212",
    "last_name": "Коваленко",
    "first_name": "Андрій",
    "patronymic": "Петрович",
    "birth_date": "1988-03-14",
}
NOW = datetime.now(timezone.utc)


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
    return opened


def current(uow, case):
    with uow() as u:
        return u.repo.get(case_id=case.case_id)


def consent(uow, case, recipient=AGENCY, categories=("identity",)):
    with uow() as u:
        return consents.record_consent(
            u,
            CM,
            Consent(
                person_id="",
                case_id=case.case_id,
                purpose="referral",
                recipient=recipient,
                data_categories=tuple(categories),
                given_by="person",
                method="written",
                given_at=NOW - timedelta(hours=1),
                expires_at=NOW + timedelta(days=90),
                recorded_by="",
            ),
        )


def shared(uow, case, actor=PARTNER, categories=("identity", "health", "family", "contacts")):
    with uow() as u:
        return support.person_data_for_agency(u, actor, case.case_number, list(categories))


def actions(uow):
    with uow() as u:
        return [
            (r.action, json.loads(r.details) if isinstance(r.details, str) else r.details)
            for r in u.session.execute(select(audit_log).order_by(audit_log.c.seq))
        ]


# --- what an agency sees ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "actor",
    [
        CM.as_actor(),
        SV.as_actor(),
        {"role": "partner_agency", "user_id": "x"},
        {"role": "hacker", "user_id": "x", "organisation": AGENCY},
    ],
)
def test_only_an_agency_token_with_its_organisation_gets_person_data(uow, case, actor):
    assert shared(uow, case, actor) == {"status": "not_found"}


def test_without_consent_the_agency_gets_the_contact_fields_only_and_it_is_audited(uow, case):
    answer = shared(uow, case)
    assert answer["status"] == "ok" and answer["categories"] == [] and answer["consent_id"] == ""
    assert set(answer["person"]) == set(CONTACT_FIELDS)
    assert answer["person"]["last_name"] == "Коваленко" and "rnokpp" not in answer["person"]
    action, details = actions(uow)[-1]
    assert action == "person.shared" and details["agency_code"] == AGENCY and details["categories"] == []


def test_the_agency_gets_the_consented_categories_only_whatever_it_asks(uow, case):
    given = consent(uow, case, categories=("identity",))
    answer = shared(uow, case, categories=("identity", "health", "family"))
    assert answer["categories"] == ["identity"] and answer["consent_id"] == given.consent_id
    assert set(answer["person"]) == set(CONTACT_FIELDS) | {"rnokpp", "unzr", "birth_date"}
    assert answer["person"]["rnokpp"] == "3221512349"


def test_a_consent_for_another_agency_shares_nothing_more_and_a_withdrawn_one_stops_sharing(uow, case):
    given = consent(uow, case, recipient=OTHER_AGENCY, categories=("identity",))
    assert shared(uow, case)["categories"] == []
    assert shared(uow, case, OTHER_PARTNER)["categories"] == ["identity"]
    with uow() as u:
        consents.withdraw_consent(u, CM, given.consent_id, "особа відкликала")
    assert shared(uow, case, OTHER_PARTNER)["categories"] == []


# --- conference decisions as plan steps ------------------------------------------------------------


def planned(uow, case):
    act = Assessment(
        case.case_id,
        1,
        "2026-11-01",
        "cm-1",
        family=(FamilyMember("Коваленко Андрій", "1988-03-14", "self"),),
        domains=tuple(DomainAssessment(d, 2 if d is Domain.HEALTH else 0) for d in Domain),
    )
    with uow() as u:
        assessments.save_assessment(u, CM, act, current(uow, case).version, submit=True)
    with uow() as u:
        assessments.approve_assessment(u, SV, case.case_id, 1)
    with uow() as u:
        plans.save_plan(
            u,
            CM,
            Plan(
                case.case_id,
                1,
                goals=(Goal("g1", "health", "Реабілітація"),),
                steps=(Step("s1", "g1", "Візит", "person", "p", "2099-01-01"),),
            ),
            current(uow, case).version,
        )


STEPS = [
    {
        "step_id": "conf-abc-1",
        "goal_id": "g1",
        "what": "Огляд у реабілітолога",
        "responsible_kind": "agency",
        "responsible_ref": AGENCY,
        "due_on": "2099-02-01",
    }
]


def test_another_managers_case_gets_no_steps(uow, case):
    planned(uow, case)
    with uow() as u:
        assert support.add_plan_steps(u, OTHER.as_actor(), case.case_number, STEPS, "conference:x") == {
            "status": "not_found"
        }
        assert support.add_plan_steps(u, PARTNER, case.case_number, STEPS, "conference:x") == {"status": "not_found"}


def test_no_plan_yet_is_a_failed_precondition(uow, case):
    with uow() as u:
        answer = support.add_plan_steps(u, CM.as_actor(), case.case_number, STEPS, "conference:x")
    assert answer["status"] == "failed_precondition" and " / " in answer["message"]


def test_a_step_breaking_the_plans_rules_is_invalid_and_nothing_changes(uow, case):
    planned(uow, case)
    bad = [{**STEPS[0], "goal_id": "g9", "due_on": "someday"}]
    with uow() as u:
        answer = support.add_plan_steps(u, CM.as_actor(), case.case_number, bad, "conference:x")
    assert answer["status"] == "invalid"
    assert {v["field"] for v in answer["violations"]} == {"steps[0].goal_id", "steps[0].due_on"}
    with uow() as u:
        assert [s.step_id for s in u.repo.latest_plan(case.case_id).steps] == ["s1"]


def test_decisions_become_steps_once_audited_and_an_agreed_plan_gets_a_new_version(uow, case):
    planned(uow, case)
    with uow() as u:
        plans.approve_plan(u, SV, case.case_id, 1)
    with uow() as u:
        plans.agree_plan(u, CM, case.case_id, 1, "in_person")
    with uow() as u:
        answer = support.add_plan_steps(u, CM.as_actor(), case.case_number, STEPS, "conference:x")
    assert answer == {"status": "ok", "plan_version": 2, "added": ["conf-abc-1"]}
    with uow() as u:
        plan = u.repo.latest_plan(case.case_id)
        assert plan.version == 2 and not plan.approved_by and not plan.agreed  # approved and agreed again
        assert [s.step_id for s in plan.steps] == ["s1", "conf-abc-1"]
        assert plan.steps[1].responsible_kind == "agency" and plan.steps[1].responsible_ref == AGENCY
        assert u.repo.latest_plan(case.case_id, 1).agreed  # the agreed version stays as it was
    with uow() as u:  # the same decisions again (a retry) add nothing
        assert support.add_plan_steps(u, CM.as_actor(), case.case_number, STEPS, "conference:x")["added"] == []
    action, details = actions(uow)[-1]
    assert action == "plan.steps_added" and details["step_ids"] == ["conf-abc-1"]


# --- referral transitions in the social history ----------------------------------------------------


def test_each_referral_transition_is_in_the_history_once_in_ukrainian_first(uow, case):
    for status, extra in (
        ("in_progress", {}),
        ("rejected", {"reason_code": "no_capacity"}),
        ("rejected", {"reason_code": "no_capacity"}),
    ):
        event = Envelope(
            f"referral.{status}",
            "interagency",
            {
                "referral_id": "r-1",
                "case_number": case.case_number,
                "agency_code": AGENCY,
                "sector": "health",
                "status": status,
                "at": NOW.isoformat(),
                "by_role": "partner_agency",
                **extra,
            },
        )
        with uow() as u:
            support.apply_referral_event(event, u)
            u.commit()
    with uow() as u:
        lines = [e.summary for e in u.repo.history_of(case.person_id, 0, 100) if e.kind == "referral"]
    assert sorted(lines) == [  # the repeated event added nothing
        "направлення до установи 12345678 (охорона здоров'я): в роботі; хто: партнерська установа / "
        "referral in_progress",
        "направлення до установи 12345678 (охорона здоров'я): відхилено — брак потужностей; хто: партнерська "
        "установа / referral rejected",
    ]


def test_a_referral_created_before_the_closed_loop_without_a_status_is_in_progress(uow, case):
    event = Envelope(
        "referral.created",
        "interagency",
        {"referral_id": "r-0", "case_number": case.case_number, "sector": "health", "agency_code": AGENCY},
    )
    with uow() as u:
        assert support.apply_referral_event(event, u)
        u.commit()
    with uow() as u:
        [line] = [e.summary for e in u.repo.history_of(case.person_id, 0, 100) if e.kind == "referral"]
    assert "в роботі" in line


def test_a_referral_event_of_an_unknown_case_is_a_dead_letter(uow):
    from ekm_platform.dependencies import PermanentEventError

    event = Envelope(
        "referral.accepted",
        "interagency",
        {"referral_id": "r-1", "case_number": "CASE-2026-NOPE000", "status": "accepted"},
    )
    with uow() as u, pytest.raises(PermanentEventError):
        support.apply_referral_event(event, u)


# --- ISO/IEC TS 27560 export -------------------------------------------------------------------------


def test_consent_records_export_as_iso_27560_json_for_the_cases_staff_only(uow, case):
    given = consent(uow, case, categories=("identity", "health"))
    with uow() as u:
        consents.withdraw_consent(u, CM, given.consent_id, "передумав")
    with uow() as u, pytest.raises(NotFound):
        consents.export_consents(u, OTHER, case.case_id)
    with uow() as u:
        document, count = consents.export_consents(u, CM, case.case_id)
    data = json.loads(document)
    assert count == 1 and data["schema_version"] == "ISO/IEC TS 27560:2023"
    [record] = data["consent_records"]
    assert record["record_id"] == given.consent_id and record["pii_principal_id"] == case.person_id
    assert record["state"] == "withdrawn"
    [purpose] = record["purposes"]
    assert purpose["purpose_id"] == "referral" and purpose["recipients"] == [
        {"recipient_id": AGENCY, "recipient_type": "agency"}
    ]
    assert [c["category_id"] for c in purpose["pii_categories"]] == ["identity", "health"]
    assert purpose["lawful_basis"] and record["validity"]["end"] == given.expires_at.isoformat()
    assert [e["event_type"] for e in record["events"]] == ["consent_given", "consent_withdrawn"]
    assert "Коваленко" not in document and "3221512349" not in document  # identifiers only
    assert actions(uow)[-1][0] == "consent.export"


def test_an_agency_marks_done_only_the_plan_steps_given_to_it(uow, case):
    planned(uow, case)
    with uow() as u:
        support.add_plan_steps(u, CM.as_actor(), case.case_number, STEPS, "conference:x")
    with uow() as u:
        assert support.mark_agency_step(u, OTHER_PARTNER, case.case_number, "conf-abc-1") == {"status": "not_found"}
        assert support.mark_agency_step(u, PARTNER, case.case_number, "s1") == {"status": "not_found"}
        assert support.mark_agency_step(u, CM.as_actor(), case.case_number, "conf-abc-1") == {"status": "not_found"}
    with uow() as u:
        assert support.mark_agency_step(u, PARTNER, case.case_number, "conf-abc-1")["status"] == "ok"
    with uow() as u:
        assert support.mark_agency_step(u, PARTNER, case.case_number, "conf-abc-1")["status"] == "failed_precondition"
        step = next(s for s in u.repo.latest_plan(case.case_id).steps if s.step_id == "conf-abc-1")
    assert step.status == "done"
    assert actions(uow)[-1][0] == "plan.step_done"
