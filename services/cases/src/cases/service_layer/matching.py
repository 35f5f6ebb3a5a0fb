"""Who an appeal is about: a known person (exactly by РНОКПП / УНЗР, or by name and date of birth
with ``ekm_platform.matching``), a new one, or a question for a reviewer (intake's match review).

Each use case takes a unit of work; none knows about gRPC or nameko."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from datetime import date

from cases.domain.model import Person, Stage
from ekm_platform.audit import AuditEntry
from ekm_platform.auth import Principal
from ekm_platform.dependencies import PermanentEventError
from ekm_platform.matching import Bands, Identity, compact_rnokpp, compact_unzr, compare
from ekm_platform.unit_of_work import UnitOfWork

MATCH_REVIEW_NEEDED = "case.match_review_needed"
MATCH_DECIDED = "appeal.match_decided"  # intake: a reviewer decided (person_id, or "" for a new person)
MAX_CANDIDATES = 5
CANDIDATES_READ = "перевірка збігу особи у зверненні / reviewing whether an appeal's person is known"
IDENTITY_FIELDS = ("rnokpp", "unzr", "last_name", "first_name", "patronymic", "birth_date")


@dataclass(frozen=True)
class Resolution:
    person: Person | None  # None: a reviewer decides (kind "review")
    kind: str  # exact | fuzzy | decided | new | review
    score: float = 1.0
    reasons: tuple = ()
    candidates: list = field(default_factory=list)  # review: [{"person_id", "score", "band", "reasons"}]

    @property
    def review(self) -> bool:
        return self.kind == "review"

    def history_text(self) -> str:
        if self.kind == "fuzzy":
            return (
                f"особу зіставлено за ПІБ і датою народження (впевненість {self.score:.2f}) / "
                f"matched by name and date of birth ({self.score:.2f})"
            )
        if self.kind == "decided":
            return "особу визначено рішенням перевірки збігу / the person was chosen by a match review"
        return ""


def _born_on(dob: str) -> list[str]:
    """The date and, when it can be read both ways, its day and month swapped."""
    out = [dob]
    try:
        d = date.fromisoformat(dob)
        if d.day <= 12 and d.day != d.month:
            out.append(date(d.year, d.day, d.month).isoformat())
    except ValueError:
        pass
    return out


def _with_identifiers(uow: UnitOfWork, person: Person, identity: dict) -> Person:
    """Fill an identifier the person's record lacks (never overwrite, never take another's)."""
    changes = {}
    for name, compact in (("rnokpp", compact_rnokpp), ("unzr", compact_unzr)):
        value = compact(identity.get(name, ""))
        if (
            value
            and not getattr(person, name)
            and uow.repo.find_person(**{"rnokpp": "", "unzr": "", name: value}) is None
        ):
            changes[name] = value
    if not person.birth_date and identity.get("birth_date"):
        changes["birth_date"] = identity["birth_date"]
    if changes:
        person = replace(person, **changes)
        uow.repo.save_person(person)
    return person


def _new(uow: UnitOfWork, identity: dict) -> Person:
    person = Person.new(**{k: identity.get(k, "") for k in IDENTITY_FIELDS})
    uow.repo.add_person(person)
    return person


def resolve_person(
    uow: UnitOfWork, identity: dict, decided: str | None = None, bands: Bands | None = None
) -> Resolution:
    """The appeal's person. ``decided``: a reviewer's decision ("" a new person, else a person id)."""
    if decided is not None:
        if not decided:
            return Resolution(_new(uow, identity), "decided")
        person = uow.repo.get_person(decided)
        while person is not None and person.merged_into:  # merged meanwhile: the kept person
            person = uow.repo.get_person(person.merged_into)
        if person is None:
            raise PermanentEventError(f"match decided for unknown person {decided}")
        return Resolution(_with_identifiers(uow, person, identity), "decided")
    wanted = Identity.of(identity)
    # two appeals about one new person at once must not make two persons: one at a time per birth date
    uow.repo.lock_key(f"person:{wanted.dob or wanted.rnokpp or wanted.unzr}")
    person = uow.repo.find_person(identity.get("rnokpp", ""), identity.get("unzr", ""))
    if person is not None:
        return Resolution(_with_identifiers(uow, person, identity), "exact", 1.0, ("identifier",))
    bands = bands or Bands.configured()
    if not wanted.dob:
        return Resolution(_new(uow, identity), "new", 0.0)
    ranked = []
    for candidate in uow.repo.persons_born_on(_born_on(wanted.dob)):
        match = compare(wanted, Identity.of(asdict(candidate)))
        if bands.band(match.score) != "none":
            ranked.append((match, candidate))
    ranked.sort(key=lambda pair: -pair[0].score)
    if not ranked:
        return Resolution(_new(uow, identity), "new", 0.0)
    best, person = ranked[0]
    sure = [m for m, _ in ranked if bands.band(m.score) == "auto"]
    if len(sure) == 1 and bands.band(best.score) == "auto":
        return Resolution(_with_identifiers(uow, person, identity), "fuzzy", best.score, best.reasons)
    return Resolution(
        None,
        "review",
        best.score,
        best.reasons,
        [
            {"person_id": p.person_id, "score": m.score, "band": bands.band(m.score), "reasons": list(m.reasons)}
            for m, p in ranked[:MAX_CANDIDATES]
        ],
    )


def review_event(appeal_id: str, community_code: str, resolution: Resolution) -> dict:
    """``case.match_review_needed``: identifiers and scores only."""
    return {"appeal_id": appeal_id, "community_code": community_code, "candidates": resolution.candidates}


def match_candidates(uow: UnitOfWork, actor: dict, person_ids: list) -> list[dict]:
    """Internal (intake's match review, whose reviewer intake has checked is of the appeal's
    community): each candidate person's identity and open case, for the side-by-side view. Each
    read is audited with the reviewer as the actor."""
    principal = Principal.from_actor(actor)
    found = []
    for person_id in list(person_ids)[:MAX_CANDIDATES]:
        person = uow.repo.get_person(str(person_id))
        if person is None:
            continue
        case = uow.repo.open_case_of(person.person_id)
        found.append(
            {
                "person_id": person.person_id,
                **{k: getattr(person, k) for k in IDENTITY_FIELDS},
                "case_number": case.case_number if case else "",
                "case_stage": case.stage.value if case and isinstance(case.stage, Stage) else "",
                "case_community_code": case.community_code if case else "",
            }
        )
        uow.repo.audit(
            AuditEntry(
                principal.user_id,
                principal.role,
                "person.match_read",
                "person",
                person.person_id,
                CANDIDATES_READ,
                {"case_number": case.case_number if case else ""},
            )
        )
    uow.commit()
    return found
