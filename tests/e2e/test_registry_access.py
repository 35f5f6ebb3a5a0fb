"""LookupPerson and GetEvidence through the real processes (intake, cases, registry gateway,
registry simulators): bound to the case and the caller, consent read from cases' stored
records, and a second user's cached lookup recorded as a cache hit, never as a copy."""

import time
from datetime import datetime, timedelta, timezone

import grpc
import pytest
from google.protobuf.timestamp_pb2 import Timestamp
from nameko.standalone.rpc import ServiceRpcClient
from sqlalchemy import create_engine, text

from ekm.cases.v1 import cases_pb2, cases_pb2_grpc
from ekm.common.v1 import common_pb2
from ekm.intake.v1 import intake_pb2, intake_pb2_grpc
from ekm.registry.v1 import registry_pb2 as rg
from ekm.registry.v1 import registry_pb2_grpc
from ekm_platform.testing.platform import running_platform
from tests.appeals import appeal_request

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(120)]
COMMUNITY = "UA80000000000093317"
PERSON = "3221512349"  # known to the border guard and health simulators
STRANGER = "2918112360"  # a real person of the simulators, but not of this case


@pytest.fixture(scope="module")
def platform(tmp_path_factory, ekm_amqp_uri):
    with running_platform(
        tmp_path_factory.mktemp("ekm"),
        ekm_amqp_uri,
        services=("intake", "cases", "registry-gateway"),
        simulators=True,
        extra_env={"EKM_AUDIT_ANCHOR_INTERVAL": "1"},
    ) as running:
        with ServiceRpcClient("cases", uri=running.env["EKM_AMQP_URI"], timeout=20) as cases:
            cases.register_case_manager("cm-a", COMMUNITY, 10, ["veterans"], "sv-a")
        person = common_pb2.PersonIdentity(
            rnokpp=PERSON, unzr="19880314-43212", last_name="Коваленко", first_name="Андрій", birth_date="1988-03-14"
        )
        cm = running.bearer("case_manager", "cm-a")
        with running.channel("intake") as ch:
            intake = intake_pb2_grpc.IntakeServiceStub(ch)
            request = appeal_request()
            request.applicant.person.CopyFrom(person)
            tracking = intake.SubmitAppeal(request, metadata=cm, timeout=20).tracking_number
            for _ in range(200):
                number = intake.GetAppealStatus(
                    intake_pb2.GetAppealStatusRequest(tracking_number=tracking), metadata=cm, timeout=10
                ).case_number
                if number:
                    break
                time.sleep(0.1)
        assert number, "the appeal should open a case"
        with ServiceRpcClient("cases", uri=running.env["EKM_AMQP_URI"], timeout=20) as cases:
            cases.register_case_manager("cm-b", COMMUNITY, 10, ["veterans"], "sv-b")  # after: cm-a owns the case
        running.case_number = number
        yield running


@pytest.fixture(scope="module")
def gateway(platform):
    with platform.channel("registry-gateway") as channel:
        yield registry_pb2_grpc.RegistryGatewayStub(channel)


def evidence_rows(platform, case_number) -> int:
    engine = create_engine(f"sqlite:///{platform.home / 'var' / 'registry_gateway.db'}")
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT count(*) FROM evidence WHERE issue = :n"), {"n": case_number}).scalar()
    finally:
        engine.dispose()


def refused(call, code):
    with pytest.raises(grpc.RpcError) as caught:
        call()
    assert caught.value.code() == code, caught.value.details()
    return caught.value.details()


def lookup(
    gateway,
    platform,
    who,
    role="case_manager",
    rnokpp=PERSON,
    case_number=None,
    registries=("border_guard",),
    purpose="оцінка потреб",
    consent_recorded=False,
):
    return gateway.LookupPerson(
        rg.LookupPersonRequest(
            rnokpp=rnokpp,
            case_number=case_number or platform.case_number,
            purpose=purpose,
            registries=list(registries),
            consent_recorded=consent_recorded,
        ),
        metadata=platform.bearer(role, who),
        timeout=30,
    )


