"""Issue 10, items 1–4 in interagency: agencies, the referral's closed loop (state machine, who may
answer, every transition recorded, published and audited), what an agency sees of the person
(consent only), FHIR R4B round trip, case conferences whose decisions become plan steps."""

import json
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from ekm_platform.auth import Principal
from ekm_platform.errors import FailedPrecondition, NotFound, PermissionDenied, ValidationError
from ekm_platform.sharing import CONTACT_FIELDS
from interagency.adapters import fhir
from interagency.adapters.orm import audit_log, metadata
from interagency.adapters.repository import ReferralRepository
from interagency.domain.agencies import agency_from_dict
from interagency.domain.conference import Conference, Decision, Participant
from interagency.domain.model import Referral, ReferralState, Sector
from interagency.service_layer import agencies, conferences, handlers

CASE, OTHER_CASE = "CASE-2026-AAAAAAA", "CASE-2026-BBBBBBB"
COMMUNITY = "UA80000000000093317"
HEALTH, JOBS = "12345678", "87654321"
CM = Principal("cm-1", "case_manager", COMMUNITY)
OTHER_CM = Principal("cm-2", "case_manager", COMMUNITY)
AGENCY = Principal("pa-1", "partner_agency", organisation=HEALTH)
OTHER_AGENCY = Principal("pa-2", "partner_agency", organisation=JOBS)
PERSON = {
    "last_name": "Коваленко",
    "first_name": "Андрій",
    "patronymic": "Петрович",
    "phone": "+380671234567",
    "rnokpp": "3221512349",
    "unzr": "19880314-43212",
    "birth_date": "1988-03-14",
    "email": "a@example.org",
    "disability_group": 2,
    "health_need_level": 2,
}


def check(actor, case_number, subject=None):
    """cases.check_case_access: cm-1 owns CASE, cm-2 OTHER_CASE."""
    owners = {CASE: "cm-1", OTHER_CASE: "cm-2"}
    if owners.get(case_number) != actor["user_id"]:
        return {"status": "not_found"}
    return {
        "status": "ok",
        "case_id": f"id-{case_number}",
        "case_number": case_number,
        "stage": "planning",
        "person_id": "p-1",
        "is_case_person": True,
        "identifiers_only": False,
    }


@pytest.fixture
def uow(sqlite_uow):
    factory = sqlite_uow("interagency", metadata, ReferralRepository)
    for code, sector in ((HEALTH, "health"), (JOBS, "employment")):
        with factory() as u:
            agencies.register_agency(
                u, {"agency_code": code, "name": f"Установа {code}", "sector": sector, "community_code": COMMUNITY}
            )
    return factory


@pytest.fixture
def referral(uow):
    with uow() as u:
        return handlers.create_referral(
            u, check, CM, CASE, None, HEALTH, "Потрібна реабілітація", action="Курс фізичної реабілітації"
        )


def outbox(uow):
    with uow() as u:
        table = u._tables["outbox"]
        return [
            (r.event_type, json.loads(r.payload) if isinstance(r.payload, str) else r.payload)
            for r in u.session.execute(select(table).order_by(table.c.created_at))
        ]


def audited(uow):
    with uow() as u:
        return [(r.actor_id, r.action) for r in u.session.execute(select(audit_log).order_by(audit_log.c.seq))]


# --- agencies -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "change, field",
    [
        ({"agency_code": "123"}, "agency_code"),
        ({"sector": "magic"}, "sector"),
        ({"community_code": "UA1"}, "community_code"),
        ({"name": " "}, "name"),
    ],
)
def test_an_invalid_agency_names_the_field(change, field):
    data = {"agency_code": HEALTH, "name": "Лікарня", "sector": "health", "community_code": COMMUNITY, **change}
    with pytest.raises(ValidationError) as caught:
        agency_from_dict(data)
    assert field in {v.field for v in caught.value.violations}


