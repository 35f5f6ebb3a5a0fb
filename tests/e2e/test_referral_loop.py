"""Issue 10 through the real processes (intake, cases, interagency): a case manager refers the case's
person to a health facility; without consent the facility sees only the contact fields, with a
consent the categories it names; another agency sees nothing; the facility accepts (twice:
FAILED_PRECONDITION) and completes; every step is in the case's social history; the consent
records export as ISO/IEC TS 27560 JSON; a FHIR export of the referral imports back; a case
conference's decision becomes a step of the case's plan."""

import json
import time
from datetime import datetime, timedelta, timezone

import grpc
import pytest
from nameko.standalone.rpc import ServiceRpcClient

from ekm.cases.v1 import cases_pb2 as pb
from ekm.cases.v1 import cases_pb2_grpc
from ekm.intake.v1 import intake_pb2, intake_pb2_grpc
from ekm.interagency.v1 import interagency_pb2 as ia
from ekm.interagency.v1 import interagency_pb2_grpc
from ekm_platform.grpc_mapping import timestamp
from ekm_platform.testing.platform import running_platform
from tests.appeals import appeal_request

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(240)]
COMMUNITY = "UA80000000000093317"
HEALTH, JOBS = "31000001", "31000002"


@pytest.fixture(scope="module")
def platform(tmp_path_factory, ekm_amqp_uri):
    with running_platform(
        tmp_path_factory.mktemp("ekm"),
        ekm_amqp_uri,
        services=("intake", "cases", "interagency"),
        extra_env={"EKM_AUDIT_ANCHOR_INTERVAL": "1"},
    ) as running:
        with ServiceRpcClient("cases", uri=running.env["EKM_AMQP_URI"], timeout=20) as cases:
            cases.register_case_manager("cm-ia-1", COMMUNITY, 10, ["veterans"], "sv-ia-1")
        with ServiceRpcClient("interagency", uri=running.env["EKM_AMQP_URI"], timeout=20) as interagency:
            for code, sector in ((HEALTH, "health"), (JOBS, "employment")):
                interagency.register_agency(
                    {"agency_code": code, "name": f"Установа {code}", "sector": sector, "community_code": COMMUNITY}
                )
        yield running


def agency(platform, user, org):
    from ekm_platform.auth import issue_token

    token = issue_token(
        user, "partner_agency", organisation=org, private_key=(platform.home / "var/keys/jwt-private.pem").read_bytes()
    )
    return [("authorization", f"Bearer {token}")]


def until(probe, timeout=30.0):
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.2)


def refused(code, call):
    with pytest.raises(grpc.RpcError) as caught:
        call()
    assert caught.value.code() == code, caught.value.details()
    return caught.value.details()


@pytest.fixture(scope="module")
def case(platform):
    cm = platform.bearer("case_manager", "cm-ia-1")
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
    assert number, platform.log("cases")[-2000:]
    with platform.channel("cases") as ch:
        stub = cases_pb2_grpc.CaseServiceStub(ch)
        found = stub.GetCase(pb.GetCaseRequest(case_number=number), metadata=cm, timeout=5)
        stub.UpdatePerson(
            pb.UpdatePersonRequest(person_id=found.person_id, phone="+380671234567", email="olena@example.org"),
            metadata=cm,
            timeout=5,
        )
    return found


