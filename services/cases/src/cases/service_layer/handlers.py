"""Opening cases from appeals, reading cases, worklists and social history.

Each use case takes a unit of work; none knows about gRPC or nameko.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone

from cases.domain import labels
from cases.domain.deadlines import Deadlines, due_at, is_overdue
from cases.domain.labels import uk
from cases.domain.model import SCREENING_LEVELS, Case, Stage
from cases.domain.search import MAX_SEARCH, parse_search
from cases.service_layer import matching
from cases.service_layer.access import DEFAULT_PURPOSE, STAFF, audit, load_case, require_staff, team_of
from cases.service_layer.workload import auto_assign
from ekm_platform.audit import AuditEntry
from ekm_platform.auth import Principal
from ekm_platform.dependencies import PermanentEventError
from ekm_platform.envelope import Envelope
from ekm_platform.errors import NotFound, PermissionDenied, ValidationError
from ekm_platform.unit_of_work import UnitOfWork

CASE_OPENED = "case.opened"
APPEAL_LINKED = "case.appeal_linked"

# ``fetch_subject(appeal_id) -> {"person": {...}, "community_code": ..., "screening_level": ...}``
SubjectSource = Callable[[str], dict]


def open_case_for_appeal(event: Envelope, uow: UnitOfWork, fetch_subject: SubjectSource) -> Case | None:
    """``intake.appeal.accepted``: open a case for the appeal's subject, once.

    The event carries identifiers only; the subject's identity is asked from intake.
    A person already in an open case gets the appeal linked to that case instead.
    Information-level appeals need no case. A new case goes to the best case manager of
    its community, with the reason recorded.
    """
    appeal_id = event.data.get("appeal_id")
    level = event.data.get("screening_level")
    if not appeal_id or level not in SCREENING_LEVELS:
        raise PermanentEventError("appeal.accepted without appeal_id or a known screening_level")
    if level == "information":
        return None
    existing = uow.repo.case_for_appeal(appeal_id)
    if existing:
        return existing
    subject = fetch_subject(appeal_id)  # before any write: no transaction is held across the network
    identity = subject["person"]
    # exactly by РНОКПП / УНЗР, else by name and date of birth; uncertain: intake's match review decides
    decided = event.data.get("person_id", "") if event.event_type == matching.MATCH_DECIDED else None
    resolution = matching.resolve_person(uow, identity, decided)
    if resolution.review:
        uow.publish(
            matching.MATCH_REVIEW_NEEDED,
            matching.review_event(appeal_id, event.data.get("community_code", ""), resolution),
        )
        return None
    person = resolution.person
    match = {"match": resolution.kind, "match_score": resolution.score}
    if resolution.history_text():
        uow.repo.add_history(
            person.person_id,
            "person.matched",
            appeal_id,
            resolution.history_text(),
            "cases",
            source_id=f"match:{appeal_id}",
        )
    uow.repo.add_history(
        person.person_id,
        "appeal",
        appeal_id,
        f"звернення {event.data.get('tracking_number', '')} ({uk(labels.CHANNEL, event.data.get('channel', ''))})",
        "intake",
        source_id=f"appeal:{appeal_id}",
    )
    case = uow.repo.open_case_of(person.person_id)
    if case is not None:
        uow.repo.link_appeal(case.case_id, appeal_id)
        uow.publish(APPEAL_LINKED, {**case.opened_event(appeal_id, new_case=False), **match})
        return case
    case = Case.open(person.person_id, appeal_id, level, event.data.get("community_code", ""))
    assignment = auto_assign(uow, case, needed_skills={"veterans"})
    uow.repo.add_case(case)
    uow.repo.add_history(
        person.person_id, "case.opened", case.case_number, f"випадок відкрито; {case.assignment_explanation}", "cases"
    )
    uow.publish(CASE_OPENED, {**case.opened_event(appeal_id, new_case=True), **match})
    if assignment:
        uow.publish("case.assigned", {"case_id": case.case_id, "manager_id": assignment.manager_id, "by": "auto"})
    return case


def get_case(
    uow: UnitOfWork, principal: Principal, case_id: str = "", case_number: str = "", purpose: str = ""
) -> Case:
    require_staff(principal, *STAFF, "operator")
    if not (case_id or case_number):
        raise ValidationError.single(
            "case_number", "потрібен номер або ідентифікатор випадку / case_number or case_id is required"
        )
    case = load_case(uow, principal, case_id=case_id, case_number=case_number)
    if principal.role != "operator":
        audit(uow, principal, "case.read", case, purpose)
        uow.commit()
    return case


def list_cases(
    uow: UnitOfWork,
    principal: Principal,
    stage: str = "",
    community_code: str = "",
    overdue_only: bool = False,
    assigned_to: str = "",
    offset: int = 0,
    limit: int = 50,
    deadlines: Deadlines | None = None,
    search: str = "",
) -> list[Case]:
    """A worklist: a case manager's own cases; a supervisor's team's (or one member's);
    ``search``: a РНОКПП or the start of the person's name, among those cases only."""
    require_staff(principal, *STAFF, "operator")
    if stage and stage not in {s.value for s in Stage}:
        raise ValidationError.single("stage", "невідомий етап / unknown stage")
    if not 1 <= limit <= 500:
        raise ValidationError.single("page_size", "від 1 до 500 / between 1 and 500")
    if len(search) > MAX_SEARCH:
        raise ValidationError.single("search", f"до {MAX_SEARCH} символів / up to {MAX_SEARCH} characters")
    wanted = parse_search(search)
    if wanted[0] and principal.role == "operator":
        raise PermissionDenied(
            "Оператор бачить лише ідентифікатори випадків і не шукає осіб / "
            "an operator sees case identifiers only and does not search for persons"
        )
    if principal.role == "case_manager":
        owners = [principal.user_id]
    elif principal.role == "supervisor":
        owners = team_of(uow, principal)  # unassigned cases wait in the supervision queue
        if assigned_to:
            if assigned_to not in owners:
                raise ValidationError.single("assigned_to", "не у вашій команді / not in your team")
            owners = [assigned_to]
    else:
        owners = None
    overdue = _overdue_cutoffs(deadlines or Deadlines.configured()) if overdue_only else None
    return uow.repo.list(
        stage=stage,
        community_code=community_code,
        assigned_to=owners,
        overdue_before=overdue,
        offset=offset,
        limit=limit,
        search=wanted,
    )


