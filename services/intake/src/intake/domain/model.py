"""Appeals ("звернення") and their screening. Plain Python."""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timezone
from enum import Enum

from ekm_platform.identifiers import random_code
from intake.domain import screening as screening_rules
from intake.domain.routing import Address
from intake.domain.screening import ScreeningDecision


class Channel(str, Enum):
    IN_PERSON = "in_person"
    PHONE = "phone"
    RECIPIENT_CABINET = "recipient_cabinet"
    MOBILE_APP = "mobile_app"
    DIIA = "diia"
    CHATBOT = "chatbot"
    AGENCY_REFERRAL = "agency_referral"
    REGISTRY_SIGNAL = "registry_signal"


class ScreeningLevel(str, Enum):
    INFORMATION = "information"  # a consultation, no case
    ASSESSMENT = "assessment"  # open a case and assess needs
    CRISIS = "crisis"  # urgent: same day


class AppealState(str, Enum):
    ACCEPTED = "accepted"
    CASE_OPENED = "case_opened"
    CONSULTED = "consulted"
    MERGED = "merged"  # a near-duplicate of an earlier appeal (merged_into)
    REGION_QUEUE = "region_queue"  # not routed yet: waits in the region's intake queue
    MATCH_REVIEW = "match_review"  # whether its person is known waits for a reviewer
    CASE_LINKED = "case_linked"  # attached to the person's open case


@dataclass(frozen=True)
class PersonData:
    rnokpp: str = ""
    unzr: str = ""
    last_name: str = ""
    first_name: str = ""
    patronymic: str = ""
    birth_date: str = ""

    @property
    def identified(self) -> bool:
        return bool(self.rnokpp or self.unzr)


@dataclass(frozen=True)
class Submission:
    """What a frontend sends; validated by ``validation.validate``."""

    applicant: PersonData
    subject: PersonData
    channel: Channel | None
    description: str
    consent_to_processing: bool
    applicant_phone: str = ""
    applicant_email: str = ""
    applicant_is_subject: bool = False
    relation_to_subject: str = ""
    urgent: bool = False
    community_code: str = ""
    client_request_id: str = ""
    source_reference: str = ""  # where it came from: a call id, a bot conversation, an agency's referral
    information_only: bool = False  # the applicant asks for information / a consultation only
    registered_address: Address = Address()  # routing (intake.domain.routing.route)
    actual_address: Address = Address()

    @property
    def effective_subject(self) -> PersonData:
        return self.applicant if self.applicant_is_subject and not self.subject.identified else self.subject


def request_hash(submission: Submission) -> str:
    """A SHA-256 of the request as received, idempotency key left out: the same key with a
    different request is refused instead of answered with someone else's appeal."""
    fields = {
        k: v
        for k, v in asdict(submission).items()
        if k != "client_request_id" and not (k in _LATER_FIELDS and not _given(v))
    }
    fields["channel"] = submission.channel.value if submission.channel else ""
    canonical = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


_LATER_FIELDS = (
    "source_reference",
    "information_only",  # left out while empty: earlier hashes still match
    "registered_address",
    "actual_address",
)


def _given(value) -> bool:
    return any(value.values()) if isinstance(value, dict) else bool(value)


class DuplicateRequest(Exception):
    """The store already holds an appeal under this caller's idempotency key (a concurrent
    submission won the race): the use case answers with the stored appeal."""


def screen(submission: Submission, table: dict | None = None) -> ScreeningDecision:
    """The screening table's decision (``screening_rules/<EKM_SCREENING_RULES>.json``)."""
    subject = submission.effective_subject
    return screening_rules.screen(
        screening_rules.facts(
            urgent=submission.urgent,
            description=submission.description,
            channel=submission.channel.value if submission.channel else "",
            information_only=submission.information_only,
            subject_birth_date=subject.birth_date,
            applicant_is_subject=submission.applicant_is_subject,
        ),
        table,
    )


