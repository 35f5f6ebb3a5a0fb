"""Item 2 of issue 8: a consent is a stored record (ISO/IEC TS 27560 shape), recorded and withdrawn
through the API by those who may see the case, audited, in the social history; a transfer needs one."""

from datetime import datetime, timedelta, timezone

import pytest
from grpc import StatusCode
from nameko.testing.services import worker_factory
from nameko_grpc.errors import GrpcError
from sqlalchemy import select

from cases.adapters.orm import audit_log, metadata
from cases.adapters.repository import CaseRepository
from cases.domain.consent import Consent, validate_consent
from cases.domain.workload import CaseManager
from cases.service import CasesService
from cases.service_layer import consents, handlers, workload
from ekm.cases.v1 import cases_pb2
from ekm_platform.auth import CallerContext, Principal, generate_keys, issue_token
from ekm_platform.envelope import Envelope
from ekm_platform.errors import FailedPrecondition, NotFound, PermissionDenied, ValidationError
from ekm_platform.grpc_mapping import timestamp

COMMUNITY = "UA80000000000093317"
RECEIVER = "UA46000000000026241"
CM, OTHER, SV, OTHER_SV = (
    Principal("cm-1", "case_manager"),
    Principal("cm-2", "case_manager"),
    Principal("sv-1", "supervisor"),
    Principal("sv-2", "supervisor"),
)
PERSON = {
    "rnokpp": "3221512349",
    "unzr": "19880314-43212",
    "last_name": "Коваленко",
    "first_name": "Андрій",
    "patronymic": "",
    "birth_date": "1988-03-14",
}
NOW = datetime.now(timezone.utc)


@pytest.fixture
def uow(sqlite_uow):
    factory = sqlite_uow("cases", metadata, CaseRepository)
    for manager in (
        CaseManager("cm-1", COMMUNITY, 10, frozenset({"veterans"}), "sv-1"),
        CaseManager("cm-2", COMMUNITY, 10, frozenset(), "sv-2"),
        CaseManager("cm-9", RECEIVER, 10, frozenset(), "sv-9"),
    ):
        with factory() as u:
            workload.register_manager(u, manager)
    return factory


@pytest.fixture
def case(uow):
    event = Envelope(
        "appeal.accepted", "intake", {"appeal_id": "a-1", "screening_level": "assessment", "community_code": COMMUNITY}
    )
    with uow() as u:
        opened = handlers.open_case_for_appeal(event, u, lambda appeal_id: {"person": PERSON})
        u.commit()
    assert opened.assigned_to == "cm-1"
    return opened


def draft(case, **changes) -> Consent:
    values = dict(
        person_id="",
        case_id=case.case_id,
        purpose="transfer",
        recipient=RECEIVER,
        data_categories=("identity", "case_history"),
        given_by="person",
        method="written",
        given_at=NOW - timedelta(hours=1),
        expires_at=NOW + timedelta(days=90),
        recorded_by="",
    )
    values.update(changes)
    return Consent(**values)


def audit_actions(uow):
    with uow() as u:
        return [r.action for r in u.session.execute(select(audit_log).order_by(audit_log.c.seq))]


def history_kinds(uow, case):
    with uow() as u:
        return [e.kind for e in u.repo.history_of(case.person_id, 0, 100)]


# the domain: every problem, by field ---------------------------------------------------------------
def test_an_invalid_consent_names_every_field():
    bad = Consent(
        "p",
        "c",
        "marketing",
        "x",
        (),
        "neighbour",
        "telepathy",
        NOW + timedelta(days=1),
        NOW - timedelta(days=1),
        "cm-1",
        legal_basis=" ",
    )
    with pytest.raises(ValidationError) as caught:
        validate_consent(bad, NOW)
    assert {v.field for v in caught.value.violations} == {
        "purpose",
        "data_categories",
        "given_by",
        "method",
        "legal_basis",
        "given_at",
        "expires_at",
    }
    assert all(" / " in v.message for v in caught.value.violations)


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"recipient": "UA123"}, "recipient"),  # not a community code
        ({"purpose": "registry_lookup", "recipient": "tax"}, "recipient"),  # not a registry
        ({"purpose": "referral", "recipient": "a b"}, "recipient"),
        ({"data_categories": ("identity", "horoscope")}, "data_categories"),
        ({"given_by": "legal_representative"}, "representative_name"),
        ({"given_by": "legal_representative", "representative_name": "Мати"}, "representative_basis"),
        ({"expires_at": None}, "expires_at"),
        ({"given_at": None}, "given_at"),
        ({"expires_at": NOW + timedelta(days=6 * 366)}, "expires_at"),
    ],
)
def test_one_bad_field_is_named(case, changes, field):
    with pytest.raises(ValidationError) as caught:
        validate_consent(draft(case, person_id="p", recorded_by="cm-1", **changes), NOW)
    assert field in {v.field for v in caught.value.violations}