def test_agencies_by_sector_and_every_sector_of_the_issue_exists(uow):
    assert {"health", "education", "employment", "border_guard", "child_services", "probation", "legal_aid", "ngo"} <= {
        s.value for s in Sector
    }
    with uow() as u:
        assert [a.agency_code for a in agencies.list_agencies(u, CM, Sector.EMPLOYMENT)] == [JOBS]
        with pytest.raises(PermissionDenied):
            agencies.list_agencies(u, Principal("d-1", "donor"))


def test_a_referral_to_an_unknown_agency_or_of_another_sector_is_refused(uow):
    with uow() as u, pytest.raises(ValidationError) as caught:
        handlers.create_referral(u, check, CM, CASE, None, "11111111", "Потреба")
    assert caught.value.violations[0].field == "agency_code"
    with uow() as u, pytest.raises(ValidationError) as caught:
        handlers.create_referral(u, check, CM, CASE, Sector.EDUCATION, HEALTH, "Потреба")
    assert caught.value.violations[0].field == "sector"


# --- the state machine (domain) ----------------------------------------------------------------


def fresh() -> Referral:
    return Referral(CASE, Sector.HEALTH, HEALTH, "need", "cm-1")


def test_accepting_twice_or_after_a_revocation_is_a_failed_precondition():
    accepted, _ = fresh().accept("pa-1", HEALTH)
    with pytest.raises(FailedPrecondition):
        accepted.accept("pa-1", HEALTH)
    revoked, _ = fresh().revoke("cm-1", "case_manager", "особа переїхала")
    with pytest.raises(FailedPrecondition) as caught:
        revoked.accept("pa-1", HEALTH)
    assert " / " in caught.value.message


@pytest.mark.parametrize(
    "path, allowed",
    [
        (("accept", "complete"), True),
        (("accept", "revoke"), True),
        (("reject",), True),
        (("revoke",), True),
        (("complete",), False),
        (("reject", "accept"), False),
        (("accept", "reject"), False),
        (("accept", "complete", "revoke"), False),
        (("revoke", "revoke"), False),
        (("reject", "complete"), False),
    ],
)
def test_which_transitions_are_allowed(path, allowed):
    steps = {
        "accept": lambda r: r.accept("pa-1", HEALTH),
        "reject": lambda r: r.reject("pa-1", HEALTH, "no_capacity"),
        "complete": lambda r: r.complete("pa-1", HEALTH, "Курс пройдено", True),
        "revoke": lambda r: r.revoke("cm-1", "case_manager", "не потрібно"),
    }
    referral = fresh()
    try:
        for name in path:
            referral, transition = steps[name](referral)
    except FailedPrecondition:
        assert not allowed
    else:
        assert allowed and referral.version == len(path) + 1 and transition.to_state == referral.state.value


def test_a_rejection_needs_a_coded_reason_and_other_needs_a_note():
    with pytest.raises(ValidationError) as caught:
        fresh().reject("pa-1", HEALTH, "busy")
    assert caught.value.violations[0].field == "reason_code"
    with pytest.raises(ValidationError) as caught:
        fresh().reject("pa-1", HEALTH, "other")
    assert caught.value.violations[0].field == "note"
    rejected, transition = fresh().reject("pa-1", HEALTH, "client_refused")
    assert rejected.rejection_reason == transition.reason_code == "client_refused"


def test_a_completion_has_an_outcome_and_a_success_flag_and_the_event_carries_identifiers_only():
    accepted, _ = fresh().accept("pa-1", HEALTH)
    with pytest.raises(ValidationError):
        accepted.complete("pa-1", HEALTH, " ", True)
    done, transition = accepted.complete("pa-1", HEALTH, "Курс пройдено, стан покращився", False)
    assert (done.state, done.outcome, done.success) == (
        ReferralState.COMPLETED,
        "Курс пройдено, стан покращився",
        False,
    )
    event = done.transition_event(transition)
    assert set(event) == {"referral_id", "case_number", "agency_code", "sector", "status", "at", "by_role", "success"}
    assert "Курс" not in json.dumps(event, ensure_ascii=False)


