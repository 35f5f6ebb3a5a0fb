"""Item 7 of issue 8: a supervisor of the case's team or community marks a social-history entry as
erroneous (e.g. registry facts written to the wrong person's history): kept, flagged with who, when
and why, audited; GetSocialHistory shows the flag and the reason."""

from datetime import datetime, timezone

import pytest
from grpc import StatusCode
from nameko.testing.services import worker_factory
from nameko_grpc.errors import GrpcError
from sqlalchemy import func, select

from cases.adapters.orm import audit_log, history, metadata
from cases.adapters.repository import CaseRepository
from cases.domain.workload import CaseManager
from cases.service import CasesService
from cases.service_layer import corrections, handlers, workload
from ekm.cases.v1 import cases_pb2
from ekm_platform.auth import CallerContext, Principal, generate_keys, issue_token
from ekm_platform.envelope import Envelope
from ekm_platform.errors import FailedPrecondition, NotFound, PermissionDenied, ValidationError

COMMUNITY = "UA80000000000093317"
CM, SV, OTHER_SV = Principal("cm-1", "case_manager"), Principal("sv-1", "supervisor"), Principal("sv-2", "supervisor")
PERSON = {
    "rnokpp": "3221512349",
    "unzr": "19880314-43212",
    "last_name": "Коваленко",
    "first_name": "Андрій",
    "patronymic": "",
    "birth_date": "1988-03-14",
}
REASON = "факти реєстру іншої особи (помилковий РНОКПП у запиті) / another person's registry facts"


@pytest.fixture
def uow(sqlite_uow):
    factory = sqlite_uow("cases", metadata, CaseRepository)
    with factory() as u:
        workload.register_manager(u, CaseManager("cm-1", COMMUNITY, 10, frozenset({"veterans"}), "sv-1"))
    with factory() as u:
        workload.register_manager(u, CaseManager("cm-2", "UA12000000000000001", 10, frozenset(), "sv-2"))
    return factory


@pytest.fixture
def case(uow):
    event = Envelope(
        "appeal.accepted", "intake", {"appeal_id": "a-1", "screening_level": "assessment", "community_code": COMMUNITY}
    )
    with uow() as u:
        opened = handlers.open_case_for_appeal(event, u, lambda appeal_id: {"person": PERSON})
        u.commit()
    facts = Envelope(
        "registry.facts_found",
        "registry_gateway",
        {
            "case_number": opened.case_number,
            "registry": "border_guard",
            "query_id": "q-1",
            "facts": [{"kind": "border.crossing", "occurred_on": "2026-10-01"}],
        },
    )
    with uow() as u:
        handlers.apply_registry_facts(facts, u)
        u.commit()
    return opened


def registry_entry(uow, case):
    with uow() as u:
        return next(e for e in u.repo.history_of(case.person_id, 0, 100) if e.source == "registry-gateway")


def entries(uow):
    with uow() as u:
        return u.session.execute(select(func.count()).select_from(history)).scalar()


def audited(uow):
    with uow() as u:
        return [r.action for r in u.session.execute(select(audit_log.c.action))]


# denied first ----------------------------------------------------------------------------------------
def test_a_case_manager_cannot_mark_an_entry(uow, case):
    entry = registry_entry(uow, case)
    with uow() as u, pytest.raises(PermissionDenied):
        corrections.mark_erroneous(u, CM, case.person_id, entry.seq, REASON)
    assert registry_entry(uow, case).erroneous_at is None


def test_a_supervisor_of_another_team_gets_not_found(uow, case):
    entry = registry_entry(uow, case)
    with uow() as u, pytest.raises(NotFound):
        corrections.mark_erroneous(u, OTHER_SV, case.person_id, entry.seq, REASON)
    community_sv = Principal("sv-3", "supervisor", community_code="UA12000000000000001")
    with uow() as u, pytest.raises(NotFound):
        corrections.mark_erroneous(u, community_sv, case.person_id, entry.seq, REASON)
    assert registry_entry(uow, case).erroneous_at is None and "history.mark_erroneous" not in audited(uow)


def test_an_unknown_person_or_an_entry_of_another_person_is_not_found(uow, case):
    entry = registry_entry(uow, case)
    with uow() as u, pytest.raises(NotFound):
        corrections.mark_erroneous(u, SV, "no-such-person", entry.seq, REASON)
    with uow() as u, pytest.raises(NotFound):
        corrections.mark_erroneous(u, SV, case.person_id, 987654, REASON)
    other = Envelope(
        "appeal.accepted", "intake", {"appeal_id": "a-2", "screening_level": "assessment", "community_code": COMMUNITY}
    )
    with uow() as u:
        second = handlers.open_case_for_appeal(
            other,
            u,
            lambda appeal_id: {"person": {**PERSON, "rnokpp": "2987654328", "unzr": "", "first_name": "Інший"}},
        )
        u.commit()
    with uow() as u, pytest.raises(NotFound):  # the entry exists, but not in this person's history
        corrections.mark_erroneous(u, SV, second.person_id, entry.seq, REASON)


