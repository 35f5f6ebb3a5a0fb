"""Who sees which appeal, the audit log of every personal-data read and write, routing to a
community, and idempotency keys scoped per caller."""

import json
from dataclasses import replace

import pytest
from sqlalchemy import func, select

from ekm_platform.auth import Principal
from ekm_platform.dependencies import PermanentEventError
from ekm_platform.envelope import Envelope
from ekm_platform.errors import AlreadyExists, NotFound, ValidationError
from intake.adapters.orm import appeals, audit_log, metadata
from intake.adapters.repository import AppealRepository
from intake.domain.model import Channel
from intake.domain.routing import outreach_community
from intake.service_layer import handlers

KYIV = "UA80000000000093317"
CM = Principal("cm-1", "case_manager", KYIV)
ALICE = Principal("person-alice", "recipient")
BOB = Principal("person-bob", "recipient")


@pytest.fixture
def uow(sqlite_uow):
    return sqlite_uow("intake", metadata, AppealRepository)


def count(uow, table=appeals):
    with uow() as u:
        return u.session.execute(select(func.count()).select_from(table)).scalar()


def entries(uow):
    with uow() as u:
        return [dict(e) for e in u.session.execute(select(audit_log).order_by(audit_log.c.seq)).mappings()]


def submit(uow, submission, principal):
    if principal.role == "recipient" and submission.channel is Channel.PHONE:  # a recipient submits themselves
        submission = replace(submission, channel=Channel.RECIPIENT_CABINET)
    with uow() as u:
        return handlers.submit_appeal(submission, u, principal)


def status(uow, tracking_number, principal, case_access=None):
    with uow() as u:
        return handlers.appeal_status(tracking_number, u, principal, case_access)


def open_case(uow, appeal, case_number="CASE-2026-AAAAAAA"):
    with uow() as u:
        handlers.record_case_opened(
            Envelope("case.opened", "cases", {"appeal_id": appeal.appeal_id, "case_number": case_number}), u
        )
        u.commit()


# --- item 6: a recipient sees only their own appeals ----------------------------------------


def test_a_recipient_cannot_see_another_persons_appeal(uow, valid):
    alices = submit(uow, valid, ALICE)
    before = len(entries(uow))
    with pytest.raises(NotFound) as caught:
        status(uow, alices.tracking_number, BOB, case_access=lambda actor, number: {"status": "not_found"})
    assert "не знайдено" in caught.value.message
    assert len(entries(uow)) == before  # nothing read, nothing audited


def test_not_found_for_someone_elses_appeal_looks_like_an_unknown_one(uow, valid):
    alices = submit(uow, valid, ALICE)
    with pytest.raises(NotFound) as other:
        status(uow, alices.tracking_number, BOB)
    with pytest.raises(NotFound) as unknown:
        status(uow, "EKM-000000-XXXXXXXX", BOB)
    assert other.value.message.replace(alices.tracking_number, "?") == unknown.value.message.replace(
        "EKM-000000-XXXXXXXX", "?"
    )


def test_a_recipient_sees_the_appeal_they_submitted(uow, valid):
    alices = submit(uow, valid, ALICE)
    assert status(uow, alices.tracking_number, ALICE).appeal_id == alices.appeal_id


def test_a_recipient_sees_an_appeal_made_for_them_once_it_opened_their_case(uow, valid):
    made_by_cm = submit(uow, valid, CM)
    with pytest.raises(NotFound):  # no case yet: nothing ties the appeal to Alice
        status(uow, made_by_cm.tracking_number, ALICE, case_access=lambda a, n: {"status": "ok"})
    open_case(uow, made_by_cm)
    asked = []

    def case_access(actor, case_number):
        asked.append((actor["user_id"], actor["role"], case_number))
        return (
            {"status": "ok", "person_id": actor["user_id"]}
            if actor["user_id"] == ALICE.user_id
            else {"status": "not_found"}
        )

    assert status(uow, made_by_cm.tracking_number, ALICE, case_access).case_number == "CASE-2026-AAAAAAA"
    with pytest.raises(NotFound):
        status(uow, made_by_cm.tracking_number, BOB, case_access)
    assert asked == [
        ("person-alice", "recipient", "CASE-2026-AAAAAAA"),
        ("person-bob", "recipient", "CASE-2026-AAAAAAA"),
    ]