def new_tracking_number(now: datetime) -> str:
    """``EKM-YYMMDD-XXXXXXXX``: easy to read out on a phone line, 40 random bits."""
    return f"EKM-{now:%y%m%d}-{random_code(8)}"


@dataclass(frozen=True)
class Appeal:
    appeal_id: str
    tracking_number: str
    submission: Submission
    screening_level: ScreeningLevel
    state: AppealState
    submitted_at: datetime
    updated_at: datetime
    case_number: str = ""
    submitted_by: str = ""  # the token subject of whoever submitted it (a recipient's person id)
    submitter_role: str = ""
    request_hash: str = ""
    events: list = field(default_factory=list, compare=False)
    screening: ScreeningDecision | None = field(default=None, compare=False)  # the decision and its rules
    merged_into: str = ""  # MERGED: the first appeal's id ...
    merged_into_tracking: str = ""  # ... and tracking number (what the applicant follows)
    region_code: str = ""  # routing: the КАТОТТГ region, the provider, how it was routed
    provider_code: str = ""
    routing_basis: str = ""
    routing_reason: str = ""  # REGION_QUEUE: why no community took it
    routing_unit: str = ""  # the КАТОТТГ unit it was routed by

    @classmethod
    def accept(
        cls,
        submission: Submission,
        now: datetime | None = None,
        submitted_by: str = "",
        submitter_role: str = "",
        request_hash: str = "",
    ) -> Appeal:
        now = now or datetime.now(timezone.utc)
        decision = screen(submission)
        return cls(
            screening=decision,
            submitted_by=submitted_by,
            submitter_role=submitter_role,
            request_hash=request_hash,
            appeal_id=str(uuid.uuid4()),
            tracking_number=new_tracking_number(now),
            submission=submission,
            screening_level=ScreeningLevel(decision.outcome),
            state=AppealState.ACCEPTED,
            submitted_at=now,
            updated_at=now,
        )

    def as_accepted(self) -> Appeal:
        """The appeal as it was when accepted: what a repeated submission is answered with,
        so that every answer under one idempotency key is the same."""
        if self.merged_into:  # a near-duplicate is answered, every time, with the first appeal's number
            return replace(self, state=AppealState.MERGED, case_number="", updated_at=self.submitted_at)
        first = AppealState.REGION_QUEUE if self.routing_basis in ("region_queue", "assigned") else AppealState.ACCEPTED
        return replace(self, state=first, case_number="", updated_at=self.submitted_at)

    def with_case(self, case_number: str, now: datetime | None = None, linked: bool = False) -> Appeal:
        """``linked``: attached to the person's case that was already open (``case.appeal_linked``)."""
        return replace(
            self,
            case_number=case_number,
            state=AppealState.CASE_LINKED if linked else AppealState.CASE_OPENED,
            updated_at=now or datetime.now(timezone.utc),
        )

    def rescreened(self, decision: ScreeningDecision, now: datetime | None = None) -> Appeal:
        """The appeal under a case manager's screening decision (``screening.override``)."""
        return replace(
            self,
            screening=decision,
            screening_level=ScreeningLevel(decision.outcome),
            state=AppealState.ACCEPTED if self.state is AppealState.CONSULTED else self.state,
            updated_at=now or datetime.now(timezone.utc),
        )

    def consulted(self, now: datetime | None = None) -> Appeal:
        return replace(self, state=AppealState.CONSULTED, updated_at=now or datetime.now(timezone.utc))

    def accepted_event(self) -> dict:
        """The ``appeal.accepted`` event: identifiers only, never personal data."""
        return {
            "appeal_id": self.appeal_id,
            "tracking_number": self.tracking_number,
            "screening_level": self.screening_level.value,
            "channel": self.submission.channel.value if self.submission.channel else "",
            "community_code": self.submission.community_code,
            "urgent": self.submission.urgent,
            "provider_code": self.provider_code,
            "screening_rules": self.screening.rule_ids if self.screening else [],
            "rules_version": self.screening.rules_version if self.screening else "",
        }