@dataclass(frozen=True)
class WorklistRow:
    case: Case
    person_name: str  # empty for an operator
    stage_due_at: datetime | None
    next_step_due_on: str
    overdue_steps: int
    overdue: bool


def worklist(uow: UnitOfWork, principal: Principal, deadlines: Deadlines | None = None, **filters) -> list:
    """``list_cases`` as rows a worklist shows: the person's name (not for an operator), when the
    stage's work is due and whether it is overdue, the next open step and how many are overdue.
    Names are personal data: the listing is audited (the case numbers shown, never the search)."""
    deadlines = deadlines or Deadlines.configured()
    found = list_cases(uow, principal, deadlines=deadlines, **filters)
    now = datetime.now(timezone.utc)
    details = uow.repo.worklist_details([c.case_id for c in found], now.date().isoformat())
    rows = []
    for c in found:
        name, next_due, overdue_steps = details.get(c.case_id, ("", "", 0))
        entered = c.stage_entered_at or c.opened_at
        rows.append(
            WorklistRow(
                c,
                "" if principal.role == "operator" else name,
                due_at(c.stage, entered, c.screening_level, deadlines),
                next_due,
                overdue_steps,
                is_overdue(c.stage, entered, c.screening_level, now, deadlines),
            )
        )
    if found and principal.role != "operator":
        uow.repo.audit(
            AuditEntry(
                principal.user_id,
                principal.role,
                "worklist.read",
                "worklist",
                principal.user_id,
                DEFAULT_PURPOSE,
                {"case_numbers": [c.case_number for c in found], "searched": bool(filters.get("search", "").strip())},
            )
        )
        uow.commit()
    return rows


def _overdue_cutoffs(deadlines: Deadlines) -> dict:
    """A case is overdue when it entered its stage before now minus the stage's term (the
    same rule as ``is_overdue``, so an overdue-only list holds overdue cases only)."""
    now = datetime.now(timezone.utc)
    cutoffs = {}
    for stage in (Stage.ASSESSMENT, Stage.PLANNING, Stage.IMPLEMENTATION, Stage.MONITORING):
        cutoffs[stage.value] = now - (due_at(stage, now, "", deadlines) - now)
    # a crisis is assessed sooner: its own cutoff, for crisis cases only
    cutoffs[f"{Stage.ASSESSMENT.value}:crisis"] = now - (due_at(Stage.ASSESSMENT, now, "crisis", deadlines) - now)
    return cutoffs


def case_is_open(uow: UnitOfWork, case_number: str) -> bool:
    case = uow.repo.get(case_number=case_number.strip().upper())
    return case is not None and case.is_open


def social_history(uow: UnitOfWork, principal: Principal, person_id: str, offset: int, limit: int) -> list:
    require_staff(principal)
    case = uow.repo.latest_case_of(person_id)  # the open case, else the last closed one: it stays readable
    if case is None or not load_case(uow, principal, case_id=case.case_id):
        raise NotFound("Особу не знайдено / person not found")
    entries = uow.repo.history_of(person_id, offset, limit)
    audit(uow, principal, "history.read", case, person_id=person_id)
    uow.commit()
    return entries


def _merged_into(uow: UnitOfWork, person_id: str, keep_id: str) -> bool:
    person = uow.repo.get_person(person_id)
    return person is not None and getattr(person, "merged_into", "") == keep_id


def apply_registry_facts(event: Envelope, uow: UnitOfWork) -> int:
    """``registry_gateway.registry.facts_found``: what a registry knows goes into the
    person's social history, once per fact (its source id), however often it arrives."""
    case = uow.repo.get(case_number=str(event.data.get("case_number", "")).upper())
    facts, query_id = event.data.get("facts"), event.data.get("query_id")
    if case is None or not isinstance(facts, list) or not query_id:
        raise PermanentEventError("registry.facts_found without a known case, facts or query_id")
    about = str(event.data.get("person_id") or "")
    if about and about != case.person_id and not _merged_into(uow, about, case.person_id):
        # the gateway looked up somebody else (a household member): never into this person's history
        raise PermanentEventError(f"registry facts about person {about} are not about case {case.case_number}'s person")
    added = 0
    for fact in facts:
        source_id = f"{event.data.get('registry')}:{fact.get('kind')}:{fact.get('occurred_on')}:{case.person_id}"
        if uow.repo.history_seen(source_id):
            continue
        try:
            at = datetime.fromisoformat(fact["occurred_on"]).replace(tzinfo=timezone.utc)
        except (KeyError, TypeError, ValueError) as exc:
            raise PermanentEventError(f"registry fact without a date: {fact!r}") from exc
        uow.repo.add_history(
            case.person_id,
            fact["kind"],
            query_id,
            f"{uk(labels.REGISTRY, str(event.data.get('registry')))}: {uk(labels.FACT_KIND, fact['kind'])}",
            "registry-gateway",
            source_id=source_id,
            at=at,
        )
        added += 1
    return added
