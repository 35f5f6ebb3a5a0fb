"""ReturnForRework on both databases (SQLite and PostgreSQL): a returned assessment is a draft
with its reason, a returned plan leaves the supervision queue (the reason kept in the plan's
document), a returned closure request is withdrawn; each in the history."""

from functools import partial

import pytest

from cases.adapters.orm import metadata
from cases.adapters.repository import CaseRepository
from cases.domain.assessment import Assessment, Domain, DomainAssessment, FamilyMember, Status
from cases.domain.plan import Goal, Plan
from cases.domain.workload import CaseManager
from cases.service_layer import assessments, handlers, plans, supervision, workload
from ekm_platform import config
from ekm_platform.auth import Principal
from ekm_platform.db import make_engine, make_session_factory
from ekm_platform.envelope import Envelope
from ekm_platform.migrations import migrate
from ekm_platform.unit_of_work import UnitOfWork

pytestmark = [pytest.mark.integration, pytest.mark.timeout(120)]
COMMUNITY = "UA80000000000093317"
CM, SV = Principal("cm-1", "case_manager"), Principal("sv-1", "supervisor")
PERSON = {
    "rnokpp": "3221512349",
    "last_name": "Коваленко",
    "first_name": "Андрій",
    "patronymic": "",
    "birth_date": "1988-03-14",
}


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


def test_returns_are_stored_and_leave_the_queue(uow):
    event = Envelope(
        "appeal.accepted", "intake", {"appeal_id": "a-rr", "screening_level": "assessment", "community_code": COMMUNITY}
    )
    with uow() as u:
        case = handlers.open_case_for_appeal(event, u, lambda appeal_id: {"person": PERSON})
        u.commit()

    def version():
        with uow() as u:
            return u.repo.get(case_id=case.case_id).version

    def queued():
        with uow() as u:
            return {i.kind for i in supervision.queue(u, SV) if i.case_id == case.case_id}

    act = Assessment(
        case.case_id,
        1,
        "2026-11-01",
        "cm-1",
        family=(FamilyMember("Коваленко Андрій", "1988-03-14", "self"),),
        domains=tuple(DomainAssessment(d, 2 if d is Domain.HEALTH else 0) for d in Domain),
    )
    with uow() as u:
        assessments.save_assessment(u, CM, act, version(), submit=True)
    with uow() as u:
        supervision.return_for_rework(u, SV, case.case_id, "assessment_approval", 1, "Житло не описано")
    with uow() as u:
        back = u.repo.latest_assessment(case.case_id)
    assert (back.status, back.returned_reason) == (Status.DRAFT, "Житло не описано")
    assert "assessment_approval" not in queued()
    with uow() as u:
        assessments.save_assessment(u, CM, act, version(), submit=True)
    with uow() as u:
        assessments.approve_assessment(u, SV, case.case_id, 1)
    with uow() as u:
        plans.save_plan(u, CM, Plan(case.case_id, 1, goals=(Goal("g1", "health", "Реабілітація"),)), version())
    assert "plan_approval" in queued()
    with uow() as u:
        supervision.return_for_rework(u, SV, case.case_id, "plan_approval", 1, "Додайте кроки")
    with uow() as u:
        assert u.repo.latest_plan(case.case_id).returned_reason == "Додайте кроки"
        kinds = [e.kind for e in u.repo.history_of(case.person_id, 0, 100)]
    assert "plan_approval" not in queued() and kinds.count("supervision.returned") == 2
