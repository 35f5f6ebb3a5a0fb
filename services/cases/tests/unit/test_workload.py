"""Automatic assignment of a new case: the community's case manager with the needed skills
and the most free capacity after taking the case, weighted by complexity, with the reason."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cases.domain.workload import WEIGHTS, Assignment, CaseManager, choose_case_manager
from ekm_platform.errors import FailedPrecondition

KYIV, LVIV = "UA80000000000093317", "UA46060250010015970"
TEAM = [
    CaseManager("cm-olena", KYIV, 12, frozenset({"veterans", "children"})),
    CaseManager("cm-taras", KYIV, 10, frozenset({"veterans"})),
    CaseManager("cm-iryna", KYIV, 20, frozenset({"children"})),
    CaseManager("cm-lviv", LVIV, 100, frozenset({"veterans", "children"})),
]


def test_complexity_weights():
    assert (WEIGHTS["low"], WEIGHTS["medium"], WEIGHTS["high"]) == (1, 2, 3)


def test_only_the_case_managers_of_the_community_are_considered():
    chosen = choose_case_manager(KYIV, {"veterans"}, "low", TEAM, {})
    assert chosen.manager_id != "cm-lviv"
    assert choose_case_manager(LVIV, set(), "high", TEAM, {"cm-lviv": 97}).manager_id == "cm-lviv"


def test_the_needed_skills_come_before_free_capacity():
    # cm-iryna has the most free capacity, but lacks "veterans"
    assert choose_case_manager(KYIV, {"veterans"}, "medium", TEAM, {}).manager_id == "cm-olena"
    assert (
        choose_case_manager(KYIV, {"veterans", "children"}, "medium", TEAM, {"cm-olena": 10}).manager_id == "cm-olena"
    )


def test_among_the_skilled_the_most_free_capacity_wins():
    assert choose_case_manager(KYIV, {"veterans"}, "low", TEAM, {"cm-olena": 9, "cm-taras": 2}).manager_id == "cm-taras"


def test_ties_go_to_the_lower_load_then_the_id():
    pair = [CaseManager("cm-b", KYIV, 10), CaseManager("cm-a", KYIV, 12)]
    assert choose_case_manager(KYIV, set(), "low", pair, {"cm-b": 0, "cm-a": 2}).manager_id == "cm-b"
    same = [CaseManager("cm-b", KYIV, 10), CaseManager("cm-a", KYIV, 10)]
    assert choose_case_manager(KYIV, set(), "low", same, {}).manager_id == "cm-a"


@pytest.mark.parametrize(
    "complexity, load, fits",
    [
        ("high", 7, True),
        ("high", 8, False),
        ("medium", 8, True),
        ("medium", 9, False),
        ("low", 9, True),
        ("low", 10, False),
    ],
)
def test_a_case_fits_only_within_capacity_by_its_weight(complexity, load, fits):
    solo = [CaseManager("cm-solo", KYIV, 10, frozenset({"veterans"}))]
    if fits:
        assert choose_case_manager(KYIV, {"veterans"}, complexity, solo, {"cm-solo": load}).manager_id == "cm-solo"
    else:
        with pytest.raises(FailedPrecondition, match="no case manager with free capacity"):
            choose_case_manager(KYIV, {"veterans"}, complexity, solo, {"cm-solo": load})


def test_an_unscored_case_weighs_as_medium():
    solo = [CaseManager("cm-solo", KYIV, 10)]
    choose_case_manager(KYIV, set(), "", solo, {"cm-solo": 8})
    with pytest.raises(FailedPrecondition):
        choose_case_manager(KYIV, set(), "", solo, {"cm-solo": 9})


def test_without_a_skilled_colleague_with_capacity_someone_local_still_takes_the_case():
    loads = {"cm-olena": 12, "cm-taras": 10}
    chosen = choose_case_manager(KYIV, {"veterans"}, "low", TEAM, loads)
    assert chosen.manager_id == "cm-iryna" and chosen.lacks_skills
    assert chosen.explanation_uk == (
        f"Громада {KYIV}; жоден кейс-менеджер із потрібними навичками (робота з ветеранами) не мав вільної ємності, "
        f"тому випадок передано найкращому доступному кейс-менеджеру без них; вільна ємність 20 з 20; вага випадку 1"
    )
    assert chosen.explanation_en == (
        f"community {KYIV}; no case manager with the needed skills (veterans) had capacity, so the case went to "
        f"the best available manager without them; free capacity 20 of 20; case weight 1"
    )
    assert "навички: —" not in chosen.explanation


def test_a_fallback_to_someone_with_only_some_of_the_needed_skills_names_what_they_have():
    chosen = choose_case_manager(KYIV, {"veterans", "children"}, "low", TEAM, {"cm-olena": 12})
    assert chosen.manager_id == "cm-iryna" and chosen.lacks_skills
    assert "(робота з дітьми, робота з ветеранами)" in chosen.explanation_uk
    assert "(з потрібних має: робота з дітьми)" in chosen.explanation_uk
    assert "(children, veterans)" in chosen.explanation_en and "(has some of them: children)" in chosen.explanation_en


def test_a_skilled_choice_and_a_case_needing_no_skills_are_not_a_fallback():
    assert not choose_case_manager(KYIV, {"veterans"}, "low", TEAM, {}).lacks_skills
    assert not choose_case_manager(KYIV, set(), "low", TEAM, {}).lacks_skills


def test_nobody_in_the_community_means_failed_precondition_naming_it():
    with pytest.raises(FailedPrecondition) as caught:
        choose_case_manager("UA-NOWHERE", set(), "low", TEAM, {})
    assert "UA-NOWHERE" in caught.value.message and " / " in caught.value.message


def test_the_explanation_names_community_skills_and_capacity_in_both_languages():
    chosen = choose_case_manager(KYIV, {"veterans"}, "high", TEAM, {"cm-olena": 7, "cm-taras": 4})
    assert isinstance(chosen, Assignment) and chosen.manager_id == "cm-taras"
    assert (
        chosen.explanation_uk == f"Громада {KYIV}; навички: робота з ветеранами; вільна ємність 6 з 10; вага випадку 3"
    )
    assert chosen.explanation_en == f"community {KYIV}; skills: veterans; free capacity 6 of 10; case weight 3"
    assert chosen.explanation == f"{chosen.explanation_uk} / {chosen.explanation_en}"


managers = st.lists(
    st.builds(
        CaseManager,
        st.sampled_from(["m1", "m2", "m3", "m4", "m5"]),
        st.sampled_from([KYIV, LVIV]),
        st.integers(0, 15),
        st.frozensets(st.sampled_from(["veterans", "children"])),
    ),
    max_size=6,
    unique_by=lambda m: m.manager_id,
)


@given(
    managers,
    st.dictionaries(st.sampled_from(["m1", "m2", "m3", "m4", "m5"]), st.integers(0, 15)),
    st.frozensets(st.sampled_from(["veterans", "children"])),
    st.sampled_from(["low", "medium", "high"]),
)
def test_the_choice_is_local_within_capacity_skilled_when_possible_and_the_freest(team, loads, skills, complexity):
    weight = WEIGHTS[complexity]
    free = {m.manager_id: m.capacity - loads.get(m.manager_id, 0) for m in team}
    fitting = [m for m in team if m.community_code == KYIV and free[m.manager_id] >= weight]
    if not fitting:
        with pytest.raises(FailedPrecondition):
            choose_case_manager(KYIV, set(skills), complexity, team, loads)
        return
    assignment = choose_case_manager(KYIV, set(skills), complexity, team, loads)
    chosen = next(m for m in team if m.manager_id == assignment.manager_id)
    skilled = [m for m in fitting if skills <= m.skills]
    pool = skilled or fitting
    assert chosen in pool
    assert assignment.lacks_skills == (not skilled)
    assert ("жоден кейс-менеджер із потрібними навичками" in assignment.explanation_uk) == (not skilled)
    assert ("no case manager with the needed skills" in assignment.explanation_en) == (not skilled)
    assert free[chosen.manager_id] == max(free[m.manager_id] for m in pool)
