"""A partner agency refers a person TO the social services: the referral becomes an appeal in
intake (channel ``agency_referral``, through intake's internal RPC ``submit_agency_referral``),
screened and routed like any other; its referral number is the key, so the same referral sent
again gets the same answer. None knows about gRPC or nameko."""

from __future__ import annotations

from collections.abc import Callable

from ekm_platform.audit import AuditEntry
from ekm_platform.auth import Principal
from ekm_platform.errors import AlreadyExists, FieldViolation, PermissionDenied, ValidationError
from ekm_platform.unit_of_work import UnitOfWork

PURPOSE = "направлення до соціальних служб / referral to social services"
# ``submit_agency_referral(actor, referral) -> dict`` (intake)
Submit = Callable[[dict, dict], dict]


def refer_to_social_services(uow: UnitOfWork, submit: Submit, principal: Principal, referral: dict) -> dict:
    """``referral``: referral_number, the person (applicant and subject: they get the tracking
    number), description, urgent, community_code, consent_to_processing. Answers intake's
    ``{"status": "accepted", "tracking_number", "appeal_id", ...}``; a refusal names its fields."""
    if principal.role != "partner_agency" or not principal.organisation:
        raise PermissionDenied(
            "Лише установа-партнер направляє до соціальних служб / only a partner agency "
            "refers a person to the social services"
        )
    agency = uow.repo.get_agency(principal.organisation)
    if agency is None or not agency.active:
        raise PermissionDenied("Установу не зареєстровано / the agency is not registered")
    answer = submit(principal.as_actor(), referral) or {}
    if answer.get("status") == "invalid":
        raise ValidationError(
            [FieldViolation(v.get("field", "referral"), v.get("message", "")) for v in answer.get("violations", ())]
            or [FieldViolation("referral", answer.get("message", ""))]
        )
    if answer.get("status") != "accepted":
        raise AlreadyExists(
            answer.get("message")
            or "Направлення з цим номером уже надіслано інакше / a referral with this number was sent differently"
        )
    uow.audit(
        AuditEntry(
            principal.user_id,
            principal.role,
            "referral.inbound",
            "appeal",
            answer.get("appeal_id", ""),
            PURPOSE,
            {
                "agency_code": principal.organisation,
                "referral_number": str(referral.get("referral_number", ""))[:64],
                "tracking_number": answer.get("tracking_number", ""),
            },
        )
    )
    uow.commit()
    return answer
