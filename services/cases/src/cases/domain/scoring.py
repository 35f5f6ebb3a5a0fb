"""Scoring ("скоринг"): from an assessment, the case's complexity, whether long-term case
management is needed, and recommended services — each with the answers that led to it.

The rules are versioned data (``scoring_rules/<version>.json``); this module only
evaluates them. No black box: every result carries its reasons.
"""

from __future__ import annotations

import json
import operator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from cases.domain.assessment import Assessment, Domain

SERVICE_CATALOGUE = (
    "consultation",
    "representation_of_interests",
    "home_care",
    "in_kind_help",
    "social_support_of_families",
    "social_adaptation",
    "crisis_intervention",
    "rehabilitation",
    "prosthetics_and_assistive_devices",
    "payments",
)
OPS = {
    ">=": operator.ge,
    ">": operator.gt,
    "<=": operator.le,
    "<": operator.lt,
    "==": operator.eq,
    "in": lambda a, b: a in b,
}
RULES = Path(__file__).with_name("scoring_rules")


@dataclass(frozen=True)
class Reason:
    field: str
    value: str
    rule_id: str
    text_uk: str
    text_en: str


@dataclass(frozen=True)
class Recommendation:
    service_type: str
    because: tuple[Reason, ...]


@dataclass(frozen=True)
class ScoringResult:
    rules_version: str
    complexity: str
    long_term: bool
    recommendations: tuple[Recommendation, ...]
    explanation: tuple[Reason, ...] = field(default=())


@cache
def load_rules(version: str = "v1") -> dict:
    rules = json.loads((RULES / f"{version}.json").read_text(encoding="utf-8"))
    unknown = {r["service"] for r in rules["recommendations"]} - set(SERVICE_CATALOGUE)
    if unknown:
        raise ValueError(f"rules {version} recommend services outside the catalogue: {unknown}")
    return rules


def answers(assessment: Assessment, screening_level: str = "") -> dict:
    """The facts the rules may ask about."""
    levels = {d: assessment.level(d) for d in Domain}
    facts: dict[str, int | str] = {f"domains.{d.value}.need_level": level for d, level in levels.items()}
    facts.update(
        max_need_level=max(levels.values(), default=0),
        sum_need_level=sum(levels.values()),
        domains_with_needs=sum(1 for level in levels.values() if level >= 1),
        children_with_needs=sum(1 for c in assessment.children if c.need_level >= 1),
        # limited or removed by a court; a minor's incomplete or partial capacity comes with age, not a need
        family_without_full_capacity=sum(1 for m in assessment.family if m.legal_capacity in ("limited", "none")),
        screening_level=screening_level,
    )
    return facts


def _matches(condition: dict, facts: dict, rule: dict) -> list[Reason]:
    """The reasons a condition holds ([] when it does not)."""
    if "any" in condition or "all" in condition:
        parts = [_matches(c, facts, rule) for c in (condition["any"] if "any" in condition else condition["all"])]
        if "any" in condition:
            return [r for part in parts for r in part]
        return [r for part in parts for r in part] if all(parts) else []
    value = facts.get(condition["field"])
    if value is None or not OPS[condition["op"]](value, condition["value"]):
        return []
    return [Reason(condition["field"], str(value), rule["id"], rule["text_uk"], rule["text_en"])]


def score(assessment: Assessment, screening_level: str = "", rules: dict | None = None) -> ScoringResult:
    rules = rules or load_rules()
    facts = answers(assessment, screening_level)
    complexity, explanation = "low", []
    for rule in rules["complexity"]:
        reasons = _matches(rule["when"], facts, rule)
        if reasons:
            complexity, explanation = rule["level"], reasons
            break
    facts["complexity"] = complexity
    long_term_reasons = _matches(rules["long_term"]["when"], facts, rules["long_term"])
    recommendations = []
    for rule in rules["recommendations"]:
        reasons = _matches(rule["when"], facts, rule)
        if reasons:
            recommendations.append(Recommendation(rule["service"], tuple(reasons)))
    return ScoringResult(
        rules["version"],
        complexity,
        bool(long_term_reasons),
        tuple(recommendations),
        tuple(explanation + long_term_reasons),
    )
