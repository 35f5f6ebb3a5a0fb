"""The worklist search, worklist rows, contracts and KPI closures on both databases (SQLite and
PostgreSQL): Cyrillic prefixes, apostrophes, wildcards taken literally, the person's name and
steps per row, contracts with their categories and tariff read back exactly."""

from decimal import Decimal
from functools import partial

import pytest

from cases.adapters.orm import metadata
from cases.adapters.repository import CaseRepository
from cases.domain.assessment import Assessment, Domain, DomainAssessment, FamilyMember
from cases.domain.lifecycle import Outcome
from cases.domain.model import Stage
from cases.domain.plan import Goal, Plan, PlannedService, Step
from cases.domain.workload import CaseManager
from cases.service_layer import assessments, contracts, handlers, persons, plans, stages, supervision, workload
from ekm_platform import config
from ekm_platform.auth import Principal
from ekm_platform.db import make_engine, make_session_factory
from ekm_platform.envelope import Envelope
from ekm_platform.migrations import migrate
from ekm_platform.unit_of_work import UnitOfWork

pytestmark = [pytest.mark.integration, pytest.mark.timeout(120)]
COMMUNITY = "UA80000000000093317"
CM, SV = Principal("cm-1", "case_manager"), Principal("sv-1", "supervisor")
PEOPLE = [
    {
        "rnokpp": "3221512349",
        "last_name": "Коваленко",
        "first_name": "Андрій",
        "patronymic": "",
        "birth_date": "1988-03-14",
    },
    {
        "rnokpp": "",
        "last_name": "Прокоп'єнко",
        "first_name": "Олена",
        "patronymic": "Іванівна",
        "birth_date": "1990-02-02",
    },
    {"rnokpp": "", "last_name": "Ко%_валь", "first_name": "Тест", "patronymic": "", "birth_date": "1990-02-02"},
]


@pytest.fixture
def uow(database_url, tmp_path, monkeypatch):
    if database_url:
        monkeypatch.setenv("EKM_DATABASE_URL", database_url)
        url = config.database_url("cases")
    else:
        url = f"sqlite:///{tmp_path / 'cases.db'}"
    migrate(url, "cases.adapters.migrations")
    engine = make_engine(url)
    factory = partial(UnitOfWork, make_session_factory(engine), metadata.tables, "cases", CaseRepository)
    with factory() as u:
        workload.register_manager(u, CaseManager("cm-1", COMMUNITY, 30, frozenset({"veterans"}), "sv-1"))
    yield factory
    engine.dispose()


def open_cases(uow):
    opened = []
    for n, person in enumerate(PEOPLE):
        event = Envelope(
            "appeal.accepted",
            "intake",
            {"appeal_id": f"a-{n}", "screening_level": "assessment", "community_code": COMMUNITY},
        )
        with uow() as u:
            opened.append(handlers.open_case_for_appeal(event, u, lambda appeal_id, p=person: {"person": p}))
            u.commit()
    return opened


def names(uow, text):
    with uow() as u:
        return sorted(r.person_name for r in handlers.worklist(u, CM, search=text))


def test_search_and_rows_on_this_database(uow):
    open_cases(uow)
    assert names(uow, "КОВАЛЕНКО") == ["Коваленко Андрій"]
    assert names(uow, "прокоп’єнко олена і") == ["Прокоп'єнко Олена Іванівна"]
    assert names(uow, "3221512349") == ["Коваленко Андрій"]
    assert names(uow, "ко%") == ["Ко%_валь Тест"] and names(uow, "к_") == [] and names(uow, "%") == []
    assert names(uow, "ко") == ["Ко%_валь Тест", "Коваленко Андрій"]


def current(uow, case):
    with uow() as u:
        return u.repo.get(case_id=case.case_id)


def test_contracts_steps_and_closures_on_this_database(uow):
    case = open_cases(uow)[0]
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
                steps=(
                    Step("s1", "g1", "Візит", "person", "p", "2020-01-01"),
                    Step("s2", "g1", "Вправи", "person", "p", "2020-02-01"),
                ),
                services=(PlannedService("sv1", "rehabilitation", "Центр", "щотижня"),),
            ),
            current(uow, case).version,
        )
    with uow() as u:
        [row] = handlers.worklist(u, CM, search="3221512349")
    assert (row.case.stage, row.next_step_due_on, row.overdue_steps) == (Stage.PLANNING, "2020-01-01", 2)
    with uow() as u:
        persons.update_person(u, CM, case.person_id, "", "", ["combatant", "released_from_captivity"], 0)
    with uow() as u:
        drafted = contracts.draft_contract(u, CM, case.case_id, "sv1", "7000", "3028", ["combatant"], "1999.99")
    with uow() as u:
        read = contracts.get_contract(u, CM, drafted.contract_id)
    assert (read.categories, read.tariff, read.fee.amount, read.fee.free) == (
        ("combatant", "released_from_captivity"),
        Decimal("1999.99"),
        Decimal("0.00"),
        True,
    )
    with uow() as u:
        stages.transition_case(u, SV, case.case_id, Stage.CLOSED, current(uow, case).version, Outcome.MOVED)
    with uow() as u:
        stages.transition_case(u, CM, case.case_id, Stage.ASSESSMENT, current(uow, case).version)
    with uow() as u:
        assert supervision.kpis(u, SV).outcomes == {"moved": 1}
