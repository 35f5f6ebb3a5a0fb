"""cases.case_needs and cases.community_needs: the codes interagency's resource bank and state
report get — by GetCase's relation rule, identifiers and codes only (no names, no birth dates)."""

from datetime import date

import pytest
from nameko.testing.services import worker_factory

from cases.adapters.orm import metadata
from cases.adapters.repository import CaseRepository
from cases.domain.assessment import Assessment, Domain, DomainAssessment, Status
from cases.domain.workload import CaseManager
from cases.service import CasesService
from cases.service_layer import handlers, needs, workload
from ekm_platform.envelope import Envelope

COMMUNITY = "UA80000000000093317"
PERSON = {
    "rnokpp": "3221512349",
    "unzr": "19880314-43212",
    "last_name": "Коваленко",
    "first_name": "Андрій",
    "patronymic": "",
    "birth_date": "1988-03-14",
}
CM = {"user_id": "cm-1", "role": "case_manager", "community_code": COMMUNITY, "organisation": ""}
OTHER_CM = {"user_id": "cm-2", "role": "case_manager", "community_code": COMMUNITY, "organisation": ""}
SV = {"user_id": "sv-1", "role": "supervisor", "community_code": COMMUNITY, "organisation": ""}
OTHER_SV = {"user_id": "sv-9", "role": "supervisor", "community_code": "UA46000000000026241", "organisation": ""}
OPERATOR = {"user_id": "op-1", "role": "operator", "community_code": "", "organisation": ""}
DONOR = {"user_id": "d-1", "role": "donor", "community_code": "", "organisation": "fund-1"}


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
    with uow() as u:
        u.repo.save_assessment(
            Assessment(
                opened.case_id,
                1,
                "2026-11-01",
                "cm-1",
                status=Status.SUBMITTED,
                domains=(DomainAssessment(Domain.HEALTH, 2), DomainAssessment(Domain.HOUSING, 2)),
            )
        )
        u.commit()
    return opened


@pytest.mark.parametrize("actor", [OTHER_CM, OTHER_SV, OPERATOR, DONOR, {"role": "nobody"}])
def test_needs_of_a_case_the_caller_may_not_work_on_are_not_found(uow, case, actor):
    with uow() as u:
        assert needs.case_needs(u, actor, case.case_number) == {"status": "not_found"}


def test_the_case_manager_gets_codes_and_an_age_never_a_name_or_birth_date(uow, case):
    with uow() as u:
        answer = needs.case_needs(u, CM, case.case_number, today=date(2026, 12, 3))
    assert answer["status"] == "ok" and answer["community_code"] == COMMUNITY and answer["age_years"] == 38
    assert {n["service_type"] for n in answer["needs"]} == {"consultation", "rehabilitation", "in_kind_help"}
    assert next(n for n in answer["needs"] if n["service_type"] == "rehabilitation")["domains"] == ["health"]
    text = repr(answer)
    assert "Коваленко" not in text and "1988" not in text and PERSON["rnokpp"] not in text


def test_a_draft_assessment_is_not_yet_a_need(uow, case):
    with uow() as u:
        u.repo.save_assessment(
            Assessment(case.case_id, 2, "2026-12-01", "cm-1", domains=(DomainAssessment(Domain.SELF_CARE, 3),))
        )
        u.commit()
    with uow() as u:
        answer = needs.case_needs(u, CM, case.case_number)
    assert "home_care" not in {n["service_type"] for n in answer["needs"]}


def test_community_needs_for_a_supervisor_are_their_community_only_and_denied_to_others(uow, case):
    with uow() as u:
        assert needs.community_needs(u, CM)["status"] == "denied"
        assert needs.community_needs(u, DONOR)["status"] == "denied"
        assert needs.community_needs(u, OTHER_SV, community_code=COMMUNITY)["rows"] == []  # forced to their own
        rows = needs.community_needs(u, SV, today=date(2026, 12, 3))["rows"]
        assert rows == [[case.case_number, COMMUNITY, 38, ["consultation", "in_kind_help", "rehabilitation"], []]]
        assert needs.community_needs(u, OPERATOR, region="UA80")["rows"] == rows
        assert needs.community_needs(u, OPERATOR, region="UA46")["rows"] == []


def test_the_rpcs_are_entrypoints_of_the_service(uow, case):
    service = worker_factory(CasesService, db=uow)
    assert service.case_needs(CM, case.case_number)["status"] == "ok"
    assert service.community_needs(OPERATOR)["status"] == "ok"
