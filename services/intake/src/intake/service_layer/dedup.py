"""De-duplication: near-duplicate appeals merged, and the manual review of uncertain person matches.

Each use case takes a unit of work; none knows about gRPC or nameko."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, replace
from datetime import datetime, timezone

from ekm_platform.audit import AuditEntry
from ekm_platform.auth import Principal
from ekm_platform.dependencies import PermanentEventError
from ekm_platform.envelope import Envelope
from ekm_platform.errors import FailedPrecondition, NotFound, PermissionDenied, ValidationError
from ekm_platform.matching import Bands, compact_rnokpp, compact_unzr, implied_birth_date, name_similarity
from ekm_platform.unit_of_work import UnitOfWork
from intake.domain.consultation import HistoryEntry
from intake.domain.dedup import DuplicatePolicy, near_duplicate_of
from intake.domain.match_review import REVIEWERS, MatchReview, mask
from intake.domain.model import Appeal, AppealState

APPEAL_MERGED = "appeal.merged"
MATCH_DECIDED = "appeal.match_decided"
REVIEW_READ = "перевірка збігу особи / reviewing whether the appeal's person is known"
REVIEW_DECIDED = "рішення щодо збігу особи / deciding whether the appeal's person is known"

# ``fetch_candidates(actor, person_ids) -> [{"person_id", "last_name", ..., "rnokpp", "unzr",
#   "case_number", "case_stage", "case_community_code"}]`` (cases.match_candidates)
CandidateSource = Callable[[dict, list], list]


def merge_if_duplicate(
    appeal: Appeal, uow: UnitOfWork, policy: DuplicatePolicy | None = None, bands: Bands | None = None
) -> Appeal:
    """The appeal as a near-duplicate merged into the first one, or unchanged."""
    policy = policy or DuplicatePolicy.configured()
    subject = appeal.submission.effective_subject
    birth = subject.birth_date or implied_birth_date(subject.rnokpp, subject.unzr)
    now = appeal.submitted_at
    uow.repo.lock_subject(f"appeal-subject:{birth or subject.rnokpp or subject.unzr}")  # concurrent twins
    earlier = uow.repo.recent_for_subject(subject.rnokpp, subject.unzr, birth, now - policy.window)
    first = near_duplicate_of(appeal, earlier, policy, bands or Bands.configured(), now)
    if first is None:
        return appeal
    return replace(
        appeal,
        state=AppealState.MERGED,
        merged_into=first.appeal_id,
        merged_into_tracking=first.tracking_number,
        case_number=first.case_number,
        submission=replace(appeal.submission, community_code=first.submission.community_code),
        region_code=first.region_code,
        provider_code=first.provider_code,
        routing_basis=first.routing_basis,
    )


def with_first_case(appeal: Appeal | None, uow: UnitOfWork) -> Appeal | None:
    """A near-duplicate's case is its first appeal's: read from the first appeal when the merged
    record has none yet (the first's case may open while the duplicate is being stored)."""
    if appeal is None or not appeal.merged_into or appeal.case_number:
        return appeal
    first = uow.repo.get(appeal.merged_into)
    return replace(appeal, case_number=first.case_number) if first and first.case_number else appeal


def merged_event(appeal: Appeal) -> dict:
    """Identifiers only."""
    return {
        "appeal_id": appeal.appeal_id,
        "merged_into": appeal.merged_into,
        "tracking_number": appeal.merged_into_tracking,
        "case_number": appeal.case_number,
        "channel": appeal.submission.channel.value,
    }


def merged_history(uow: UnitOfWork, appeal: Appeal, actor_id: str, actor_role: str) -> None:
    """The first appeal's history notes the near-duplicate (and the merged appeal its own merge)."""
    now = datetime.now(timezone.utc)
    uow.repo.add_history(
        HistoryEntry(
            appeal.merged_into,
            "merged",
            actor_id,
            actor_role,
            f"повторне звернення ({appeal.submission.channel.value}) об'єднано з цим / "
            f"a near-duplicate appeal was merged into this one",
            {"appeal_id": appeal.appeal_id},
            now,
        )
    )
    uow.repo.add_history(
        HistoryEntry(
            appeal.appeal_id,
            "merged",
            actor_id,
            actor_role,
            f"об'єднано з попереднім зверненням {appeal.merged_into_tracking} / "
            f"merged into the earlier appeal {appeal.merged_into_tracking}",
            {"merged_into": appeal.merged_into},
            now,
        )
    )


# --- the manual review queue ---


def open_match_review(event: Envelope, uow: UnitOfWork) -> MatchReview | None:
    """``cases.case.match_review_needed``: an uncertain match waits for a reviewer of the appeal's
    community. Once per appeal (a redelivered event is a no-op)."""
    appeal_id = event.data.get("appeal_id")
    candidates = event.data.get("candidates") or []
    if not appeal_id or not candidates:
        raise PermanentEventError("match_review_needed without appeal_id or candidates")
    appeal = uow.repo.get(appeal_id)
    if appeal is None:
        raise PermanentEventError(f"match_review_needed for unknown appeal {appeal_id}")
    if uow.repo.review_of_appeal(appeal_id) is not None:
        return None
    review = MatchReview.open(appeal_id, appeal.submission.community_code, candidates)
    if not uow.repo.add_review(review):
        return None
    waiting = replace(appeal, state=AppealState.MATCH_REVIEW, updated_at=review.created_at)
    uow.repo.save_state(waiting)
    uow.repo.add_history(
        HistoryEntry(
            appeal_id,
            "match_review",
            "cases",
            "service",
            f"можливий збіг з відомою особою (найвища впевненість {review.best_score:.2f}): потрібна перевірка / "
            f"a possible match with a known person: waiting for review",
            {"review_id": review.review_id, "candidates": len(review.candidates)},
            review.created_at,
        )
    )
    return review


def _may_review(principal: Principal) -> None:
    if principal.role not in REVIEWERS:
        raise PermissionDenied(
            "Перевіряють збіги фахівці та супервізори громади / "
            "match reviews are for the community's case managers and supervisors"
        )


def _review_for(uow: UnitOfWork, principal: Principal, review_id: str) -> MatchReview:
    _may_review(principal)
    review = uow.repo.review(review_id.strip()) if review_id.strip() else None
    if review is None or not principal.community_code or review.community_code != principal.community_code:
        raise NotFound(f"Перевірку {review_id!r} не знайдено / match review not found")
    return review


def list_reviews(
    uow: UnitOfWork, principal: Principal, include_decided: bool = False, limit: int = 50
) -> list[tuple[MatchReview, str]]:
    """The reviews waiting in the caller's community (identifiers and scores only)."""
    _may_review(principal)
    if not 1 <= limit <= 200:
        raise ValidationError.single("page_size", "від 1 до 200 / between 1 and 200")
    if not principal.community_code:
        return []
    reviews = uow.repo.reviews(principal.community_code, include_decided, limit)
    numbers = {r.appeal_id: (a.tracking_number if (a := uow.repo.get(r.appeal_id)) else "") for r in reviews}
    return [(r, numbers[r.appeal_id]) for r in reviews]


def _verdict_name(a: str, b: str) -> tuple[str, float]:
    if not a or not b:
        return "missing", 0.0
    similarity = name_similarity(a, b)
    return ("same" if similarity == 1.0 else "similar" if similarity >= 0.8 else "differs"), round(similarity, 4)


def comparisons(subject: dict, candidate: dict) -> list[dict]:
    """Field by field, for the side-by-side view (identifiers masked)."""
    rows = []
    for field in ("last_name", "first_name", "patronymic"):
        verdict, similarity = _verdict_name(subject.get(field, ""), candidate.get(field, ""))
        rows.append(
            {
                "field": field,
                "appeal_value": subject.get(field, ""),
                "candidate_value": candidate.get(field, ""),
                "verdict": verdict,
                "similarity": similarity,
            }
        )
    a_dob = subject.get("birth_date") or implied_birth_date(subject.get("rnokpp", ""), subject.get("unzr", ""))
    b_dob = candidate.get("birth_date") or implied_birth_date(candidate.get("rnokpp", ""), candidate.get("unzr", ""))
    rows.append(
        {
            "field": "birth_date",
            "appeal_value": a_dob,
            "candidate_value": b_dob,
            "verdict": "missing" if not (a_dob and b_dob) else "same" if a_dob == b_dob else "differs",
            "similarity": 1.0 if a_dob and a_dob == b_dob else 0.0,
        }
    )
    for field, compact in (("rnokpp", compact_rnokpp), ("unzr", compact_unzr)):
        a, b = compact(subject.get(field, "")), compact(candidate.get(field, ""))
        rows.append(
            {
                "field": field,
                "appeal_value": mask(a),
                "candidate_value": mask(b),
                "verdict": "missing" if not (a and b) else "same" if a == b else "differs",
                "similarity": 1.0 if a and a == b else 0.0,
            }
        )
    return rows


def review_view(
    uow: UnitOfWork, principal: Principal, review_id: str, fetch_candidates: CandidateSource, bands: Bands | None = None
) -> dict:
    """One review side by side: the appeal's subject and each candidate (read from cases, which
    audits the read too), field by field. The read is audited here."""
    review = _review_for(uow, principal, review_id)
    appeal = uow.repo.get(review.appeal_id)
    subject = asdict(appeal.submission.effective_subject) if appeal else {}
    tracking = appeal.tracking_number if appeal else ""
    uow.rollback()  # no transaction is held across the network
    people = {
        p["person_id"]: p
        for p in (fetch_candidates(principal.as_actor(), [c["person_id"] for c in review.candidates]) or [])
    }
    candidates = []
    for c in review.candidates:
        person = people.get(c["person_id"], {})
        candidates.append(
            {
                **c,
                "person": person,
                "case_number": person.get("case_number", ""),
                "case_stage": person.get("case_stage", ""),
                "case_community_code": person.get("case_community_code", ""),
                "comparisons": comparisons(subject, person) if person else [],
            }
        )
    uow.audit(
        AuditEntry(
            principal.user_id,
            principal.role,
            "match_review.read",
            "appeal",
            review.appeal_id,
            REVIEW_READ,
            {
                "review_id": review.review_id,
                "tracking_number": tracking,
                "candidates": [c["person_id"] for c in review.candidates],
            },
        )
    )
    uow.commit()
    return {
        "review": review,
        "tracking_number": tracking,
        "subject": subject,
        "candidates": candidates,
        "bands": bands or Bands.configured(),
    }


def decide_review(
    uow: UnitOfWork,
    principal: Principal,
    review_id: str,
    person_id: str,
    reason: str,
    fetch_candidates: CandidateSource,
    bands: Bands | None = None,
) -> dict:
    """The reviewer's decision (a candidate, or "" for a new person), with a reason; audited;
    ``appeal.match_decided`` tells cases to link or open the case. A decided review is final."""
    review = _review_for(uow, principal, review_id)
    decided = review.decide(person_id.strip(), reason, principal.user_id, principal.role)
    if not uow.repo.save_decision(decided):
        raise FailedPrecondition("Рішення щодо особи вже ухвалено / this match review is already decided")
    appeal = uow.repo.get(review.appeal_id)
    moving = replace(appeal, state=AppealState.ACCEPTED, updated_at=decided.decided_at)
    uow.repo.save_state(moving)
    uow.audit(
        AuditEntry(
            principal.user_id,
            principal.role,
            "match_review.decide",
            "appeal",
            review.appeal_id,
            REVIEW_DECIDED,
            {
                "review_id": review.review_id,
                "tracking_number": appeal.tracking_number,
                "person_id": decided.decided_person_id,
                "decision": "link" if decided.decided_person_id else "new_person",
                "score": next(
                    (c["score"] for c in review.candidates if c["person_id"] == decided.decided_person_id), 0.0
                ),
            },
        )
    )
    uow.repo.add_history(
        HistoryEntry(
            review.appeal_id,
            "match_decided",
            principal.user_id,
            principal.role,
            (
                "особу звернення визнано відомою особою / the appeal's person is a known person"
                if decided.decided_person_id
                else "особу звернення визнано новою / the appeal's person is new"
            ),
            {"review_id": review.review_id, "person_id": decided.decided_person_id},
            decided.decided_at,
        )
    )
    uow.publish(
        MATCH_DECIDED,
        {
            **moving.accepted_event(),
            "person_id": decided.decided_person_id,
            "review_id": review.review_id,
            "decided_by": principal.user_id,
        },
    )
    uow.commit()
    return review_view(uow, principal, review_id, fetch_candidates, bands)