def test_deadlines_and_overdue():
    created = datetime(2026, 12, 1, tzinfo=timezone.utc)
    referral = Referral(
        CASE,
        Sector.HEALTH,
        HEALTH,
        "need",
        "cm-1",
        created_at=created,
        respond_by=created + timedelta(days=5),
        complete_by="2026-12-31",
    )
    assert not referral.overdue(created + timedelta(days=4)) and referral.overdue(created + timedelta(days=6))
    accepted, _ = referral.accept("pa-1", HEALTH, at=created + timedelta(days=1))
    assert not accepted.overdue(datetime(2026, 12, 31, 23, tzinfo=timezone.utc))
    assert accepted.overdue(datetime(2027, 1, 1, 1, tzinfo=timezone.utc))


# --- who answers, through the use cases ---------------------------------------------------------


def test_another_agency_can_neither_see_nor_answer_the_referral_and_nothing_changes(uow, referral):
    for call in (
        lambda u: handlers.accept_referral(u, OTHER_AGENCY, referral.referral_id),
        lambda u: handlers.reject_referral(u, OTHER_AGENCY, referral.referral_id, "no_capacity"),
        lambda u: handlers.get_referral(u, check, OTHER_AGENCY, referral.referral_id),
        lambda u: handlers.referral_details(
            u, check, OTHER_AGENCY, referral.referral_id, lambda *a: None, lambda *a: {"status": "ok"}
        ),
    ):
        with uow() as u, pytest.raises(NotFound):
            call(u)
    with uow() as u:
        assert u.repo.get(referral.referral_id).state is ReferralState.IN_PROGRESS
        assert handlers.list_referrals(u, check, OTHER_AGENCY) == []
    assert [t for t, _ in outbox(uow)] == ["referral.created"]


def test_only_the_agency_answers_and_only_a_manager_who_sees_the_case_revokes(uow, referral):
    with uow() as u, pytest.raises(PermissionDenied):
        handlers.accept_referral(u, CM, referral.referral_id)
    with uow() as u, pytest.raises(PermissionDenied):
        handlers.revoke_referral(u, check, AGENCY, referral.referral_id, "ні")
    with uow() as u, pytest.raises(NotFound):
        handlers.revoke_referral(u, check, OTHER_CM, referral.referral_id, "ні")
    with uow() as u, pytest.raises(NotFound):
        handlers.create_referral(u, check, OTHER_CM, CASE, None, HEALTH, "Потреба")


def test_the_closed_loop_is_recorded_published_and_audited(uow, referral):
    assert referral.respond_by == referral.created_at + timedelta(days=5) and referral.complete_by
    with uow() as u:
        handlers.accept_referral(u, AGENCY, referral.referral_id, "Запишемо на 10.12")
    with uow() as u, pytest.raises(FailedPrecondition):
        handlers.accept_referral(u, AGENCY, referral.referral_id)
    with uow() as u:
        done = handlers.complete_referral(u, AGENCY, referral.referral_id, "Курс пройдено", True)
    assert done.state is ReferralState.COMPLETED and done.success
    with uow() as u:
        _, transitions, _ = handlers.referral_details(u, check, CM, referral.referral_id)
    assert [(t.from_state, t.to_state, t.by_user, t.by_role, t.by_organisation) for t in transitions] == [
        ("", "in_progress", "cm-1", "case_manager", ""),
        ("in_progress", "accepted", "pa-1", "partner_agency", HEALTH),
        ("accepted", "completed", "pa-1", "partner_agency", HEALTH),
    ]
    events = outbox(uow)
    assert [t for t, _ in events] == ["referral.created", "referral.accepted", "referral.completed"]
    for _, payload in events:
        data = payload.get("data", payload)
        assert {data["referral_id"], data["case_number"], data["agency_code"]} == {referral.referral_id, CASE, HEALTH}
    assert ("pa-1", "referral.accept") in audited(uow) and ("pa-1", "referral.complete") in audited(uow)


