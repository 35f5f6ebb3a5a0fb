"""Screening (stage 2): every appeal is sorted into information / assessment / crisis by a
decision table — versioned configuration data (``screening_rules/<version>.json``) — and
the decision keeps the rules that fired and the table's version. Plain Python.

The table's hit policy is ``priority``: every rule is evaluated, and the outcome is the most
urgent outcome among the rules that fired (``priority``: crisis before assessment before
information); when none fires, the table's ``default``. A case manager may override the
outcome with a reason (``override``); the rules' decision stays in the appeal's history.
"""

from __future__ import annotations

import json
import operator
import os
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from functools import cache
from pathlib import Path

from ekm_platform.errors import FieldViolation, ValidationError

RULES = Path(__file__).with_name("screening_rules")
OUTCOMES = ("information", "assessment", "crisis")
FACTS = ("urgent", "description", "channel", "information_only", "subject_is_child", "applicant_is_subject")
_APOSTROPHES = re.compile(r"[’ʼ`´‘]")


def _contains_any(text: str, words: list[str]) -> bool:
    return any(_normalise(w) in text for w in words)


OPS = {"==": operator.eq, "!=": operator.ne, "in": lambda a, b: a in b, "contains_any": _contains_any}


def _normalise(text: str) -> str:
    """Lower case, one apostrophe, single spaces: "Б’є  мене" and "б'є мене" match alike."""
    return " ".join(_APOSTROPHES.sub("'", text.lower()).split())


class RulesError(ValueError):
    """A screening table that cannot be used (the service refuses to start with it)."""


@dataclass(frozen=True)
class FiredRule:
    rule_id: str
    outcome: str
    text_uk: str
    text_en: str

    def as_dict(self) -> dict:
        return {"rule_id": self.rule_id, "outcome": self.outcome, "text_uk": self.text_uk, "text_en": self.text_en}


@dataclass(frozen=True)
class ScreeningDecision:
    outcome: str
    rules_version: str
    fired: tuple[FiredRule, ...]
    decided_by: str = "rules"  # "rules", or the user id of whoever overrode it
    reason: str = ""  # an override's reason
    previous: str = ""  # an override's earlier outcome
    decided_at: datetime = field(default_factory=lambda: datetime.now(timezone.utc), compare=False)

    @property
    def rule_ids(self) -> list[str]:
        return [r.rule_id for r in self.fired]

    @property
    def explanation(self) -> str:
        """ "why" in Ukrainian / English: the rules that fired, or the override's reason."""
        if self.decided_by != "rules":
            return f"змінено вручну: {self.reason} / overridden: {self.reason}"
        return (
            f"{'; '.join(f'{r.rule_id}: {r.text_uk}' for r in self.fired)} / "
            f"{'; '.join(f'{r.rule_id}: {r.text_en}' for r in self.fired)}"
        )

    def as_dict(self) -> dict:
        return {
            "outcome": self.outcome,
            "rules_version": self.rules_version,
            "fired": [r.as_dict() for r in self.fired],
            "decided_by": self.decided_by,
            "reason": self.reason,
            "previous": self.previous,
            "decided_at": self.decided_at.isoformat(),
        }

    @classmethod
    def from_dict(cls, data: dict) -> ScreeningDecision:
        return cls(
            data["outcome"],
            data.get("rules_version", ""),
            tuple(FiredRule(**r) for r in data.get("fired", ())),
            data.get("decided_by", "rules"),
            data.get("reason", ""),
            data.get("previous", ""),
            datetime.fromisoformat(data["decided_at"]) if data.get("decided_at") else datetime.now(timezone.utc),
        )


def configured_version() -> str:
    return os.environ.get("EKM_SCREENING_RULES", "v1")


@cache
def load_rules(version: str = "v1") -> dict:
    """The decision table of ``version``, checked: known outcomes, facts and operators,
    unique rule ids. A broken table is a ``RulesError`` (never a silent default)."""
    path = RULES / f"{version}.json"
    if not re.fullmatch(r"v\d{1,4}", version) or not path.exists():
        raise RulesError(f"немає таблиці скринінгу {version!r} / no screening table {version!r}")
    table = json.loads(path.read_text(encoding="utf-8"))
    check_rules(table)
    return table


