"""A case through its stages over gRPC, as a case-manager frontend drives it."""

import grpc
import pytest
from nameko.standalone.rpc import ServiceRpcClient

from ekm.cases.v1 import cases_pb2 as pb
from ekm.cases.v1 import cases_pb2_grpc
from ekm.intake.v1 import intake_pb2, intake_pb2_grpc
from ekm_platform.testing.platform import running_platform
from tests.appeals import appeal_request

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(240)]
COMMUNITY = "UA80000000000093317"


@pytest.fixture(scope="module")
def platform(tmp_path_factory, ekm_amqp_uri):
    with running_platform(
        tmp_path_factory.mktemp("ekm"), ekm_amqp_uri, services=("intake", "cases", "registry-gateway"), simulators=True
    ) as running:
        with ServiceRpcClient("cases", uri=running.env["EKM_AMQP_URI"], timeout=20) as cases:
            cases.register_case_manager("cm-7", COMMUNITY, 10, ["veterans"], "sv-7")
        yield running


def until(probe, tries=100):
    import time

    for _ in range(tries):
        value = probe()
        if value:
            return value
        time.sleep(0.1)


def status(code):
    def check(call):
        with pytest.raises(grpc.RpcError) as caught:
            call()
        assert caught.value.code() == code, caught.value.details()
        return caught.value.details()

    return check