def test_a_stale_answer_loses_to_the_one_that_came_first(uow, referral):
    with uow() as u:
        stale = u.repo.get(referral.referral_id)
        handlers.accept_referral(u, AGENCY, referral.referral_id)
    with uow() as u:
        assert not u.repo.save_transition(stale, *stale.revoke("cm-1", "case_manager", "пізно"))


def test_the_agency_inbox_and_the_case_list(uow, referral):
    with uow() as u:
        handlers.create_referral(u, check, OTHER_CM, OTHER_CASE, None, JOBS, "Робота")
    with uow() as u:
        assert [r.referral_id for r in handlers.list_referrals(u, check, AGENCY)] == [referral.referral_id]
        assert [r.case_number for r in handlers.list_referrals(u, check, OTHER_AGENCY)] == [OTHER_CASE]
        assert [r.referral_id for r in handlers.list_referrals(u, check, CM, CASE)] == [referral.referral_id]
        with pytest.raises(NotFound):
            handlers.list_referrals(u, check, CM, OTHER_CASE)


# --- what the agency sees of the person -----------------------------------------------------------


class FakeCases:
    def __init__(self, consent_categories=None):
        self.consent = (
            None if consent_categories is None else {"consent_id": "c-1", "data_categories": consent_categories}
        )
        self.asked = []

    def active_consent(self, person_id, purpose, recipient):
        self.asked.append((person_id, purpose, recipient))
        return self.consent

    def person_data(self, actor, case_number, categories):
        # a careless (or compromised) cases answer with everything: interagency still filters
        return {"status": "ok", "categories": list(categories) + ["health"], "person": dict(PERSON)}


def details(uow, referral, cases, who=AGENCY):
    with uow() as u:
        return handlers.referral_details(u, check, who, referral.referral_id, cases.active_consent, cases.person_data)


def test_without_consent_the_agency_sees_only_the_contact_fields(uow, referral):
    cases = FakeCases()
    _, _, shared = details(uow, referral, cases)
    assert cases.asked == [("p-1", "referral", HEALTH)]
    assert shared["categories"] == [] and set(shared["person"]) == set(CONTACT_FIELDS)
    assert audited(uow)[-1] == ("pa-1", "referral.person_shared")


def test_the_agency_sees_the_consented_categories_only(uow, referral):
    _, _, shared = details(uow, referral, FakeCases(["identity"]))
    assert shared["categories"] == ["identity"] and shared["consent_id"] == "c-1"
    assert set(shared["person"]) == set(CONTACT_FIELDS) | {"rnokpp", "unzr", "birth_date"}
    assert "health_need_level" not in shared["person"] and "email" not in shared["person"]


def test_staff_and_a_closed_referral_show_no_person_data(uow, referral):
    assert details(uow, referral, FakeCases(["identity"]), CM)[2] == {}
    with uow() as u:
        handlers.revoke_referral(u, check, CM, referral.referral_id, "особа переїхала")
    assert details(uow, referral, FakeCases(["identity"]))[2] == {}


# --- FHIR R4B --------------------------------------------------------------------------------------


def test_fhir_round_trip_for_every_state(referral):
    states = [
        referral,
        referral.accept("pa-1", HEALTH)[0],
        referral.reject("pa-1", HEALTH, "no_capacity")[0],
        referral.revoke("cm-1", "case_manager", "ні")[0],
        referral.accept("pa-1", HEALTH)[0].complete("pa-1", HEALTH, "Курс пройдено", True)[0],
    ]
    for r in states:
        document = fhir.to_json(r)
        bundle = json.loads(document)
        sr, task = (e["resource"] for e in bundle["entry"])
        assert (sr["resourceType"], task["resourceType"]) == ("ServiceRequest", "Task")
        assert task["meta"]["profile"] == [fhir.TASK_PROFILE] and task["code"]["coding"][0]["code"] == "fulfill"
        assert task["focus"]["reference"] == f"ServiceRequest/{sr['id']}"
        back = fhir.parse(document)
        assert (
            back.referral_id,
            back.case_number,
            back.person_id,
            back.agency_code,
            back.sector,
            back.need,
            back.action,
            back.complete_by,
            back.created_by,
            back.state,
            back.reason_code,
            back.outcome,
        ) == (
            r.referral_id,
            r.case_number,
            r.person_id,
            r.agency_code,
            r.sector,
            r.reason,
            r.action,
            r.complete_by,
            r.created_by,
            r.state,
            r.rejection_reason,
            r.outcome,
        )
        assert back.created_at == r.created_at and back.respond_by == r.respond_by
        assert back.success == (r.success if r.state is ReferralState.COMPLETED else None)
        assert "Коваленко" not in document


