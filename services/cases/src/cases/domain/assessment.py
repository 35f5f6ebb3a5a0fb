"""The Act of needs assessment of a family / person (Order of the Ministry of Social
Policy No. 1005 of 13.07.2018): the family table, the domains of need with strengths,
each child's needs, other agencies' contributions; versioned and approved by a supervisor."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import date
from enum import Enum

from ekm_platform.errors import FailedPrecondition, FieldViolation, ValidationError
from ekm_platform.identifiers import rnokpp_problem, unzr_problem


class Domain(str, Enum):
    HEALTH = "health"
    DISABILITY = "disability"
    MENTAL_HEALTH = "mental_health"
    SELF_CARE = "self_care"
    EMPLOYMENT = "employment"
    SOCIAL_CONTACTS = "social_contacts"  # social contacts and family relations
    HOUSING = "housing"


# Closed code lists of the family table (the proto enums Relation and LegalCapacity carry
# the same codes with their labels; a unit test keeps the two equal).
RELATIONS = (
    "self",
    "spouse",
    "child",
    "parent",
    "sibling",
    "grandparent",
    "grandchild",
    "guardian",
    "partner",
    "other",
)
# "" = not recorded (read as full); incomplete: aged 14-18, partial: under 14 (by age); limited and
# none: decided by a court.
LEGAL_CAPACITIES = ("full", "incomplete", "partial", "limited", "none")


class Status(str, Enum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"


@dataclass(frozen=True)
class FamilyMember:
    full_name: str
    birth_date: str
    relation: str  # self, spouse, child, parent, …
    disability: str = ""
    legal_capacity: str = "full"
    work_or_study: str = ""
    registration: str = ""
    phone: str = ""
    rnokpp: str = ""  # optional: identifies the member (registry lookups about them)
    unzr: str = ""


@dataclass(frozen=True)
class DomainAssessment:
    domain: Domain
    need_level: int  # 0 none … 3 acute
    strengths: str = ""
    notes: str = ""


@dataclass(frozen=True)
class ChildNeeds:
    child_ref: str  # the child's full_name in the family table
    need_level: int
    strengths: str = ""
    notes: str = ""


@dataclass(frozen=True)
class AgencyContribution:
    agency_code: str
    author_id: str
    text: str
    at: str


@dataclass(frozen=True)
class Assessment:
    case_id: str
    version: int
    started_on: str
    specialist_id: str
    ended_on: str = ""
    family: tuple[FamilyMember, ...] = ()
    domains: tuple[DomainAssessment, ...] = ()
    children: tuple[ChildNeeds, ...] = ()
    contributions: tuple[AgencyContribution, ...] = ()
    status: Status = Status.DRAFT
    approved_by: str = ""
    returned_by: str = ""  # a supervisor sent the submitted version back (cleared on saving)
    returned_reason: str = ""

    def level(self, domain: Domain) -> int:
        return next((d.need_level for d in self.domains if d.domain is domain), 0)

    def submit(self) -> Assessment:
        if self.status is not Status.DRAFT:
            raise FailedPrecondition("Подати можна лише чернетку / only a draft can be submitted")
        validate_assessment(self, complete=True)
        return replace(self, status=Status.SUBMITTED)

    def approve(self, supervisor_id: str) -> Assessment:
        if self.status is not Status.SUBMITTED:
            raise FailedPrecondition("Спершу оцінку треба подати / the assessment must be submitted first")
        return replace(self, status=Status.APPROVED, approved_by=supervisor_id)

    def return_for_rework(self, supervisor_id: str, reason: str) -> Assessment:
        """Not approved: back to a draft of the same version, with the supervisor's reason."""
        if self.status is not Status.SUBMITTED:
            raise FailedPrecondition("Оцінка не чекає затвердження / the assessment does not await approval")
        return replace(self, status=Status.DRAFT, returned_by=supervisor_id, returned_reason=reason)

    def contribute(self, contribution: AgencyContribution) -> Assessment:
        return replace(self, contributions=self.contributions + (contribution,))

    def next_version(self) -> Assessment:
        """A re-assessment: a new draft from this one; this version stays as it was."""
        return replace(self, version=self.version + 1, status=Status.DRAFT, approved_by="", ended_on="")

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Assessment:
        return cls(
            case_id=data["case_id"],
            version=int(data["version"]),
            started_on=data["started_on"],
            specialist_id=data["specialist_id"],
            ended_on=data.get("ended_on", ""),
            family=tuple(FamilyMember(**m) for m in data.get("family", ())),
            domains=tuple(
                DomainAssessment(Domain(d["domain"]), int(d["need_level"]), d.get("strengths", ""), d.get("notes", ""))
                for d in data.get("domains", ())
            ),
            children=tuple(ChildNeeds(**c) for c in data.get("children", ())),
            contributions=tuple(AgencyContribution(**c) for c in data.get("contributions", ())),
            status=Status(data.get("status") or "draft"),
            approved_by=data.get("approved_by", ""),
            returned_by=data.get("returned_by", ""),
            returned_reason=data.get("returned_reason", ""),
        )


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def validate_assessment(a: Assessment, complete: bool = False, today: date | None = None) -> None:
    """Every invalid field, named; ``complete`` also asks for what a submitted act needs."""
    today = today or date.today()
    problems: list[FieldViolation] = []
    started = _date(a.started_on)
    if started is None:
        problems.append(FieldViolation("started_on", "дата РРРР-ММ-ДД / a YYYY-MM-DD date"))
    if a.ended_on:
        ended = _date(a.ended_on)
        if ended is None or (started and ended < started):
            problems.append(FieldViolation("ended_on", "не раніше дати початку / not before started_on"))
    if not a.specialist_id.strip():
        problems.append(FieldViolation("specialist_id", "обов'язкове поле / required"))
    seen = set()
    for i, d in enumerate(a.domains):
        if d.domain in seen:
            problems.append(FieldViolation(f"domains[{i}].domain", "домен повторюється / duplicate domain"))
        seen.add(d.domain)
        if not 0 <= d.need_level <= 3:
            problems.append(FieldViolation(f"domains.{d.domain.value}.need_level", "від 0 до 3 / from 0 to 3"))
    children = {m.full_name for m in a.family if m.relation == "child"}
    for i, m in enumerate(a.family):
        if not m.full_name.strip():
            problems.append(FieldViolation(f"family[{i}].full_name", "обов'язкове поле / required"))
        if m.relation not in RELATIONS:
            problems.append(
                FieldViolation(
                    f"family[{i}].relation", "оберіть зі списку / choose from the list: " + ", ".join(RELATIONS)
                )
            )
        if m.legal_capacity and m.legal_capacity not in LEGAL_CAPACITIES:
            problems.append(
                FieldViolation(
                    f"family[{i}].legal_capacity",
                    "оберіть зі списку / choose from the list: " + ", ".join(LEGAL_CAPACITIES),
                )
            )
        born = _date(m.birth_date)
        if born is None or born > today:
            problems.append(FieldViolation(f"family[{i}].birth_date", "дата РРРР-ММ-ДД у минулому / a past date"))
        if m.rnokpp and (problem := rnokpp_problem(m.rnokpp)):
            problems.append(FieldViolation(f"family[{i}].rnokpp", problem))
        if m.unzr and (problem := unzr_problem(m.unzr)):
            problems.append(FieldViolation(f"family[{i}].unzr", problem))
    for i, c in enumerate(a.children):
        if c.child_ref not in children:
            problems.append(
                FieldViolation(
                    f"children[{i}].child_ref", "немає такої дитини в складі сім'ї / no such child in the family table"
                )
            )
        if not 0 <= c.need_level <= 3:
            problems.append(FieldViolation(f"children[{i}].need_level", "від 0 до 3 / from 0 to 3"))
    if complete:
        if not a.family:
            problems.append(FieldViolation("family", "склад сім'ї обов'язковий / the family table is required"))
        missing = [d.value for d in Domain if d not in seen]
        if missing:
            problems.append(FieldViolation("domains", "не оцінено / not assessed: " + ", ".join(missing)))
    if problems:
        raise ValidationError(problems)
