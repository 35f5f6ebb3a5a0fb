"""Channels, screening and tracking through the real processes, on SQLite and PostgreSQL
(intake, its chat-bot webhook under uvicorn, cases): a signed chat-bot request becomes an appeal and a bad, stale or
oversized one stores nothing; an information appeal is answered by a consultation and reaches
CONSULTED with no case; a crisis opens an urgent case for the community's on-duty case
manager, and case.opened says so; an override with a reason opens the case an appeal now needs."""

import json
import socket
import time
import urllib.error
import urllib.request
import uuid

import grpc
import kombu
import pytest
from nameko.standalone.events import get_event_exchange
from nameko.standalone.rpc import ServiceRpcClient
from sqlalchemy import text

from ekm.cases.v1 import cases_pb2, cases_pb2_grpc
from ekm.common.v1 import common_pb2
from ekm.intake.v1 import intake_pb2, intake_pb2_grpc
from ekm_platform import client
from ekm_platform.db import drop_database, make_engine
from ekm_platform.testing.fixtures import postgres_available
from ekm_platform.testing.platform import running_platform
from intake.webhook import sign
from tests.appeals import appeal_request, new_person

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(300)]

KYIV = "UA80000000000093317"
SECRET = "e2e-chatbot-secret-0123456789"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def platform(request, tmp_path_factory, ekm_amqp_uri):
    base = None
    if request.param == "postgresql":
        if not postgres_available():
            pytest.skip("PostgreSQL is not running on 127.0.0.1:5432")
        base = f"postgresql+psycopg://postgres:postgres@127.0.0.1:5432/ekmtest_{uuid.uuid4().hex[:8]}"
    home = tmp_path_factory.mktemp("ekm")
    bots = home / "chatbots.json"
    bots.write_text(json.dumps([{"bot_id": "e2e-bot", "community_code": KYIV, "secret": SECRET}]))
    try:
        with running_platform(
            home,
            ekm_amqp_uri,
            database_url=base,
            services=("intake", "cases"),
            extra_env={"EKM_CHATBOTS_FILE": str(bots)},
        ) as running:
            running.database_base = base
            with ServiceRpcClient("cases", uri=running.env["EKM_AMQP_URI"], timeout=30) as cases:
                cases.register_case_manager("cm-e2e-free", KYIV, 40, ["veterans"], "sv-e2e")
                cases.register_case_manager("cm-e2e-duty", KYIV, 2, [], "sv-e2e", on_duty=True)
            wait_listening(int(running.env["EKM_CHATBOT_PORT"]))
            yield running
    finally:
        if base:
            for service in ("intake", "cases"):
                drop_database(f"{base}_{service}")


def wait_listening(port, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"the chat-bot webhook is not listening on {port}")


def token(platform, role, user):
    key = (platform.home / "var/keys/jwt-private.pem").read_bytes()
    return client.bearer(role, user, community_code=KYIV, private_key=key)


def query(platform, service, sql, **params):
    base = platform.database_base
    engine = make_engine(f"{base}_{service}" if base else f"sqlite:///{platform.home / 'var' / (service + '.db')}")
    try:
        with engine.connect() as conn:
            return conn.execute(text(sql), params).all()
    finally:
        engine.dispose()


def until(probe, timeout=30.0):
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.2)


def post(platform, body: bytes, stamp=None, secret=SECRET, bot="e2e-bot"):
    stamp = str(int(time.time()) if stamp is None else stamp)
    request = urllib.request.Request(
        f"http://127.0.0.1:{platform.env['EKM_CHATBOT_PORT']}/intake/v1/chatbot/{bot}/appeals",
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "X-EKM-Timestamp": stamp,
            "X-EKM-Signature": sign(secret.encode(), stamp, body),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=20) as reply:
            return reply.status, json.loads(reply.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}")


def bot_message(message_id, **changes):
    person = new_person()
    message = {
        "message_id": message_id,
        "conversation_id": f"conv-{message_id}",
        "description": "Ветеран, потрібна допомога з реабілітацією",
        "consent_to_processing": True,
        "applicant": {
            "last_name": person.last_name,
            "first_name": person.first_name,
            "rnokpp": person.rnokpp,
            "birth_date": person.birth_date,
            "is_subject": True,
            "phone": "+380501234567",
        },
    }
    message.update(changes)
    return json.dumps(message, ensure_ascii=False).encode()


