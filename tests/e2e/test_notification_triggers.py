"""Triggers and reminders through the real processes (issue 9, item 8): a case opened reaches the
assigned case manager's inbox (and nobody else's); a plan agreed reaches it too; a step due and a
review due (announced by cases' timer) are reminder rows in notifications' database that outlive a
restart of notifications and are sent once — not again after a second restart."""

import time
import uuid
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from nameko.standalone.rpc import ServiceRpcClient
from sqlalchemy import select

from ekm.cases.v1 import cases_pb2 as pb
from ekm.cases.v1 import cases_pb2_grpc
from ekm.intake.v1 import intake_pb2, intake_pb2_grpc
from ekm.notifications.v1 import notifications_pb2 as npb
from ekm.notifications.v1 import notifications_pb2_grpc
from ekm_platform import config
from ekm_platform.db import drop_database, make_engine
from ekm_platform.testing.fixtures import postgres_available
from ekm_platform.testing.platform import running_platform
from tests.appeals import appeal_request

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(300)]
COMMUNITY = "UA80000000000093317"
KYIV = ZoneInfo("Europe/Kyiv")
# cases looks for due steps every second; notifications' reminder timer first waits an hour (so the
# reminder can only be sent by the process started after the restart, which looks every second);
# reviews every 7 days, so a case entering implementation has its review announced at once
ENV = {
    "EKM_DUE_SCAN_INTERVAL_SECONDS": "1",
    "EKM_REMINDER_INTERVAL_SECONDS": "3600",
    "EKM_QUIET_HOURS": "off",
    "EKM_DEADLINE_REVIEW_INTERVAL_DAYS": "7",
}


SERVICES = ("intake", "cases", "notifications")


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def platform(request, tmp_path_factory, ekm_amqp_uri):
    base = None
    if request.param == "postgresql":
        if not postgres_available():
            pytest.skip("PostgreSQL is not running on 127.0.0.1:5432")
        base = f"postgresql+psycopg://postgres:postgres@127.0.0.1:5432/ekmtest_{uuid.uuid4().hex[:8]}"
    try:
        with running_platform(
            tmp_path_factory.mktemp("ekm"), ekm_amqp_uri, database_url=base, services=SERVICES, extra_env=dict(ENV)
        ) as running:
            with ServiceRpcClient("cases", uri=running.env["EKM_AMQP_URI"], timeout=20) as cases:
                cases.register_case_manager("cm-n1", COMMUNITY, 10, ["veterans"], "sv-n1")
            yield running
    finally:
        if base:
            for service in SERVICES:
                drop_database(f"{base}_{service}")


def until(probe, timeout=60.0):
    deadline = time.monotonic() + timeout
    while not (value := probe()) and time.monotonic() < deadline:
        time.sleep(0.2)
    return value


def inbox(platform, user):
    with platform.channel("notifications") as ch:
        return list(
            notifications_pb2_grpc.NotificationServiceStub(ch)
            .ListInbox(npb.ListInboxRequest(page_size=200), metadata=platform.bearer("case_manager", user), timeout=10)
            .items
        )


def items(platform, user, template, reference):
    return [i for i in inbox(platform, user) if i.template == template and i.reference == reference]


def open_case(platform):
    cm = platform.bearer("case_manager", "cm-n1")
    with platform.channel("intake") as ch:
        intake = intake_pb2_grpc.IntakeServiceStub(ch)
        tracking = intake.SubmitAppeal(appeal_request(), metadata=cm, timeout=10).tracking_number
        return until(
            lambda: (
                intake.GetAppealStatus(
                    intake_pb2.GetAppealStatusRequest(tracking_number=tracking), metadata=cm, timeout=5
                ).case_number
            )
        )


def test_a_case_opened_is_in_the_assigned_managers_inbox_only(platform):
    number = open_case(platform)
    assert number
    [item] = until(lambda: items(platform, "cm-n1", "case.assigned", number)) or [None]
    assert item is not None, platform.log("notifications")[-3000:]
    assert item.title.startswith(f"Новий випадок {number} / New case") and not item.urgent
    assert f"Вам призначено випадок {number}" in item.text and " / Case " in item.text
    assert [i for i in inbox(platform, "cm-other") if i.reference == number] == []  # nobody else's inbox
    time.sleep(2)
    assert len(items(platform, "cm-n1", "case.assigned", number)) == 1


def reminders_of(platform, case_id):
    engine = make_engine(config.database_url("notifications"))  # the platform's EKM_* set by the test
    try:
        from notifications.adapters.reminder_store import reminders

        with engine.connect() as conn:
            return conn.execute(select(reminders).where(reminders.c.case_id == case_id)).all()
    finally:
        engine.dispose()


