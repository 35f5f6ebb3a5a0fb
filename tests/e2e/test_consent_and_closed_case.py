"""Through the real processes (intake and cases over gRPC and AMQP): a consent recorded over gRPC
is what a transfer needs (a `consent_recorded` flag proves nothing), the internal RPCs answer by
relation and by the stored consent, a supervisor flags an erroneous history entry, and a closed
case's history, plan, assessment and cabinet stay readable — the cabinet read-only, services rated."""

import time
from datetime import datetime, timedelta, timezone

import grpc
import pytest
from nameko.standalone.rpc import ServiceRpcClient

from ekm.cases.v1 import cases_pb2 as pb
from ekm.cases.v1 import cases_pb2_grpc
from ekm.intake.v1 import intake_pb2, intake_pb2_grpc
from ekm_platform.grpc_mapping import timestamp
from ekm_platform.testing.platform import running_platform
from tests.appeals import appeal_request

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(180)]
COMMUNITY = "UA80000000000093317"
RECEIVER = "UA46000000000026241"


def enum_or(name: str, code: str):
    """The proto's enum number when the field is an enum, else the older string code."""
    return getattr(pb, name, code)


@pytest.fixture(scope="module")
def platform(tmp_path_factory, ekm_amqp_uri):
    with running_platform(tmp_path_factory.mktemp("ekm"), ekm_amqp_uri, services=("intake", "cases")) as running:
        with ServiceRpcClient("cases", uri=running.env["EKM_AMQP_URI"], timeout=20) as cases:
            cases.register_case_manager("cm-c1", COMMUNITY, 10, ["veterans"], "sv-c1")
            cases.register_case_manager("cm-r1", RECEIVER, 10, [], "sv-r1")
        yield running


def until(probe, seconds=20):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = probe()
        if value:
            return value
        time.sleep(0.1)


def refused(code, call):
    with pytest.raises(grpc.RpcError) as caught:
        call()
    assert caught.value.code() == code, caught.value.details()
    return caught.value.details()


def rpc(platform, method, *args):
    with ServiceRpcClient("cases", uri=platform.env["EKM_AMQP_URI"], timeout=20) as cases:
        return getattr(cases, method)(*args)