@pytest.mark.parametrize(
    "document",
    ["", "{", "[]", '{"resourceType": "Patient"}', '{"resourceType": "Task", "status": "nonsense", "intent": "order"}'],
)
def test_a_bad_fhir_document_is_invalid_argument(document):
    with pytest.raises(ValidationError) as caught:
        fhir.parse(document)
    assert caught.value.violations[0].field == "json" and " / " in caught.value.message


def test_an_agency_answers_through_a_fhir_task_and_a_repeat_changes_nothing(uow, referral):
    task = fhir.to_bundle(referral.accept("pa-1", HEALTH)[0])["entry"][1]["resource"]
    with uow() as u:
        assert handlers.import_fhir(u, check, AGENCY, fhir.parse(json.dumps(task))).state is ReferralState.ACCEPTED
    with uow() as u:
        assert handlers.import_fhir(u, check, AGENCY, fhir.parse(json.dumps(task))).version == 2
    with uow() as u, pytest.raises(NotFound):
        handlers.import_fhir(u, check, OTHER_AGENCY, fhir.parse(json.dumps(task)))


def test_a_manager_imports_a_health_referral_once_and_only_health_is_exchanged(uow, referral):
    document = fhir.to_json(Referral(CASE, Sector.HEALTH, HEALTH, "Огляд", "cm-1", person_id="p-1"))
    with uow() as u:
        first = handlers.import_fhir(u, check, CM, fhir.parse(document))
    with uow() as u:
        assert handlers.import_fhir(u, check, CM, fhir.parse(document)).referral_id == first.referral_id
    with uow() as u:
        jobs = handlers.create_referral(u, check, CM, CASE, None, JOBS, "Робота")
    with uow() as u, pytest.raises(FailedPrecondition):
        handlers.export_fhir(u, check, CM, jobs.referral_id)


# --- case conferences -------------------------------------------------------------------------------


def conference(uow, participants=(Participant(HEALTH, "pa-1", "лікар"), Participant(JOBS, "", "фахівець ЦЗ"))):
    with uow() as u:
        return conferences.create_conference(
            u,
            check,
            CM,
            Conference(
                CASE,
                datetime(2026, 12, 10, 10, tzinfo=timezone.utc),
                ("Реабілітація", "Працевлаштування"),
                tuple(participants),
                "",
            ),
        )


DECISIONS = (
    Decision("Курс реабілітації", "g1", "agency", HEALTH, "2027-01-15"),
    Decision("Консультація щодо роботи", "g1", "agency", JOBS, "2027-01-20"),
)


def test_a_conference_needs_a_known_partner_agency_and_a_case_the_caller_sees(uow):
    with pytest.raises(ValidationError):
        conference(uow, participants=(Participant("", "cm-1", "кейс-менеджер"),))
    with pytest.raises(ValidationError):
        conference(uow, participants=(Participant("11111111", "", ""),))
    with uow() as u, pytest.raises(NotFound):
        conferences.create_conference(
            u,
            check,
            OTHER_CM,
            Conference(CASE, datetime(2026, 12, 10, tzinfo=timezone.utc), ("x",), (Participant(HEALTH),), ""),
        )


