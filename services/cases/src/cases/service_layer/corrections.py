"""Correcting the social history: a supervisor marks an entry as erroneous (for example registry
facts written to the wrong person's history). The entry is kept as it was, never deleted; the flag
says who marked it, when and why; the marking is audited and itself recorded in the history."""

from __future__ import annotations

from datetime import datetime, timezone

from cases.service_layer.access import audit, load_case, require_staff
from ekm_platform.auth import Principal
from ekm_platform.errors import FailedPrecondition, NotFound, ValidationError
from ekm_platform.unit_of_work import UnitOfWork

MAX_REASON = 1000


def mark_erroneous(uow: UnitOfWork, principal: Principal, person_id: str, entry_id: int, reason: str):
    """Only a supervisor who may see the person's case (their team's, or an unassigned case of
    their community); others: PERMISSION_DENIED (a case manager) or NOT_FOUND."""
    require_staff(principal, "supervisor")
    case = uow.repo.latest_case_of(person_id.strip()) if person_id.strip() else None
    if case is None:
        raise NotFound("Особу не знайдено / person not found")
    load_case(uow, principal, case_id=case.case_id)
    entry = uow.repo.history_entry(int(entry_id)) if entry_id else None
    if entry is None or entry.person_id != case.person_id:
        raise NotFound("Запис історії не знайдено / history entry not found")
    reason = reason.strip()
    if not reason:
        raise ValidationError.single("reason", "потрібна причина / a reason is required")
    if len(reason) > MAX_REASON:
        raise ValidationError.single("reason", f"до {MAX_REASON} символів / up to {MAX_REASON} characters")
    if not uow.repo.mark_history_erroneous(entry.seq, principal.user_id, reason, datetime.now(timezone.utc)):
        raise FailedPrecondition("Запис уже позначено як помилковий / the entry is already marked erroneous")
    uow.repo.add_history(
        case.person_id,
        "history.marked_erroneous",
        str(entry.seq),
        f"запис #{entry.seq} позначено як помилковий / entry #{entry.seq} ({entry.kind}) marked erroneous",
        "cases",
    )
    audit(
        uow,
        principal,
        "history.mark_erroneous",
        case,
        person_id=case.person_id,
        entry_id=entry.seq,
        entry_kind=entry.kind,
    )
    uow.commit()
    return uow.repo.history_entry(entry.seq)
