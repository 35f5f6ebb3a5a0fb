"""De-duplication and routing through the real processes (intake and cases): the same person twice
is one case (exactly, and by a Latin spelling), a near-duplicate is merged into the first appeal, an
uncertain match waits in the review queue until a case manager decides, and an appeal no served
community takes waits in its region's queue until a supervisor routes it."""

import random
import time
import uuid

import grpc
import pytest
from nameko.standalone.rpc import ServiceRpcClient
from sqlalchemy import text

from ekm.cases.v1 import cases_pb2, cases_pb2_grpc
from ekm.common.v1 import common_pb2
from ekm.intake.v1 import intake_pb2, intake_pb2_grpc
from ekm_platform import client
from ekm_platform.db import drop_database, make_engine
from ekm_platform.testing.fixtures import postgres_available
from ekm_platform.testing.platform import running_platform
from tests.appeals import appeal_request, new_person

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(300)]

KYIV = "UA80000000000093317"
BUCHA = "UA32080070000050759"
BORYSPIL = "UA32040010000010116"  # Київська область, not served
LVIV = "UA46060250000025047"  # Львівська область: no served community at all
KYIV_OBLAST = "UA32000000000030281"
S = intake_pb2


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def platform(request, tmp_path_factory, ekm_amqp_uri):
    base = None
    if request.param == "postgresql":
        if not postgres_available():
            pytest.skip("PostgreSQL is not running on 127.0.0.1:5432")
        base = f"postgresql+psycopg://postgres:postgres@127.0.0.1:5432/ekmtest_{uuid.uuid4().hex[:8]}"
    try:
        yield from _platform(tmp_path_factory, ekm_amqp_uri, base)
    finally:
        if base:
            for service in ("intake", "cases"):
                drop_database(f"{base}_{service}")


def _platform(tmp_path_factory, ekm_amqp_uri, base):
    with running_platform(
        tmp_path_factory.mktemp("ekm"), ekm_amqp_uri, database_url=base, services=("intake", "cases")
    ) as running:
        running.urls = {
            service: (f"{base}_{service}" if base else f"sqlite:///{running.home / 'var' / f'{service}.db'}")
            for service in ("intake", "cases")
        }
        with ServiceRpcClient("intake", uri=running.env["EKM_AMQP_URI"], timeout=60) as intake:
            intake.register_community(
                BUCHA, "Бучанська", [{"code": "BUCHA-CNSP", "name": "ЦНСП Буча", "default": True}]
            )
        with ServiceRpcClient("cases", uri=running.env["EKM_AMQP_URI"], timeout=30) as cases:
            cases.register_case_manager(
                manager_id="cm-k", community_code=KYIV, capacity=50, skills=["veterans"], supervisor_id="sv-k"
            )
            cases.register_case_manager(
                manager_id="cm-b", community_code=BUCHA, capacity=50, skills=["veterans"], supervisor_id="sv-b"
            )
        yield running


def token(platform, role, user, community=""):
    """A bearer token with the caller's community (``community`` claim)."""
    return client.bearer(role, user, community, private_key=(platform.home / "var/keys/jwt-private.pem").read_bytes())


def until(probe, timeout=30.0, interval=0.25):
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(interval)


def unique_person(**changes):
    """A person with a surname nobody else in the run has (fuzzy matching compares names)."""
    person = new_person()
    person.last_name = "Зозуля" + "".join(random.choice("абвгдежзиклмнопрстуф") for _ in range(6))
    person.first_name, person.patronymic = "Андрій", "Петрович"
    for key, value in changes.items():
        setattr(person, key, value)
    return person


def submit(platform, person, description, role="case_manager", user="cm-k", community=KYIV, **fields):
    addresses = {k: fields.pop(k) for k in ("actual_address", "registered_address") if k in fields}
    request = appeal_request(community_code=community, description=description, **fields)
    request.applicant.person.CopyFrom(person)
    for key, address in addresses.items():
        getattr(request, key).CopyFrom(address)
    with platform.channel("intake") as channel:
        return intake_pb2_grpc.IntakeServiceStub(channel).SubmitAppeal(
            request, metadata=platform.bearer(role, user), timeout=20
        )