def test_another_managers_case_is_not_found_and_leaves_no_evidence(platform, gateway):
    before = evidence_rows(platform, platform.case_number)
    detail = refused(lambda: lookup(gateway, platform, "cm-b"), grpc.StatusCode.NOT_FOUND)
    assert detail == "Випадок не знайдено / case not found"
    assert evidence_rows(platform, platform.case_number) == before


def test_an_unknown_case_is_not_found(platform, gateway):
    detail = refused(
        lambda: lookup(gateway, platform, "cm-a", case_number="CASE-2026-NOSUCH1"), grpc.StatusCode.NOT_FOUND
    )
    assert detail == "Випадок не знайдено / case not found"
    assert evidence_rows(platform, "CASE-2026-NOSUCH1") == 0


def test_a_person_who_is_not_in_the_case_is_refused_and_leaves_no_evidence(platform, gateway):
    before = evidence_rows(platform, platform.case_number)
    refused(lambda: lookup(gateway, platform, "cm-a", rnokpp=STRANGER), grpc.StatusCode.PERMISSION_DENIED)
    assert evidence_rows(platform, platform.case_number) == before


def test_health_needs_a_stored_consent_not_a_flag(platform, gateway):
    [denied] = lookup(gateway, platform, "cm-a", registries=["health"], consent_recorded=True).results
    assert denied.status == rg.REGISTRY_STATUS_DENIED and "consent" in denied.message and not denied.query_id
    cm = platform.bearer("case_manager", "cm-a")
    now = datetime.now(timezone.utc)
    given, expires = Timestamp(), Timestamp()
    given.FromDatetime(now - timedelta(minutes=1))
    expires.FromDatetime(now + timedelta(days=365))
    with platform.channel("cases") as ch:
        cases = cases_pb2_grpc.CaseServiceStub(ch)
        case = cases.GetCase(cases_pb2.GetCaseRequest(case_number=platform.case_number), metadata=cm, timeout=10)
        consent = cases.RecordConsent(
            cases_pb2.RecordConsentRequest(
                consent=cases_pb2.Consent(
                    case_id=case.case_id,
                    purpose=cases_pb2.CONSENT_PURPOSE_REGISTRY_LOOKUP,
                    recipient="health",
                    data_categories=["health"],
                    legal_basis="згода особи / the person's consent",
                    given_by=cases_pb2.CONSENT_GIVER_PERSON,
                    method=cases_pb2.CONSENT_METHOD_WRITTEN,
                    document_reference="ЗГ-1",
                    given_at=given,
                    expires_at=expires,
                )
            ),
            metadata=cm,
            timeout=10,
        )
    [allowed] = lookup(gateway, platform, "cm-a", registries=["health"]).results
    assert allowed.status == rg.REGISTRY_STATUS_OK, allowed.message
    evidence = gateway.GetEvidence(rg.GetEvidenceRequest(query_id=allowed.query_id), metadata=cm, timeout=10)
    assert evidence.consent_id == consent.consent_id and evidence.user_id == "cm-a" and evidence.xroad_id


def test_a_second_users_cached_lookup_gets_its_own_honest_evidence(platform, gateway):
    cm, sv = platform.bearer("case_manager", "cm-a"), platform.bearer("supervisor", "sv-a")
    [first] = lookup(gateway, platform, "cm-a").results
    assert first.status == rg.REGISTRY_STATUS_OK and first.facts
    original = gateway.GetEvidence(rg.GetEvidenceRequest(query_id=first.query_id), metadata=cm, timeout=10)
    exchange = original.original_query_id if original.from_cache else original.query_id
    [second] = lookup(gateway, platform, "sv-a", role="supervisor", purpose="перегляд випадку").results
    assert second.status == rg.REGISTRY_STATUS_OK and second.from_cache and second.query_id != first.query_id
    reuse = gateway.GetEvidence(rg.GetEvidenceRequest(query_id=second.query_id), metadata=sv, timeout=10)
    assert (reuse.user_id, reuse.issue, reuse.purpose) == ("sv-a", platform.case_number, "перегляд випадку")
    assert (reuse.from_cache, reuse.original_query_id, reuse.xroad_id, reuse.response_sha256) == (
        True,
        exchange,
        "",
        "",
    )
    refused(
        lambda: gateway.GetEvidence(
            rg.GetEvidenceRequest(query_id=second.query_id),
            metadata=platform.bearer("case_manager", "cm-b"),
            timeout=10,
        ),
        grpc.StatusCode.NOT_FOUND,
    )