def test_a_consent_is_active_until_it_expires_or_is_withdrawn(case):
    consent = draft(case, expires_at=NOW + timedelta(days=1))
    assert consent.state(NOW) == "active" and consent.state(NOW + timedelta(days=2)) == "expired"
    withdrawn = consent.withdraw("cm-1", "передумала", NOW)
    assert withdrawn.state(NOW) == "withdrawn" and not withdrawn.is_active(NOW)
    with pytest.raises(FailedPrecondition):
        withdrawn.withdraw("cm-1", "ще раз")
    with pytest.raises(ValidationError):
        consent.withdraw("cm-1", "  ")


# denied first -----------------------------------------------------------------------------------
def test_another_manager_or_team_cannot_record_list_or_withdraw(uow, case):
    for who in (OTHER, OTHER_SV):
        with uow() as u, pytest.raises(NotFound):
            consents.record_consent(u, who, draft(case))
        with uow() as u, pytest.raises(NotFound):
            consents.list_consents(u, who, case.case_id)
    with uow() as u:
        recorded = consents.record_consent(u, CM, draft(case))
    with uow() as u, pytest.raises(NotFound):
        consents.withdraw_consent(u, OTHER, recorded.consent_id, "чужий випадок")
    for role in ("operator", "recipient", "partner_agency"):
        with uow() as u, pytest.raises(PermissionDenied):
            consents.record_consent(u, Principal("x", role), draft(case))
    with uow() as u:
        assert u.repo.consents.get(recorded.consent_id).withdrawn_at is None


def test_a_bad_consent_stores_nothing(uow, case):
    with uow() as u, pytest.raises(ValidationError):
        consents.record_consent(u, CM, draft(case, method="", data_categories=()))
    with uow() as u:
        assert u.repo.consents.of_case(case.case_id) == []
    assert "consent.recorded" not in history_kinds(uow, case) and "consent.record" not in audit_actions(uow)


def test_a_recipient_sees_and_withdraws_only_their_own_consents(uow, case):
    with uow() as u:
        recorded = consents.record_consent(u, CM, draft(case))
    stranger = Principal("someone-else", "recipient")
    with uow() as u:
        assert consents.my_consents(u, stranger) == []
    with uow() as u, pytest.raises(NotFound):
        consents.withdraw_my_consent(u, stranger, recorded.consent_id, "не моя")
    with uow() as u, pytest.raises(PermissionDenied):
        consents.my_consents(u, CM)
    me = Principal(case.person_id, "recipient")
    with uow() as u:
        assert [c.consent_id for c in consents.my_consents(u, me)] == [recorded.consent_id]
    with uow() as u:
        withdrawn = consents.withdraw_my_consent(u, me, recorded.consent_id, "більше не погоджуюсь")
    assert withdrawn.withdrawn_by == case.person_id and withdrawn.state() == "withdrawn"


def test_a_transfer_without_a_stored_consent_is_refused_whatever_the_flag(uow, case):
    version = case.version
    from cases.service_layer import transfers

    with uow() as u, pytest.raises(FailedPrecondition, match="consent"):
        transfers.request_transfer(u, CM, case.case_id, "cm-9", RECEIVER, "", "переїзд", version)
    with uow() as u:  # a consent for another community, and a withdrawn one for this, do not count
        consents.record_consent(u, CM, draft(case, recipient="UA12000000000000001"))
    with uow() as u:
        wrong = consents.record_consent(u, CM, draft(case))
    with uow() as u:
        consents.withdraw_consent(u, CM, wrong.consent_id, "особа відкликала усно")
    with uow() as u, pytest.raises(FailedPrecondition, match="consent"):
        transfers.request_transfer(u, CM, case.case_id, "cm-9", RECEIVER, "", "переїзд", version)


def test_accepting_a_transfer_whose_consent_was_withdrawn_meanwhile_is_refused(uow, case):
    from cases.service_layer import transfers

    with uow() as u:
        recorded = consents.record_consent(u, CM, draft(case))
    with uow() as u:
        transfer = transfers.request_transfer(u, CM, case.case_id, "cm-9", RECEIVER, "", "переїзд", case.version)
    assert transfer.consent_id == recorded.consent_id and transfer.consent_recorded
    with uow() as u:
        consents.withdraw_consent(u, SV, recorded.consent_id, "особа відкликала")
    with uow() as u, pytest.raises(FailedPrecondition, match="withdrawn"):
        transfers.accept_transfer(u, Principal("cm-9", "case_manager"), transfer.transfer_id)
    with uow() as u:
        assert u.repo.get(case_id=case.case_id).assigned_to == "cm-1"


