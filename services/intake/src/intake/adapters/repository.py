"""Appeals in the database: rows to domain objects and back."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict

from sqlalchemy import insert, or_, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ekm_platform.matching import implied_birth_date
from intake.adapters.orm import appeal_history, appeals, communities, consultations, match_reviews, providers
from intake.domain.consultation import Consultation, HistoryEntry
from intake.domain.match_review import MatchReview
from intake.domain.model import Appeal, AppealState, Channel, DuplicateRequest, PersonData, ScreeningLevel, Submission
from intake.domain.routing import Address, Provider
from intake.domain.screening import ScreeningDecision


def _row(appeal: Appeal) -> dict:
    s = appeal.submission
    subject = s.effective_subject
    return {
        # routing and near-duplicates (m0009)
        "region_code": appeal.region_code,
        "provider_code": appeal.provider_code,
        "routing_basis": appeal.routing_basis,
        "routing_reason": appeal.routing_reason,
        "routing_unit": appeal.routing_unit,
        "addresses": json.dumps(
            {"registered": asdict(s.registered_address), "actual": asdict(s.actual_address)}, ensure_ascii=False
        )
        if (s.registered_address.given or s.actual_address.given)
        else "",
        "merged_into": appeal.merged_into,
        "merged_into_tracking": appeal.merged_into_tracking,
        "subject_rnokpp": subject.rnokpp,
        "subject_unzr": subject.unzr,
        "subject_birth_date": subject.birth_date or implied_birth_date(subject.rnokpp, subject.unzr),
        "appeal_id": appeal.appeal_id,
        "tracking_number": appeal.tracking_number,
        "client_request_id": s.client_request_id or None,
        "channel": s.channel.value,
        "screening_level": appeal.screening_level.value,
        "state": appeal.state.value,
        "case_number": appeal.case_number,
        "community_code": s.community_code,
        "urgent": s.urgent,
        "consent": s.consent_to_processing,
        "description": s.description,
        "applicant": json.dumps(
            {
                "person": asdict(s.applicant),
                "phone": s.applicant_phone,
                "email": s.applicant_email,
                "is_subject": s.applicant_is_subject,
                "relation": s.relation_to_subject,
            },
            ensure_ascii=False,
        ),
        "subject": json.dumps(asdict(s.subject), ensure_ascii=False),
        "submitted_at": appeal.submitted_at,
        "updated_at": appeal.updated_at,
        "submitted_by": appeal.submitted_by,
        "submitter_role": appeal.submitter_role,
        "request_hash": appeal.request_hash,
        "source_reference": s.source_reference,
        "information_only": s.information_only,
        "screening": json.dumps(appeal.screening.as_dict(), ensure_ascii=False) if appeal.screening else "",
    }


def _appeal(row) -> Appeal:
    applicant = json.loads(row.applicant)
    submission = Submission(
        applicant=PersonData(**applicant["person"]),
        subject=PersonData(**json.loads(row.subject)),
        channel=Channel(row.channel),
        description=row.description,
        consent_to_processing=row.consent,
        applicant_phone=applicant["phone"],
        applicant_email=applicant["email"],
        applicant_is_subject=applicant["is_subject"],
        relation_to_subject=applicant["relation"],
        urgent=row.urgent,
        community_code=row.community_code,
        client_request_id=row.client_request_id or "",
        source_reference=row.source_reference or "",
        information_only=bool(row.information_only),
        **_addresses(row.addresses),
    )
    return Appeal(
        merged_into=row.merged_into,
        merged_into_tracking=row.merged_into_tracking,
        region_code=row.region_code,
        provider_code=row.provider_code,
        routing_basis=row.routing_basis,
        routing_reason=row.routing_reason,
        routing_unit=row.routing_unit,
        appeal_id=row.appeal_id,
        tracking_number=row.tracking_number,
        submission=submission,
        screening_level=ScreeningLevel(row.screening_level),
        state=AppealState(row.state),
        submitted_at=row.submitted_at,
        updated_at=row.updated_at,
        case_number=row.case_number,
        submitted_by=row.submitted_by,
        submitter_role=row.submitter_role,
        request_hash=row.request_hash,
        screening=ScreeningDecision.from_dict(json.loads(row.screening)) if row.screening else None,
    )


def _addresses(text: str) -> dict:
    if not text:
        return {}
    stored = json.loads(text)
    return {
        "registered_address": Address(**stored.get("registered", {})),
        "actual_address": Address(**stored.get("actual", {})),
    }


def _review(row) -> MatchReview:
    return MatchReview(
        row.review_id,
        row.appeal_id,
        row.community_code,
        tuple(json.loads(row.candidates)),
        row.state,
        row.created_at,
        row.decided_by,
        row.decided_role,
        row.decided_at,
        row.decided_person_id,
        row.decision_reason,
    )


class AppealRepository:
    def __init__(self, session: Session):
        self.session = session

    def add(self, appeal: Appeal) -> None:
        """Raises ``DuplicateRequest`` when the caller's idempotency key is already stored
        (the session must then be rolled back)."""
        try:
            self.session.execute(appeals.insert(), _row(appeal))
        except IntegrityError as exc:
            raise DuplicateRequest(appeal.submission.client_request_id) from exc

    def save_case(self, appeal: Appeal) -> None:
        self.session.execute(
            appeals.update()
            .where(appeals.c.appeal_id == appeal.appeal_id)
            .values(case_number=appeal.case_number, state=appeal.state.value, updated_at=appeal.updated_at)
        )

    def save_screening(self, appeal: Appeal) -> None:
        """The decision in force, its level and the state it leaves the appeal in."""
        self.session.execute(
            appeals.update()
            .where(appeals.c.appeal_id == appeal.appeal_id)
            .values(
                screening_level=appeal.screening_level.value,
                state=appeal.state.value,
                updated_at=appeal.updated_at,
                screening=json.dumps(appeal.screening.as_dict(), ensure_ascii=False) if appeal.screening else "",
            )
        )

    def save_state(self, appeal: Appeal) -> None:
        self.session.execute(
            appeals.update()
            .where(appeals.c.appeal_id == appeal.appeal_id)
            .values(state=appeal.state.value, updated_at=appeal.updated_at)
        )

    def add_history(self, entry: HistoryEntry) -> None:
        self.session.execute(
            insert(appeal_history),
            {
                "appeal_id": entry.appeal_id,
                "at": entry.at,
                "kind": entry.kind,
                "actor_id": entry.actor_id,
                "actor_role": entry.actor_role,
                "text": entry.text,
                "details": json.dumps(entry.details, ensure_ascii=False),
            },
        )

    def history(self, appeal_id: str) -> list[HistoryEntry]:
        rows = self.session.execute(
            select(appeal_history).where(appeal_history.c.appeal_id == appeal_id).order_by(appeal_history.c.seq)
        )
        return [
            HistoryEntry(r.appeal_id, r.kind, r.actor_id, r.actor_role, r.text, json.loads(r.details), r.at)
            for r in rows
        ]

    def add_consultation(self, consultation: Consultation) -> None:
        """Raises ``DuplicateRequest`` when the appeal is answered already (roll back)."""
        try:
            self.session.execute(
                insert(consultations),
                {
                    "appeal_id": consultation.appeal_id,
                    "advice": consultation.advice,
                    "topics": json.dumps(list(consultation.topics), ensure_ascii=False),
                    "advised_by": consultation.advised_by,
                    "advised_by_role": consultation.advised_by_role,
                    "advised_at": consultation.advised_at,
                },
            )
        except IntegrityError as exc:
            raise DuplicateRequest(consultation.appeal_id) from exc

    def consultation(self, appeal_id: str) -> Consultation | None:
        row = self.session.execute(select(consultations).where(consultations.c.appeal_id == appeal_id)).first()
        return (
            Consultation(
                row.appeal_id,
                row.advice,
                tuple(json.loads(row.topics)),
                row.advised_by,
                row.advised_by_role,
                row.advised_at,
            )
            if row
            else None
        )

    def submitted_by(self, user_id: str, limit: int = 20) -> list[Appeal]:
        """A recipient's own appeals, newest first."""
        rows = self.session.execute(
            select(appeals)
            .where(appeals.c.submitted_by == user_id)
            .order_by(appeals.c.submitted_at.desc())
            .limit(limit)
        )
        return [_appeal(r) for r in rows]

    def _one(self, condition) -> Appeal | None:
        row = self.session.execute(select(appeals).where(condition)).first()
        return _appeal(row) if row else None

    def get(self, appeal_id: str) -> Appeal | None:
        return self._one(appeals.c.appeal_id == appeal_id)

    def by_tracking_number(self, tracking_number: str) -> Appeal | None:
        return self._one(appeals.c.tracking_number == tracking_number)

    def by_client_request_id(self, submitted_by: str, client_request_id: str) -> Appeal | None:
        """Idempotency keys are scoped per caller."""
        return self._one((appeals.c.submitted_by == submitted_by) & (appeals.c.client_request_id == client_request_id))

    def community_served(self, code: str) -> bool:
        return self.session.execute(select(communities.c.code).where(communities.c.code == code)).first() is not None

    def served_communities(self, limit: int = 2) -> list[str]:
        return list(
            self.session.execute(select(communities.c.code).order_by(communities.c.code).limit(limit)).scalars()
        )

    # --- routing, near-duplicates and match reviews (dedup-helper) ---

    def all_served_communities(self) -> list[str]:
        return list(self.session.execute(select(communities.c.code).order_by(communities.c.code)).scalars())

    def providers(self) -> list[Provider]:
        return [
            Provider(r.code, r.name, r.community_code, tuple(json.loads(r.settlements or "[]")), r.is_default)
            for r in self.session.execute(select(providers).order_by(providers.c.code))
        ]

    def save_route(self, appeal: Appeal) -> None:
        """A queued appeal routed by a supervisor: its community, provider, basis and state."""
        self.session.execute(
            appeals.update()
            .where(appeals.c.appeal_id == appeal.appeal_id)
            .values(
                community_code=appeal.submission.community_code,
                provider_code=appeal.provider_code,
                routing_basis=appeal.routing_basis,
                state=appeal.state.value,
                updated_at=appeal.updated_at,
            )
        )

    def lock_subject(self, key: str) -> None:
        """Serialise the near-duplicate check of one subject until this transaction ends
        (PostgreSQL: a transaction-scoped advisory lock; on SQLite, the development database, it is
        not: two near-duplicates at the same instant may both be accepted there)."""
        if self.session.get_bind().dialect.name == "postgresql":
            number = int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big", signed=True)
            self.session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": number})

    def recent_for_subject(self, rnokpp: str, unzr: str, birth_date: str, since, limit: int = 50) -> list[Appeal]:
        """Appeals since ``since`` whose subject has this РНОКПП, УНЗР or date of birth (not merged)."""
        keys = [
            c == v
            for c, v in (
                (appeals.c.subject_rnokpp, rnokpp),
                (appeals.c.subject_unzr, unzr),
                (appeals.c.subject_birth_date, birth_date),
            )
            if v
        ]
        if not keys:
            return []
        rows = self.session.execute(
            select(appeals)
            .where(or_(*keys), appeals.c.submitted_at >= since, appeals.c.merged_into == "")
            .order_by(appeals.c.submitted_at)
            .limit(limit)
        )
        return [_appeal(r) for r in rows]

    def merged_into(self, appeal_id: str) -> list[Appeal]:
        rows = self.session.execute(
            select(appeals).where(appeals.c.merged_into == appeal_id).order_by(appeals.c.submitted_at)
        )
        return [_appeal(r) for r in rows]

    def region_queue(self, region_code: str, limit: int = 50) -> list[Appeal]:
        rows = self.session.execute(
            select(appeals)
            .where(appeals.c.region_code == region_code, appeals.c.state == AppealState.REGION_QUEUE.value)
            .order_by(appeals.c.submitted_at)
            .limit(limit)
        )
        return [_appeal(r) for r in rows]

    def add_review(self, review: MatchReview) -> bool:
        """False when the appeal already has a review (a redelivered request)."""
        try:
            with self.session.begin_nested():
                self.session.execute(
                    insert(match_reviews),
                    {
                        "review_id": review.review_id,
                        "appeal_id": review.appeal_id,
                        "community_code": review.community_code,
                        "candidates": json.dumps(list(review.candidates), ensure_ascii=False),
                        "best_score": review.best_score,
                        "state": review.state,
                        "created_at": review.created_at,
                    },
                )
            return True
        except IntegrityError:
            return False

    def review(self, review_id: str) -> MatchReview | None:
        row = self.session.execute(select(match_reviews).where(match_reviews.c.review_id == review_id)).first()
        return _review(row) if row else None

    def review_of_appeal(self, appeal_id: str) -> MatchReview | None:
        row = self.session.execute(select(match_reviews).where(match_reviews.c.appeal_id == appeal_id)).first()
        return _review(row) if row else None

    def reviews(self, community_code: str, include_decided: bool = False, limit: int = 50) -> list[MatchReview]:
        query = select(match_reviews).where(match_reviews.c.community_code == community_code)
        if not include_decided:
            query = query.where(match_reviews.c.state == "open")
        rows = self.session.execute(query.order_by(match_reviews.c.created_at).limit(limit))
        return [_review(r) for r in rows]

    def save_decision(self, review: MatchReview) -> bool:
        """Only an open review is decided (False: someone decided it first)."""
        return (
            self.session.execute(
                match_reviews.update()
                .where(match_reviews.c.review_id == review.review_id, match_reviews.c.state == "open")
                .values(
                    state=review.state,
                    decided_by=review.decided_by,
                    decided_role=review.decided_role,
                    decided_at=review.decided_at,
                    decided_person_id=review.decided_person_id,
                    decision_reason=review.decision_reason,
                )
            ).rowcount
            == 1
        )

    def add_community(self, code: str, name: str) -> None:
        if not self.community_served(code):
            self.session.execute(insert(communities), {"code": code, "name": name})

    def put_provider(self, code: str, name: str, community_code: str, settlements: list, default: bool) -> None:
        values = {
            "name": name,
            "community_code": community_code,
            "settlements": json.dumps(settlements),
            "is_default": default,
        }
        if self.session.execute(providers.update().where(providers.c.code == code).values(**values)).rowcount == 0:
            self.session.execute(insert(providers), {"code": code, **values})
