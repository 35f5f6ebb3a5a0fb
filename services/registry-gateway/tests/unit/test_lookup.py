from datetime import date

import pytest
from sqlalchemy import func, select, text

from ekm_platform.errors import NotFound, ValidationError
from registry_gateway.adapters.orm import evidence, metadata
from registry_gateway.adapters.repository import EvidenceRepository
from registry_gateway.domain.lookup import Query, RegistryReply, RegistryUnavailable, Status
from registry_gateway.service_layer import handlers

QUERY = Query(rnokpp="3221512349", unzr="", case_number="CASE-2026-AAAAAAA", purpose="оцінка потреб", user_id="cm-7")
RECORDS = [{"date": date(2026, 10, 30), "direction": "in", "checkpoint": "Ягодин", "returnedFromService": True}]


@pytest.fixture
def uow(sqlite_uow):
    return sqlite_uow("registry-gateway", metadata, EvidenceRepository)


@pytest.fixture(autouse=True)
def case_of_the_person(cases):
    cases.open_case(QUERY.case_number, "cm-7", "person-1", rnokpp=QUERY.rnokpp)


def answering(*args):
    return RegistryReply(True, RECORDS, "xroad-1", "ab" * 32)


def down(*args):
    raise RegistryUnavailable("timeout")


def test_partial_results_with_a_status_per_registry_and_evidence_for_answers(uow, cases, actor):
    with uow() as u:
        answers = handlers.lookup_person(
            QUERY,
            u,
            {"border_guard": answering, "health": down},
            cases,
            actor(),
            wanted=["border_guard", "health", "education"],
        )
    assert [(a.registry, a.status) for a in answers] == [
        ("border_guard", Status.OK),
        ("health", Status.DENIED),
        ("education", Status.DENIED),
    ]
    assert "consent" in answers[1].message and "not connected" in answers[2].message
    with uow() as u:
        stored = handlers.get_evidence(answers[0].evidence.query_id, u, cases, actor())
        assert u.session.execute(select(func.count()).select_from(evidence)).scalar() == 1
    assert (stored.user_id, stored.issue, stored.purpose, stored.xroad_id) == (
        "cm-7",
        "CASE-2026-AAAAAAA",
        "оцінка потреб",
        "xroad-1",
    )


@pytest.mark.parametrize(
    "change, field",
    [
        ({"rnokpp": "3221512348"}, "rnokpp"),
        ({"rnokpp": ""}, "rnokpp"),
        ({"unzr": "19880314-43213"}, "unzr"),
        ({"case_number": ""}, "case_number"),
        ({"purpose": ""}, "purpose"),
    ],
)
def test_bad_queries_name_the_field_and_ask_nobody(uow, cases, actor, change, field):
    asked = []
    with uow() as u, pytest.raises(ValidationError) as caught:
        handlers.lookup_person(
            Query(**{**QUERY.__dict__, **change}), u, {"border_guard": lambda *a: asked.append(a)}, cases, actor()
        )
    assert field in {v.field for v in caught.value.violations} and not asked and not cases.calls


def test_unknown_evidence(uow, cases, actor):
    with uow() as u, pytest.raises(NotFound):
        handlers.get_evidence("nope", u, cases, actor())


def test_a_registry_that_is_down_is_unavailable_is_asked_again_later_and_its_facts_follow(uow, cases, actor):
    state = {"up": False}

    def sometimes(*args):
        if not state["up"]:
            raise RegistryUnavailable("timeout")
        return answering()

    with uow() as u:
        [answer] = handlers.lookup_person(QUERY, u, {"border_guard": sometimes}, cases, actor())
    assert answer.status is Status.UNAVAILABLE and "registry border_guard unavailable" in answer.message
    with uow() as u:
        u.session.execute(text("UPDATE pending_queries SET next_at = '2000-01-01 00:00:00'"))
        u.commit()
    with uow() as u:
        assert handlers.retry_pending(u, {"border_guard": sometimes}) == 0  # still down: later, with backoff
    with uow() as u:
        (attempts,) = u.session.execute(text("SELECT attempts FROM pending_queries")).one()
        u.session.execute(text("UPDATE pending_queries SET next_at = '2000-01-01 00:00:00'"))
        u.commit()
    assert attempts == 2
    state["up"] = True
    with uow() as u:
        assert handlers.retry_pending(u, {"border_guard": sometimes}) == 1
        events = [r.event_type for r in u.session.execute(select(metadata.tables["outbox"]))]
        state, answered_by = u.session.execute(text("SELECT state, answer_query_id FROM pending_queries")).one()
    assert events == ["registry.facts_found"] and state == "answered" and answered_by
