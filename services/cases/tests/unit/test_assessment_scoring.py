from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cases.domain.assessment import (
    Assessment,
    ChildNeeds,
    Domain,
    DomainAssessment,
    FamilyMember,
    Status,
    validate_assessment,
)
from cases.domain.scoring import SERVICE_CATALOGUE, load_rules, score
from ekm_platform.errors import FailedPrecondition, ValidationError

FAMILY = (
    FamilyMember("Коваленко Андрій", "1988-03-14", "self"),
    FamilyMember("Коваленко Марія", "2015-05-01", "child"),
)


def act(**levels) -> Assessment:
    domains = tuple(DomainAssessment(d, levels.get(d.value, 0)) for d in Domain)
    return Assessment("case-1", 1, "2026-11-01", "cm-1", family=FAMILY, domains=domains)


def fields(assessment, complete=False):
    with pytest.raises(ValidationError) as caught:
        validate_assessment(assessment, complete=complete)
    return {v.field for v in caught.value.violations}


def test_each_invalid_value_is_named():
    bad = replace(
        act(),
        started_on="yesterday",
        specialist_id="",
        domains=(DomainAssessment(Domain.HEALTH, 4), DomainAssessment(Domain.HEALTH, 1)),
        family=FAMILY + (FamilyMember("", "2999-01-01", "child"),),
        children=(ChildNeeds("Невідома дитина", 1),),
    )
    assert {
        "started_on",
        "specialist_id",
        "domains.health.need_level",
        "domains[1].domain",
        "family[2].full_name",
        "family[2].birth_date",
        "children[0].child_ref",
    } <= fields(bad)


def test_submission_needs_every_domain_and_the_family():
    assert {"domains", "family"} <= fields(replace(act(), domains=(), family=()), complete=True)


def test_draft_submitted_approved_and_a_new_version_keeps_the_old():
    approved = act(health=2).submit().approve("sv-1")
    assert approved.status is Status.APPROVED and approved.approved_by == "sv-1"
    with pytest.raises(FailedPrecondition):
        act().approve("sv-1")
    again = approved.next_version()
    assert (again.version, again.status, approved.version) == (2, Status.DRAFT, 1)
    assert Assessment.from_dict(approved.to_dict()) == approved


def reasons(result, service):
    return next(r.because for r in result.recommendations if r.service_type == service)


@pytest.mark.parametrize(
    "levels, service, field",
    [
        ({"health": 2}, "rehabilitation", "domains.health.need_level"),
        ({"mental_health": 2}, "rehabilitation", "domains.mental_health.need_level"),
        ({"mental_health": 3}, "crisis_intervention", "domains.mental_health.need_level"),
        ({"disability": 2}, "prosthetics_and_assistive_devices", "domains.disability.need_level"),
        ({"self_care": 2}, "home_care", "domains.self_care.need_level"),
        ({"employment": 2}, "social_adaptation", "domains.employment.need_level"),
        ({"social_contacts": 2}, "social_adaptation", "domains.social_contacts.need_level"),
        ({"social_contacts": 3}, "social_support_of_families", "domains.social_contacts.need_level"),
        ({"housing": 2}, "in_kind_help", "domains.housing.need_level"),
        ({"housing": 3}, "payments", "domains.housing.need_level"),
        ({"employment": 3}, "payments", "domains.employment.need_level"),
        ({}, "consultation", "max_need_level"),
    ],
)
def test_each_recommendation_rule_fires_and_names_the_answer(levels, service, field):
    result = score(act(**levels))
    because = reasons(result, service)
    assert any(r.field == field and r.rule_id.startswith("R-") and r.text_uk for r in because)


def test_children_crisis_and_capacity_rules():
    with_child = replace(act(), children=(ChildNeeds("Коваленко Марія", 2),))
    assert reasons(score(with_child), "social_support_of_families")[0].field == "children_with_needs"
    assert reasons(score(act(), screening_level="crisis"), "crisis_intervention")[0].value == "crisis"
    limited = replace(act(), family=(replace(FAMILY[0], legal_capacity="limited"),) + FAMILY[1:])
    assert reasons(score(limited), "representation_of_interests")
    assert [r.service_type for r in score(act()).recommendations] == ["consultation"]


def test_complexity_and_long_term_with_explanations():
    low = score(act(health=1))
    assert (low.complexity, low.long_term) == ("low", False)
    medium = score(act(health=2))
    assert (medium.complexity, medium.long_term) == ("medium", True)
    assert {r.rule_id for r in medium.explanation} == {"C-MEDIUM", "L-CASE"}
    high = score(act(housing=3))
    assert high.complexity == "high" and any(r.field == "max_need_level" for r in high.explanation)
    assert score(act(), screening_level="crisis").complexity == "high"
    assert load_rules("v1")["version"] == "v1"


levels = st.fixed_dictionaries({d.value: st.integers(0, 3) for d in Domain})
ORDER = {"low": 0, "medium": 1, "high": 2}


@given(levels, st.sampled_from(list(Domain)))
def test_complexity_never_falls_when_a_need_grows(base, domain):
    grown = dict(base, **{domain.value: min(3, base[domain.value] + 1)})
    first, second = score(act(**base)), score(act(**grown))
    assert ORDER[second.complexity] >= ORDER[first.complexity]
    assert all(r.service_type in SERVICE_CATALOGUE and r.because for r in first.recommendations)
