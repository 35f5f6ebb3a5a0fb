"""Appeals in the database: rows to domain objects and back."""
from __future__ import annotations

import json
from dataclasses import asdict

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from intake.adapters.orm import appeal_history, appeals, communities, consultations
from intake.domain.consultation import Consultation, HistoryEntry
from intake.domain.screening import ScreeningDecision
from intake.domain.model import (Appeal, AppealState, Channel, DuplicateRequest, PersonData, ScreeningLevel,
                                 Submission)


def _row(appeal: Appeal) -> dict:
    s = appeal.submission
    return {
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
        "applicant": json.dumps({
            "person": asdict(s.applicant), "phone": s.applicant_phone, "email": s.applicant_email,
            "is_subject": s.applicant_is_subject, "relation": s.relation_to_subject,
        }, ensure_ascii=False),
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
    )
    return Appeal(
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
        self.session.execute(appeals.update().where(appeals.c.appeal_id == appeal.appeal_id).values(
            case_number=appeal.case_number, state=appeal.state.value, updated_at=appeal.updated_at))

    def save_screening(self, appeal: Appeal) -> None:
        """The decision in force, its level and the state it leaves the appeal in."""
        self.session.execute(appeals.update().where(appeals.c.appeal_id == appeal.appeal_id).values(
            screening_level=appeal.screening_level.value, state=appeal.state.value, updated_at=appeal.updated_at,
            screening=json.dumps(appeal.screening.as_dict(), ensure_ascii=False) if appeal.screening else ""))

    def save_state(self, appeal: Appeal) -> None:
        self.session.execute(appeals.update().where(appeals.c.appeal_id == appeal.appeal_id).values(
            state=appeal.state.value, updated_at=appeal.updated_at))

    def add_history(self, entry: HistoryEntry) -> None:
        self.session.execute(insert(appeal_history), {
            "appeal_id": entry.appeal_id, "at": entry.at, "kind": entry.kind, "actor_id": entry.actor_id,
            "actor_role": entry.actor_role, "text": entry.text,
            "details": json.dumps(entry.details, ensure_ascii=False)})

    def history(self, appeal_id: str) -> list[HistoryEntry]:
        rows = self.session.execute(select(appeal_history).where(appeal_history.c.appeal_id == appeal_id)
                                    .order_by(appeal_history.c.seq))
        return [HistoryEntry(r.appeal_id, r.kind, r.actor_id, r.actor_role, r.text, json.loads(r.details), r.at)
                for r in rows]

    def add_consultation(self, consultation: Consultation) -> None:
        """Raises ``DuplicateRequest`` when the appeal is answered already (roll back)."""
        try:
            self.session.execute(insert(consultations), {
                "appeal_id": consultation.appeal_id, "advice": consultation.advice,
                "topics": json.dumps(list(consultation.topics), ensure_ascii=False),
                "advised_by": consultation.advised_by, "advised_by_role": consultation.advised_by_role,
                "advised_at": consultation.advised_at})
        except IntegrityError as exc:
            raise DuplicateRequest(consultation.appeal_id) from exc

    def consultation(self, appeal_id: str) -> Consultation | None:
        row = self.session.execute(select(consultations).where(consultations.c.appeal_id == appeal_id)).first()
        return Consultation(row.appeal_id, row.advice, tuple(json.loads(row.topics)), row.advised_by,
                            row.advised_by_role, row.advised_at) if row else None

    def submitted_by(self, user_id: str, limit: int = 20) -> list[Appeal]:
        """A recipient's own appeals, newest first."""
        rows = self.session.execute(select(appeals).where(appeals.c.submitted_by == user_id)
                                    .order_by(appeals.c.submitted_at.desc()).limit(limit))
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
        return list(self.session.execute(select(communities.c.code).order_by(communities.c.code).limit(limit))
                    .scalars())