def test_refer_share_by_consent_accept_complete_and_history(platform, case):
    cm, other_cm = platform.bearer("case_manager", "cm-ia-1"), platform.bearer("case_manager", "cm-ia-2")
    facility = agency(platform, "pa-h-1", HEALTH)
    employment = agency(platform, "pa-j-1", JOBS)
    with platform.channel("interagency") as ch:
        stub = interagency_pb2_grpc.InteragencyServiceStub(ch)
        assert [
            a.agency_code
            for a in stub.ListAgencies(ia.ListAgenciesRequest(sector=ia.SECTOR_HEALTH), metadata=cm, timeout=5).agencies
        ] == [HEALTH]
        request = ia.CreateReferralRequest(
            case_number=case.case_number,
            agency_code=HEALTH,
            reason="Потрібна реабілітація після поранення",
            action="Курс фізичної реабілітації",
        )
        refused(grpc.StatusCode.NOT_FOUND, lambda: stub.CreateReferral(request, metadata=other_cm, timeout=10))
        referral = stub.CreateReferral(request, metadata=cm, timeout=10)
        assert referral.state == ia.REFERRAL_STATE_IN_PROGRESS and referral.sector == ia.SECTOR_HEALTH
        assert referral.HasField("respond_by") and referral.complete_by

        def details(md):
            return stub.GetReferralDetails(
                ia.GetReferralRequest(referral_id=referral.referral_id), metadata=md, timeout=10
            )

        # another agency sees nothing of it
        refused(grpc.StatusCode.NOT_FOUND, lambda: details(employment))
        assert list(stub.ListReferrals(ia.ListReferralsRequest(), metadata=employment, timeout=10).referrals) == []
        refused(
            grpc.StatusCode.PERMISSION_DENIED,
            lambda: stub.AcceptReferral(
                ia.AcceptReferralRequest(referral_id=referral.referral_id), metadata=cm, timeout=10
            ),
        )
        refused(
            grpc.StatusCode.NOT_FOUND,
            lambda: stub.AcceptReferral(
                ia.AcceptReferralRequest(referral_id=referral.referral_id), metadata=employment, timeout=10
            ),
        )

        # no consent: contact fields only
        seen = details(facility).person
        assert seen.consent_id == "" and list(seen.data_categories) == []
        assert set(seen.fields) == {"last_name", "first_name", "patronymic", "phone"}
        assert seen.last_name == "Тестенко" and seen.phone == "+380671234567" and seen.rnokpp == "" and seen.email == ""

        # a consent for this agency, identity only
        with platform.channel("cases") as cch:
            cases = cases_pb2_grpc.CaseServiceStub(cch)
            now = datetime.now(timezone.utc)
            recorded = cases.RecordConsent(
                pb.RecordConsentRequest(
                    consent=pb.Consent(
                        case_id=case.case_id,
                        purpose=pb.CONSENT_PURPOSE_REFERRAL,
                        recipient=HEALTH,
                        data_categories=["identity"],
                        given_by=pb.CONSENT_GIVER_PERSON,
                        method=pb.CONSENT_METHOD_WRITTEN,
                        given_at=timestamp(now - timedelta(minutes=5)),
                        expires_at=timestamp(now + timedelta(days=90)),
                    )
                ),
                metadata=cm,
                timeout=5,
            )
            exported = cases.ExportConsentRecords(pb.ListConsentsRequest(case_id=case.case_id), metadata=cm, timeout=5)
            refused(
                grpc.StatusCode.NOT_FOUND,
                lambda: cases.ExportConsentRecords(
                    pb.ListConsentsRequest(case_id=case.case_id), metadata=other_cm, timeout=5
                ),
            )
        record = json.loads(exported.json)["consent_records"][0]
        assert record["record_id"] == recorded.consent_id and record["schema_version"] == "ISO/IEC TS 27560:2023"
        assert record["purposes"][0]["recipients"][0]["recipient_id"] == HEALTH
        seen = details(facility).person
        assert seen.consent_id == recorded.consent_id and list(seen.data_categories) == ["identity"]
        assert len(seen.rnokpp) == 10 and seen.birth_date and seen.email == ""  # contacts were not consented

        # the closed loop
        accepted = stub.AcceptReferral(
            ia.AcceptReferralRequest(referral_id=referral.referral_id, note="10.12"), metadata=facility, timeout=10
        )
        assert accepted.state == ia.REFERRAL_STATE_ACCEPTED
        refused(
            grpc.StatusCode.FAILED_PRECONDITION,
            lambda: stub.AcceptReferral(
                ia.AcceptReferralRequest(referral_id=referral.referral_id), metadata=facility, timeout=10
            ),
        )
        done = stub.CompleteReferral(
            ia.CompleteReferralRequest(referral_id=referral.referral_id, outcome="Курс пройдено", success=True),
            metadata=facility,
            timeout=10,
        )
        assert done.state == ia.REFERRAL_STATE_COMPLETED and done.success and done.outcome == "Курс пройдено"
        full = details(cm)
        assert [t.to_state for t in full.transitions] == [
            ia.REFERRAL_STATE_IN_PROGRESS,
            ia.REFERRAL_STATE_ACCEPTED,
            ia.REFERRAL_STATE_COMPLETED,
        ]
        assert [t.by_organisation for t in full.transitions] == ["", HEALTH, HEALTH]
        assert not full.HasField("person")  # staff see the case in cases, not here

        # FHIR: the export reads back as the same referral
        document = stub.ExportReferralFhir(
            ia.GetReferralRequest(referral_id=referral.referral_id), metadata=cm, timeout=10
        ).json
        task = json.loads(document)["entry"][1]["resource"]
        assert task["status"] == "completed" and task["owner"]["identifier"]["value"] == HEALTH
        again = stub.ImportReferralFhir(ia.FhirDocument(json=document), metadata=facility, timeout=10)
        assert again.referral_id == referral.referral_id and again.version == done.version  # nothing changed

        # a revoked referral cannot be accepted
        second = stub.CreateReferral(
            ia.CreateReferralRequest(case_number=case.case_number, agency_code=JOBS, reason="Пошук роботи"),
            metadata=cm,
            timeout=10,
        )
        stub.RevokeReferral(
            ia.RevokeReferralRequest(referral_id=second.referral_id, reason="Особа влаштувалася"),
            metadata=cm,
            timeout=10,
        )
        refused(
            grpc.StatusCode.FAILED_PRECONDITION,
            lambda: stub.AcceptReferral(
                ia.AcceptReferralRequest(referral_id=second.referral_id), metadata=employment, timeout=10
            ),
        )

    # every transition is in the case's social history (identifiers and codes only)
    with platform.channel("cases") as ch:
        cases = cases_pb2_grpc.CaseServiceStub(ch)

        def referral_lines():
            history = cases.GetSocialHistory(
                pb.GetSocialHistoryRequest(person_id=case.person_id, page_size=200), metadata=cm, timeout=5
            )
            return [e.summary for e in history.entries if e.kind == "referral"]

        lines = until(lambda: len(referral_lines()) >= 5 and referral_lines(), timeout=40)
        assert lines, platform.log("cases")[-3000:]
    assert sum("прийнято" in line for line in lines) == 1 and sum("виконано" in line for line in lines) == 1
    assert any("відкликано" in line for line in lines)
    assert not any("реабілітац" in line.lower() for line in lines)  # the need stays in interagency


