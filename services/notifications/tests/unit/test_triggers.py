"""Triggers (issue 9, item 8): each event becomes notifications through outbound.enqueue, once per
fact — a redelivered event and the same fact re-sent under a new event id notify once; events
about nobody's case, or that cannot be used, notify nobody."""

import json

import pytest
from sqlalchemy import select

from ekm_platform.dependencies import handle_event
from ekm_platform.envelope import Envelope, check_no_personal_data
from notifications.adapters.orm import deliveries, metadata
from notifications.adapters.repository import DeliveryRepository
from notifications.domain.rendering import render
from notifications.service_layer import triggers

CASE_ID, NUMBER, PERSON, CM = "c-1", "CASE-2026-ABC1234", "p-1", "cm-1"


@pytest.fixture
def uow(sqlite_uow):
    return sqlite_uow("notifications", metadata, DeliveryRepository)


class Cases:
    """cases.case_parties as a fake: who is in the case now; every question is recorded."""

    def __init__(self, **changes):
        self.case = {
            "case_id": CASE_ID,
            "case_number": NUMBER,
            "person_id": PERSON,
            "assigned_to": CM,
            "community_code": "UA80000000000093317",
            "stage": "implementation",
            "screening_level": "assessment",
            "open": True,
            "step": None,
            **changes,
        }
        self.asked = []

    def __call__(self, case_ref, step_id=""):
        self.asked.append(case_ref)
        return dict(self.case) if case_ref in (CASE_ID, NUMBER) else None


def run(uow, consumer, message, handler):
    return handle_event(uow, consumer, message, handler)


def notifications(uow):
    with uow() as u:
        rows = u.session.execute(select(deliveries).order_by(deliveries.c.dedupe_key)).all()
    return [(r.recipient_kind, r.recipient_id, r.template, r.status, bool(r.urgent)) for r in rows]


def stored(uow):
    with uow() as u:
        return u.session.execute(select(deliveries)).all()


def dead_letters(uow):
    with uow() as u:
        return u.session.execute(select(metadata.tables["dead_letters"])).all()


def event(kind, source="cases", **data):
    return Envelope(kind, source, data).to_message()


def opened(**changes):
    data = dict(
        case_id=CASE_ID,
        case_number=NUMBER,
        appeal_id="a-1",
        person_id=PERSON,
        screening_level="assessment",
        community_code="UA80000000000093317",
        new_case=True,
        priority="normal",
        assigned_to=CM,
    )
    return event("case.opened", **{**data, **changes})


# --- a case opened and assigned ---------------------------------------------------------------------


def test_a_case_opened_redelivered_or_resent_tells_the_assigned_manager_once(uow):
    message = opened()
    assert run(uow, "n.opened", message, triggers.case_opened)
    assert not run(uow, "n.opened", message, triggers.case_opened)  # redelivered: the inbox drops it
    assert run(uow, "n.opened", opened(), triggers.case_opened)  # re-sent under a new event id
    assert notifications(uow) == [("case_manager", CM, "case.assigned", "queued", False)]


def test_an_appeal_linked_to_an_open_case_or_an_unassigned_case_tells_nobody(uow):
    run(uow, "n.opened", opened(new_case=False), triggers.case_opened)
    run(uow, "n.opened", opened(assigned_to=""), triggers.case_opened)
    assert notifications(uow) == []


def test_a_crisis_case_goes_urgent_to_the_manager_cases_gave_it_to_once(uow):
    crisis = opened(priority="urgent", screening_level="crisis", assigned_to="cm-duty")
    run(uow, "n.opened", crisis, triggers.case_opened)
    run(
        uow,
        "n.opened",
        opened(priority="urgent", screening_level="crisis", assigned_to="cm-duty"),
        triggers.case_opened,
    )
    assert notifications(uow) == [("case_manager", "cm-duty", "case.assigned.urgent", "queued", True)]


def test_a_crisis_nobody_could_be_given_goes_urgent_to_the_communitys_supervisors_once(uow):
    cases = Cases(assigned_to="", supervisors=["sv-1", "sv-2"])
    handler = lambda e, u: triggers.case_opened(e, u, cases)  # noqa: E731
    for _ in range(2):
        run(uow, "n.opened", opened(priority="urgent", screening_level="crisis", assigned_to=""), handler)
    assert notifications(uow) == [
        ("case_manager", "sv-1", "case.crisis.unassigned", "queued", True),
        ("case_manager", "sv-2", "case.crisis.unassigned", "queued", True),
    ]
    assert all(json.loads(r.variables) == {"case_number": NUMBER} for r in stored(uow))