def restart_notifications(platform):
    program = next(p for p in platform.supervisor.programs if p.name == "notifications")
    program.process.kill()  # SIGKILL: nothing in memory survives
    program.process.wait(10)
    platform.supervisor.check()  # started again, as `ekm run` does
    from ekm_platform import client

    client.wait_healthy("notifications", timeout=60, env=platform.env)


def test_a_step_due_is_reminded_of_once_across_restarts_of_notifications(platform, monkeypatch):
    for name, value in platform.env.items():
        if name.startswith("EKM_"):
            monkeypatch.setenv(name, value)
    cm, sv = platform.bearer("case_manager", "cm-n1"), platform.bearer("supervisor", "sv-n1")
    number = open_case(platform)
    with platform.channel("cases") as ch:
        stub = cases_pb2_grpc.CaseServiceStub(ch)
        case = stub.GetCase(pb.GetCaseRequest(case_number=number), metadata=cm, timeout=5)
        act = pb.Assessment(
            case_id=case.case_id,
            started_on="2026-11-20",
            specialist_id="cm-n1",
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
        stub.SaveAssessment(
            pb.SaveAssessmentRequest(assessment=act, expected_case_version=case.version, submit=True),
            metadata=cm,
            timeout=5,
        )
        stub.ApproveAssessment(pb.ApproveAssessmentRequest(case_id=case.case_id, version=1), metadata=sv, timeout=5)
        case = stub.GetCase(pb.GetCaseRequest(case_id=case.case_id), metadata=cm, timeout=5)
        # due tomorrow (Kyiv), or today before 09:00 Kyiv — a reminder that is due now either way
        now = datetime.now(timezone.utc)
        today = now.astimezone(KYIV).date()
        due = today + timedelta(days=1) if now.astimezone(KYIV).hour >= 9 else today
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
                            what="Направлення",
                            due_on=due.isoformat(),
                            responsible_kind=pb.RESPONSIBLE_KIND_CASE_MANAGER,
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
        stub.ApprovePlan(pb.ApprovePlanRequest(case_id=case.case_id, version=plan.version), metadata=sv, timeout=5)
        stub.AgreePlan(
            pb.AgreePlanRequest(case_id=case.case_id, version=plan.version, channel="in_person"), metadata=cm, timeout=5
        )
        case = stub.GetCase(pb.GetCaseRequest(case_id=case.case_id), metadata=cm, timeout=5)
        stub.TransitionCase(
            pb.TransitionCaseRequest(
                case_id=case.case_id, target_stage=pb.STAGE_IMPLEMENTATION, expected_version=case.version
            ),
            metadata=cm,
            timeout=5,
        )
    # the plan agreed: in the case manager's inbox
    assert until(lambda: items(platform, "cm-n1", "plan.agreed.manager", number)), platform.log("notifications")[-3000:]

    # cases announced the step and the review; notifications keeps each reminder as a row, due now, not yet sent
    rows = until(lambda: len(found := reminders_of(platform, case.case_id)) == 2 and found) or []
    assert len(rows) == 2, platform.log("cases")[-3000:]
    step, review = sorted(rows, key=lambda r: r.kind != "step_due")
    assert (step.kind, step.state, step.due_on, step.attempts) == ("step_due", "pending", due.isoformat(), 0)
    assert (review.kind, review.state, review.attempts) == ("review_due", "pending", 0)
    assert step.due_at <= datetime.now(timezone.utc) + timedelta(seconds=5)
    assert items(platform, "cm-n1", "step.due.manager", number) == []
    assert items(platform, "cm-n1", "review.due.manager", number) == []

    platform.env["EKM_REMINDER_INTERVAL_SECONDS"] = "1"  # the next notifications process looks every second
    restart_notifications(platform)
    [item] = until(lambda: items(platform, "cm-n1", "step.due.manager", number)) or [None]
    assert item is not None, platform.log("notifications")[-3000:]
    assert number in item.title and "спливає строк кроку плану" in item.text
    [item] = until(lambda: items(platform, "cm-n1", "review.due.manager", number)) or [None]
    assert item is not None and f"Строк перегляду випадку {number}" in item.text
    assert {(r.state, r.attempts) for r in reminders_of(platform, case.case_id)} == {("sent", 1)}

    restart_notifications(platform)  # and once more: the reminders are not sent again
    time.sleep(4)
    assert len(items(platform, "cm-n1", "step.due.manager", number)) == 1
    assert len(items(platform, "cm-n1", "review.due.manager", number)) == 1
    assert {(r.state, r.attempts) for r in reminders_of(platform, case.case_id)} == {("sent", 1)}