def test_a_registry_that_is_down_is_unavailable_and_a_search_it_cannot_make_is_not_applicable(platform, gateway):
    import json
    import urllib.request

    def fault(mode):
        urllib.request.urlopen(
            urllib.request.Request(
                f"http://127.0.0.1:{platform.env['EKM_SIMULATORS_PORT']}/_control/faults",
                method="POST",
                data=json.dumps({"registry": "border-guard", "mode": mode}).encode(),
            ),
            timeout=5,
        ).read()

    fault("http_500")
    try:
        reply = gateway.LookupPerson(
            rg.LookupPersonRequest(
                unzr="19880314-43212",
                case_number=platform.case_number,
                purpose="оцінка потреб",
                registries=["border_guard", "education"],
            ),
            metadata=platform.bearer("case_manager", "cm-a"),
            timeout=30,
        )
    finally:
        fault("none")
    results = {r.registry: r for r in reply.results}
    assert results["border_guard"].status == rg.REGISTRY_STATUS_UNAVAILABLE, results["border_guard"]
    assert results["education"].status == rg.REGISTRY_STATUS_NOT_APPLICABLE and "RNOKPP" in results["education"].message
    engine = create_engine(f"sqlite:///{platform.home / 'var' / 'registry_gateway.db'}")
    try:
        with engine.connect() as conn:
            kept = conn.execute(text("SELECT registry, state FROM pending_queries")).all()
    finally:
        engine.dispose()
    assert [tuple(row) for row in kept] == [("border_guard", "pending")]  # asked again later, a bounded number of times


def test_every_lookup_and_evidence_read_is_in_the_gateways_hash_chained_audit_log(platform, gateway):
    import subprocess
    import sys

    [answer] = lookup(gateway, platform, "cm-a", purpose="аудит").results
    gateway.GetEvidence(
        rg.GetEvidenceRequest(query_id=answer.query_id), metadata=platform.bearer("case_manager", "cm-a"), timeout=10
    )
    engine = create_engine(f"sqlite:///{platform.home / 'var' / 'registry_gateway.db'}")
    try:
        for _ in range(100):  # the chainer links entries about once a second
            with engine.connect() as conn:
                rows = conn.execute(
                    text("SELECT actor_id, action, purpose, details, hash FROM audit_log ORDER BY seq")
                ).all()
            if rows and all(row.hash for row in rows):
                break
            time.sleep(0.1)
    finally:
        engine.dispose()
    assert ("cm-a", "registry.lookup", "аудит") in {(r.actor_id, r.action, r.purpose) for r in rows}
    assert any(r.action == "evidence.read" and answer.query_id in r.details for r in rows)
    assert not any(r.actor_id == "cm-b" for r in rows)  # refused lookups leave nothing
    assert all(PERSON not in r.details for r in rows)  # identifiers only
    for _ in range(20):  # the chain head is anchored (signed, outside the database) every few seconds
        checked = subprocess.run(
            [sys.executable, "-m", "ekm_platform.cli", "audit-verify", "registry-gateway"],
            env=platform.env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        if checked.returncode == 0:
            break
        time.sleep(1)
    assert checked.returncode == 0, checked.stderr
    assert f"{len(rows)} linked" in checked.stdout, checked.stdout
