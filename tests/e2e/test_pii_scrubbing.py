"""PII scrubbing, proven: the demo flow runs through the real platform with tracing on, then
every log file, every span, every event the broker carried and every dead letter is searched
for the demo people's names, РНОКПП, УНЗР, phone numbers, e-mails and addresses — none may
be there.

The flow: `ekm demo` (communities, case managers, agencies, offers, the eight demo appeals of
deploy/demo/appeals.json, the chat-bot's signed appeal), then a supervisor's worklist search
by name and by РНОКПП, the case, its appeal, the person, the social history, a registry lookup
through the simulators, a partner record over partner inbound (mTLS) about a demo person, and
an appeal refused for a bad field (a refusal's log must not echo the person either).

Not searched, by design: the databases' own tables (they hold the person), the outgoing SMS /
e-mail files (var/outgoing: the messages to the person) and RPC replies between services.
"""

from __future__ import annotations

import base64
import json
import pathlib
import re
import sqlite3
import ssl
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import uuid

import grpc
import pika
import pytest
from google.protobuf import json_format

from ekm.cases.v1 import cases_pb2, cases_pb2_grpc
from ekm.intake.v1 import intake_pb2, intake_pb2_grpc
from ekm.registry.v1 import registry_pb2, registry_pb2_grpc
from ekm_platform import config
from ekm_platform.client import bearer
from ekm_platform.testing import broker
from ekm_platform.testing.pki import make_pki
from ekm_platform.testing.platform import running_platform

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(240)]
ROOT = pathlib.Path(__file__).resolve().parents[2]
DEMO = ROOT / "deploy" / "demo"
COMMUNITY = "UA80000000000093317"
PERSONAL_KEYS = {
    "rnokpp",
    "unzr",
    "lastName",
    "firstName",
    "patronymic",
    "phone",
    "email",
    "street",
    "last_name",
    "first_name",
}
# `ekm demo`'s chat-bot appeal (ekm_platform.cli._demo_chatbot_appeal) is about this person
CHATBOT_PERSON = {"last_name": "Мельник", "first_name": "Тарас", "rnokpp": "3101500420", "phone": "+380631110004"}


def personal_values(node) -> set[str]:
    found = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if key in PERSONAL_KEYS and isinstance(value, str) and value.strip():
                found.add(value.strip())
            else:
                found |= personal_values(value)
    elif isinstance(node, list):
        for item in node:
            found |= personal_values(item)
    return found


def needles() -> dict[str, re.Pattern]:
    """Each demo value and the pattern that finds it (a phone also as 0XXXXXXXXX and without '+')."""
    values = personal_values(json.loads((DEMO / "appeals.json").read_text(encoding="utf-8")))
    values |= personal_values(CHATBOT_PERSON)
    patterns = {}
    for value in values:
        if value.startswith("+380"):
            digits = value[4:]
            patterns[value] = re.compile(rf"(?<!\d)(?:\+?38)?0{digits}(?!\d)")
        elif value.replace("-", "").isdigit():
            patterns[value] = re.compile(rf"(?<!\d){re.escape(value)}(?!\d)")
        else:
            patterns[value] = re.compile(rf"(?<!\w){re.escape(value)}(?!\w)", re.IGNORECASE)
    return patterns


def leaks(haystacks: dict[str, str]) -> list[str]:
    found = []
    for value, pattern in needles().items():
        for where, text in haystacks.items():
            match = pattern.search(text)
            if match:
                context = text[max(0, match.start() - 120) : match.end() + 60].replace("\n", "⏎")
                found.append(f"{value!r} in {where}: …{context}…")
    return found


def management(path: str, method: str = "GET", body: dict | None = None):
    request = urllib.request.Request(
        f"{broker.MANAGEMENT}/api/{path}",
        method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={
            "content-type": "application/json",
            "authorization": "Basic " + base64.b64encode(f"{broker.USER}:{broker.PASSWORD}".encode()).decode(),
        },
    )
    with urllib.request.urlopen(request, timeout=10) as reply:
        return json.loads(reply.read() or b"null")


def vhost_of(amqp_uri: str) -> str:
    return urllib.parse.quote(urllib.parse.unquote(urllib.parse.urlsplit(amqp_uri).path[1:]) or "/", safe="")


