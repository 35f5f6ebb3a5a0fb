"""Appeals that arrive as JSON (a chat-bot's webhook message, another agency's referral over
the internal RPC) to a ``Submission``: every field checked for its type, unknown fields
refused, each problem named by its field."""

from __future__ import annotations

from ekm_platform.errors import FieldViolation, ValidationError
from intake.domain.model import Channel, PersonData, Submission

PERSON = ("rnokpp", "unzr", "last_name", "first_name", "patronymic", "birth_date")
APPLICANT = PERSON + ("phone", "email", "is_subject", "relation_to_subject")
TOP = (
    "message_id",
    "conversation_id",
    "referral_number",
    "applicant",
    "subject",
    "description",
    "consent_to_processing",
    "urgent",
    "information_only",
    "community_code",
)
BOOLS = ("is_subject", "consent_to_processing", "urgent", "information_only")


def _check(obj, allowed: tuple, prefix: str, problems: list) -> dict:
    if obj is None:
        return {}
    if not isinstance(obj, dict):
        problems.append(FieldViolation(prefix or "body", "очікується об'єкт JSON / a JSON object is expected"))
        return {}
    for key, value in obj.items():
        name = f"{prefix}.{key}" if prefix else key
        if key not in allowed:
            problems.append(FieldViolation(name, "невідоме поле / unknown field"))
        elif key in BOOLS and not isinstance(value, bool):
            problems.append(FieldViolation(name, "очікується true або false / a boolean is expected"))
        elif key not in BOOLS and key not in ("applicant", "subject") and not isinstance(value, str):
            problems.append(FieldViolation(name, "очікується рядок / a string is expected"))
    return obj


def _person(data: dict) -> PersonData:
    return PersonData(**{k: str(data.get(k, "")).strip() for k in PERSON})


def submission_from_message(
    message, channel: Channel, key_field: str, reference_field: str, reference_prefix: str
) -> Submission:
    """``key_field`` (required) is the sender's idempotency key; ``reference_field`` (optional,
    else the key) becomes the source reference, prefixed (e.g. ``chatbot:<bot>:``)."""
    problems: list[FieldViolation] = []
    top = _check(message, TOP, "", problems)
    applicant = _check(top.get("applicant"), APPLICANT, "applicant", problems)
    subject = _check(top.get("subject"), PERSON, "subject", problems)
    key = top.get(key_field)
    if not isinstance(key, str) or not key.strip() or len(key) > 64:
        problems.append(
            FieldViolation(
                key_field, "обов'язковий ідентифікатор до 64 символів / a required id of up to 64 characters"
            )
        )
    if problems:
        raise ValidationError(problems)
    reference = str(top.get(reference_field) or key).strip()
    return Submission(
        applicant=_person(applicant),
        subject=_person(subject),
        channel=channel,
        description=str(top.get("description", "")),
        consent_to_processing=bool(top.get("consent_to_processing", False)),
        applicant_phone=str(applicant.get("phone", "")).strip(),
        applicant_email=str(applicant.get("email", "")).strip(),
        applicant_is_subject=bool(applicant.get("is_subject", False)),
        relation_to_subject=str(applicant.get("relation_to_subject", "")).strip(),
        urgent=bool(top.get("urgent", False)),
        information_only=bool(top.get("information_only", False)),
        community_code=str(top.get("community_code", "")).strip(),
        client_request_id=key.strip(),
        source_reference=f"{reference_prefix}{reference}"[:200],
    )


def accepted(appeal) -> dict:
    """What an RPC caller (the webhook, interagency) gets back: identifiers and statuses only."""
    return {
        "status": "accepted",
        "tracking_number": appeal.tracking_number,
        "appeal_id": appeal.appeal_id,
        "screening_level": appeal.screening_level.value,
        "state": appeal.state.value,
        "screening_rules": appeal.screening.rule_ids if appeal.screening else [],
    }


def refused(exc) -> dict:
    """A refusal an RPC caller can show: ``invalid`` with the fields, or ``conflict``."""
    violations = [{"field": v.field, "message": v.description} for v in getattr(exc, "violations", ())]
    return {
        "status": "invalid" if violations else "conflict",
        "message": exc.message if hasattr(exc, "message") else str(exc),
        "violations": violations,
    }