def test_staff_see_any_appeals_status(uow, valid):
    alices = submit(uow, valid, ALICE)
    for principal in (CM, Principal("op-1", "operator")):
        assert status(uow, alices.tracking_number, principal).appeal_id == alices.appeal_id


def test_the_submitter_is_stored(uow, valid):
    alices = submit(uow, valid, ALICE)
    with uow() as u:
        stored = u.repo.get(alices.appeal_id)
    assert (stored.submitted_by, stored.submitter_role) == ("person-alice", "recipient")


# --- item 4: every read and write of personal data is audited, identifiers only ------------


def test_every_personal_data_access_is_audited_with_identifiers_only(uow, valid):
    appeal = submit(uow, valid, CM)
    status(uow, appeal.tracking_number, CM)
    with uow() as u:
        handlers.appeal_subject(appeal.appeal_id, u, "cases")
    with uow() as u:
        handlers.applicant_contact(appeal.appeal_id, u, "notifications")
    written = entries(uow)
    assert [(e["actor_id"], e["actor_role"], e["action"], e["subject_type"], e["subject_id"]) for e in written] == [
        ("cm-1", "case_manager", "appeal.write", "appeal", appeal.appeal_id),
        ("cm-1", "case_manager", "appeal.status_read", "appeal", appeal.appeal_id),
        ("cases", "service", "appeal.subject_read", "appeal", appeal.appeal_id),
        ("notifications", "service", "appeal.contact_read", "appeal", appeal.appeal_id),
    ]
    assert all(e["purpose"] for e in written)
    assert json.loads(written[0]["details"])["tracking_number"] == appeal.tracking_number
    text = json.dumps(written, default=str, ensure_ascii=False)
    for secret in (
        valid.applicant.rnokpp,
        valid.applicant.unzr,
        valid.applicant.last_name,
        valid.applicant.first_name,
        valid.applicant_phone,
        valid.description,
    ):
        assert secret not in text


def test_a_refused_appeal_leaves_no_audit_entry(uow, valid):
    with pytest.raises(ValidationError):
        submit(uow, replace(valid, description=""), CM)
    assert entries(uow) == [] and count(uow) == 0


def signal_event(signal_id="sig-1"):
    return Envelope(
        "registry.person.returned_from_service",
        "registry_gateway",
        {"signal_id": signal_id, "occurred_on": "2026-11-30"},
    )


def fetch_subject(signal_id):
    return {"person": {"rnokpp": "3221512349", "unzr": "", "last_name": "Коваленко", "first_name": "Андрій"}}


def test_the_outreach_appeal_is_audited_and_goes_to_the_served_community(uow):
    with uow() as u:
        appeal = handlers.open_outreach_appeal(signal_event(), u, fetch_subject)
        u.commit()
    assert appeal.submission.community_code == KYIV
    [entry] = entries(uow)
    assert (entry["actor_id"], entry["action"], entry["subject_id"]) == (
        "registry_gateway",
        "appeal.write",
        appeal.appeal_id,
    )
    assert json.loads(entry["details"])["signal_id"] == "sig-1" and "Коваленко" not in entry["details"]
    with uow() as u:  # the same signal again: the same appeal, nothing more written
        assert handlers.open_outreach_appeal(signal_event(), u, fetch_subject).appeal_id == appeal.appeal_id
    assert len(entries(uow)) == 1 and count(uow) == 1


# --- item 13: no appeal that nobody would own ------------------------------------------------


def test_an_appeal_without_a_community_is_refused_naming_the_field(uow, valid):
    with pytest.raises(ValidationError) as caught:
        submit(uow, replace(valid, community_code=""), ALICE)  # a recipient's token names no community
    assert [v.field for v in caught.value.violations] == ["community_code"]
    assert count(uow) == 0 and count(uow, metadata.tables["outbox"]) == 0