def appeal_count(platform):
    return query(platform, "intake", "SELECT count(*) FROM appeals")[0][0]


def test_unsigned_stale_or_oversized_webhook_requests_are_refused_and_store_nothing(platform):
    before = appeal_count(platform)
    body = bot_message("bad-1")
    assert post(platform, body, secret="not-the-bots-secret-0000000")[0] == 401
    assert post(platform, body, stamp=int(time.time()) - 3600)[0] == 401
    assert post(platform, body, bot="nobody")[0] == 401
    big = bot_message("big-1", description="я" * 40000)
    assert post(platform, big)[0] == 413
    status, answer = post(platform, bot_message("bad-2", applicant={"last_name": "Х"}))
    assert status == 422 and {"applicant.phone", "subject.rnokpp"} <= {v["field"] for v in answer["violations"]}
    assert appeal_count(platform) == before


def test_a_signed_chatbot_request_becomes_an_appeal_with_its_channel_and_source(platform):
    body = bot_message("ok-1")
    status, answer = post(platform, body)
    assert status == 200 and answer["tracking_number"].startswith("EKM-") and answer["state"] == "accepted"
    assert post(platform, body) == (status, answer)  # a replay inside the window: the same answer, no new appeal
    assert (
        query(
            platform, "intake", "SELECT count(*) FROM appeals WHERE tracking_number = :t", t=answer["tracking_number"]
        )[0][0]
        == 1
    )
    with platform.channel("intake") as channel:
        history = intake_pb2_grpc.IntakeServiceStub(channel).GetAppealHistory(
            intake_pb2.GetAppealHistoryRequest(tracking_number=answer["tracking_number"]),
            metadata=token(platform, "case_manager", "cm-e2e-free"),
            timeout=10,
        )
    assert history.channel == common_pb2.CHANNEL_CHATBOT
    assert history.source_reference == "chatbot:e2e-bot:conv-ok-1"
    assert history.screening.rules_version == "v1" and [r.rule_id for r in history.screening.fired_rules]


def test_information_is_consulted_with_no_case_and_the_applicant_tracks_it(platform):
    operator = token(platform, "operator", "op-e2e")
    with platform.channel("intake") as channel:
        stub = intake_pb2_grpc.IntakeServiceStub(channel)
        info = stub.SubmitAppeal(
            appeal_request(information_only=True, source_reference="call-77"), metadata=operator, timeout=10
        )
        assert info.screening_level == common_pb2.SCREENING_LEVEL_INFORMATION
        assert [r.rule_id for r in info.screening.fired_rules] == ["IN-ONLY"]
        with pytest.raises(grpc.RpcError) as caught:  # another community's operator first: denied
            stub.RecordConsultation(
                intake_pb2.RecordConsultationRequest(tracking_number=info.tracking_number, advice="…"),
                timeout=10,
                metadata=client.bearer(
                    "operator",
                    "op-lviv",
                    community_code="UA46060250010015970",
                    private_key=(platform.home / "var/keys/jwt-private.pem").read_bytes(),
                ),
            )
        assert caught.value.code() == grpc.StatusCode.NOT_FOUND
        consultation = stub.RecordConsultation(
            intake_pb2.RecordConsultationRequest(
                tracking_number=info.tracking_number,
                topics=["payments"],
                advice="Пояснено, як оформити допомогу на проживання, і перелік документів",
            ),
            metadata=operator,
            timeout=10,
        )
        assert consultation.advised_by == "op-e2e" and "перелік документів" in consultation.advice
        # an assessment appeal submitted after it gets its case: events were handled meanwhile
        assessed = stub.SubmitAppeal(appeal_request(), metadata=operator, timeout=10)
        status = intake_pb2.GetAppealStatusRequest
        assert until(
            lambda: (
                stub.GetAppealStatus(
                    status(tracking_number=assessed.tracking_number), metadata=operator, timeout=10
                ).case_number
            )
        )
        consulted = stub.GetAppealStatus(status(tracking_number=info.tracking_number), metadata=operator, timeout=10)
    assert consulted.state == intake_pb2.APPEAL_STATE_CONSULTED and consulted.case_number == ""
    assert (consulted.state_label_uk, consulted.state_label_en) == ("Надано консультацію", "Consultation given")
    assert (
        query(platform, "cases", "SELECT count(*) FROM case_appeals WHERE appeal_id = :a", a=info.appeal_id)[0][0] == 0
    )


