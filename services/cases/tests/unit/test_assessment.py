"""The Order 1005 act of needs assessment: every invalid field is named with its own path,
draft → submitted → approved, re-assessment keeps the old version, JSON storage round-trips."""

import json
from dataclasses import FrozenInstanceError, replace
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cases.domain.assessment import (
    AgencyContribution,
    Assessment,
    ChildNeeds,
    Domain,
    DomainAssessment,
    FamilyMember,
    Status,
    validate_assessment,
)
from ekm_platform.errors import FailedPrecondition, ValidationError

TODAY = date(2026, 11, 22)
SELF = FamilyMember(
    "Шевчук Олег Іванович",
    "1985-02-03",
    "self",
    disability="II група",
    legal_capacity="full",
    work_or_study="безробітний",
    registration="м. Київ, вул. Січових Стрільців, 1",
    phone="+380501112233",
)
SPOUSE = FamilyMember("Шевчук Ірина Петрівна", "1987-06-30", "spouse", work_or_study="школа №5, вчителька")
CHILD = FamilyMember("Шевчук Дарина Олегівна", "2016-09-01", "child", work_or_study="школа №5, 4 клас")


def complete_act(**levels) -> Assessment:
    return Assessment(
        "case-7",
        1,
        "2026-11-10",
        "cm-7",
        ended_on="2026-11-12",
        family=(SELF, SPOUSE, CHILD),
        domains=tuple(DomainAssessment(d, levels.get(d.value, 1), strengths="мотивація", notes="") for d in Domain),
        children=(ChildNeeds(CHILD.full_name, 1, strengths="добре навчається"),),
    )


def violations(a: Assessment, complete: bool = False) -> list:
    with pytest.raises(ValidationError) as caught:
        validate_assessment(a, complete=complete, today=TODAY)
    return caught.value.violations


def fields(a: Assessment, complete: bool = False) -> set[str]:
    return {v.field for v in violations(a, complete)}


def with_level(domain: Domain, level: int) -> Assessment:
    act = complete_act()
    return replace(act, domains=tuple(replace(d, need_level=level) if d.domain is domain else d for d in act.domains))


def test_a_complete_act_is_valid_as_a_draft_and_for_submission():
    validate_assessment(complete_act(), today=TODAY)
    validate_assessment(complete_act(), complete=True, today=TODAY)


@pytest.mark.parametrize("domain", list(Domain))
@pytest.mark.parametrize("level", [-1, 4, 17])
def test_a_need_level_outside_0_to_3_is_named_by_its_domain(domain, level):
    assert [v.field for v in violations(with_level(domain, level))] == [f"domains.{domain.value}.need_level"]


@pytest.mark.parametrize("domain", list(Domain))
@pytest.mark.parametrize("level", [0, 3])
def test_the_bounds_0_and_3_are_valid(domain, level):
    validate_assessment(with_level(domain, level), complete=True, today=TODAY)


@pytest.mark.parametrize(
    "started, ended, bad",
    [
        ("2026-11-10", "2026-11-09", {"ended_on"}),
        ("2026-11-10", "12.11.2026", {"ended_on"}),
        ("", "", {"started_on"}),
        ("10.11.2026", "", {"started_on"}),
    ],
)
def test_dates_of_the_act(started, ended, bad):
    assert fields(replace(complete_act(), started_on=started, ended_on=ended)) == bad


def test_an_act_may_end_the_day_it_started_or_be_still_open():
    validate_assessment(replace(complete_act(), ended_on="2026-11-10"), today=TODAY)
    validate_assessment(replace(complete_act(), ended_on=""), today=TODAY)


@pytest.mark.parametrize(
    "birth_date, ok",
    [
        ((TODAY + timedelta(days=1)).isoformat(), False),
        ("2030-01-01", False),
        ("", False),
        ("01.09.2016", False),
        (TODAY.isoformat(), True),
        ("1931-05-09", True),
    ],
)
def test_birth_dates_are_past_iso_dates_named_by_row(birth_date, ok):
    act = replace(complete_act(), family=(SELF, SPOUSE, replace(CHILD, birth_date=birth_date)))
    if ok:
        validate_assessment(act, today=TODAY)
    else:
        assert fields(act) == {"family[2].birth_date"}


def test_a_child_entry_needs_a_family_member_whose_relation_is_child():
    spouse_as_child = replace(complete_act(), children=(ChildNeeds(SPOUSE.full_name, 1),))
    assert fields(spouse_as_child) == {"children[0].child_ref"}
    unknown = replace(complete_act(), children=(ChildNeeds(CHILD.full_name, 1), ChildNeeds("Невідома дитина", 2)))
    assert fields(unknown) == {"children[1].child_ref"}
    assert fields(replace(complete_act(), children=(ChildNeeds(CHILD.full_name, 4),))) == {"children[0].need_level"}


def test_every_problem_is_reported_at_once_and_each_message_is_ukrainian_then_english():
    bad = replace(
        complete_act(),
        started_on="2026-11-10",
        ended_on="2026-11-01",
        specialist_id="  ",
        family=(SELF, replace(SPOUSE, full_name=""), replace(CHILD, birth_date="2099-01-01")),
        domains=(
            DomainAssessment(Domain.HEALTH, 5),
            DomainAssessment(Domain.HOUSING, -2),
            DomainAssessment(Domain.HEALTH, 1),
        ),
        children=(ChildNeeds("Хтось", 9),),
    )
    found = violations(bad)
    assert sorted(v.field for v in found) == sorted(
        [
            "ended_on",
            "specialist_id",
            "family[1].full_name",
            "family[2].birth_date",
            "domains.health.need_level",
            "domains.housing.need_level",
            "domains[2].domain",
            "children[0].child_ref",
            "children[0].need_level",
        ]
    )
    for v in found:
        uk, _, en = v.description.partition(" / ")
        assert en and any("а" <= ch.lower() <= "я" or ch in "іїєґ'" for ch in uk), v.description


