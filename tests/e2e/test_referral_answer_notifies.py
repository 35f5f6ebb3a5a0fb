"""A referral answered and registry data arrived reach the case manager's inbox (issue 9, item 8),
through the real processes: interagency publishes referral.accepted / rejected / completed, the
registry gateway registry.facts_found; notifications asks cases whose case it is and tells that
manager — nobody else — once per answer, once per lookup, identifiers only."""

import time

import pytest
from nameko.standalone.rpc import ServiceRpcClient

from ekm.intake.v1 import intake_pb2, intake_pb2_grpc
from ekm.interagency.v1 import interagency_pb2 as ipb
from ekm.interagency.v1 import interagency_pb2_grpc
from ekm.notifications.v1 import notifications_pb2 as npb
from ekm.notifications.v1 import notifications_pb2_grpc
from ekm_platform.auth import issue_token
from ekm_platform.testing.platform import running_platform
from tests.appeals import appeal_request

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(240)]
COMMUNITY, AGENCY = "UA80000000000093317", "12345678"


@pytest.fixture(scope="module")
def platform(tmp_path_factory, ekm_amqp_uri):
    with running_platform(
        tmp_path_factory.mktemp("ekm"),
        ekm_amqp_uri,
        simulators=True,
        services=("intake", "cases", "notifications", "interagency", "registry-gateway"),
    ) as running:
        uri = running.env["EKM_AMQP_URI"]
        with ServiceRpcClient("cases", uri=uri, timeout=20) as cases:
            cases.register_case_manager("cm-r1", COMMUNITY, 10, ["veterans"], "sv-r1")
        with ServiceRpcClient("interagency", uri=uri, timeout=20) as interagency:
            interagency.register_agency(
                {
                    "agency_code": AGENCY,
                    "name": "Реабілітаційний центр «Повернення»",
                    "sector": "health",
                    "community_code": COMMUNITY,
                }
            )
        yield running


def until(probe, timeout=60.0):
    deadline = time.monotonic() + timeout
    while not (value := probe()) and time.monotonic() < deadline:
        time.sleep(0.2)
    return value


def inbox(platform, user, reference, prefix="referral"):
    with platform.channel("notifications") as ch:
        found = (
            notifications_pb2_grpc.NotificationServiceStub(ch)
            .ListInbox(npb.ListInboxRequest(page_size=200), metadata=platform.bearer("case_manager", user), timeout=10)
            .items
        )
    return sorted((i.template, i.text) for i in found if i.reference == reference and i.template.startswith(prefix))


def open_case(platform, cm, request=None):
    with platform.channel("intake") as ch:
        intake = intake_pb2_grpc.IntakeServiceStub(ch)
        tracking = intake.SubmitAppeal(request or appeal_request(), metadata=cm, timeout=10).tracking_number
        return until(
            lambda: (
                intake.GetAppealStatus(
                    intake_pb2.GetAppealStatusRequest(tracking_number=tracking), metadata=cm, timeout=5
                ).case_number
            )
        )


def partner(platform):
    token = issue_token(
        "pa-r1",
        "partner_agency",
        organisation=AGENCY,
        private_key=(platform.home / "var/keys/jwt-private.pem").read_bytes(),
    )
    return [("authorization", f"Bearer {token}")]


def test_each_answer_to_a_referral_is_in_the_case_managers_inbox_once(platform):
    cm = platform.bearer("case_manager", "cm-r1")
    number = open_case(platform, cm)
    assert number
    with platform.channel("interagency") as ch:
        stub = interagency_pb2_grpc.InteragencyServiceStub(ch)
        first = stub.CreateReferral(
            ipb.CreateReferralRequest(case_number=number, agency_code=AGENCY, reason="Потрібна реабілітація"),
            metadata=cm,
            timeout=10,
        )
        second = stub.CreateReferral(
            ipb.CreateReferralRequest(case_number=number, agency_code=AGENCY, reason="Психологічна підтримка"),
            metadata=cm,
            timeout=10,
        )
        stub.AcceptReferral(
            ipb.AcceptReferralRequest(referral_id=first.referral_id), metadata=partner(platform), timeout=10
        )
        stub.RejectReferral(
            ipb.RejectReferralRequest(referral_id=second.referral_id, reason=ipb.REJECTION_REASON_NO_CAPACITY),
            metadata=partner(platform),
            timeout=10,
        )
        stub.CompleteReferral(
            ipb.CompleteReferralRequest(referral_id=first.referral_id, outcome="Курс пройдено", success=True),
            metadata=partner(platform),
            timeout=10,
        )
    found = until(lambda: len(items := inbox(platform, "cm-r1", number)) == 3 and items)
    assert [t for t, _ in found or []] == ["referral.accepted", "referral.completed", "referral.rejected"], (
        platform.log("notifications")[-3000:]
    )
    texts = dict(found)
    assert texts["referral.rejected"].startswith(f"Направлення щодо випадку {number} відхилено")
    assert "брак потужностей" in texts["referral.rejected"] and "no capacity" in texts["referral.rejected"]
    assert "потребу задоволено" in texts["referral.completed"]
    assert "Потрібна реабілітація" not in " ".join(texts.values())  # a referral's reason never travels
    assert inbox(platform, "cm-other", number) == []
    time.sleep(2)
    assert len(inbox(platform, "cm-r1", number)) == 3


def test_registry_data_arrived_is_in_the_case_managers_inbox_once_per_lookup_without_the_facts(platform):
    from ekm.registry.v1 import registry_pb2, registry_pb2_grpc

    cm = platform.bearer("case_manager", "cm-r1")
    request = appeal_request()  # a person the border guard simulator knows (returned from service)
    request.applicant.person.rnokpp, request.applicant.person.unzr = "3221512349", "19880314-43212"
    request.applicant.person.birth_date = "1988-03-14"
    number = open_case(platform, cm, request)
    assert number
    with platform.channel("registry-gateway") as gw:
        registry_pb2_grpc.RegistryGatewayStub(gw).LookupPerson(
            registry_pb2.LookupPersonRequest(rnokpp="3221512349", case_number=number, purpose="оцінка потреб"),
            metadata=cm,
            timeout=30,
        )
    found = until(lambda: inbox(platform, "cm-r1", number, "registry"))
    assert found and len(found) == 1, platform.log("notifications")[-3000:]
    [(template, text)] = found
    assert template == "registry.facts_found" and text.startswith("ДПСУ: ") and number in text
    assert "3221512349" not in text and "Тестенко" not in text
    assert inbox(platform, "cm-other", number, "registry") == []
