"""The community resource bank through the real processes (issue 10, items 5, 6 and 8), on
SQLite and PostgreSQL: 50 case managers' calls racing for an offer of 20 places get exactly 20
bookings and 30 FAILED_PRECONDITION; a donor sees only its own offers and a report of
de-identified counts; another manager's case is NOT_FOUND and takes no place."""

import subprocess
import sys
import threading
import time
import uuid

import grpc
import pytest
from nameko.standalone.rpc import ServiceRpcClient
from sqlalchemy import text

from ekm.cases.v1 import cases_pb2
from ekm.intake.v1 import intake_pb2, intake_pb2_grpc
from ekm.interagency.v1 import interagency_pb2 as pb
from ekm.interagency.v1 import interagency_pb2_grpc
from ekm_platform.auth import issue_token
from ekm_platform.db import drop_database, make_engine
from ekm_platform.testing.fixtures import postgres_available
from ekm_platform.testing.platform import running_platform
from tests.appeals import appeal_request

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(300)]
COMMUNITY = "UA80000000000093317"
SERVICES = ("intake", "cases", "interagency")
CALLERS, CAPACITY = 50, 20


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def platform(request, tmp_path_factory, ekm_amqp_uri):
    base = None
    if request.param == "postgresql":
        if not postgres_available():
            pytest.skip("PostgreSQL is not running on 127.0.0.1:5432")
        base = f"postgresql+psycopg://postgres:postgres@127.0.0.1:5432/ekmtest_{uuid.uuid4().hex[:8]}"
    try:
        with running_platform(
            tmp_path_factory.mktemp("ekm"),
            ekm_amqp_uri,
            database_url=base,
            services=SERVICES,
            extra_env={"EKM_AUDIT_ANCHOR_INTERVAL": "1"},
        ) as running:
            running.interagency_url = (
                f"{base}_interagency" if base else f"sqlite:///{running.home / 'var' / 'interagency.db'}"
            )
            with ServiceRpcClient("cases", uri=running.env["EKM_AMQP_URI"], timeout=20) as cases:
                cases.register_case_manager("cm-res-1", COMMUNITY, 10, ["veterans"], "sv-res-1")
            yield running
    finally:
        if base:
            for service in SERVICES:
                drop_database(f"{base}_{service}")


@pytest.fixture(scope="module")
def case_number(platform):
    md = platform.bearer("case_manager", "cm-res-1")
    with platform.channel("intake") as ch:
        intake = intake_pb2_grpc.IntakeServiceStub(ch)
        accepted = intake.SubmitAppeal(appeal_request(), metadata=md, timeout=10)
        deadline = time.monotonic() + 30
        number = ""
        while not number and time.monotonic() < deadline:
            number = intake.GetAppealStatus(
                intake_pb2.GetAppealStatusRequest(tracking_number=accepted.tracking_number), metadata=md, timeout=5
            ).case_number
            time.sleep(0.2)
    assert number, platform.log("cases")[-2000:]
    return number


def stub(channel):
    return interagency_pb2_grpc.InteragencyServiceStub(channel)


def new_offer(platform, donor="donor-1", org="fund-1", capacity=CAPACITY):
    with platform.channel("interagency") as ch:
        return stub(ch).CreateOffer(
            pb.CreateOfferRequest(
                offerer_name="Фонд допомоги",
                title="Продуктові набори",
                service_type=cases_pb2.SERVICE_TYPE_IN_KIND_HELP,
                community_code=COMMUNITY,
                capacity=capacity,
                valid_from="2026-01-01",
                valid_until="2030-12-31",
            ),
            metadata=donor_md(platform, donor, org),
            timeout=10,
        )


def donor_md(platform, user, org):
    token = issue_token(
        user, "donor", organisation=org, private_key=(platform.home / "var/keys/jwt-private.pem").read_bytes()
    )
    return [("authorization", f"Bearer {token}")]


def code_of(call):
    with pytest.raises(grpc.RpcError) as caught:
        call()
    return caught.value.code()