def test_an_ordinary_case_nobody_has_yet_tells_nobody_and_asks_nothing(uow):
    cases = Cases(assigned_to="", supervisors=["sv-1"])
    run(uow, "n.opened", opened(assigned_to=""), lambda e, u: triggers.case_opened(e, u, cases))
    assert notifications(uow) == [] and cases.asked == []


def test_an_event_without_assigned_to_asks_cases_who_has_the_case(uow):
    cases = Cases()
    message = opened()
    del message["data"]["assigned_to"]
    run(uow, "n.opened", message, lambda e, u: triggers.case_opened(e, u, cases))
    assert cases.asked == [CASE_ID] and notifications(uow)[0][1] == CM


def test_a_supervisors_assignment_tells_the_new_manager_and_an_automatic_one_is_told_by_case_opened(uow):
    cases = Cases()
    run(uow, "n.opened", opened(), triggers.case_opened)
    handler = lambda e, u: triggers.case_assigned(e, u, cases)  # noqa: E731
    run(uow, "n.assigned", event("case.assigned", case_id=CASE_ID, manager_id=CM, by="auto"), handler)
    assert cases.asked == []  # not even asked
    run(uow, "n.assigned", event("case.assigned", case_id=CASE_ID, manager_id="cm-2", by="supervisor"), handler)
    run(uow, "n.assigned", event("case.assigned", case_id=CASE_ID, manager_id="cm-2", by="supervisor"), handler)
    assert notifications(uow) == [
        ("case_manager", CM, "case.assigned", "queued", False),
        ("case_manager", "cm-2", "case.assigned", "queued", False),
    ]


def test_an_event_without_its_case_is_a_dead_letter_and_notifies_nobody(uow):
    run(uow, "n.opened", event("case.opened", case_id=CASE_ID), triggers.case_opened)
    run(
        uow,
        "n.assigned",
        event("case.assigned", case_id="nope", manager_id="cm-2", by="supervisor"),
        lambda e, u: triggers.case_assigned(e, u, Cases()),
    )
    assert notifications(uow) == [] and len(dead_letters(uow)) == 2


# --- a plan agreed or changed --------------------------------------------------------------------------


def test_a_plan_agreed_tells_the_person_and_the_manager_once_per_version(uow):
    cases = Cases()
    handler = lambda e, u: triggers.plan_agreed(e, u, cases)  # noqa: E731
    for _ in range(2):
        run(uow, "n.plan", event("case.plan_agreed", case_id=CASE_ID, version=1, channel="cabinet"), handler)
    assert notifications(uow) == [
        ("case_manager", CM, "plan.agreed.manager", "queued", False),
        ("person", PERSON, "plan.agreed.person", "queued", False),
    ]
    run(uow, "n.plan", event("case.plan_agreed", case_id=CASE_ID, version=2, channel="in_person"), handler)
    assert len(notifications(uow)) == 4


def test_a_plan_changed_tells_the_person_and_the_manager_once(uow):
    cases = Cases()
    handler = lambda e, u: triggers.plan_changed(e, u, cases)  # noqa: E731
    message = event("case.plan_changed", case_id=CASE_ID, case_number=NUMBER, version=2, previous_version=1)
    run(uow, "n.plan_changed", message, handler)
    run(uow, "n.plan_changed", message, handler)
    run(uow, "n.plan_changed", event("case.plan_changed", case_id=CASE_ID, case_number=NUMBER, version=2), handler)
    assert notifications(uow) == [
        ("case_manager", CM, "plan.changed.manager", "queued", False),
        ("person", PERSON, "plan.changed.person", "queued", False),
    ]


def test_a_plan_of_an_unknown_case_notifies_nobody(uow):
    run(
        uow,
        "n.plan",
        event("case.plan_agreed", case_id="nope", version=1, channel="cabinet"),
        lambda e, u: triggers.plan_agreed(e, u, Cases()),
    )
    assert notifications(uow) == [] and len(dead_letters(uow)) == 1


# --- a referral answered, registry data arrived ----------------------------------------------------------


def referral(status, referral_id="r-1", **extra):
    return event(
        f"referral.{status}",
        source="interagency",
        referral_id=referral_id,
        case_number=NUMBER,
        agency_code="12345678",
        sector="employment",
        status=status,
        at="2026-12-03T10:00:00+00:00",
        by_role="partner_agency",
        **extra,
    )