def test_submission_needs_the_family_table_and_every_domain_named():
    partial = replace(complete_act(), domains=complete_act().domains[:5])
    validate_assessment(partial, today=TODAY)  # a draft may be partial
    problems = {v.field: v.description for v in violations(replace(partial, family=(), children=()), complete=True)}
    assert set(problems) == {"family", "domains"}
    assert "social_contacts" in problems["domains"] and "housing" in problems["domains"]
    assert "health" not in problems["domains"]


def test_draft_submitted_approved():
    draft = complete_act(health=3)
    with pytest.raises(FailedPrecondition, match="submitted first"):
        draft.approve("sv-1")
    submitted = draft.submit()
    assert (draft.status, submitted.status) == (Status.DRAFT, Status.SUBMITTED)
    with pytest.raises(FailedPrecondition):
        submitted.submit()
    approved = submitted.approve("sv-1")
    assert (approved.status, approved.approved_by) == (Status.APPROVED, "sv-1")
    with pytest.raises(FailedPrecondition):
        approved.approve("sv-2")


def test_an_incomplete_act_cannot_be_submitted():
    with pytest.raises(ValidationError):
        replace(complete_act(), domains=()).submit()


def test_a_reassessment_is_a_new_draft_and_the_old_version_stays():
    approved = (
        complete_act(housing=3)
        .contribute(AgencyContribution("health", "doc-1", "Потрібна реабілітація", "2026-11-11T10:00:00+00:00"))
        .submit()
        .approve("sv-1")
    )
    again = approved.next_version()
    assert (again.version, again.status, again.approved_by, again.ended_on) == (2, Status.DRAFT, "", "")
    assert (again.family, again.domains, again.contributions) == (
        approved.family,
        approved.domains,
        approved.contributions,
    )
    assert (approved.version, approved.status, approved.approved_by) == (1, Status.APPROVED, "sv-1")
    assert again.next_version().version == 3
    with pytest.raises(FrozenInstanceError):
        approved.status = Status.DRAFT  # type: ignore[misc]


def test_contributions_from_other_agencies_are_appended():
    first = AgencyContribution("employment", "emp-1", "Вакансії є", "2026-11-11T09:00:00+00:00")
    second = AgencyContribution("education", "edu-1", "Дитина відвідує гурток", "2026-11-12T09:00:00+00:00")
    act = complete_act()
    assert act.contribute(first).contribute(second).contributions == (first, second)
    assert act.contributions == ()


def test_an_unassessed_domain_reads_as_no_need():
    act = replace(complete_act(), domains=(DomainAssessment(Domain.HOUSING, 3),))
    assert (act.level(Domain.HOUSING), act.level(Domain.HEALTH)) == (3, 0)


# --- property-based: any valid act validates and survives JSON storage ---------------------------------------

names = st.text(
    alphabet="АБВГҐДЕЄЖЗИІЇЙКЛМНОПРСТУФХЦЧШЩЬЮЯабвгдеєжзиіїйклмнопрстуфхцчшщьюя' -", min_size=1, max_size=30
).filter(lambda s: s.strip())
past = st.dates(min_value=date(1925, 1, 1), max_value=TODAY).map(date.isoformat)
members = st.builds(
    FamilyMember,
    names,
    past,
    st.sampled_from(["self", "spouse", "child", "parent", "other"]),
    legal_capacity=st.sampled_from(["full", "limited", "none"]),
    phone=st.text(max_size=13),
)


@st.composite
def valid_acts(draw):
    family = draw(st.lists(members, max_size=6, unique_by=lambda m: m.full_name))
    chosen = draw(st.lists(st.sampled_from(list(Domain)), unique=True))
    domains = tuple(DomainAssessment(d, draw(st.integers(0, 3)), draw(st.text(max_size=20))) for d in chosen)
    kids = [m.full_name for m in family if m.relation == "child"]
    children = (
        tuple(ChildNeeds(ref, draw(st.integers(0, 3))) for ref in draw(st.lists(st.sampled_from(kids), unique=True)))
        if kids
        else ()
    )
    started = draw(st.dates(min_value=date(2019, 1, 1), max_value=TODAY))
    ended = draw(st.one_of(st.just(""), st.dates(min_value=started, max_value=TODAY).map(date.isoformat)))
    status = draw(st.sampled_from(list(Status)))
    return Assessment(
        "case-p",
        draw(st.integers(1, 20)),
        started.isoformat(),
        "cm-p",
        ended,
        tuple(family),
        domains,
        children,
        (),
        status,
        "sv-1" if status is Status.APPROVED else "",
    )


@given(valid_acts())
def test_valid_acts_validate_and_round_trip_through_json(act):
    validate_assessment(act, today=TODAY)
    assert Assessment.from_dict(json.loads(json.dumps(act.to_dict(), ensure_ascii=False))) == act


@given(valid_acts(), st.sampled_from(list(Domain)), st.integers().filter(lambda n: not 0 <= n <= 3))
def test_any_level_outside_the_scale_is_always_named(act, domain, level):
    others = tuple(d for d in act.domains if d.domain is not domain)
    bad = replace(act, domains=others + (DomainAssessment(domain, level),))
    assert f"domains.{domain.value}.need_level" in fields(bad)
