"""Health referrals as FHIR R4B (``fhir.resources``): a Bundle of a ServiceRequest (what is asked,
why, of whom, by when) and a Task in the shape of the HL7 SDOH Clinical Care referral-management
Task (``SDOHCC-TaskForReferralManagement``: code ``fulfill``, focus the ServiceRequest, owner the
performing organisation, status with its reason, outputs for the outcome).

Identifiers only: the person is referred to by their platform id, the case by its number (the
ServiceRequest's requisition), the agency by its ЄДРПОУ code; no name, tax number or diagnosis.

Status mapping (our state → ServiceRequest.status / Task.status):
    in_progress → active / requested      accepted → active / accepted
    rejected → revoked / rejected         revoked → revoked / cancelled
    completed → completed / completed
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timezone

from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.servicerequest import ServiceRequest
from fhir.resources.R4B.task import Task
from pydantic import ValidationError as PydanticError

from ekm_platform.errors import ValidationError
from interagency.domain.model import Referral, ReferralState, RejectionReason, Sector

SYSTEM_REFERRAL = "urn:ekm:referral"
SYSTEM_CASE = "urn:ekm:case"
SYSTEM_PERSON = "urn:ekm:person"
SYSTEM_EDRPOU = "urn:ua:edrpou"
SYSTEM_REASON = "urn:ekm:referral-rejection-reason"
SYSTEM_OUTPUT = "urn:ekm:referral-output"
TASK_PROFILE = "http://hl7.org/fhir/us/sdoh-clinicalcare/StructureDefinition/SDOHCC-TaskForReferralManagement"
SR_PROFILE = "http://hl7.org/fhir/us/sdoh-clinicalcare/StructureDefinition/SDOHCC-ServiceRequest"
TASK_CODE = {"coding": [{"system": "http://hl7.org/fhir/CodeSystem/task-code", "code": "fulfill"}]}
SR_STATUS = {
    "in_progress": "active",
    "accepted": "active",
    "rejected": "revoked",
    "revoked": "revoked",
    "completed": "completed",
}
TASK_STATUS = {
    "in_progress": "requested",
    "accepted": "accepted",
    "rejected": "rejected",
    "revoked": "cancelled",
    "completed": "completed",
}
STATE_OF_TASK = {v: ReferralState(k) for k, v in TASK_STATUS.items()}
MAX_DOCUMENT = 256 * 1024


def _iso(at: datetime | None) -> str | None:
    return at.astimezone(timezone.utc).isoformat() if at else None


def to_bundle(referral: Referral) -> dict:
    """The referral as a FHIR R4B Bundle (type collection) of ServiceRequest + Task, as JSON data."""
    sr_id, task_id = f"sr-{referral.referral_id}", f"task-{referral.referral_id}"
    identifier = [{"system": SYSTEM_REFERRAL, "value": referral.referral_id}]
    agency = {"type": "Organization", "identifier": {"system": SYSTEM_EDRPOU, "value": referral.agency_code}}
    requester = {"type": "Practitioner", "identifier": {"system": "urn:ekm:user", "value": referral.created_by}}
    subject = {"type": "Patient", "identifier": {"system": SYSTEM_PERSON, "value": referral.person_id}}
    service_request = {
        "resourceType": "ServiceRequest",
        "id": sr_id,
        "meta": {"profile": [SR_PROFILE]},
        "identifier": identifier,
        "status": SR_STATUS[referral.state.value],
        "intent": "order",
        "requisition": {"system": SYSTEM_CASE, "value": referral.case_number},
        "category": [{"coding": [{"system": "urn:ekm:sector", "code": referral.sector.value}]}],
        "code": {"text": referral.action or referral.reason},
        "reasonCode": [{"text": referral.reason}],
        "subject": subject,
        "requester": requester,
        "performer": [agency],
        "authoredOn": _iso(referral.created_at),
    }
    if referral.complete_by:
        service_request["occurrencePeriod"] = {
            "start": referral.created_at.date().isoformat(),
            "end": referral.complete_by,
        }
    task = {
        "resourceType": "Task",
        "id": task_id,
        "meta": {"profile": [TASK_PROFILE]},
        "identifier": identifier,
        "status": TASK_STATUS[referral.state.value],
        "intent": "order",
        "priority": "routine",
        "code": TASK_CODE,
        "focus": {"reference": f"ServiceRequest/{sr_id}", "type": "ServiceRequest", "identifier": identifier[0]},
        "for": subject,
        "authoredOn": _iso(referral.created_at),
        "lastModified": _iso(referral.updated_at or referral.created_at),
        "requester": requester,
        "owner": agency,
        "businessStatus": {"text": referral.state.value},
    }
    if referral.respond_by:
        task["restriction"] = {"period": {"end": _iso(referral.respond_by)}}
    if referral.rejection_reason:
        task["statusReason"] = {"coding": [{"system": SYSTEM_REASON, "code": referral.rejection_reason}]}
    if referral.state is ReferralState.COMPLETED:
        task["output"] = [
            {"type": {"coding": [{"system": SYSTEM_OUTPUT, "code": "outcome"}]}, "valueString": referral.outcome},
            {
                "type": {"coding": [{"system": SYSTEM_OUTPUT, "code": "success"}]},
                "valueBoolean": bool(referral.success),
            },
        ]
    bundle = Bundle.model_validate(
        {
            "resourceType": "Bundle",
            "type": "collection",
            "entry": [
                {
                    "fullUrl": f"urn:uuid:{referral.referral_id}",
                    "resource": ServiceRequest.model_validate(service_request),
                },
                {"fullUrl": f"urn:ekm:task:{referral.referral_id}", "resource": Task.model_validate(task)},
            ],
        }
    )
    return json.loads(bundle.model_dump_json(exclude_none=True))


def to_json(referral: Referral) -> str:
    return json.dumps(to_bundle(referral), ensure_ascii=False, sort_keys=True)


@dataclass(frozen=True)
class FhirReferral:
    """What a FHIR document says about a referral (either resource may be missing)."""

    referral_id: str = ""
    case_number: str = ""
    person_id: str = ""
    agency_code: str = ""
    sector: Sector | None = None
    need: str = ""
    action: str = ""
    complete_by: str = ""
    created_by: str = ""
    created_at: datetime | None = None
    respond_by: datetime | None = None
    state: ReferralState | None = None  # from the Task
    reason_code: str = ""
    outcome: str = ""
    success: bool | None = None
    note: str = ""
    has_service_request: bool = False
    has_task: bool = False


def _identifier(resource, system: str) -> str:
    for item in resource.identifier or ():
        if item.system == system and item.value:
            return item.value
    return ""


def _moment(value) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=timezone.utc)
    return datetime.fromisoformat(str(value))


def parse(document: str) -> FhirReferral:
    """A Bundle of ServiceRequest + Task, or one of them alone; a bad document is INVALID_ARGUMENT
    naming what is wrong, and nothing is changed."""
    if not document.strip():
        raise ValidationError.single("json", "порожній документ / empty document")
    if len(document.encode("utf-8")) > MAX_DOCUMENT:
        raise ValidationError.single("json", "документ більший за 256 КіБ / document larger than 256 KiB")
    try:
        data = json.loads(document)
    except ValueError as exc:
        raise ValidationError.single("json", f"не JSON / not JSON: {exc.msg}") from None
    kind = data.get("resourceType") if isinstance(data, dict) else None
    try:
        if kind == "Bundle":
            resources = [entry.resource for entry in (Bundle.model_validate(data).entry or ())]
        elif kind == "Task":
            resources = [Task.model_validate(data)]
        elif kind == "ServiceRequest":
            resources = [ServiceRequest.model_validate(data)]
        else:
            raise ValidationError.single(
                "json", "очікується Bundle, Task або ServiceRequest / expected a Bundle, a Task or a ServiceRequest"
            )
    except PydanticError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ()))
        raise ValidationError.single(
            "json", f"недійсний ресурс FHIR R4B / invalid FHIR R4B resource at {where}: {first.get('msg')}"
        ) from None
    found: dict = {}
    for resource in resources:
        if resource.get_resource_type() == "ServiceRequest":
            found.update(_from_service_request(resource))
        elif resource.get_resource_type() == "Task":
            found.update(_from_task(resource))
    if not found:
        raise ValidationError.single("json", "немає ServiceRequest чи Task / no ServiceRequest or Task")
    return FhirReferral(**found)


def _from_service_request(sr) -> dict:
    sector = None
    for category in sr.category or ():
        for coding in category.coding or ():
            if coding.system == "urn:ekm:sector":
                try:
                    sector = Sector(coding.code)
                except ValueError:
                    raise ValidationError.single("json", f"невідомий сектор / unknown sector {coding.code}") from None
    performer = (sr.performer or [None])[0]
    end = sr.occurrencePeriod.end if sr.occurrencePeriod else None
    return {
        "has_service_request": True,
        "referral_id": _identifier(sr, SYSTEM_REFERRAL),
        "case_number": (sr.requisition.value or "") if sr.requisition else "",
        "person_id": (sr.subject.identifier.value or "") if sr.subject and sr.subject.identifier else "",
        "agency_code": (performer.identifier.value or "") if performer and performer.identifier else "",
        "sector": sector,
        "need": ((sr.reasonCode or [None])[0].text or "") if sr.reasonCode else "",
        "action": (sr.code.text or "") if sr.code else "",
        "complete_by": (end.isoformat()[:10] if hasattr(end, "isoformat") else str(end)[:10]) if end else "",
        "created_by": (sr.requester.identifier.value or "") if sr.requester and sr.requester.identifier else "",
        "created_at": _moment(sr.authoredOn),
    }


def _from_task(task) -> dict:
    state = STATE_OF_TASK.get(task.status)
    if state is None:
        raise ValidationError.single(
            "json",
            f"стан завдання {task.status} не підтримується / Task status "
            f"{task.status} is not supported; one of {', '.join(STATE_OF_TASK)}",
        )
    reason = ""
    if task.statusReason:
        for coding in task.statusReason.coding or ():
            if coding.system == SYSTEM_REASON:
                reason = coding.code or ""
        if not reason and task.statusReason.text:
            reason = RejectionReason.OTHER.value
    outcome, success = "", None
    for output in task.output or ():
        code = next((c.code for c in (output.type.coding or ()) if c.system == SYSTEM_OUTPUT), "")
        if code == "outcome":
            outcome = output.valueString or ""
        elif code == "success":
            success = output.valueBoolean
    focus_id = task.focus.identifier.value if task.focus and task.focus.identifier else ""
    found = {
        "has_task": True,
        "state": state,
        "reason_code": reason,
        "outcome": outcome,
        "success": success,
        "note": (task.statusReason.text or "") if task.statusReason else "",
        "respond_by": _moment(task.restriction.period.end) if task.restriction and task.restriction.period else None,
    }
    referral_id = _identifier(task, SYSTEM_REFERRAL) or focus_id
    if referral_id:
        found["referral_id"] = referral_id
    if task.owner and task.owner.identifier and task.owner.identifier.value:
        found["agency_code"] = task.owner.identifier.value
    return found