# allowed --------------------------------------------------------------------------------------
def test_recorded_for_the_case_person_audited_in_the_history_and_withdrawn_never_deleted(uow, case):
    with uow() as u:
        recorded = consents.record_consent(
            u,
            CM,
            draft(
                case,
                person_id="somebody-else",
                recorded_by="forged",
                given_by="legal_representative",
                representative_name="Коваленко Олена",
                representative_basis="рішення суду № 1/2026",
                method="diia",
            ),
        )
    assert (recorded.person_id, recorded.recorded_by) == (case.person_id, "cm-1")
    with uow() as u:
        assert consents.active_consent(u, case.person_id, "transfer", RECEIVER)["consent_id"] == recorded.consent_id
    with uow() as u:
        withdrawn = consents.withdraw_consent(u, SV, recorded.consent_id, "особа відкликала письмово")
    assert (withdrawn.withdrawn_by, withdrawn.withdrawal_reason) == ("sv-1", "особа відкликала письмово")
    with uow() as u:
        listed = consents.list_consents(u, CM, case.case_id)
        assert consents.active_consent(u, case.person_id, "transfer", RECEIVER) is None
    assert [(c.consent_id, c.state()) for c in listed] == [(recorded.consent_id, "withdrawn")]
    assert listed[0].representative_name == "Коваленко Олена"
    assert {"consent.record", "consent.withdraw", "consent.list"} <= set(audit_actions(uow))
    assert {"consent.recorded", "consent.withdrawn"} <= set(history_kinds(uow, case))
    with uow() as u:
        summaries = " ".join(e.summary for e in u.repo.history_of(case.person_id, 0, 100))
    assert "Коваленко Олена" not in summaries  # the history names the purpose and recipient, not people


# through the gRPC entrypoints ----------------------------------------------------------------
@pytest.fixture
def keys(tmp_path):
    generate_keys(tmp_path / "k.pem", tmp_path / "k.pub")
    return (tmp_path / "k.pem").read_bytes(), (tmp_path / "k.pub").read_bytes()


def as_user(keys, user_id, role):
    return CallerContext(f"Bearer {issue_token(user_id, role, private_key=keys[0])}", keys[1])


def grpc_consent(case, **changes):
    values = dict(
        case_id=case.case_id,
        purpose=cases_pb2.CONSENT_PURPOSE_TRANSFER,
        recipient=RECEIVER,
        data_categories=["identity", "case_history"],
        given_by=cases_pb2.CONSENT_GIVER_PERSON,
        method=cases_pb2.CONSENT_METHOD_WRITTEN,
        given_at=timestamp(NOW - timedelta(hours=1)),
        expires_at=timestamp(NOW + timedelta(days=30)),
    )
    values.update(changes)
    return cases_pb2.Consent(**values)


def test_grpc_a_true_consent_flag_proves_nothing_and_a_recorded_consent_does(uow, case, keys):
    service = worker_factory(CasesService, db=uow, auth=as_user(keys, "cm-1", "case_manager"))
    transfer = cases_pb2.RequestTransferRequest(
        case_id=case.case_id,
        to_manager_id="cm-9",
        to_community_code=RECEIVER,
        consent_recorded=True,
        reason="переїзд",
        expected_case_version=case.version,
    )
    with pytest.raises(GrpcError) as caught:
        service.RequestTransfer(transfer, None)
    assert caught.value.code == StatusCode.FAILED_PRECONDITION and "consent" in caught.value.message
    with pytest.raises(GrpcError) as caught:
        service.RecordConsent(
            cases_pb2.RecordConsentRequest(
                consent=grpc_consent(case, method=cases_pb2.CONSENT_METHOD_UNSPECIFIED, expires_at=None)
            ),
            None,
        )
    assert caught.value.code == StatusCode.INVALID_ARGUMENT
    assert "method" in caught.value.message and "expires_at" in caught.value.message
    recorded = service.RecordConsent(cases_pb2.RecordConsentRequest(consent=grpc_consent(case)), None)
    assert recorded.state == cases_pb2.CONSENT_STATE_ACTIVE and recorded.person_id == case.person_id
    assert recorded.purpose == cases_pb2.CONSENT_PURPOSE_TRANSFER and recorded.recorded_by == "cm-1"
    moved = service.RequestTransfer(transfer, None)
    assert moved.consent_id == recorded.consent_id and moved.state == "requested"
    listed = service.ListConsents(cases_pb2.ListConsentsRequest(case_id=case.case_id), None)
    assert [c.consent_id for c in listed.consents] == [recorded.consent_id]
    other = worker_factory(CasesService, db=uow, auth=as_user(keys, "cm-2", "case_manager"))
    with pytest.raises(GrpcError) as caught:
        other.WithdrawConsent(cases_pb2.WithdrawConsentRequest(consent_id=recorded.consent_id, reason="x"), None)
    assert caught.value.code == StatusCode.NOT_FOUND
    person = worker_factory(CasesService, db=uow, auth=as_user(keys, case.person_id, "recipient"))
    mine = person.ListMyConsents(cases_pb2.ListMyConsentsRequest(), None)
    assert [c.consent_id for c in mine.consents] == [recorded.consent_id]
    gone = person.WithdrawMyConsent(
        cases_pb2.WithdrawConsentRequest(consent_id=recorded.consent_id, reason="передумала"), None
    )
    assert gone.state == cases_pb2.CONSENT_STATE_WITHDRAWN and gone.withdrawn_by == case.person_id