def test_the_recipient_cabinet_lists_their_appeals_with_labelled_statuses(platform):
    alice = platform.bearer("recipient", "p-e2e-alice")
    with platform.channel("intake") as channel:
        stub = intake_pb2_grpc.IntakeServiceStub(channel)
        with pytest.raises(grpc.RpcError) as caught:  # a recipient cannot claim a phone line
            stub.SubmitAppeal(appeal_request(), metadata=alice, timeout=10)
        assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        mine = stub.SubmitAppeal(appeal_request(channel=common_pb2.CHANNEL_DIIA), metadata=alice, timeout=10)
        listed = stub.ListMyAppeals(intake_pb2.ListMyAppealsRequest(), metadata=alice, timeout=10).appeals
        assert (
            stub.ListMyAppeals(
                intake_pb2.ListMyAppealsRequest(), metadata=platform.bearer("recipient", "p-e2e-bob"), timeout=10
            ).appeals
            == []
        )
    assert [a.tracking_number for a in listed] == [mine.tracking_number]
    assert listed[0].channel == common_pb2.CHANNEL_DIIA and listed[0].state_label_en


def opened_events(platform):
    """A queue of our own on cases' events: the case.opened bodies as they are published."""
    connection = kombu.Connection(platform.env["EKM_AMQP_URI"])
    queue = kombu.Queue(
        f"e2e-case-opened-{time.monotonic_ns()}",
        get_event_exchange("cases"),
        routing_key="case.opened",
        auto_delete=True,
    )
    queue(connection.channel()).declare()
    return connection, queue


def wait_opened(connection, queue, appeal_id, timeout=30.0):
    simple = connection.SimpleQueue(queue)
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            try:
                message = simple.get(timeout=1)
            except simple.Empty:
                continue
            message.ack()
            data = message.payload.get("data", message.payload)
            if data.get("appeal_id") == appeal_id:
                return data
    finally:
        simple.close()
    raise AssertionError("no case.opened for the appeal")


def test_a_crisis_opens_an_urgent_case_for_the_on_duty_manager(platform):
    connection, queue = opened_events(platform)
    try:
        status, answer = post(platform, bot_message("crisis-1", description="Він б'є мене і погрожує вбити"))
        assert status == 200 and answer["screening_level"] == "crisis"
        [(appeal_id,)] = query(
            platform, "intake", "SELECT appeal_id FROM appeals WHERE tracking_number = :t", t=answer["tracking_number"]
        )
        event = wait_opened(connection, queue, appeal_id)
    finally:
        connection.release()
    assert (event["priority"], event["assigned_to"], event["community_code"]) == ("urgent", "cm-e2e-duty", KYIV)
    with platform.channel("cases") as channel:
        case = cases_pb2_grpc.CaseServiceStub(channel).GetCase(
            cases_pb2.GetCaseRequest(case_number=event["case_number"]),
            metadata=platform.bearer("operator", "op-1"),
            timeout=10,
        )
    assert case.assigned_to == "cm-e2e-duty"