def status(platform, tracking_number, role="case_manager", user="cm-k"):
    with platform.channel("intake") as channel:
        return intake_pb2_grpc.IntakeServiceStub(channel).GetAppealStatus(
            S.GetAppealStatusRequest(tracking_number=tracking_number), metadata=platform.bearer(role, user), timeout=20
        )


def intake_stub(channel):
    return intake_pb2_grpc.IntakeServiceStub(channel)


def rows(platform, service, sql, **params):
    engine = make_engine(platform.urls[service])
    try:
        with engine.connect() as conn:
            return conn.execute(text(sql), params).all()
    finally:
        engine.dispose()


def case_of(platform, tracking_number):
    return until(lambda: status(platform, tracking_number).case_number)


def test_the_same_person_twice_is_one_case_exactly_and_by_a_latin_spelling(platform):
    person = unique_person()
    first = submit(platform, person, "Потрібна реабілітація після поранення")
    number = case_of(platform, first.tracking_number)
    assert number.startswith("CASE-")
    again = submit(platform, person, "Прошу допомогти з працевлаштуванням і перекваліфікацією")
    assert again.state != S.APPEAL_STATE_MERGED  # another need: its own appeal, the same case
    linked = until(lambda: (s := status(platform, again.tracking_number)).state == S.APPEAL_STATE_CASE_LINKED and s)
    assert linked and linked.case_number == number
    latin = common_pb2.PersonIdentity(
        unzr=person.unzr, last_name=person.last_name, first_name="Andriy", birth_date=person.birth_date
    )
    # the Latin spelling of the first name and only the УНЗР: found exactly by the УНЗР
    third = submit(platform, latin, "Потрібна консультація щодо пільг на житло та комунальні послуги")
    assert until(lambda: status(platform, third.tracking_number).case_number) == number
    # no identifier at all, the surname transliterated: linked by name and date of birth
    from translitua import translit

    fuzzy = common_pb2.PersonIdentity(
        last_name=translit(person.last_name), first_name="Andrii", patronymic="Petrovych", birth_date=person.birth_date
    )
    fourth = submit(platform, fuzzy, "Прошу направити до психолога, погано сплю після повернення")
    assert until(lambda: status(platform, fourth.tracking_number).case_number) == number
    opened = rows(platform, "cases", "SELECT count(*) FROM cases WHERE case_number = :n", n=number)[0][0]
    people = rows(platform, "cases", "SELECT count(*) FROM persons WHERE last_name = :l", l=person.last_name)[0][0]
    assert opened == 1 and people == 1


def test_a_near_duplicate_is_merged_into_the_first_appeal(platform):
    person = unique_person()
    first = submit(platform, person, "Потрібна реабілітація після поранення, направлення до центру")
    again = submit(
        platform,
        person,
        "потрібна реабілітація після поранення — направлення до центру",
        channel=common_pb2.CHANNEL_IN_PERSON,
    )
    assert again.state == S.APPEAL_STATE_MERGED
    assert again.tracking_number == first.tracking_number == again.merged_into_tracking_number
    assert again.appeal_id != first.appeal_id
    followed = status(platform, first.tracking_number)
    assert followed.merged_appeals == 1
    number = case_of(platform, first.tracking_number)
    time.sleep(1.0)  # the merged appeal opened nothing of its own
    assert (
        rows(platform, "cases", "SELECT count(*) FROM case_appeals WHERE appeal_id = :a", a=again.appeal_id)[0][0] == 0
    )
    assert rows(platform, "intake", "SELECT state, merged_into FROM appeals WHERE appeal_id = :a", a=again.appeal_id)[
        0
    ] == ("merged", first.appeal_id)
    with ServiceRpcClient("intake", uri=platform.env["EKM_AMQP_URI"], timeout=20) as intake:
        assert intake.appeal_case_number(again.appeal_id) == number  # the duplicate's case is the first's