def tap_events(amqp_uri: str) -> str:
    """A queue bound to every event exchange (not the RPC one, not the partners' own feed):
    it receives a copy of each event the platform publishes."""
    vhost = vhost_of(amqp_uri)
    exchanges = [
        e["name"]
        for e in management(f"exchanges/{vhost}")
        if e["name"]
        and not e["name"].startswith("amq.")
        and e["name"] not in ("nameko-rpc", "partner.feed")
        and not e["name"].startswith("ekm.retry")
    ]
    assert exchanges, "no event exchange declared"
    queue = f"pii-tap-{uuid.uuid4().hex[:6]}"
    connection = pika.BlockingConnection(pika.URLParameters(amqp_uri))
    channel = connection.channel()
    channel.queue_declare(queue, durable=False, auto_delete=False)
    for exchange in exchanges:
        channel.queue_bind(queue, exchange, "#")
    connection.close()
    return queue


def drain(amqp_uri: str, queue: str) -> list[str]:
    connection = pika.BlockingConnection(pika.URLParameters(amqp_uri))
    channel = connection.channel()
    messages = []
    while True:
        method, properties, body = channel.basic_get(queue, auto_ack=True)
        if method is None:
            break
        messages.append(f"{method.routing_key} {properties.headers or {}} {body.decode(errors='replace')}")
    channel.queue_delete(queue)
    connection.close()
    return messages


def broker_dead_letters(amqp_uri: str) -> list[str]:
    """What waits in the broker's dead-letter and delay queues (read and put back)."""
    vhost, texts = vhost_of(amqp_uri), []
    for queue in management(f"queues/{vhost}"):
        name = queue["name"]
        if ("dead" in name or name.startswith("ekm.retry")) and queue.get("messages"):
            for message in management(
                f"queues/{vhost}/{urllib.parse.quote(name, safe='')}/get",
                "POST",
                {"count": 1000, "ackmode": "ack_requeue_true", "encoding": "auto"},
            ):
                texts.append(f"{name}: {message.get('properties')} {message.get('payload')}")
    return texts


def database_dead_letters(home: pathlib.Path) -> list[str]:
    texts = []
    for db in sorted((home / "var").glob("*.db")):
        with sqlite3.connect(db) as conn:
            if conn.execute("SELECT 1 FROM sqlite_master WHERE name='dead_letters'").fetchone():
                texts += [f"{db.stem}: {row}" for row in conn.execute("SELECT * FROM dead_letters")]
    return texts


def spans(home: pathlib.Path) -> list[str]:
    with sqlite3.connect(home / "var" / "traces.db") as conn:
        rows = [f"{r}" for r in conn.execute("SELECT service, name, status, attributes FROM spans")]
        rows += [f"key {r}" for r in conn.execute("SELECT key FROM trace_keys")]
    return rows


def until(probe, timeout=40.0, interval=0.3):
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(interval)


def drive(platform, partner_pki):
    """The demo flow and what staff then do with the demo people's cases."""
    demo = subprocess.run(
        [sys.executable, "-m", "ekm_platform.cli", "demo", "--file", str(DEMO / "appeals.json")],
        env=platform.env,
        capture_output=True,
        text=True,
        timeout=150,
    )
    assert demo.returncode == 0, demo.stdout + demo.stderr
    assert "demo chat-bot appeal accepted" in demo.stdout, demo.stdout
    supervisor = bearer(
        "supervisor",
        "sv-1",
        community_code=COMMUNITY,
        private_key=(platform.home / "var/keys/jwt-private.pem").read_bytes(),
    )
    with platform.channel("cases") as ch:
        cases = cases_pb2_grpc.CaseServiceStub(ch)

        def found(search):
            return cases.ListCases(cases_pb2.ListCasesRequest(search=search), metadata=supervisor, timeout=10).cases

        kovalenko = until(lambda: found("3221512349"))
        assert kovalenko, "the demo person's case was not opened"
        assert until(lambda: found("Бондаренко")), "the second demo person's case was not opened"
        case = kovalenko[0]
        cases.GetCase(
            cases_pb2.GetCaseRequest(case_number=case.case_number, purpose="оцінка потреб"),
            metadata=supervisor,
            timeout=10,
        )
        cases.GetCaseAppeal(
            cases_pb2.GetCaseAppealRequest(case_number=case.case_number), metadata=supervisor, timeout=10
        )
        cases.GetPerson(cases_pb2.GetPersonRequest(person_id=case.person_id), metadata=supervisor, timeout=10)
        cases.GetSocialHistory(
            cases_pb2.GetSocialHistoryRequest(person_id=case.person_id), metadata=supervisor, timeout=10
        )
    with platform.channel("registry-gateway") as ch:
        registry_pb2_grpc.RegistryGatewayStub(ch).LookupPerson(
            registry_pb2.LookupPersonRequest(
                rnokpp="3221512349", case_number=case.case_number, purpose="оцінка потреб"
            ),
            metadata=supervisor,
            timeout=30,
        )
    with platform.channel("intake") as ch:  # refused for one bad field: the refusal names the field, not the person
        bad = json.loads((DEMO / "appeals.json").read_text(encoding="utf-8"))[0]
        bad["applicant"]["phone"], bad["clientRequestId"] = "+38050111", "pii-bad-phone"
        with pytest.raises(grpc.RpcError) as refused:
            intake_pb2_grpc.IntakeServiceStub(ch).SubmitAppeal(
                json_format.ParseDict(bad, intake_pb2.SubmitAppealRequest()), metadata=supervisor, timeout=10
            )
        assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    context = ssl.create_default_context(cafile=str(partner_pki / "ca.pem"))
    context.load_cert_chain(str(partner_pki / "partner-dcz.pem"), str(partner_pki / "partner-dcz.key"))
    import http.client

    connection = http.client.HTTPSConnection(
        "127.0.0.1", int(platform.env["EKM_PARTNER_PORT"]), context=context, timeout=10
    )

    def post_record():
        try:
            connection.request(
                "POST",
                "/partner/v1/records/employment.registered",
                json.dumps(
                    {
                        "source_id": "dcz-pii-1",
                        "rnokpp": "3221512349",
                        "registered_on": "2026-11-20",
                        "center_code": "KYIV-01",
                    }
                ).encode(),
                {
                    "Content-Type": "application/json",
                    "X-Road-Client": "UA/GOV/37508470/DCZ",
                    "X-Road-Id": f"dcz-{uuid.uuid4()}",
                    "X-Road-UserId": "dcz-officer-7",
                },
            )
            return connection.getresponse().status
        except OSError:  # partner inbound may still be starting
            connection.close()
            return None

    assert until(post_record, timeout=20, interval=0.5) == 200
    time.sleep(3)  # the events of the last calls reach their consumers


