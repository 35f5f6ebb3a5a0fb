"""The appeal's person: exact by РНОКПП / УНЗР, fuzzy by name and date of birth (auto-link band),
uncertain ones to intake's match review, and the reviewer's decision carried out."""

import json

import pytest
from sqlalchemy import func, select

from cases.adapters.orm import audit_log, case_appeals, cases, history, metadata, persons
from cases.adapters.repository import CaseRepository
from cases.service_layer import handlers, matching
from ekm_platform.dependencies import PermanentEventError
from ekm_platform.envelope import Envelope

KYIV = "UA80000000000093317"
PERSON = {
    "rnokpp": "3221512349",
    "unzr": "",
    "last_name": "Коваленко",
    "first_name": "Андрій",
    "patronymic": "Петрович",
    "birth_date": "1988-03-14",
}


@pytest.fixture
def uow(sqlite_uow):
    return sqlite_uow("cases", metadata, CaseRepository)


def event(appeal_id, kind="appeal.accepted", **extra):
    return Envelope(
        kind,
        "intake",
        {
            "appeal_id": appeal_id,
            "screening_level": "assessment",
            "community_code": KYIV,
            "tracking_number": f"EKM-{appeal_id}",
            **extra,
        },
    )


def run(uow, envelope, person):
    with uow() as u:
        case = handlers.open_case_for_appeal(
            envelope, u, lambda appeal_id: {"appeal_id": appeal_id, "person": dict(person)}
        )
        u.commit()
    return case


def published(uow):
    table = metadata.tables["outbox"]
    with uow() as u:
        return [
            (r.event_type, json.loads(r.payload)["data"])
            for r in u.session.execute(select(table).order_by(table.c.seq))
        ]


def count(uow, table):
    with uow() as u:
        return u.session.execute(select(func.count()).select_from(table)).scalar()


def test_a_latin_spelling_without_identifiers_joins_the_open_case(uow):
    first = run(uow, event("a-1"), PERSON)
    latin = {
        "last_name": "Kovalenko",
        "first_name": "Andriy",
        "patronymic": "",
        "birth_date": "1988-03-14",
        "rnokpp": "",
        "unzr": "19880314-43212",
    }
    second = run(uow, event("a-2"), latin)
    assert second.case_id == first.case_id and count(uow, persons) == 1 and count(uow, case_appeals) == 2
    kind, data = published(uow)[-1]
    assert kind == "case.appeal_linked" and data["match"] == "fuzzy" and data["match_score"] >= 0.95
    with uow() as u:
        person = u.repo.get_person(first.person_id)
        assert person.unzr == "19880314-43212" and person.rnokpp == PERSON["rnokpp"]  # filled, not overwritten
        summaries = list(
            u.session.execute(select(history.c.summary).where(history.c.kind == "person.matched")).scalars()
        )
    assert len(summaries) == 1 and "за ПІБ і датою народження" in summaries[0]


def test_the_exact_identifier_wins_and_says_so(uow):
    first = run(uow, event("a-1"), PERSON)
    second = run(uow, event("a-2"), {**PERSON, "last_name": "Інше-Прізвище"})
    assert second.case_id == first.case_id and published(uow)[-1][1]["match"] == "exact"


def test_an_uncertain_match_goes_to_review_and_nothing_is_opened(uow):
    run(uow, event("a-1"), PERSON)
    uncertain = {
        "rnokpp": "",
        "unzr": "",
        "last_name": "Коваленко",
        "first_name": "Андрей",
        "patronymic": "",
        "birth_date": "1988-03-14",
    }
    assert run(uow, event("a-2"), uncertain) is None
    kind, data = published(uow)[-1]
    assert kind == "case.match_review_needed" and data["appeal_id"] == "a-2" and data["community_code"] == KYIV
    assert data["candidates"][0]["band"] == "review" and 0.8 <= data["candidates"][0]["score"] < 0.95
    assert count(uow, persons) == 1 and count(uow, case_appeals) == 1
    assert "Коваленко" not in json.dumps(data, ensure_ascii=False)  # identifiers and scores only


def test_a_contradicting_identifier_is_another_person(uow):
    run(uow, event("a-1"), PERSON)
    from ekm_platform.identifiers import make_rnokpp

    other = {**PERSON, "rnokpp": make_rnokpp("322151235")}
    second = run(uow, event("a-2"), other)
    assert count(uow, persons) == 2 and count(uow, cases) == 2 and published(uow)[-1][1]["match"] == "new"
    assert second.person_id != run(uow, event("a-1"), PERSON).person_id


def test_the_reviewers_decision_links_the_chosen_person(uow):
    first = run(uow, event("a-1"), PERSON)
    uncertain = {
        "rnokpp": "",
        "unzr": "",
        "last_name": "Коваленко",
        "first_name": "Андрей",
        "patronymic": "",
        "birth_date": "1988-03-14",
    }
    assert run(uow, event("a-2"), uncertain) is None
    decided = run(uow, event("a-2", "appeal.match_decided", person_id=first.person_id), uncertain)
    assert decided.case_id == first.case_id
    assert published(uow)[-1][0] == "case.appeal_linked" and published(uow)[-1][1]["match"] == "decided"
    again = run(uow, event("a-2", "appeal.match_decided", person_id=first.person_id), uncertain)
    assert again.case_id == first.case_id and count(uow, case_appeals) == 2  # redelivered: nothing new


def test_a_new_person_decision_opens_a_case_for_a_new_person(uow):
    run(uow, event("a-1"), PERSON)
    uncertain = {
        "rnokpp": "",
        "unzr": "",
        "last_name": "Коваленко",
        "first_name": "Андрей",
        "patronymic": "",
        "birth_date": "1988-03-14",
    }
    run(uow, event("a-2"), uncertain)
    case = run(uow, event("a-2", "appeal.match_decided", person_id=""), uncertain)
    assert count(uow, persons) == 2 and count(uow, cases) == 2 and case is not None
    with pytest.raises(PermanentEventError):
        run(uow, event("a-3", "appeal.match_decided", person_id="no-such-person"), uncertain)


def test_two_equally_sure_candidates_are_reviewed_not_guessed(uow):
    from cases.domain.model import Person

    with uow() as u:  # two namesakes born the same day, one recorded by each identifier
        u.repo.add_person(Person.new(**{**PERSON, "rnokpp": "", "unzr": "19880314-43212"}))
        u.repo.add_person(Person.new(**{**PERSON, "patronymic": "Іванович"}))
        u.commit()
    latin = {
        "rnokpp": "",
        "unzr": "",
        "last_name": "Kovalenko",
        "first_name": "Andrii",
        "patronymic": "",
        "birth_date": "1988-03-14",
    }
    with uow() as u:
        resolution = matching.resolve_person(u, latin)
    assert resolution.kind == "review" and len(resolution.candidates) == 2


def test_match_candidates_are_read_for_the_reviewer_and_audited(uow):
    first = run(uow, event("a-1"), PERSON)
    actor = {"user_id": "cm-1", "role": "case_manager", "community_code": KYIV, "organisation": ""}
    with uow() as u:
        found = matching.match_candidates(u, actor, [first.person_id, "unknown"])
    assert [f["person_id"] for f in found] == [first.person_id]
    assert found[0]["case_number"] == first.case_number and found[0]["last_name"] == "Коваленко"
    with uow() as u:
        rows = u.session.execute(select(audit_log).where(audit_log.c.action == "person.match_read")).all()
    assert [(r.actor_id, r.subject_id) for r in rows] == [("cm-1", first.person_id)]