def test_an_override_with_a_reason_opens_the_urgent_case_and_is_in_the_history(platform):
    cm = token(platform, "case_manager", "cm-e2e-free")
    connection, queue = opened_events(platform)
    try:
        with platform.channel("intake") as channel:
            stub = intake_pb2_grpc.IntakeServiceStub(channel)
            info = stub.SubmitAppeal(appeal_request(information_only=True), metadata=cm, timeout=10)
            with pytest.raises(grpc.RpcError) as caught:  # no reason: refused, nothing changed
                stub.OverrideScreening(
                    intake_pb2.OverrideScreeningRequest(
                        tracking_number=info.tracking_number, screening_level=common_pb2.SCREENING_LEVEL_CRISIS
                    ),
                    metadata=cm,
                    timeout=10,
                )
            assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
            decision = stub.OverrideScreening(
                intake_pb2.OverrideScreeningRequest(
                    tracking_number=info.tracking_number,
                    screening_level=common_pb2.SCREENING_LEVEL_CRISIS,
                    reason="Під час дзвінка з'ясувалося: загроза життю",
                ),
                metadata=cm,
                timeout=10,
            )
            assert decision.decided_by == "cm-e2e-free"
            assert decision.previous_level == common_pb2.SCREENING_LEVEL_INFORMATION
            event = wait_opened(connection, queue, info.appeal_id)
            history = stub.GetAppealHistory(
                intake_pb2.GetAppealHistoryRequest(tracking_number=info.tracking_number), metadata=cm, timeout=10
            )
    finally:
        connection.release()
    assert (event["priority"], event["assigned_to"]) == ("urgent", "cm-e2e-duty")
    assert [d.screening_level for d in history.decisions] == [
        common_pb2.SCREENING_LEVEL_INFORMATION,
        common_pb2.SCREENING_LEVEL_CRISIS,
    ]
    kinds = [e.kind for e in history.entries]
    assert kinds[:2] == ["accepted", "screening.overridden"] and "загроза життю" in history.entries[1].text
    actions = [
        a for (a,) in query(platform, "intake", "SELECT action FROM audit_log WHERE subject_id = :a", a=info.appeal_id)
    ]
    assert "appeal.screening_override" in actions


def test_ekm_demo_sends_a_signed_chatbot_appeal(platform, tmp_path, monkeypatch, capsys):
    from ekm_platform import cli

    bots = tmp_path / "chatbots.json"
    bots.write_text(json.dumps([{"bot_id": "e2e-bot", "secret": SECRET}]))
    monkeypatch.setenv("EKM_CHATBOT_PORT", platform.env["EKM_CHATBOT_PORT"])
    cli._demo_chatbot_appeal(bots)
    assert "demo chat-bot appeal accepted: EKM-" in capsys.readouterr().out


def test_a_chatbot_appeal_is_found_in_the_trace_by_its_tracking_number(platform):
    from ekm_platform.tracing import TraceStore

    status, answer = post(platform, bot_message("traced-1"))
    assert status == 200
    store = TraceStore(platform.home / "var" / "traces.db")

    def services():
        return {s["service"] for t in store.find_trace_ids(answer["tracking_number"]) for s in store.spans(t)}

    found = until(lambda: {"intake-webhook", "intake"} <= services() and services())
    assert {"intake-webhook", "intake"} <= found, found


def test_another_agencys_referral_keeps_its_channel_and_number_and_is_assessed(platform):
    key = (platform.home / "var/keys/jwt-private.pem").read_bytes()
    agency = client.bearer("partner_agency", "pa-dcz-1", community_code=KYIV, private_key=key)
    with platform.channel("intake") as channel:
        stub = intake_pb2_grpc.IntakeServiceStub(channel)
        with pytest.raises(grpc.RpcError) as caught:  # an agency cannot claim a phone line
            stub.SubmitAppeal(appeal_request(), metadata=agency, timeout=10)
        assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        referred = stub.SubmitAppeal(
            appeal_request(
                channel=common_pb2.CHANNEL_AGENCY_REFERRAL, source_reference="ДЦЗ-2026-0042", information_only=True
            ),
            metadata=agency,
            timeout=10,
        )
        history = stub.GetAppealHistory(
            intake_pb2.GetAppealHistoryRequest(tracking_number=referred.tracking_number),
            metadata=token(platform, "supervisor", "sv-e2e"),
            timeout=10,
        )
    assert referred.screening_level == common_pb2.SCREENING_LEVEL_ASSESSMENT
    assert [r.rule_id for r in referred.screening.fired_rules] == ["AS-REFERRAL", "IN-ONLY"]
    assert (history.channel, history.source_reference) == (common_pb2.CHANNEL_AGENCY_REFERRAL, "ДЦЗ-2026-0042")