@pytest.fixture(scope="module")
def haystacks(tmp_path_factory, ekm_amqp_uri):
    home = tmp_path_factory.mktemp("ekm-pii")
    pki = make_pki(home / "pki", clients=("partner-dcz",))
    extra = {
        "EKM_CHATBOTS_FILE": str(DEMO / "chatbots.json"),
        "EKM_PARTNERS_FILE": str(DEMO / "partners.json"),
        "EKM_PARTNER_TLS_CERT": str(pki / "server.pem"),
        "EKM_PARTNER_TLS_KEY": str(pki / "server.key"),
        "EKM_PARTNER_TLS_CLIENT_CA": str(pki / "ca.pem"),
        "EKM_TRACING": "on",
    }
    with running_platform(home, ekm_amqp_uri, services=config.SERVICES, simulators=True, extra_env=extra) as platform:
        queue = tap_events(platform.env["EKM_AMQP_URI"])
        drive(platform, pki)
        events = drain(platform.env["EKM_AMQP_URI"], queue)
        queued_dead = broker_dead_letters(platform.env["EKM_AMQP_URI"])
    # after the processes stopped: every span exported, every log line written
    logs = {f"log {p.name}": p.read_text(errors="replace") for p in sorted((home / "var" / "log").glob("*.log"))}
    return {
        "home": home,
        "logs": logs,
        "spans": spans(home),
        "events": events,
        "dead letters": queued_dead + database_dead_letters(home),
    }


def test_the_flow_ran_and_left_what_is_searched(haystacks):
    """The search means something: the logs, spans and events are there, and the demo
    people are in the platform's own databases (where they belong)."""
    assert len(haystacks["logs"]) >= 5 and all(haystacks["logs"].values())
    assert len(haystacks["spans"]) > 100
    assert len(haystacks["events"]) >= 8, haystacks["events"][:3]
    with sqlite3.connect(haystacks["home"] / "var" / "cases.db") as db:
        stored = " ".join(str(r) for r in db.execute("SELECT * FROM persons"))
    assert leaks({"cases.persons": stored}), "the demo people are not in cases' database: the needles are wrong"


def test_no_log_file_names_a_demo_person(haystacks):
    problems = leaks(haystacks["logs"])
    assert not problems, "\n".join(problems[:20])


def test_no_span_names_a_demo_person(haystacks):
    problems = leaks({"spans": "\n".join(haystacks["spans"])})
    assert not problems, "\n".join(problems[:20])


def test_no_event_on_the_broker_names_a_demo_person(haystacks):
    problems = leaks({"events": "\n".join(haystacks["events"])})
    assert not problems, "\n".join(problems[:20])


def test_no_dead_letter_names_a_demo_person(haystacks):
    problems = leaks({"dead letters": "\n".join(haystacks["dead letters"])})
    assert not problems, "\n".join(problems[:20])