def test_consent_transfer_and_a_closed_case_that_stays_readable(platform):
    cm, other = platform.bearer("case_manager", "cm-c1"), platform.bearer("case_manager", "cm-x1")
    receiver, receiver_sv = platform.bearer("case_manager", "cm-r1"), platform.bearer("supervisor", "sv-r1")
    with platform.channel("intake") as ch:
        intake = intake_pb2_grpc.IntakeServiceStub(ch)
        tracking = intake.SubmitAppeal(appeal_request(), metadata=cm, timeout=10).tracking_number
        number = until(
            lambda: (
                intake.GetAppealStatus(
                    intake_pb2.GetAppealStatusRequest(tracking_number=tracking), metadata=cm, timeout=5
                ).case_number
            )
        )
    assert number, "the appeal should open a case"
    with platform.channel("cases") as ch:
        stub = cases_pb2_grpc.CaseServiceStub(ch)
        case = stub.GetCase(pb.GetCaseRequest(case_number=number), metadata=cm, timeout=5)
        assert case.assigned_to == "cm-c1"

        # the internal RPCs other services ask: by relation, and by the stored consent
        assert rpc(platform, "check_case_access", {"user_id": "cm-x1", "role": "case_manager"}, number) == {
            "status": "not_found"
        }
        assert rpc(
            platform,
            "check_case_access",
            {"user_id": "cm-c1", "role": "case_manager"},
            number,
            {"rnokpp": "2987654328"},
        ) == {"status": "person_not_in_case"}
        allowed = rpc(
            platform,
            "check_case_access",
            {"user_id": "cm-c1", "role": "case_manager"},
            number,
            {"person_id": case.person_id},
        )
        assert allowed["status"] == "ok" and allowed["is_case_person"] and allowed["case_id"] == case.case_id
        assert rpc(platform, "active_consent", case.person_id, "transfer", RECEIVER) is None

        # a transfer: the flag proves nothing; a consent recorded over gRPC does
        transfer = pb.RequestTransferRequest(
            case_id=case.case_id,
            to_manager_id="cm-r1",
            to_community_code=RECEIVER,
            consent_recorded=True,
            reason="переїзд до іншої громади",
            expected_case_version=case.version,
        )
        assert "consent" in refused(
            grpc.StatusCode.FAILED_PRECONDITION, lambda: stub.RequestTransfer(transfer, metadata=cm, timeout=5)
        )
        now = datetime.now(timezone.utc)
        consent = pb.Consent(
            case_id=case.case_id,
            purpose=pb.CONSENT_PURPOSE_TRANSFER,
            recipient=RECEIVER,
            data_categories=["identity", "case_history"],
            given_by=pb.CONSENT_GIVER_PERSON,
            method=pb.CONSENT_METHOD_WRITTEN,
            document_reference="заява №17",
            given_at=timestamp(now - timedelta(minutes=5)),
            expires_at=timestamp(now + timedelta(days=60)),
        )
        refused(
            grpc.StatusCode.NOT_FOUND,
            lambda: stub.RecordConsent(pb.RecordConsentRequest(consent=consent), metadata=other, timeout=5),
        )
        bad = pb.Consent()
        bad.CopyFrom(consent)
        bad.recipient, bad.method = "UA1", pb.CONSENT_METHOD_UNSPECIFIED
        detail = refused(
            grpc.StatusCode.INVALID_ARGUMENT,
            lambda: stub.RecordConsent(pb.RecordConsentRequest(consent=bad), metadata=cm, timeout=5),
        )
        assert "recipient" in detail and "method" in detail
        recorded = stub.RecordConsent(pb.RecordConsentRequest(consent=consent), metadata=cm, timeout=5)
        assert recorded.state == pb.CONSENT_STATE_ACTIVE and recorded.person_id == case.person_id
        assert (
            rpc(platform, "active_consent", case.person_id, "transfer", RECEIVER)["consent_id"] == recorded.consent_id
        )
        requested = stub.RequestTransfer(transfer, metadata=cm, timeout=5)
        assert requested.consent_id == recorded.consent_id
        assert (
            stub.AcceptTransfer(
                pb.AcceptTransferRequest(transfer_id=requested.transfer_id), metadata=receiver, timeout=5
            ).state
            == "accepted"
        )
        refused(grpc.StatusCode.NOT_FOUND, lambda: stub.GetCase(pb.GetCaseRequest(case_id=case.case_id), metadata=cm))

        # the receiving side works the case: an approved assessment, an agreed plan
        case = stub.GetCase(pb.GetCaseRequest(case_id=case.case_id), metadata=receiver, timeout=5)
        act = pb.Assessment(
            case_id=case.case_id,
            started_on="2026-11-20",
            specialist_id="cm-r1",
            family=[
                pb.FamilyMember(
                    full_name="Тестенко Олена", birth_date="1990-01-01", relation=enum_or("RELATION_SELF", "self")
                )
            ],
            domains=[
                pb.DomainAssessment(domain=d, need_level=2 if d == "health" else 0)
                for d in (
                    "health",
                    "disability",
                    "mental_health",
                    "self_care",
                    "employment",
                    "social_contacts",
                    "housing",
                )
            ],
        )
        stub.SaveAssessment(
            pb.SaveAssessmentRequest(assessment=act, expected_case_version=case.version, submit=True),
            metadata=receiver,
            timeout=5,
        )
        stub.ApproveAssessment(
            pb.ApproveAssessmentRequest(case_id=case.case_id, version=1), metadata=receiver_sv, timeout=5
        )
        case = stub.GetCase(pb.GetCaseRequest(case_id=case.case_id), metadata=receiver, timeout=5)
        if case.stage != pb.STAGE_PLANNING:
            case = stub.TransitionCase(
                pb.TransitionCaseRequest(
                    case_id=case.case_id, target_stage=pb.STAGE_PLANNING, expected_version=case.version
                ),
                metadata=receiver,
                timeout=5,
            )
        plan = stub.SavePlan(
            pb.SavePlanRequest(
                expected_case_version=case.version,
                plan=pb.Plan(
                    case_id=case.case_id,
                    goals=[pb.Goal(goal_id="g1", need_domain="health", description="Реабілітація")],
                    steps=[
                        pb.Step(
                            step_id="s1",
                            goal_id="g1",
                            what="Візит до лікаря",
                            responsible_kind=enum_or("RESPONSIBLE_KIND_PERSON", "person"),
                            due_on="2026-12-01",
                        )
                    ],
                    services=[
                        pb.PlannedService(
                            service_id="sv1",
                            service_type=enum_or("SERVICE_TYPE_REHABILITATION", "rehabilitation"),
                            provider="Центр",
                            frequency="щотижня",
                        )
                    ],
                ),
            ),
            metadata=receiver,
            timeout=5,
        )
        stub.ApprovePlan(
            pb.ApprovePlanRequest(case_id=case.case_id, version=plan.version), metadata=receiver_sv, timeout=5
        )
        stub.AgreePlan(
            pb.AgreePlanRequest(case_id=case.case_id, version=plan.version, channel="in_person"),
            metadata=receiver,
            timeout=5,
        )

        # a supervisor of the case's team flags an entry as erroneous; a case manager may not
        history = stub.GetSocialHistory(
            pb.GetSocialHistoryRequest(person_id=case.person_id), metadata=receiver, timeout=5
        )
        wrong = next(e for e in history.entries if e.kind == "appeal")
        mark = pb.MarkHistoryEntryErroneousRequest(
            person_id=case.person_id, entry_id=wrong.entry_id, reason="звернення іншої особи / another person's appeal"
        )
        refused(grpc.StatusCode.PERMISSION_DENIED, lambda: stub.MarkHistoryEntryErroneous(mark, metadata=receiver))
        refused(
            grpc.StatusCode.NOT_FOUND,
            lambda: stub.MarkHistoryEntryErroneous(mark, metadata=platform.bearer("supervisor", "sv-c1")),
        )  # the case left their team
        assert stub.MarkHistoryEntryErroneous(mark, metadata=receiver_sv, timeout=5).erroneous

        # the supervisor closes the case (the person moved away)
        case = stub.GetCase(pb.GetCaseRequest(case_id=case.case_id), metadata=receiver, timeout=5)
        closed = stub.TransitionCase(
            pb.TransitionCaseRequest(
                case_id=case.case_id,
                target_stage=pb.STAGE_CLOSED,
                expected_version=case.version,
                outcome=pb.OUTCOME_MOVED,
                reason="переїхала",
            ),
            metadata=receiver_sv,
            timeout=5,
        )
        assert closed.stage == pb.STAGE_CLOSED

        # ... and it stays readable: history (with the flag), plan, assessment, consents
        history = stub.GetSocialHistory(
            pb.GetSocialHistoryRequest(person_id=case.person_id), metadata=receiver, timeout=5
        )
        kinds = {e.kind for e in history.entries}
        assert {"consent.recorded", "case.transferred", "plan", "history.marked_erroneous"} <= kinds
        flagged = next(e for e in history.entries if e.entry_id == wrong.entry_id)
        assert (
            flagged.erroneous
            and flagged.marked_erroneous_by == "sv-r1"
            and "another person" in flagged.erroneous_reason
        )
        assert (
            stub.GetPlan(pb.GetPlanRequest(case_id=case.case_id), metadata=receiver, timeout=5).version == plan.version
        )
        assert (
            stub.GetAssessment(pb.GetAssessmentRequest(case_id=case.case_id), metadata=receiver, timeout=5).approved_by
            == "sv-r1"
        )
        listed = stub.ListConsents(pb.ListConsentsRequest(case_id=case.case_id), metadata=receiver, timeout=5)
        assert [c.consent_id for c in listed.consents] == [recorded.consent_id]

        # the recipient's cabinet: readable, read-only, and the service can still be rated
        person = platform.bearer("recipient", case.person_id)
        cabinet = stub.GetCabinet(pb.GetCabinetRequest(), metadata=person, timeout=5)
        assert cabinet.stage == pb.STAGE_CLOSED and cabinet.read_only and cabinet.case_number == number
        assert [s.step_id for s in cabinet.steps] == [
            "s1"
        ] and cabinet.rating_open_until.seconds > cabinet.closed_at.seconds
        assert "closed" in refused(
            grpc.StatusCode.FAILED_PRECONDITION,
            lambda: stub.MarkOwnStepDone(pb.MarkOwnStepDoneRequest(step_id="s1"), metadata=person),
        )
        rated = stub.RateService(
            pb.RateServiceRequest(service_id="sv1", rating=5, comment="Дякую"), metadata=person, timeout=5
        )
        assert rated.rating == 5
        mine = stub.ListMyConsents(pb.ListMyConsentsRequest(), metadata=person, timeout=5)
        assert [c.consent_id for c in mine.consents] == [recorded.consent_id]
        gone = stub.WithdrawMyConsent(
            pb.WithdrawConsentRequest(consent_id=recorded.consent_id, reason="переїхала"), metadata=person, timeout=5
        )
        assert gone.state == pb.CONSENT_STATE_WITHDRAWN
    assert rpc(platform, "active_consent", case.person_id, "transfer", RECEIVER) is None
