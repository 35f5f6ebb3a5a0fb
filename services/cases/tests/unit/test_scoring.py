"""Scoring rules as data: every rule of every shipped version fires on the answers that should
trigger it and names those answers; the rule language; properties of any valid assessment."""

import json
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cases.domain.assessment import Assessment, ChildNeeds, Domain, DomainAssessment, FamilyMember
from cases.domain.scoring import OPS, RULES, SERVICE_CATALOGUE, answers, load_rules, score

LEVELS = ("low", "medium", "high")
VERSIONS = sorted(p.stem for p in Path(RULES).glob("*.json"))
V1 = load_rules("v1")


def leaves(condition: dict) -> list[dict]:
    if "any" in condition or "all" in condition:
        return [leaf for part in condition.get("any", condition.get("all")) for leaf in leaves(part)]
    return [condition]


def target(leaf: dict):
    """The smallest value that satisfies a leaf condition."""
    op, value = leaf["op"], leaf["value"]
    return {
        ">=": value,
        ">": value + 1 if isinstance(value, int) else value,
        "==": value,
        "in": value[0] if isinstance(value, list) else value,
    }.get(op, 0)


def build(requirements: dict) -> tuple[Assessment, str]:
    """A minimal act (and screening level) whose answers meet every requirement {field: value}."""
    levels, kids, limited, screening = {}, 0, 0, ""
    for field, value in requirements.items():
        if field.startswith("domains."):
            levels[field.split(".")[1]] = value
        elif field == "max_need_level":
            levels.setdefault("health", value)
        elif field in ("sum_need_level", "domains_with_needs"):
            per = 1 if field == "domains_with_needs" else None
            for i, d in enumerate(Domain):  # spread evenly, so the maximum stays as low as possible
                levels[d.value] = (
                    per
                    if per is not None and i < value
                    else (0 if per is not None else value // len(Domain) + (i < value % len(Domain)))
                )
        elif field == "children_with_needs":
            kids = value
        elif field == "family_without_full_capacity":
            limited = value
        elif field == "screening_level":
            screening = value
        elif field == "complexity":
            levels.setdefault("health", {"low": 0, "medium": 2, "high": 3}[value])
        else:
            raise AssertionError(f"no witness for {field}")
    family = [FamilyMember("Бондар Петро", "1980-01-01", "self", legal_capacity="limited" if limited else "full")]
    family += [FamilyMember(f"Бондар дитина {i}", "2015-01-01", "child") for i in range(kids)]
    family += [
        FamilyMember(f"Бондар опікуваний {i}", "1950-01-01", "parent", legal_capacity="limited")
        for i in range(max(0, limited - 1))
    ]
    act = Assessment(
        "case-s",
        1,
        "2026-11-01",
        "cm-1",
        family=tuple(family),
        domains=tuple(DomainAssessment(d, levels.get(d.value, 0)) for d in Domain),
        children=tuple(ChildNeeds(f"Бондар дитина {i}", 1) for i in range(kids)),
    )
    return act, screening


def witnesses(rule: dict):
    """One witness per 'any' branch; for 'all', one witness meeting every leaf."""
    when = rule["when"]
    if "all" in when:
        return [(rule, {leaf["field"]: target(leaf) for leaf in leaves(when)}, leaves(when))]
    return [(rule, {leaf["field"]: target(leaf)}, [leaf]) for leaf in leaves(when)]


def cases(kind: str):
    for version in VERSIONS:
        rules = load_rules(version)
        chosen = rules[kind] if isinstance(rules[kind], list) else [rules[kind]]
        for rule in chosen:
            for rule_, requirements, used in witnesses(rule):
                yield pytest.param(
                    version,
                    rule_,
                    requirements,
                    used,
                    id=f"{version}-{rule_['id']}-{'+'.join(leaf['field'] for leaf in used)}",
                )


def assert_named(reasons, rule: dict, used: list[dict], facts: dict):
    for leaf in used:
        assert any(
            r.field == leaf["field"]
            and r.value == str(facts[leaf["field"]])
            and r.rule_id == rule["id"]
            and r.text_uk == rule["text_uk"]
            and r.text_en == rule["text_en"]
            for r in reasons
        ), (leaf, reasons)


@pytest.mark.parametrize("version, rule, requirements, used", list(cases("recommendations")))
def test_each_recommendation_rule_fires_and_names_the_answers(version, rule, requirements, used):
    act, screening = build(requirements)
    result = score(act, screening, load_rules(version))
    recommended = {r.service_type: r.because for r in result.recommendations}
    assert rule["service"] in recommended
    assert_named(recommended[rule["service"]], rule, used, dict(answers(act, screening), complexity=result.complexity))


def thresholds():
    """Recommendation branches on one domain's level: one step below must not fire."""
    for param in cases("recommendations"):
        version, rule, _, used = param.values
        if len(used) == 1 and used[0]["op"] == ">=" and used[0]["field"].startswith("domains.") and used[0]["value"]:
            yield param


@pytest.mark.parametrize("version, rule, requirements, used", list(thresholds()))
def test_a_recommendation_does_not_fire_just_below_its_threshold(version, rule, requirements, used):
    leaf = used[0]
    act, screening = build({leaf["field"]: leaf["value"] - 1})
    assert rule["service"] not in {r.service_type for r in score(act, screening, load_rules(version)).recommendations}


@pytest.mark.parametrize("version, rule, requirements, used", list(cases("complexity")))
def test_each_complexity_rule_fires_and_names_the_answers(version, rule, requirements, used):
    act, screening = build(requirements)
    result = score(act, screening, load_rules(version))
    assert result.complexity == rule["level"]
    assert_named(result.explanation, rule, used, answers(act, screening))


@pytest.mark.parametrize("version, rule, requirements, used", list(cases("long_term")))
def test_each_long_term_rule_fires_and_names_the_answers(version, rule, requirements, used):
    act, screening = build(requirements)
    result = score(act, screening, load_rules(version))
    assert result.long_term
    assert_named(result.explanation, rule, used, dict(answers(act, screening), complexity=result.complexity))


def test_no_needs_means_a_consultation_is_enough():
    act, _ = build({})
    result = score(act)
    assert (result.rules_version, result.complexity, result.long_term) == ("v1", "low", False)
    assert [r.service_type for r in result.recommendations] == ["consultation"]
    assert result.explanation == ()


def test_a_child_recorded_without_needs_and_a_fully_capable_family_trigger_nothing():
    act, _ = build({"children_with_needs": 1})
    calm = replace(act, children=tuple(replace(c, need_level=0) for c in act.children))
    facts = answers(calm)
    assert (facts["children_with_needs"], facts["family_without_full_capacity"]) == (0, 0)
    assert [r.service_type for r in score(calm).recommendations] == ["consultation"]
    assert score(calm).complexity == "low"


@pytest.mark.parametrize("version", VERSIONS)
def test_the_rules_data_is_well_formed(version):
    rules = load_rules(version)
    assert rules["version"] == version
    known = set(answers(build({})[0])) | {"complexity"}
    everything = rules["complexity"] + [rules["long_term"]] + rules["recommendations"]
    ids = [r["id"] for r in everything]
    assert len(ids) == len(set(ids))
    for rule in everything:
        assert rule["text_uk"].strip() and rule["text_en"].strip(), rule["id"]
        for leaf in leaves(rule["when"]):
            assert leaf["field"] in known, (rule["id"], leaf["field"])  # a typo would silently never fire
            assert leaf["op"] in OPS, (rule["id"], leaf["op"])
    assert {r["level"] for r in rules["complexity"]} <= set(LEVELS)
    assert {r["service"] for r in rules["recommendations"]} <= set(SERVICE_CATALOGUE)


def test_the_rule_language_any_all_and_nesting():
    act, _ = build({"domains.health.need_level": 2, "domains.housing.need_level": 1})
    rule = lambda rid, when: {"id": rid, "service": "home_care", "when": when, "text_uk": "т", "text_en": "t"}
    health, housing = (
        {"field": "domains.health.need_level", "op": ">=", "value": 2},
        {"field": "domains.housing.need_level", "op": ">=", "value": 2},
    )
    rules = {
        "version": "test",
        "complexity": [],
        "long_term": {"id": "L", "when": {"any": []}, "text_uk": "т", "text_en": "t"},
        "recommendations": [rule("ALL", {"all": [health, housing]})],
    }
    assert score(act, rules=rules).recommendations == ()
    rules["recommendations"] = [rule("ANY", {"any": [health, housing]})]
    (only,) = score(act, rules=rules).recommendations
    assert [r.field for r in only.because] == ["domains.health.need_level"]  # only the answer that held
    rules["recommendations"] = [
        rule(
            "NEST",
            {
                "all": [
                    {"any": [housing, health]},
                    {"field": "screening_level", "op": "in", "value": ["crisis", "assessment"]},
                ]
            },
        )
    ]
    (nested,) = score(act, "assessment", rules=rules).recommendations
    assert {r.field for r in nested.because} == {"domains.health.need_level", "screening_level"}
    assert score(act, "information", rules=rules).recommendations == ()
    assert score(act, rules=rules).rules_version == "test"


def test_an_unknown_rules_version_is_refused():
    with pytest.raises(FileNotFoundError):
        load_rules("v0-missing")


# --- properties over any valid assessment ---------------------------------------------------------------------

ORDER = {level: i for i, level in enumerate(LEVELS)}


@st.composite
def situations(draw):
    levels = draw(st.fixed_dictionaries({d.value: st.integers(0, 3) for d in Domain}))
    kid_levels = draw(st.lists(st.integers(0, 3), max_size=4))
    limited = draw(st.booleans())
    family = (FamilyMember("Мельник Іван", "1979-04-04", "self", legal_capacity="limited" if limited else "full"),)
    family += tuple(FamilyMember(f"Мельник дитина {i}", "2014-01-01", "child") for i in range(len(kid_levels)))
    act = Assessment(
        "case-h",
        1,
        "2026-11-01",
        "cm-1",
        family=family,
        domains=tuple(DomainAssessment(Domain(d), n) for d, n in levels.items()),
        children=tuple(ChildNeeds(f"Мельник дитина {i}", n) for i, n in enumerate(kid_levels)),
    )
    return act, draw(st.sampled_from(["", "information", "assessment", "crisis"]))


@given(situations())
def test_every_valid_assessment_scores_and_every_reason_tells_the_truth(situation):
    act, screening = situation
    result = score(act, screening)
    facts = dict(answers(act, screening), complexity=result.complexity)
    assert result.complexity in LEVELS and result.rules_version == "v1"
    assert result.long_term or result.complexity == "low"
    services = [r.service_type for r in result.recommendations]
    assert "consultation" in services and len(services) == len(set(services)) <= len(SERVICE_CATALOGUE)
    for recommendation in result.recommendations:
        assert recommendation.service_type in SERVICE_CATALOGUE and recommendation.because
    for reason in [r for rec in result.recommendations for r in rec.because] + list(result.explanation):
        assert reason.value == str(facts[reason.field]) and reason.text_uk and reason.text_en
    assert score(act, screening) == result


@given(situations(), st.sampled_from(list(Domain) + ["child", "crisis"]))
def test_a_growing_need_never_lowers_complexity_long_term_or_recommendations(situation, grow):
    act, screening = situation
    if grow == "crisis":
        grown, grown_screening = act, "crisis"
    elif grow == "child":
        grown, grown_screening = (
            replace(
                act,
                family=act.family + (FamilyMember("Нова дитина", "2020-02-02", "child"),),
                children=act.children + (ChildNeeds("Нова дитина", 2),),
            ),
            screening,
        )
    else:
        grown_screening = screening
        grown = replace(
            act,
            domains=tuple(
                replace(d, need_level=min(3, d.need_level + 1)) if d.domain is grow else d for d in act.domains
            ),
        )
    before, after = score(act, screening), score(grown, grown_screening)
    assert ORDER[after.complexity] >= ORDER[before.complexity]
    assert after.long_term >= before.long_term
    assert {r.service_type for r in after.recommendations} >= {r.service_type for r in before.recommendations}


def test_the_result_can_be_stored_as_json():
    act, screening = build({"domains.mental_health.need_level": 3})
    result = score(act, screening)
    text = json.dumps(
        [[r.service_type, [reason.__dict__ for reason in r.because]] for r in result.recommendations],
        ensure_ascii=False,
    )
    assert "crisis_intervention" in text and "domains.mental_health.need_level" in text