def test_fifty_racing_bookings_of_twenty_places_give_exactly_twenty(platform, case_number):
    offer = new_offer(platform)
    md = platform.bearer("case_manager", "cm-res-1")
    outcomes, start = [], threading.Barrier(CALLERS)

    def one(n):
        with platform.channel("interagency") as ch:
            start.wait()
            try:
                stub(ch).BookResource(
                    pb.BookResourceRequest(
                        offer_id=offer.offer_id, case_number=case_number, client_request_id=f"race-{n}"
                    ),
                    metadata=md,
                    timeout=60,
                )
                outcomes.append("ok")
            except grpc.RpcError as exc:
                outcomes.append(exc.code())

    threads = [threading.Thread(target=one, args=(n,)) for n in range(CALLERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("ok") == CAPACITY, outcomes
    assert outcomes.count(grpc.StatusCode.FAILED_PRECONDITION) == CALLERS - CAPACITY, outcomes
    with platform.channel("interagency") as ch:
        stored = stub(ch).GetOffer(
            pb.GetOfferRequest(offer_id=offer.offer_id), metadata=donor_md(platform, "donor-1", "fund-1"), timeout=10
        )
    assert stored.remaining == 0 and stored.capacity == CAPACITY


def test_another_managers_case_is_not_found_and_takes_no_place(platform, case_number):
    offer = new_offer(platform, capacity=1)
    other = platform.bearer("case_manager", "cm-res-2")
    with platform.channel("interagency") as ch:
        assert (
            code_of(
                lambda: stub(ch).BookResource(
                    pb.BookResourceRequest(offer_id=offer.offer_id, case_number=case_number), metadata=other, timeout=10
                )
            )
            == grpc.StatusCode.NOT_FOUND
        )
        assert (
            code_of(
                lambda: stub(ch).MatchResources(
                    pb.MatchResourcesRequest(case_number=case_number), metadata=other, timeout=10
                )
            )
            == grpc.StatusCode.NOT_FOUND
        )
        again = stub(ch).GetOffer(
            pb.GetOfferRequest(offer_id=offer.offer_id), metadata=donor_md(platform, "donor-1", "fund-1"), timeout=10
        )
    assert again.remaining == 1


def test_a_donor_sees_only_its_own_offers_and_de_identified_counts(platform, case_number):
    offer = new_offer(platform, donor="donor-2", org="fund-2", capacity=3)
    with platform.channel("interagency") as ch:
        s = stub(ch)
        s.BookResource(
            pb.BookResourceRequest(offer_id=offer.offer_id, case_number=case_number),
            metadata=platform.bearer("case_manager", "cm-res-1"),
            timeout=10,
        )
        other = donor_md(platform, "donor-1", "fund-1")
        assert (
            code_of(lambda: s.GetOffer(pb.GetOfferRequest(offer_id=offer.offer_id), metadata=other, timeout=10))
            == grpc.StatusCode.NOT_FOUND
        )
        assert offer.offer_id not in {
            o.offer_id for o in s.ListOffers(pb.ListOffersRequest(), metadata=other, timeout=10).offers
        }
        assert (
            code_of(
                lambda: s.GetDonorReport(pb.GetDonorReportRequest(offer_id=offer.offer_id), metadata=other, timeout=10)
            )
            == grpc.StatusCode.NOT_FOUND
        )
        report = s.GetDonorReport(
            pb.GetDonorReportRequest(), metadata=donor_md(platform, "donor-2", "fund-2"), timeout=10
        )
        assert (
            code_of(
                lambda: s.GetDonorReport(
                    pb.GetDonorReportRequest(k=2), metadata=donor_md(platform, "donor-2", "fund-2"), timeout=10
                )
            )
            == grpc.StatusCode.INVALID_ARGUMENT
        )
        matched = s.MatchResources(
            pb.MatchResourcesRequest(case_number=case_number),
            metadata=platform.bearer("case_manager", "cm-res-1"),
            timeout=10,
        )
    # one person received fund-2's help: fewer than k, so the report says only that it is too small
    assert report.recipients.too_small and not report.recipients.rows and report.recipients.total == 0
    assert case_number not in str(report)
    assert matched.case_number == case_number  # no submitted assessment yet: no needs, no matches
    assert list(matched.matches) == []


def test_the_state_report_is_for_supervisors_and_operators_only_and_de_identified(platform, case_number):
    with platform.channel("interagency") as ch:
        s = stub(ch)
        for role, user in (("case_manager", "cm-res-1"), ("recipient", "p-1")):
            assert (
                code_of(
                    lambda: s.GetCommunityNeedsReport(
                        pb.GetCommunityNeedsReportRequest(), metadata=platform.bearer(role, user), timeout=10
                    )
                )
                == grpc.StatusCode.PERMISSION_DENIED
            )
        assert (
            code_of(
                lambda: s.GetCommunityNeedsReport(
                    pb.GetCommunityNeedsReportRequest(), metadata=donor_md(platform, "donor-1", "fund-1"), timeout=10
                )
            )
            == grpc.StatusCode.PERMISSION_DENIED
        )
        report = s.GetCommunityNeedsReport(
            pb.GetCommunityNeedsReportRequest(region="UA80"),
            metadata=platform.bearer("operator", "op-res-1"),
            timeout=20,
        )
    # the only case has no submitted assessment: nobody is counted, and nothing below k is shown
    for table in (report.needs, report.unmet):
        assert not table.rows and table.total == 0
    assert case_number not in str(report)


def test_a_submitted_assessment_is_matched_to_offers_with_reasons(platform, case_number):
    from ekm.cases.v1 import cases_pb2_grpc

    cm = platform.bearer("case_manager", "cm-res-1")
    with platform.channel("cases") as ch:
        cases = cases_pb2_grpc.CaseServiceStub(ch)
        case = cases.GetCase(cases_pb2.GetCaseRequest(case_number=case_number), metadata=cm, timeout=5)
        act = cases_pb2.Assessment(
            case_id=case.case_id,
            started_on="2026-11-20",
            specialist_id="cm-res-1",
            family=[
                cases_pb2.FamilyMember(
                    full_name="Тестенко Олена", birth_date="1990-01-01", relation=cases_pb2.RELATION_SELF
                )
            ],
            domains=[
                cases_pb2.DomainAssessment(domain=d, need_level=2 if d == "health" else 0)
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
            cases_pb2.SaveAssessmentRequest(assessment=act, expected_case_version=case.version, submit=True),
            metadata=cm,
            timeout=5,
        )
    donor = donor_md(platform, "donor-3", "fund-3")
    with platform.channel("interagency") as ch:
        s = stub(ch)
        common = dict(
            service_type=cases_pb2.SERVICE_TYPE_REHABILITATION,
            region="UA80",
            capacity=5,
            valid_from="2026-01-01",
            valid_until="2030-12-31",
        )
        s.CreateOffer(
            pb.CreateOfferRequest(
                title="Реабілітація для УБД",
                eligibility=pb.Eligibility(veteran_statuses=[cases_pb2.VETERAN_STATUS_COMBATANT]),
                **common,
            ),
            metadata=donor,
            timeout=10,
        )
        s.CreateOffer(pb.CreateOfferRequest(title="Реабілітація для всіх", **common), metadata=donor, timeout=10)
        matched = s.MatchResources(pb.MatchResourcesRequest(case_number=case_number), metadata=cm, timeout=10)
    assert cases_pb2.SERVICE_TYPE_REHABILITATION in matched.needs
    rehab = [m for m in matched.matches if m.need == cases_pb2.SERVICE_TYPE_REHABILITATION]
    assert [(m.offer.title, m.eligible) for m in rehab] == [
        ("Реабілітація для всіх", True),
        ("Реабілітація для УБД", False),
    ]
    assert any(r.code == "need" and "health" in r.text for r in rehab[0].reasons)
    assert [r.code for r in rehab[1].reasons if not r.met] == ["veteran_status"]
    assert cases_pb2.SERVICE_TYPE_REHABILITATION not in matched.unmatched_needs


def test_bookings_and_reports_are_in_the_intact_audit_chain_as_identifiers(platform, case_number):
    engine = make_engine(platform.interagency_url)
    try:
        with engine.connect() as conn:
            entries = conn.execute(text("SELECT action, subject_id, details FROM audit_log")).all()
    finally:
        engine.dispose()
    actions = [a for a, _s, _d in entries]
    assert actions.count("resource.book") >= CAPACITY and "report.donor" in actions and "offer.create" in actions
    assert "report.community_needs" in actions and "resources.match" in actions
    assert all("Тестенко" not in (d or "") for _a, _s, d in entries)
    outputs = []

    def verified():
        out = subprocess.run(
            [sys.executable, "-m", "ekm_platform.cli", "audit-verify", "interagency"],
            env=platform.env,
            capture_output=True,
            text=True,
            timeout=30,
        )
        outputs.append(out.stdout + out.stderr)
        return out.returncode == 0 and " 0 pending" in out.stdout

    deadline = time.monotonic() + 20
    while not verified() and time.monotonic() < deadline:
        time.sleep(1)
    assert "audit log intact" in outputs[-1] and " 0 pending" in outputs[-1], outputs[-1]