def test_decisions_become_plan_steps_through_cases_and_participants_see_the_conference(uow):
    called = conference(uow)
    sent = []

    def add_plan_steps(actor, case_number, steps, source):
        sent.append((actor["user_id"], case_number, steps, source))
        return {"status": "ok", "plan_version": 2, "added": [s["step_id"] for s in steps]}

    with uow() as u:
        done = conferences.conclude_conference(u, check, add_plan_steps, CM, called.conference_id, DECISIONS)
    [(user, number, steps, source)] = sent
    assert (user, number, source) == ("cm-1", CASE, f"conference:{called.conference_id}")
    assert (
        [s["step_id"] for s in steps]
        == [d.step_id for d in done.decisions]
        == [f"conf-{called.conference_id[:8]}-1", f"conf-{called.conference_id[:8]}-2"]
    )
    assert done.status == "concluded" and done.plan_version == 2
    with uow() as u:
        assert conferences.get_conference(u, check, AGENCY, called.conference_id).decisions == done.decisions
        assert [c.conference_id for c in conferences.list_conferences(u, check, OTHER_AGENCY)] == [called.conference_id]
        with pytest.raises(NotFound):
            conferences.get_conference(
                u, check, Principal("pa-3", "partner_agency", organisation="99999999"), called.conference_id
            )
        with pytest.raises(FailedPrecondition):
            conferences.conclude_conference(u, check, add_plan_steps, CM, called.conference_id, DECISIONS)


def test_steps_cases_refuses_leave_the_conference_open(uow):
    called = conference(uow)

    def refuse(actor, case_number, steps, source):
        return {
            "status": "invalid",
            "message": "x",
            "violations": [{"field": "steps[0].goal_id", "description": "невідома мета / unknown goal"}],
        }

    with uow() as u, pytest.raises(ValidationError) as caught:
        conferences.conclude_conference(u, check, refuse, CM, called.conference_id, DECISIONS)
    assert caught.value.violations[0].field == "decisions[0].goal_id"
    with uow() as u:
        assert u.repo.get_conference(called.conference_id).status == "scheduled"


def test_a_decision_for_an_agency_not_at_the_conference_is_refused(uow):
    called = conference(uow, participants=(Participant(HEALTH),))
    with uow() as u, pytest.raises(ValidationError) as caught:
        conferences.conclude_conference(u, check, lambda *a: {"status": "ok"}, CM, called.conference_id, DECISIONS)
    assert caught.value.violations[0].field == "decisions[1].responsible_ref"


def test_shared_tasks_are_the_agencys_own_and_done_through_the_plan(uow):
    called = conference(uow)
    with uow() as u:
        conferences.conclude_conference(
            u, check, lambda *a: {"status": "ok", "plan_version": 1}, CM, called.conference_id, DECISIONS
        )
    with uow() as u:
        [(c, mine)] = conferences.agency_tasks(u, AGENCY)
        assert (c.conference_id, mine.responsible_ref) == (called.conference_id, HEALTH)
        with pytest.raises(PermissionDenied):
            conferences.agency_tasks(u, CM)
    marked = []

    def mark(actor, case_number, step_id):
        marked.append((actor["organisation"], case_number, step_id))
        return {"status": "ok", "plan_version": 1}

    with uow() as u, pytest.raises(NotFound):  # the employment centre's task is not the facility's
        conferences.complete_agency_task(u, mark, AGENCY, called.conference_id, f"conf-{called.conference_id[:8]}-2")
    with uow() as u:
        _, done = conferences.complete_agency_task(u, mark, AGENCY, called.conference_id, mine.step_id)
    assert done.done_at and marked == [(HEALTH, CASE, mine.step_id)]
    with uow() as u, pytest.raises(FailedPrecondition):
        conferences.complete_agency_task(u, mark, AGENCY, called.conference_id, mine.step_id)
    assert ("pa-1", "conference.task_done") in audited(uow)


