import pytest
from sqlalchemy import func, select

from cases.adapters.orm import case_appeals, cases, metadata, persons
from cases.adapters.repository import CaseRepository
from cases.domain.model import Stage
from cases.service_layer import handlers
from ekm_platform.dependencies import PermanentEventError
from ekm_platform.envelope import Envelope

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


def accepted(appeal_id, level="assessment"):
    return Envelope(
        "appeal.accepted",
        "intake",
        {"appeal_id": appeal_id, "screening_level": level, "community_code": "UA80000000000093317"},
    )


def subject_source(person=PERSON):
    asked = []

    def fetch(appeal_id):
        asked.append(appeal_id)
        return {"appeal_id": appeal_id, "person": dict(person)}

    fetch.asked = asked
    return fetch


def count(uow, table):
    with uow() as u:
        return u.session.execute(select(func.count()).select_from(table)).scalar()


def run(uow, event, fetch):
    with uow() as u:
        case = handlers.open_case_for_appeal(event, u, fetch)
        u.commit()
    return case


def test_an_appeal_opens_one_case_in_assessment(uow):
    case = run(uow, accepted("a-1"), subject_source())
    assert case.stage is Stage.ASSESSMENT and case.case_number.startswith("CASE-")
    assert count(uow, cases) == 1 and count(uow, persons) == 1
    with uow() as u:
        outbox = u.session.execute(select(metadata.tables["outbox"])).all()
    assert [row.event_type for row in outbox] == ["case.opened"]
    assert PERSON["rnokpp"] not in outbox[0].payload and PERSON["last_name"] not in outbox[0].payload


def test_the_same_appeal_again_opens_nothing_new(uow):
    first = run(uow, accepted("a-1"), subject_source())
    again = run(uow, accepted("a-1"), subject_source())
    assert again.case_id == first.case_id
    assert count(uow, cases) == 1 and count(uow, metadata.tables["outbox"]) == 1


def test_a_second_appeal_about_the_same_person_joins_the_open_case(uow):
    first = run(uow, accepted("a-1"), subject_source())
    second = run(uow, accepted("a-2"), subject_source({**PERSON, "rnokpp": ""}))  # found by УНЗР
    assert second.case_id == first.case_id
    assert count(uow, cases) == 1 and count(uow, case_appeals) == 2
    with uow() as u:
        types = u.session.execute(select(metadata.tables["outbox"].c.event_type)).scalars().all()
    assert types == ["case.opened", "case.appeal_linked"]


def test_information_level_needs_no_case(uow):
    fetch = subject_source()
    assert run(uow, accepted("a-1", level="information"), fetch) is None
    assert fetch.asked == [] and count(uow, cases) == 0


@pytest.mark.parametrize("data", [{}, {"appeal_id": "a-1"}, {"appeal_id": "a-1", "screening_level": "urgent!"}])
def test_unusable_events_are_permanent_errors(uow, data):
    with uow() as u, pytest.raises(PermanentEventError):
        handlers.open_case_for_appeal(Envelope("appeal.accepted", "intake", data), u, subject_source())


def test_a_new_case_goes_to_the_best_case_manager_and_only_they_see_it(uow):
    from cases.domain.workload import CaseManager
    from cases.service_layer import workload
    from ekm_platform.auth import Principal
    from ekm_platform.errors import NotFound

    with uow() as u:
        workload.register_manager(u, CaseManager("cm-1", "UA80000000000093317", 10, frozenset({"veterans"}), "sv-1"))
    case = run(uow, accepted("a-1"), subject_source())
    assert case.assigned_to == "cm-1" and "veterans" in case.assignment_explanation
    owner, other, boss = (
        Principal("cm-1", "case_manager"),
        Principal("cm-2", "case_manager"),
        Principal("sv-1", "supervisor"),
    )
    with uow() as u:
        assert handlers.get_case(u, owner, case_number=case.case_number.lower()).appeal_ids == ["a-1"]
        assert [c.case_id for c in handlers.list_cases(u, owner, stage="assessment")] == [case.case_id]
        assert [c.case_id for c in handlers.list_cases(u, boss)] == [case.case_id]  # cm-1 is in sv-1's team
        assert handlers.list_cases(u, other) == [] and handlers.list_cases(u, owner, stage="closed") == []
        with pytest.raises(NotFound):
            handlers.get_case(u, other, case_id=case.case_id)
        assert handlers.case_is_open(u, case.case_number) and not handlers.case_is_open(u, "CASE-X")
        audit = u.session.execute(select(metadata.tables["audit_log"])).all()
    assert [(a.actor_id, a.action) for a in audit] == [("cm-1", "case.read")]
    assert PERSON["rnokpp"] not in audit[0].details


def test_without_a_skilled_case_manager_with_capacity_the_case_says_it_went_to_one_without_the_skills(uow):
    from cases.adapters.orm import history
    from cases.domain.workload import CaseManager
    from cases.service_layer import workload

    with uow() as u:
        workload.register_manager(u, CaseManager("cm-vet", "UA80000000000093317", 1, frozenset({"veterans"}), "sv-1"))
        workload.register_manager(u, CaseManager("cm-gen", "UA80000000000093317", 10, frozenset(), "sv-1"))
    case = run(uow, accepted("a-1"), subject_source())  # unscored: weight 2, more than cm-vet's capacity
    assert case.assigned_to == "cm-gen"
    assert case.assignment_explanation.startswith(
        "Громада UA80000000000093317; жоден кейс-менеджер із потрібними навичками (робота з ветеранами) не мав вільної "
        "ємності, тому випадок передано найкращому доступному кейс-менеджеру без них; "
    )
    assert (
        " / community UA80000000000093317; no case manager with the needed skills (veterans) had capacity, "
        "so the case went to the best available manager without them; "
    ) in case.assignment_explanation
    assert "навички: —" not in case.assignment_explanation
    with uow() as u:
        stored = u.repo.get(case_id=case.case_id)
        summary = u.session.execute(select(history.c.summary).where(history.c.kind == "case.opened")).scalar()
    assert stored.assignment_explanation == case.assignment_explanation
    assert case.assignment_explanation in summary
