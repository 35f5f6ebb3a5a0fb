"""The case manager's workplace through the real processes: the appeal behind a case (read
from intake over the internal RPC only for those who may see the case, audited in both
services), the worklist with names, deadlines from configuration and search, the catalogue."""

import grpc
import pytest
from nameko.standalone.rpc import ServiceRpcClient

from ekm.cases.v1 import cases_pb2 as pb
from ekm.cases.v1 import cases_pb2_grpc
from ekm.common.v1 import common_pb2
from ekm.intake.v1 import intake_pb2, intake_pb2_grpc
from ekm_platform.testing.platform import running_platform
from tests.appeals import appeal_request, new_person

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(120)]
COMMUNITY = "UA80000000000093317"


@pytest.fixture(scope="module")
def platform(tmp_path_factory, ekm_amqp_uri):
    # every assessment is due the day its case opens: a fresh case is overdue at once
    with running_platform(
        tmp_path_factory.mktemp("ekm"),
        ekm_amqp_uri,
        services=("intake", "cases"),
        extra_env={"EKM_DEADLINE_ASSESSMENT_DAYS": "0"},
    ) as running:
        with ServiceRpcClient("cases", uri=running.env["EKM_AMQP_URI"], timeout=20) as cases:
            cases.register_case_manager("cm-w1", COMMUNITY, 20, ["veterans"], "sv-w1")
            cases.register_case_manager("cm-w2", COMMUNITY, 1, [], "sv-w2")
        yield running


def until(probe, tries=150):
    import time

    for _ in range(tries):
        value = probe()
        if value:
            return value
        time.sleep(0.1)


@pytest.fixture(scope="module")
def opened(platform):
    """An appeal by a wife about her husband, who becomes the person of the case."""
    subject = new_person()
    subject.last_name, subject.first_name, subject.patronymic = "Прокоп’єнко", "Марко", "Іванович"
    wife = new_person()
    request = appeal_request(description="Чоловік повернувся з полону, потрібна допомога.")
    request.applicant.CopyFrom(
        intake_pb2.Applicant(person=wife, phone="+380671112233", is_subject=False, relation_to_subject="дружина")
    )
    request.subject.CopyFrom(subject)
    token = platform.bearer("case_manager", "cm-w1")
    with platform.channel("intake") as ch:
        intake = intake_pb2_grpc.IntakeServiceStub(ch)
        tracking = intake.SubmitAppeal(request, metadata=token, timeout=10).tracking_number
        number = until(
            lambda: (
                intake.GetAppealStatus(
                    intake_pb2.GetAppealStatusRequest(tracking_number=tracking), metadata=token, timeout=5
                ).case_number
            )
        )
    assert number, "the appeal should open a case"
    return {"number": number, "tracking": tracking, "subject": subject, "wife": wife}


def test_the_case_manager_reads_the_appeal_and_another_manager_gets_not_found(platform, opened):
    with platform.channel("cases") as ch:
        stub = cases_pb2_grpc.CaseServiceStub(ch)
        appeal = stub.GetCaseAppeal(
            pb.GetCaseAppealRequest(case_number=opened["number"], purpose="перший контакт"),
            metadata=platform.bearer("case_manager", "cm-w1"),
            timeout=15,
        )
        assert (appeal.tracking_number, appeal.channel, appeal.description) == (
            opened["tracking"],
            common_pb2.CHANNEL_PHONE,
            "Чоловік повернувся з полону, потрібна допомога.",
        )
        assert (
            appeal.applicant.is_subject,
            appeal.applicant.last_name,
            appeal.applicant.phone,
            appeal.applicant.relation_to_subject,
        ) == (False, opened["wife"].last_name, "+380671112233", "дружина")
        for other in (platform.bearer("case_manager", "cm-w2"), platform.bearer("supervisor", "sv-w2")):
            with pytest.raises(grpc.RpcError) as denied:
                stub.GetCaseAppeal(pb.GetCaseAppealRequest(case_number=opened["number"]), metadata=other, timeout=15)
            assert denied.value.code() == grpc.StatusCode.NOT_FOUND
            assert "appeal" not in denied.value.details() and "Чоловік" not in denied.value.details()
        with pytest.raises(grpc.RpcError) as operator:
            stub.GetCaseAppeal(
                pb.GetCaseAppealRequest(case_number=opened["number"]),
                metadata=platform.bearer("operator", "op-1"),
                timeout=15,
            )
        assert operator.value.code() == grpc.StatusCode.PERMISSION_DENIED
    # the read is in both audit logs, by the case manager only (the refused callers reached neither)
    assert appeal_reads(platform, "cases") == appeal_reads(platform, "intake") == [("cm-w1", "case_manager")]


def appeal_reads(platform, service):
    import sqlite3

    with sqlite3.connect(platform.home / "var" / f"{service}.db") as db:
        return db.execute("SELECT actor_id, actor_role FROM audit_log WHERE action = 'appeal.read'").fetchall()


def test_the_worklist_finds_the_person_by_name_or_rnokpp_with_deadlines_from_configuration(platform, opened):
    with platform.channel("cases") as ch:
        stub = cases_pb2_grpc.CaseServiceStub(ch)
        mine = platform.bearer("case_manager", "cm-w1")

        def search(text, token=mine, **filters):
            return [
                c for c in stub.ListCases(pb.ListCasesRequest(search=text, **filters), metadata=token, timeout=10).cases
            ]

        [by_name] = search("прокоп'єнко ма")  # another apostrophe, lower case, a prefix
        [by_rnokpp] = search(opened["subject"].rnokpp)
        assert by_name.case_number == by_rnokpp.case_number == opened["number"]
        assert by_name.person_name == "Прокоп’єнко Марко Іванович" and by_name.stage == pb.STAGE_ASSESSMENT
        # EKM_DEADLINE_ASSESSMENT_DAYS=0: due when it opened, so overdue now
        assert by_name.overdue and by_name.stage_due_at == by_name.stage_entered_at
        assert opened["number"] in {c.case_number for c in search("", overdue_only=True)}
        assert search("Прокоп", token=platform.bearer("case_manager", "cm-w2")) == []
        [seen] = [c for c in search("", token=platform.bearer("operator", "op-1")) if c.case_number == opened["number"]]
        assert seen.person_name == ""  # an operator sees identifiers only
        page = stub.ListCases(pb.ListCasesRequest(page_size=1), metadata=mine, timeout=10)
        assert len(page.cases) == 1 and page.next_page_token


def test_the_catalogue_gives_ukrainian_labels(platform):
    with platform.channel("cases") as ch:
        catalogue = cases_pb2_grpc.CaseServiceStub(ch).GetCatalogue(
            pb.GetCatalogueRequest(), metadata=platform.bearer("case_manager", "cm-w1"), timeout=10
        )
    lists = {c.enum: {e.code: e.label_uk for e in c.entries} for c in catalogue.lists}
    assert lists["ekm.cases.v1.Relation"]["spouse"] == "Чоловік / дружина"
    assert lists["ekm.notifications.v1.DeliveryStatus"]["sent"] == "Надіслано"