def test_an_operator_sees_identifiers_states_and_dates_only(uow, referral):
    operator = Principal("op-1", "operator")

    def sees_all(actor, case_number, subject=None):
        return {"status": "ok", "case_number": case_number, "stage": "planning", "person_id": "p-1"}

    with uow() as u:
        handlers.reject_referral(u, AGENCY, referral.referral_id, "other", "Особа в лікарні до кінця місяця")
    with uow() as u:
        seen, transitions, shared = handlers.referral_details(u, sees_all, operator, referral.referral_id)
        [listed] = handlers.list_referrals(u, sees_all, operator, CASE)
        read = handlers.get_referral(u, sees_all, operator, referral.referral_id)
    for r in (seen, listed, read):
        assert (r.reason, r.action, r.outcome) == ("", "", "") and r.state is ReferralState.REJECTED
    assert shared == {} and all(t.note == "" for t in transitions) and transitions[-1].reason_code == "other"


@pytest.mark.parametrize("value", ["five", "0", "400"])
def test_an_unreadable_referral_deadline_setting_is_refused(monkeypatch, value):
    monkeypatch.setenv("EKM_REFERRAL_RESPONSE_DAYS", value)
    with pytest.raises(ValueError, match="EKM_REFERRAL_RESPONSE_DAYS"):
        handlers.response_days()


def test_the_deadlines_follow_the_settings(uow, monkeypatch):
    monkeypatch.setenv("EKM_REFERRAL_RESPONSE_DAYS", "2")
    monkeypatch.setenv("EKM_REFERRAL_COMPLETION_DAYS", "10")
    with uow() as u:
        r = handlers.create_referral(u, check, CM, CASE, None, HEALTH, "Потреба")
    assert r.respond_by - r.created_at == timedelta(days=2)
    assert r.complete_by == (r.created_at + timedelta(days=10)).date().isoformat()
    with uow() as u, pytest.raises(ValidationError) as caught:
        handlers.create_referral(u, check, CM, CASE, None, HEALTH, "Потреба", complete_by="2020-01-01")
    assert caught.value.violations[0].field == "complete_by"


# --- an agency refers a person to the social services (an appeal through intake) ----------------


def test_an_agency_refers_a_person_to_the_social_services_through_intake(uow):
    from ekm.interagency.v1 import interagency_pb2 as ia
    from interagency.adapters.grpc_mapping import inbound_referral
    from interagency.service_layer import inbound

    sent = []

    def submit(actor, referral):
        sent.append((actor, referral))
        if not referral.get("description"):
            return {"status": "invalid", "violations": [{"field": "description", "message": "обов'язкове / required"}]}
        return {
            "status": "accepted",
            "tracking_number": "ЗВ-1",
            "appeal_id": "a-1",
            "screening_level": "assessment",
            "state": "screened",
        }

    request = ia.ReferToSocialServicesRequest(
        referral_number="ЦЗ-17",
        person=ia.InboundPerson(rnokpp="3221512349", last_name="Коваленко", first_name="Андрій"),
        phone="+380671234567",
        description="Втратив роботу після поранення",
        consent_to_processing=True,
    )
    with uow() as u:
        with pytest.raises(PermissionDenied):
            inbound.refer_to_social_services(u, submit, CM, inbound_referral(request))
        with pytest.raises(PermissionDenied):  # an organisation not in the reference table
            inbound.refer_to_social_services(
                u, submit, Principal("x", "partner_agency", organisation="99999999"), inbound_referral(request)
            )
        assert sent == []
        answer = inbound.refer_to_social_services(u, submit, OTHER_AGENCY, inbound_referral(request))
    assert answer["tracking_number"] == "ЗВ-1"
    [(actor, referral)] = sent
    assert actor["organisation"] == JOBS and referral["referral_number"] == "ЦЗ-17"
    assert referral["applicant"] == {
        "rnokpp": "3221512349",
        "last_name": "Коваленко",
        "first_name": "Андрій",
        "is_subject": True,
        "phone": "+380671234567",
    }
    request.description = ""
    with uow() as u, pytest.raises(ValidationError) as caught:
        inbound.refer_to_social_services(u, submit, OTHER_AGENCY, inbound_referral(request))
    assert caught.value.violations[0].field == "description"
    assert audited(uow)[-1] == ("pa-2", "referral.inbound")