def test_a_conference_decision_becomes_a_plan_step(platform, case):
    cm, sv = platform.bearer("case_manager", "cm-ia-1"), platform.bearer("supervisor", "sv-ia-1")
    facility = agency(platform, "pa-h-1", HEALTH)
    with platform.channel("cases") as ch:
        cases = cases_pb2_grpc.CaseServiceStub(ch)
        current = cases.GetCase(pb.GetCaseRequest(case_id=case.case_id), metadata=cm, timeout=5)
        act = pb.Assessment(
            case_id=case.case_id,
            started_on="2026-11-20",
            specialist_id="cm-ia-1",
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
        cases.SaveAssessment(
            pb.SaveAssessmentRequest(assessment=act, expected_case_version=current.version, submit=True),
            metadata=cm,
            timeout=5,
        )
        cases.ApproveAssessment(pb.ApproveAssessmentRequest(case_id=case.case_id, version=1), metadata=sv, timeout=5)
        current = cases.GetCase(pb.GetCaseRequest(case_id=case.case_id), metadata=cm, timeout=5)
        cases.SavePlan(
            pb.SavePlanRequest(
                expected_case_version=current.version,
                plan=pb.Plan(
                    case_id=case.case_id,
                    goals=[pb.Goal(goal_id="g1", need_domain="health", description="Реабілітація")],
                    steps=[
                        pb.Step(
                            step_id="s1",
                            goal_id="g1",
                            what="Візит",
                            responsible_kind=pb.RESPONSIBLE_KIND_PERSON,
                            due_on="2099-12-01",
                        )
                    ],
                ),
            ),
            metadata=cm,
            timeout=5,
        )
    with platform.channel("interagency") as ch:
        stub = interagency_pb2_grpc.InteragencyServiceStub(ch)
        called = stub.CreateConference(
            ia.CreateConferenceRequest(
                case_number=case.case_number,
                scheduled_at=timestamp(datetime.now(timezone.utc) + timedelta(days=2)),
                agenda=["Реабілітація", "Працевлаштування"],
                participants=[
                    ia.ConferenceParticipant(agency_code=HEALTH, user_id="pa-h-1", role="лікар"),
                    ia.ConferenceParticipant(agency_code=JOBS, role="фахівець центру зайнятості"),
                ],
            ),
            metadata=cm,
            timeout=10,
        )
        decision = ia.ConferenceDecision(
            text="Огляд у лікаря-реабілітолога",
            goal_id="g1",
            responsible_kind="agency",
            responsible_ref=HEALTH,
            due_on="2099-06-01",
        )
        bad = ia.ConferenceDecision(
            text="x", goal_id="g9", responsible_kind="agency", responsible_ref=HEALTH, due_on="2099-06-01"
        )
        detail = refused(
            grpc.StatusCode.INVALID_ARGUMENT,
            lambda: stub.ConcludeConference(
                ia.ConcludeConferenceRequest(conference_id=called.conference_id, decisions=[bad]),
                metadata=cm,
                timeout=10,
            ),
        )
        assert "goal_id" in detail
        done = stub.ConcludeConference(
            ia.ConcludeConferenceRequest(conference_id=called.conference_id, decisions=[decision]),
            metadata=cm,
            timeout=10,
        )
        assert done.status == "concluded" and done.decisions[0].step_id
        assert (
            stub.GetConference(
                ia.GetConferenceRequest(conference_id=called.conference_id), metadata=facility, timeout=10
            )
            .decisions[0]
            .step_id
            == done.decisions[0].step_id
        )
    with platform.channel("cases") as ch:
        plan = cases_pb2_grpc.CaseServiceStub(ch).GetPlan(
            pb.GetPlanRequest(case_id=case.case_id), metadata=cm, timeout=5
        )
    step = next(s for s in plan.steps if s.step_id == done.decisions[0].step_id)
    assert step.what == "Огляд у лікаря-реабілітолога" and step.responsible_ref == HEALTH
    assert plan.version == done.plan_version

    # the shared task: the facility sees it and marks it done; the plan step is done in cases
    employment = agency(platform, "pa-j-1", JOBS)
    with platform.channel("interagency") as ch:
        stub = interagency_pb2_grpc.InteragencyServiceStub(ch)
        [task] = stub.ListAgencyTasks(ia.ListAgencyTasksRequest(), metadata=facility, timeout=10).tasks
        assert task.decision.step_id == step.step_id and task.case_number == case.case_number
        assert list(stub.ListAgencyTasks(ia.ListAgencyTasksRequest(), metadata=employment, timeout=10).tasks) == []
        request = ia.CompleteAgencyTaskRequest(conference_id=called.conference_id, step_id=step.step_id)
        refused(grpc.StatusCode.NOT_FOUND, lambda: stub.CompleteAgencyTask(request, metadata=employment, timeout=10))
        assert stub.CompleteAgencyTask(request, metadata=facility, timeout=10).decision.HasField("done_at")
    with platform.channel("cases") as ch:
        plan = cases_pb2_grpc.CaseServiceStub(ch).GetPlan(
            pb.GetPlanRequest(case_id=case.case_id), metadata=cm, timeout=5
        )
    assert next(s for s in plan.steps if s.step_id == step.step_id).status == "done"


def test_an_agency_refers_a_person_to_the_social_services_and_a_case_opens(platform):
    from tests.appeals import new_person

    employment, cm = agency(platform, "pa-j-1", JOBS), platform.bearer("case_manager", "cm-ia-1")
    person = new_person()
    request = ia.ReferToSocialServicesRequest(
        referral_number=f"ЦЗ-{person.rnokpp}",
        description="Ветеран втратив роботу після поранення; потрібна допомога",
        person=ia.InboundPerson(
            rnokpp=person.rnokpp,
            unzr=person.unzr,
            last_name=person.last_name,
            first_name=person.first_name,
            patronymic=person.patronymic,
            birth_date=person.birth_date,
        ),
        phone="+380671112233",
        community_code=COMMUNITY,
        consent_to_processing=True,
    )
    with platform.channel("interagency") as ch:
        stub = interagency_pb2_grpc.InteragencyServiceStub(ch)
        refused(grpc.StatusCode.PERMISSION_DENIED, lambda: stub.ReferToSocialServices(request, metadata=cm, timeout=10))
        first = stub.ReferToSocialServices(request, metadata=employment, timeout=15)
        assert first.tracking_number and first.appeal_id
        assert stub.ReferToSocialServices(request, metadata=employment, timeout=15).appeal_id == first.appeal_id
    with platform.channel("intake") as ch:
        intake = intake_pb2_grpc.IntakeServiceStub(ch)
        number = until(
            lambda: (
                intake.GetAppealStatus(
                    intake_pb2.GetAppealStatusRequest(tracking_number=first.tracking_number), metadata=cm, timeout=5
                ).case_number
            )
        )
    assert number, platform.log("intake")[-2000:]


@pytest.mark.parametrize("service", ["interagency", "cases"])
def test_every_agency_access_is_in_an_intact_audit_chain(platform, case, service):
    """After the tests above (same module platform, file order): their accesses are all audited."""
    import sqlite3
    import subprocess
    import sys

    with sqlite3.connect(platform.home / "var" / f"{service}.db") as db:
        actions = {a for (a,) in db.execute("SELECT DISTINCT action FROM audit_log")}
    wanted = (
        {
            "referral.create",
            "referral.person_shared",
            "referral.accept",
            "referral.complete",
            "referral.revoke",
            "referral.fhir_export",
            "conference.create",
            "conference.conclude",
            "conference.task_done",
            "conference.tasks_read",
            "referral.inbound",
        }
        if service == "interagency"
        else {"person.shared", "plan.steps_added", "plan.step_done", "consent.export"}
    )
    assert wanted <= actions, wanted - actions
    outputs = []

    def verified():
        out = subprocess.run(
            [sys.executable, "-m", "ekm_platform.cli", "audit-verify", service],
            env=platform.env,
            capture_output=True,
            text=True,
            timeout=30,
        )
        outputs.append(out.stdout + out.stderr)
        return out.returncode == 0 and " 0 pending" in out.stdout

    assert until(verified, timeout=20), outputs[-1]
    assert "audit log intact" in outputs[-1]