def test_assessment_plan_and_stages_with_the_errors_a_frontend_must_handle(platform):
    cm, sv, other = (
        platform.bearer("case_manager", "cm-7"),
        platform.bearer("supervisor", "sv-7"),
        platform.bearer("case_manager", "cm-8"),
    )
    with platform.channel("intake") as ch:
        intake = intake_pb2_grpc.IntakeServiceStub(ch)
        request = appeal_request()  # a person the registry simulators know (looked up below)
        request.applicant.person.rnokpp, request.applicant.person.unzr = "3221512349", "19880314-43212"
        request.applicant.person.birth_date = "1988-03-14"
        tracking = intake.SubmitAppeal(request, metadata=cm, timeout=10).tracking_number
        number = until(
            lambda: (
                intake.GetAppealStatus(
                    intake_pb2.GetAppealStatusRequest(tracking_number=tracking), metadata=cm, timeout=5
                ).case_number
            )
        )
    with platform.channel("cases") as ch:
        stub = cases_pb2_grpc.CaseServiceStub(ch)
        case = stub.GetCase(pb.GetCaseRequest(case_number=number), metadata=cm, timeout=5)
        assert case.assigned_to == "cm-7" and "veterans" in case.assignment_explanation
        status(grpc.StatusCode.NOT_FOUND)(lambda: stub.GetCase(pb.GetCaseRequest(case_number=number), metadata=other))
        detail = status(grpc.StatusCode.FAILED_PRECONDITION)(
            lambda: stub.TransitionCase(
                pb.TransitionCaseRequest(
                    case_id=case.case_id, target_stage=pb.STAGE_PLANNING, expected_version=case.version
                ),
                metadata=cm,
            )
        )
        assert "approved needs assessment" in detail

        act = pb.Assessment(
            case_id=case.case_id,
            started_on="2026-11-20",
            specialist_id="cm-7",
            family=[pb.FamilyMember(full_name="Тестенко Олена", birth_date="1990-01-01", relation=pb.RELATION_SELF)],
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
        bad = pb.Assessment()
        bad.CopyFrom(act)
        bad.domains[0].need_level = 9
        detail = status(grpc.StatusCode.INVALID_ARGUMENT)(
            lambda: stub.SaveAssessment(
                pb.SaveAssessmentRequest(assessment=bad, expected_case_version=case.version), metadata=cm
            )
        )
        assert "domains.health.need_level" in detail
        saved = stub.SaveAssessment(
            pb.SaveAssessmentRequest(assessment=act, expected_case_version=case.version, submit=True),
            metadata=cm,
            timeout=5,
        )
        assert saved.status == "submitted"
        status(grpc.StatusCode.ABORTED)(
            lambda: stub.SaveAssessment(
                pb.SaveAssessmentRequest(assessment=act, expected_case_version=case.version), metadata=cm
            )
        )
        status(grpc.StatusCode.PERMISSION_DENIED)(
            lambda: stub.ApproveAssessment(pb.ApproveAssessmentRequest(case_id=case.case_id, version=1), metadata=cm)
        )
        assert (
            stub.ApproveAssessment(
                pb.ApproveAssessmentRequest(case_id=case.case_id, version=1), metadata=sv, timeout=5
            ).approved_by
            == "sv-7"
        )
        scoring = stub.ScoreAssessment(pb.ScoreAssessmentRequest(case_id=case.case_id), metadata=cm, timeout=5)
        rehab = next(r for r in scoring.recommendations if r.service_type == pb.SERVICE_TYPE_REHABILITATION)
        assert rehab.because[0].field == "domains.health.need_level" and scoring.complexity == "medium"

        case = stub.GetCase(pb.GetCaseRequest(case_id=case.case_id), metadata=cm, timeout=5)
        assert case.stage == pb.STAGE_PLANNING  # the approved assessment moved the case on
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
                            what="Візит",
                            responsible_kind=pb.RESPONSIBLE_KIND_PERSON,
                            due_on="2026-12-01",
                        )
                    ],
                    services=[
                        pb.PlannedService(
                            service_id="sv1",
                            service_type=pb.SERVICE_TYPE_REHABILITATION,
                            provider="Центр",
                            frequency="щотижня",
                        )
                    ],
                ),
            ),
            metadata=cm,
            timeout=5,
        )
        status(grpc.StatusCode.FAILED_PRECONDITION)(
            lambda: stub.AgreePlan(
                pb.AgreePlanRequest(case_id=case.case_id, version=plan.version, channel="in_person"), metadata=cm
            )
        )
        queue = stub.GetSupervisionQueue(pb.GetSupervisionQueueRequest(), metadata=sv, timeout=5)
        assert [i.kind for i in queue.items] == ["plan_approval"]
        assert (
            stub.ApprovePlan(
                pb.ApprovePlanRequest(case_id=case.case_id, version=plan.version), metadata=sv, timeout=5
            ).approved_by
            == "sv-7"
        )
        agreed = stub.AgreePlan(
            pb.AgreePlanRequest(case_id=case.case_id, version=plan.version, channel="in_person"), metadata=cm, timeout=5
        )
        assert agreed.agreement_channel == "in_person" and agreed.HasField("agreed_at")
        case = stub.GetCase(pb.GetCaseRequest(case_id=case.case_id), metadata=cm, timeout=5)
        case = stub.TransitionCase(
            pb.TransitionCaseRequest(
                case_id=case.case_id, target_stage=pb.STAGE_IMPLEMENTATION, expected_version=case.version
            ),
            metadata=cm,
            timeout=5,
        )
        assert case.stage == pb.STAGE_IMPLEMENTATION
        history = stub.GetSocialHistory(pb.GetSocialHistoryRequest(person_id=case.person_id), metadata=cm, timeout=5)
        assert {"appeal", "case.opened", "assessment", "plan", "case.stage"} <= {e.kind for e in history.entries}
        from ekm.registry.v1 import registry_pb2, registry_pb2_grpc

        with platform.channel("registry-gateway") as gw:
            registry_pb2_grpc.RegistryGatewayStub(gw).LookupPerson(
                registry_pb2.LookupPersonRequest(rnokpp="3221512349", case_number=number, purpose="оцінка потреб"),
                metadata=cm,
                timeout=20,
            )
        found = until(
            lambda: (
                "registry.person.returned_from_service"
                in {
                    e.kind
                    for e in stub.GetSocialHistory(
                        pb.GetSocialHistoryRequest(person_id=case.person_id), metadata=cm, timeout=5
                    ).entries
                }
            )
        )
        assert found, "the registry's fact should reach the social history through the event"
        report = stub.GetWorkloadReport(pb.GetWorkloadReportRequest(community_code=COMMUNITY), metadata=sv, timeout=5)
        assert [(m.manager_id, m.open_cases, m.weighted_load) for m in report.managers] == [("cm-7", 1, 2)]