def test_a_community_the_platform_does_not_serve_is_refused(uow, valid):
    with pytest.raises(ValidationError) as caught:
        submit(uow, replace(valid, community_code="UA46000000000026241"), CM)
    assert [v.field for v in caught.value.violations] == ["community_code"]
    assert "UA46000000000026241" in caught.value.message and count(uow) == 0


def test_without_a_community_in_the_request_the_staff_members_own_community_is_used(uow, valid):
    appeal = submit(uow, replace(valid, community_code=""), CM)
    assert appeal.submission.community_code == KYIV
    assert appeal.accepted_event()["community_code"] == KYIV


def test_outreach_routing():
    assert outreach_community("", [KYIV]) == KYIV  # a one-community deployment
    assert outreach_community("", [KYIV, "UA46000000000026241"]) is None  # which one? not guessed
    assert outreach_community(KYIV, [KYIV, "UA46000000000026241"]) == KYIV
    assert outreach_community("UA46000000000026241", [KYIV]) is None  # configured but not served


def test_an_outreach_signal_nobody_would_own_goes_to_the_dead_letters(uow, monkeypatch):
    with uow() as u:
        u.session.execute(metadata.tables["communities"].insert(), {"code": "UA46000000000026241", "name": "Львів"})
        u.commit()
    with uow() as u, pytest.raises(PermanentEventError) as caught:
        handlers.open_outreach_appeal(signal_event(), u, fetch_subject)
    assert "EKM_OUTREACH_COMMUNITY" in str(caught.value)
    monkeypatch.setattr(handlers, "OUTREACH_COMMUNITY", "UA46000000000026241")
    with uow() as u:
        assert (
            handlers.open_outreach_appeal(signal_event(), u, fetch_subject).submission.community_code
            == "UA46000000000026241"
        )


# --- item 20: idempotency keys per caller, one request per key -------------------------------


def test_a_different_request_under_a_used_key_is_refused(uow, valid):
    keyed = replace(valid, client_request_id="frontend-42")
    first = submit(uow, keyed, CM)
    with pytest.raises(AlreadyExists) as caught:
        submit(uow, replace(keyed, description="Зовсім інше звернення"), CM)
    assert caught.value.message.startswith("client_request_id:") and " / " in caught.value.message
    assert submit(uow, keyed, CM).appeal_id == first.appeal_id
    assert count(uow) == 1 and count(uow, metadata.tables["outbox"]) == 1


def test_a_repeated_submission_gets_the_same_answer_after_the_case_opened(uow, valid):
    keyed = replace(valid, client_request_id="frontend-42")
    first = submit(uow, keyed, CM)
    open_case(uow, first)
    again = submit(uow, keyed, CM)
    assert (again.appeal_id, again.tracking_number, again.state, again.case_number) == (
        first.appeal_id,
        first.tracking_number,
        first.state,
        "",
    )


def test_the_key_is_scoped_per_caller(uow, valid):
    keyed = replace(valid, client_request_id="frontend-42")
    mine, theirs = submit(uow, keyed, ALICE), submit(uow, keyed, BOB)
    assert mine.appeal_id != theirs.appeal_id and count(uow) == 2


def test_losing_the_race_on_the_key_answers_with_the_stored_appeal(uow, valid, monkeypatch):
    """Two calls both find no appeal under the key; the second insert hits the unique key:
    it answers with the first one's appeal instead of INTERNAL."""
    keyed = replace(valid, client_request_id="frontend-42")
    first = submit(uow, keyed, CM)
    real = AppealRepository.by_client_request_id
    seen = []

    def not_yet_the_first_time(self, submitted_by, key):
        seen.append(key)
        return None if len(seen) == 1 else real(self, submitted_by, key)

    monkeypatch.setattr(AppealRepository, "by_client_request_id", not_yet_the_first_time)
    second = submit(uow, keyed, CM)
    assert second.appeal_id == first.appeal_id and second.tracking_number == first.tracking_number
    assert len(seen) == 2 and count(uow) == 1 and count(uow, metadata.tables["outbox"]) == 1
    assert [e["action"] for e in entries(uow)] == ["appeal.write"]
    with pytest.raises(AlreadyExists):
        seen.clear()
        submit(uow, replace(keyed, urgent=True), CM)
