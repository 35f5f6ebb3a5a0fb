"""What another part of the notifications service asks the pipeline to send (``service_layer.outbound``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

RECIPIENT_KINDS = ("applicant", "person", "case_manager")
# applicant: recipient_id is the appeal id (intake.get_applicant_contact); person: a person id
# (cases.get_person_contact); case_manager: a user id (the in-app inbox).


class BadRequest(ValueError):
    """A request that cannot even be stored (a programming error of the caller, not bad data)."""


@dataclass(frozen=True)
class NotificationRequest:
    recipient_kind: str  # "applicant" | "person" | "case_manager"
    recipient_id: str
    template: str  # a template key, e.g. "appeal.accepted"
    variables: dict = field(default_factory=dict, hash=False)
    dedupe_key: str = ""  # one notification per key, ever: a second enqueue is a no-op
    not_before: datetime | None = None  # not sent before (a reminder's due time); aware datetime
    urgent: bool = False  # ignores quiet hours
    reference: str = ""  # what it is about (an appeal id, a case number): ListDeliveries finds it by this

    def check(self) -> None:
        if self.recipient_kind not in RECIPIENT_KINDS:
            raise BadRequest(f"recipient_kind must be one of {RECIPIENT_KINDS}, not {self.recipient_kind!r}")
        if not self.recipient_id or len(self.recipient_id) > 64:
            raise BadRequest("recipient_id: required, at most 64 characters")
        if not self.dedupe_key or len(self.dedupe_key) > 200:
            raise BadRequest("dedupe_key: required, at most 200 characters")
        if not self.template or len(self.template) > 64:
            raise BadRequest("template: required, at most 64 characters")
        if len(self.reference) > 64:
            raise BadRequest("reference: at most 64 characters")
        if not isinstance(self.variables, dict):
            raise BadRequest("variables must be a dict")
        if self.not_before is not None and self.not_before.tzinfo is None:
            raise BadRequest("not_before must be timezone-aware")