def test_a_reason_is_required_and_nothing_changes_without_one(uow, case):
    entry = registry_entry(uow, case)
    for reason in ("", "   ", "x" * 1001):
        with uow() as u, pytest.raises(ValidationError) as caught:
            corrections.mark_erroneous(u, SV, case.person_id, entry.seq, reason)
        assert caught.value.violations[0].field == "reason"
    assert registry_entry(uow, case).erroneous_at is None


# allowed --------------------------------------------------------------------------------------------
def test_the_teams_supervisor_flags_the_entry_which_is_kept_and_audited(uow, case):
    entry, before = registry_entry(uow, case), entries(uow)
    start = datetime.now(timezone.utc)
    with uow() as u:
        flagged = corrections.mark_erroneous(u, SV, case.person_id, entry.seq, f"  {REASON} ")
    assert (flagged.seq, flagged.summary, flagged.kind) == (entry.seq, entry.summary, entry.kind)  # kept as it was
    assert (flagged.erroneous_by, flagged.erroneous_reason) == ("sv-1", REASON) and flagged.erroneous_at >= start
    assert entries(uow) == before + 1  # nothing deleted; the correction itself is in the history
    assert "history.mark_erroneous" in audited(uow)
    with uow() as u, pytest.raises(FailedPrecondition):
        corrections.mark_erroneous(u, SV, case.person_id, entry.seq, "ще раз")


def test_a_community_supervisor_may_flag_an_unassigned_case(uow, sqlite_uow):
    event = Envelope(
        "appeal.accepted",
        "intake",
        {"appeal_id": "a-9", "screening_level": "assessment", "community_code": "UA99000000000000009"},
    )
    with uow() as u:  # nobody works in that community: the case waits unassigned
        opened = handlers.open_case_for_appeal(event, u, lambda appeal_id: {"person": PERSON})
        u.commit()
    assert opened.assigned_to == ""
    with uow() as u:
        entry = u.repo.history_of(opened.person_id, 0, 10)[0]
    with uow() as u:
        corrections.mark_erroneous(
            u,
            Principal("sv-9", "supervisor", community_code="UA99000000000000009"),
            opened.person_id,
            entry.seq,
            REASON,
        )


@pytest.fixture
def keys(tmp_path):
    generate_keys(tmp_path / "k.pem", tmp_path / "k.pub")
    return (tmp_path / "k.pem").read_bytes(), (tmp_path / "k.pub").read_bytes()


def as_user(keys, user_id, role):
    return CallerContext(f"Bearer {issue_token(user_id, role, private_key=keys[0])}", keys[1])


def test_grpc_social_history_shows_the_flag_and_the_reason(uow, case, keys):
    entry = registry_entry(uow, case)
    request = cases_pb2.MarkHistoryEntryErroneousRequest(person_id=case.person_id, entry_id=entry.seq, reason=REASON)
    manager = worker_factory(CasesService, db=uow, auth=as_user(keys, "cm-1", "case_manager"))
    with pytest.raises(GrpcError) as caught:
        manager.MarkHistoryEntryErroneous(request, None)
    assert caught.value.code == StatusCode.PERMISSION_DENIED
    stranger = worker_factory(CasesService, db=uow, auth=as_user(keys, "sv-2", "supervisor"))
    with pytest.raises(GrpcError) as caught:
        stranger.MarkHistoryEntryErroneous(request, None)
    assert caught.value.code == StatusCode.NOT_FOUND
    supervisor = worker_factory(CasesService, db=uow, auth=as_user(keys, "sv-1", "supervisor"))
    flagged = supervisor.MarkHistoryEntryErroneous(request, None)
    assert flagged.entry_id == entry.seq and flagged.erroneous and flagged.marked_erroneous_by == "sv-1"
    shown = manager.GetSocialHistory(cases_pb2.GetSocialHistoryRequest(person_id=case.person_id), None)
    by_id = {e.entry_id: e for e in shown.entries}
    assert by_id[entry.seq].erroneous and by_id[entry.seq].erroneous_reason == REASON
    assert by_id[entry.seq].summary == entry.summary and by_id[entry.seq].marked_erroneous_at.seconds > 0
    assert not any(e.erroneous for i, e in by_id.items() if i != entry.seq)