def check_rules(table: dict) -> None:
    problems = []
    if sorted(table.get("priority", ())) != sorted(OUTCOMES):
        problems.append("priority must order information, assessment and crisis")
    if table.get("default", {}).get("outcome") not in OUTCOMES:
        problems.append("default outcome unknown")
    seen = set()
    for rule in table.get("rules", ()):
        rid = rule.get("id", "")
        if not rid or rid in seen:
            problems.append(f"rule id {rid!r} missing or repeated")
        seen.add(rid)
        if rule.get("outcome") not in OUTCOMES:
            problems.append(f"{rid}: unknown outcome {rule.get('outcome')!r}")
        when = rule.get("when", {})
        conditions = when.get("all", []) + when.get("any", [])
        if not conditions or set(when) - {"all", "any"}:
            problems.append(f"{rid}: 'when' needs conditions under all/any")
        for c in conditions:
            if c.get("field") not in FACTS or c.get("op") not in OPS:
                problems.append(f"{rid}: unknown field or operator in {c}")
        if not (rule.get("text_uk") and rule.get("text_en")):
            problems.append(f"{rid}: text_uk and text_en are required")
    if problems:
        raise RulesError(
            f"таблиця скринінгу {table.get('version')!r} непридатна / unusable screening table: " + "; ".join(problems)
        )


def facts(
    *,
    urgent: bool,
    description: str,
    channel: str,
    information_only: bool = False,
    subject_birth_date: str = "",
    applicant_is_subject: bool = False,
    today: date | None = None,
) -> dict:
    """What the rules may ask about an appeal."""
    return {
        "urgent": urgent,
        "description": _normalise(description),
        "channel": channel,
        "information_only": information_only,
        "applicant_is_subject": applicant_is_subject,
        "subject_is_child": _is_child(subject_birth_date, today or date.today()),
    }


def _is_child(birth_date: str, today: date) -> bool:
    try:
        born = date.fromisoformat(birth_date)
    except ValueError:
        return False
    return (today.year - born.year - ((today.month, today.day) < (born.month, born.day))) < 18


def _holds(condition: dict, known: dict) -> bool:
    return bool(OPS[condition["op"]](known[condition["field"]], condition["value"]))


def _fires(rule: dict, known: dict) -> bool:
    when = rule["when"]
    return all(_holds(c, known) for c in when.get("all", ())) and (
        not when.get("any") or any(_holds(c, known) for c in when["any"])
    )


def screen(known: dict, table: dict | None = None) -> ScreeningDecision:
    """The table's decision about an appeal with these ``facts``."""
    table = table or load_rules(configured_version())
    fired = [r for r in table["rules"] if _fires(r, known)]
    if not fired:
        d = table["default"]
        return ScreeningDecision(
            d["outcome"], table["version"], (FiredRule(d["id"], d["outcome"], d["text_uk"], d["text_en"]),)
        )
    rank = {outcome: i for i, outcome in enumerate(table["priority"])}
    outcome = min((r["outcome"] for r in fired), key=rank.__getitem__)
    return ScreeningDecision(
        outcome, table["version"], tuple(FiredRule(r["id"], r["outcome"], r["text_uk"], r["text_en"]) for r in fired)
    )


MAX_REASON = 1000


def override(decision: ScreeningDecision, outcome: str, by: str, reason: str) -> ScreeningDecision:
    """A case manager's decision instead of the table's: the reason is required; the rules
    that fired are kept, so the history shows what the table said and why it was changed."""
    problems = []
    if outcome not in OUTCOMES:
        problems.append(FieldViolation("screening_level", "невідомий рівень скринінгу / unknown screening level"))
    elif outcome == decision.outcome:
        problems.append(FieldViolation("screening_level", "рівень уже такий / the level is already this"))
    if not reason.strip():
        problems.append(FieldViolation("reason", "потрібна причина зміни / a reason is required"))
    elif len(reason) > MAX_REASON:
        problems.append(FieldViolation("reason", f"до {MAX_REASON} символів / up to {MAX_REASON} characters"))
    if problems:
        raise ValidationError(problems)
    return ScreeningDecision(
        outcome, decision.rules_version, decision.fired, decided_by=by, reason=reason.strip(), previous=decision.outcome
    )
