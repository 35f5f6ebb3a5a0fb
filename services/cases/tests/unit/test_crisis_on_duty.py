"""A crisis case is urgent and goes at once to the community's on-duty case manager; case.opened
says so (priority, assigned_to, community_code) for the notifications that follow."""

import json

import pytest
from sqlalchemy import select

from cases.adapters.orm import metadata
from cases.adapters.repository import CaseRepository
from cases.domain.workload import CaseManager, choose_on_duty
from cases.service_layer import handlers, workload
from ekm_platform.envelope import Envelope

KYIV = "UA80000000000093317"
PERSON = {
    "rnokpp": "3221512349",
    "unzr": "19880314-43212",
    "last_name": "Коваленко",
    "first_name": "Андрій",
    "patronymic": "Петрович",
    "birth_date": "1988-03-14",
}


@pytest.fixture
def uow(sqlite_uow):
    return sqlite_uow("cases", metadata, CaseRepository)


def roster(uow, *managers):
    for m in managers:
        with uow() as u:
            workload.register_manager(u, m)


def open_for(uow, level, appeal_id="a-1", event_type="appeal.accepted"):
    with uow() as u:
        case = handlers.open_case_for_appeal(
            Envelope(event_type, "intake", {"appeal_id": appeal_id, "screening_level": level, "community_code": KYIV}),
            u,
            lambda _id: {"person": dict(PERSON)},
        )
        u.commit()
    with uow() as u:
        rows = u.session.execute(select(metadata.tables["outbox"])).all()
    opened = [json.loads(r.payload)["data"] for r in rows if r.event_type == "case.opened"]
    return case, opened[-1] if opened else None


def test_a_crisis_goes_to_the_on_duty_manager_even_over_capacity(uow):
    roster(
        uow,
        CaseManager("cm-free", KYIV, 20),
        CaseManager("cm-duty", KYIV, 1, on_duty=True),
        CaseManager("cm-lviv-duty", "UA46060250010015970", 20, on_duty=True),
    )
    with uow() as u:
        assert [m.manager_id for m in u.repo.managers(KYIV) if m.on_duty] == ["cm-duty"]  # stored in the roster
    case, event = open_for(uow, "crisis")
    assert case.assigned_to == "cm-duty" and "черговому" in case.assignment_explanation
    assert (event["priority"], event["assigned_to"], event["community_code"]) == ("urgent", "cm-duty", KYIV)


def test_an_assessment_goes_by_capacity_and_is_normal_priority(uow):
    roster(uow, CaseManager("cm-free", KYIV, 20), CaseManager("cm-duty", KYIV, 1, on_duty=True))
    case, event = open_for(uow, "assessment")
    assert case.assigned_to == "cm-free"
    assert (event["priority"], event["assigned_to"]) == ("normal", "cm-free")


def test_a_crisis_with_nobody_on_duty_goes_by_capacity(uow):
    roster(uow, CaseManager("cm-free", KYIV, 20))
    case, event = open_for(uow, "crisis")
    assert (case.assigned_to, event["priority"]) == ("cm-free", "urgent")


def test_the_least_loaded_of_several_on_duty():
    managers = [
        CaseManager("cm-a", KYIV, 5, on_duty=True),
        CaseManager("cm-b", KYIV, 5, on_duty=True),
        CaseManager("cm-c", KYIV, 50),
    ]
    assert choose_on_duty(KYIV, managers, {"cm-a": 4, "cm-b": 1}).manager_id == "cm-b"
    assert choose_on_duty("UA46060250010015970", managers, {}) is None


def test_an_override_to_crisis_opens_the_urgent_case_and_information_opens_none(uow):
    roster(uow, CaseManager("cm-duty", KYIV, 3, on_duty=True))
    case, event = open_for(uow, "information", "a-2")
    assert case is None and event is None
    case, event = open_for(uow, "crisis", "a-2", event_type="appeal.rescreened")
    assert case.assigned_to == "cm-duty" and event["priority"] == "urgent"