def test_an_uncertain_match_waits_for_review_and_the_decision_links_the_case(platform):
    person = unique_person()
    first = submit(platform, person, "Потрібна допомога з оформленням статусу УБД")
    number = case_of(platform, first.tracking_number)
    unsure = common_pb2.PersonIdentity(
        last_name=person.last_name,
        first_name="Андрей",  # Russian spelling
        birth_date=person.birth_date,
    )
    second = submit(platform, unsure, "Прошу про психологічну підтримку для дружини та дітей")
    assert until(lambda: status(platform, second.tracking_number).state == S.APPEAL_STATE_MATCH_REVIEW)
    cm, other, operator = (
        token(platform, "case_manager", "cm-k", KYIV),
        token(platform, "case_manager", "cm-b", BUCHA),
        token(platform, "operator", "op-1", KYIV),
    )
    with platform.channel("intake") as channel:
        stub = intake_stub(channel)
        with pytest.raises(grpc.RpcError) as caught:  # the denied cases first
            stub.ListMatchReviews(S.ListMatchReviewsRequest(), metadata=operator, timeout=20)
        assert caught.value.code() == grpc.StatusCode.PERMISSION_DENIED
        assert not [
            r
            for r in stub.ListMatchReviews(S.ListMatchReviewsRequest(), metadata=other, timeout=20).reviews
            if r.appeal_id == second.appeal_id
        ]
        review = next(
            r
            for r in stub.ListMatchReviews(S.ListMatchReviewsRequest(), metadata=cm, timeout=20).reviews
            if r.appeal_id == second.appeal_id
        )
        assert review.state == "open" and 0.8 <= review.best_score < 0.95
        with pytest.raises(grpc.RpcError) as caught:
            stub.GetMatchReview(S.GetMatchReviewRequest(review_id=review.review_id), metadata=other, timeout=20)
        assert caught.value.code() == grpc.StatusCode.NOT_FOUND
        view = stub.GetMatchReview(S.GetMatchReviewRequest(review_id=review.review_id), metadata=cm, timeout=20)
        assert view.subject.first_name == "Андрей"
        candidate = view.candidates[0]
        assert candidate.person.first_name == "Андрій" and candidate.case_number == number
        assert candidate.person.rnokpp_masked.endswith(person.rnokpp[-4:]) and person.rnokpp not in str(view)
        verdicts = {f.field: f.verdict for f in candidate.comparisons}
        assert verdicts["last_name"] == "same" and verdicts["first_name"] == "similar"
        assert verdicts["birth_date"] == "same" and verdicts["rnokpp"] == "missing"
        with pytest.raises(grpc.RpcError) as caught:
            stub.DecideMatchReview(
                S.DecideMatchReviewRequest(review_id=review.review_id, person_id=candidate.person_id),
                metadata=cm,
                timeout=20,
            )
        assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT  # a reason is required
        decided = stub.DecideMatchReview(
            S.DecideMatchReviewRequest(
                review_id=review.review_id,
                person_id=candidate.person_id,
                reason="та сама дата народження, дружина підтвердила по телефону",
            ),
            metadata=cm,
            timeout=20,
        )
        assert decided.state == "decided" and decided.decided_by == "cm-k"
        with pytest.raises(grpc.RpcError) as caught:
            stub.DecideMatchReview(
                S.DecideMatchReviewRequest(review_id=review.review_id, reason="ще раз"), metadata=cm, timeout=20
            )
        assert caught.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    linked = until(lambda: (s := status(platform, second.tracking_number)).state == S.APPEAL_STATE_CASE_LINKED and s)
    assert linked and linked.case_number == number
    actions = [
        a for (a,) in rows(platform, "intake", "SELECT action FROM audit_log WHERE subject_id = :a", a=second.appeal_id)
    ]
    assert "match_review.read" in actions and "match_review.decide" in actions
    reads = rows(
        platform,
        "cases",
        "SELECT actor_id FROM audit_log WHERE action = 'person.match_read' AND subject_id = :p",
        p=candidate.person_id,
    )
    assert ("cm-k",) in reads