def test_each_answer_to_a_referral_tells_the_case_manager_once(uow):
    cases = Cases()
    handler = lambda e, u: triggers.referral_answered(e, u, cases)  # noqa: E731
    run(uow, "n.ref", referral("accepted"), handler)
    run(uow, "n.ref", referral("accepted"), handler)  # re-sent: a new event id
    run(uow, "n.ref", referral("rejected", "r-2", reason_code="no_capacity"), handler)
    run(uow, "n.ref", referral("completed", "r-1", success=True), handler)
    assert notifications(uow) == [
        ("case_manager", CM, "referral.accepted", "queued", False),
        ("case_manager", CM, "referral.completed", "queued", False),
        ("case_manager", CM, "referral.rejected", "queued", False),
    ]
    rejected = [r for r in stored(uow) if r.template == "referral.rejected"][0]
    assert json.loads(rejected.variables)["reason_uk"] == "брак потужностей"
    assert render("referral.rejected", json.loads(rejected.variables)).text.startswith("Направлення щодо випадку")


def test_a_referral_of_an_unassigned_or_unknown_case_tells_nobody(uow):
    run(uow, "n.ref", referral("accepted"), lambda e, u: triggers.referral_answered(e, u, Cases(assigned_to="")))
    run(uow, "n.ref", referral("accepted", "r-9"), lambda e, u: triggers.referral_answered(e, u, lambda *a: None))
    run(uow, "n.ref", referral("revoked", "r-8"), lambda e, u: triggers.referral_answered(e, u, Cases()))
    assert notifications(uow) == [] and len(dead_letters(uow)) == 2


def facts(query_id="q-1", count=2):
    return event(
        "registry.facts_found",
        source="registry_gateway",
        case_number=NUMBER,
        person_id=PERSON,
        registry="border_guard",
        query_id=query_id,
        vocabulary_version=1,
        facts=[{"kind": "returned_from_service", "occurred_on": f"2026-11-0{i + 1}"} for i in range(count)],
    )


def test_registry_data_tells_the_case_manager_once_per_query_identifiers_only(uow):
    cases = Cases()
    handler = lambda e, u: triggers.registry_facts_found(e, u, cases)  # noqa: E731
    run(uow, "n.reg", facts(), handler)
    run(uow, "n.reg", facts(), handler)
    run(uow, "n.reg", facts("q-2", 0), handler)  # nothing found: nothing to tell
    assert notifications(uow) == [("case_manager", CM, "registry.facts_found", "queued", False)]
    [row] = stored(uow)
    variables = json.loads(row.variables)
    check_no_personal_data(variables)
    assert variables == {
        "case_number": NUMBER,
        "registry_uk": "ДПСУ",
        "registry_en": "State Border Guard Service",
        "count": 2,
    }
    assert "2 нові записи" in render(row.template, variables).text


def test_registry_data_about_somebody_else_than_the_cases_person_tells_nobody(uow):
    """Cases keeps facts about another person (a household member looked up) out of this case's
    history; the case manager is not told that they arrived there."""
    message = facts()
    message["data"]["person_id"] = "p-household-member"
    run(uow, "n.reg", message, lambda e, u: triggers.registry_facts_found(e, u, Cases()))
    assert notifications(uow) == []


def test_every_trigger_template_renders_in_ukrainian_then_english(uow):
    from notifications.domain import notices as n

    values = {
        "case_number": NUMBER,
        "due_on": "2026-12-04",
        "version": 2,
        "in_cabinet": False,
        "assigned": True,
        "sector_uk": "x",
        "sector_en": "x",
        "reason_uk": "x",
        "reason_en": "x",
        "success": False,
        "registry_uk": "x",
        "registry_en": "x",
        "count": 1,
    }
    from notifications.domain.rendering import source

    keys = [
        n.CASE_ASSIGNED,
        n.CASE_ASSIGNED_URGENT,
        n.CRISIS_UNASSIGNED,
        n.PLAN_AGREED_PERSON,
        n.PLAN_AGREED_MANAGER,
        n.PLAN_CHANGED_PERSON,
        n.PLAN_CHANGED_MANAGER,
        n.REVIEW_DUE_MANAGER,
        n.REGISTRY_FACTS,
        *n.STEP_TEMPLATES.values(),
        *n.REFERRAL_ANSWERED.values(),
    ]
    for key in keys:
        src = source(key)
        rendered = render(key, {v: values[v] for v in src.variables})
        assert rendered.text_uk and rendered.text_en and rendered.text == f"{rendered.text_uk} / {rendered.text_en}"
        assert rendered.subject_uk and rendered.subject_en