def test_an_unroutable_appeal_waits_in_its_regions_queue_until_a_supervisor_routes_it(platform):
    person = unique_person()
    with platform.channel("intake") as channel:
        stub = intake_stub(channel)
        with pytest.raises(grpc.RpcError) as caught:  # no served community in the whole region: refused
            submit(platform, person, "x", community="", actual_address=S.Address(katottg=LVIV))
        assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        assert "actual_address.katottg" in caught.value.details()
        queued = submit(
            platform,
            person,
            "Потрібна допомога після повернення з полону",
            community="",
            actual_address=S.Address(katottg=BORYSPIL, street="вул. Київський шлях, 1"),
        )
        assert queued.state == S.APPEAL_STATE_REGION_QUEUE
        time.sleep(1.0)
        assert status(platform, queued.tracking_number).case_number == ""  # no case nobody owns
        with pytest.raises(grpc.RpcError) as caught:
            stub.ListRegionQueue(
                S.ListRegionQueueRequest(), metadata=token(platform, "case_manager", "cm-b", BUCHA), timeout=20
            )
        assert caught.value.code() == grpc.StatusCode.PERMISSION_DENIED
        kyiv_sv, bucha_sv = token(platform, "supervisor", "sv-k", KYIV), token(platform, "supervisor", "sv-b", BUCHA)
        assert not stub.ListRegionQueue(S.ListRegionQueueRequest(), metadata=kyiv_sv, timeout=20).appeals
        listed = stub.ListRegionQueue(S.ListRegionQueueRequest(), metadata=bucha_sv, timeout=20).appeals
        item = next(a for a in listed if a.appeal_id == queued.appeal_id)
        assert (item.region_code, item.region_name, item.unit_name) == (KYIV_OBLAST, "Київська", "Бориспільська")
        with pytest.raises(grpc.RpcError) as caught:
            stub.AssignRegionQueueAppeal(
                S.AssignRegionQueueAppealRequest(appeal_id=queued.appeal_id, community_code=BUCHA),
                metadata=kyiv_sv,
                timeout=20,
            )
        assert caught.value.code() == grpc.StatusCode.NOT_FOUND
        routed = stub.AssignRegionQueueAppeal(
            S.AssignRegionQueueAppealRequest(
                appeal_id=queued.appeal_id, community_code=BUCHA, reason="найближча громада"
            ),
            metadata=bucha_sv,
            timeout=20,
        )
        assert routed.community_code == BUCHA and routed.routing_basis == "assigned"
    number = case_of(platform, queued.tracking_number)
    with platform.channel("cases") as channel:
        case = cases_pb2_grpc.CaseServiceStub(channel).GetCase(
            cases_pb2.GetCaseRequest(case_number=number), metadata=platform.bearer("operator", "op-1"), timeout=20
        )
    assert case.community_code == BUCHA
    assert ("sv-b",) in rows(
        platform,
        "intake",
        "SELECT actor_id FROM audit_log WHERE action = 'appeal.route' AND subject_id = :a",
        a=queued.appeal_id,
    )


def test_routing_by_address_names_the_community_and_provider(platform):
    routed = submit(
        platform,
        unique_person(),
        "Потрібна допомога з реабілітацією",
        community="",
        registered_address=S.Address(region="Київська", settlement="Буча"),
    )
    got = status(platform, routed.tracking_number)
    assert (got.community_code, got.provider_code, got.routing_basis) == (BUCHA, "BUCHA-CNSP", "registered_address")


@pytest.mark.parametrize("service", ["intake", "cases"])
def test_the_audit_chains_are_intact_after_reviews_and_routing(platform, service):
    import subprocess
    import sys

    outputs = []

    def verified():  # the chainer links (and anchors) the entries within a few seconds
        out = subprocess.run(
            [sys.executable, "-m", "ekm_platform.cli", "audit-verify", service],
            env=platform.env,
            capture_output=True,
            text=True,
            timeout=30,
        )
        outputs.append(out.stdout + out.stderr)
        return out.returncode == 0 and " 0 pending" in out.stdout

    assert until(verified, timeout=20, interval=1.0), outputs[-1]
    assert "audit log intact" in outputs[-1]
