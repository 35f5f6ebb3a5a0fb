"""Chaos: appeals and partner feeds under ``kill -9`` of every service and a broker restart.

    .venv/bin/python -m bench.chaos --appeals 10000 [--concurrency 8] [--feed-records N]
                                    [--database-url URL] [--rounds 1] [--broker-lock FILE]

Starts the whole platform (every service, its companions, the partner HTTPS inbound) as
real processes on PostgreSQL (a private database per run, dropped afterwards) and a private
RabbitMQ vhost. Then, at once:

- a load generator submits ``--appeals`` appeals over gRPC (intake ``SubmitAppeal``) from
  ``--concurrency`` clients, each with its own idempotency key, retrying after any transport
  error with the same key (as a real frontend does); a mix of new people (assessment and
  crisis), information-only requests and the same person again;
- two partners push registry records: one over AMQP (publisher confirms), one over HTTPS
  (mTLS, X-Road REST); a record counts as acknowledged when the broker confirmed it or the
  inbound answered 200, and an unacknowledged one is sent again (same source id);
- each service in turn (intake, cases, registry-gateway, interagency, notifications, with
  their companion processes) is killed with SIGKILL and restarted by the supervisor, and
  RabbitMQ is restarted once (``rabbitmqctl stop_app`` / ``start_app``).

Afterwards, once the platform has settled, it reads the services' databases and prints the
counts; it exits 1 when any of these does not hold:

- every appeal a client saw accepted is stored, under the tracking number the client got;
- every stored appeal has exactly one outcome: a case opened for it, attached to the
  person's open case, merged into an earlier appeal, or (information level) waiting for a
  consultation — and intake knows the case cases opened for it;
- no case is duplicated (one case per person; each appeal in one case);
- no notification is duplicated (one delivery per fact: the applicant's acknowledgement,
  the case manager's assignment notice), each one sent, none sent that has no delivery;
- no registry record is lost (every acknowledged record stored exactly once);
- no event ended as a dead letter, nothing is left in an outbox.

``--broker-lock FILE`` creates FILE while the broker is stopped (removed once it is back),
for whoever shares the broker.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import pathlib
import random
import signal
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field

import grpc
import pika
from sqlalchemy import create_engine, text

from ekm.intake.v1 import intake_pb2_grpc
from ekm_platform import client, config
from ekm_platform.identifiers import make_rnokpp
from ekm_platform.testing import broker
from ekm_platform.testing.pki import make_pki
from ekm_platform.testing.platform import RunningPlatform, running_platform
from tests.appeals import appeal_request

COMMUNITY = "UA80000000000093317"
AMQP_RECORD, HTTPS_RECORD = "employment.registered", "health.rehabilitation_started"
RETRIED = {
    grpc.StatusCode.UNAVAILABLE,
    grpc.StatusCode.DEADLINE_EXCEEDED,
    grpc.StatusCode.INTERNAL,
    grpc.StatusCode.UNKNOWN,
    grpc.StatusCode.CANCELLED,
    grpc.StatusCode.RESOURCE_EXHAUSTED,
    grpc.StatusCode.ABORTED,
}
CHANNEL_OPTIONS = [
    ("grpc.initial_reconnect_backoff_ms", 200),
    ("grpc.min_reconnect_backoff_ms", 200),
    ("grpc.max_reconnect_backoff_ms", 1000),
]
KINDS = (("new", 80), ("crisis", 7), ("information", 7), ("again", 6))  # share of the appeals, per cent


def say(*parts) -> None:
    print(time.strftime("%H:%M:%S"), *parts, flush=True)


# --- the load: appeals over gRPC ------------------------------------------------------------------


@dataclass
class Accepted:
    key: str
    kind: str
    tracking_number: str
    appeal_id: str


@dataclass
class Load:
    """``total`` appeals; clients take the next index while it is below ``allowed`` (the chaos
    controller opens the gate step by step so that every fault happens under load)."""

    total: int
    run_id: str
    allowed: int = 0
    next_index: int = 0
    accepted: dict = field(default_factory=dict)  # key -> Accepted
    errors: Counter = field(default_factory=Counter)  # status code -> count (then retried)
    refused: dict = field(default_factory=dict)  # key -> "CODE: details" (not retried)
    given_up: list = field(default_factory=list)
    people: list = field(default_factory=list)  # persons of accepted new appeals (for "again")
    done_clients: int = 0
    deadline: float | None = None  # time.monotonic(): no new appeal after it
    lock: threading.Lock = field(default_factory=threading.Lock)
    gate: threading.Condition = field(default=None)

    def __post_init__(self):
        self.gate = threading.Condition(self.lock)

    def open_to(self, upto: int) -> None:
        with self.gate:
            self.allowed = max(self.allowed, min(upto, self.total))
            self.gate.notify_all()

    def take(self, stop: threading.Event) -> int | None:
        with self.gate:
            while (
                self.next_index >= self.allowed
                and self.next_index < self.total
                and not stop.is_set()
                and not self.over()
            ):
                self.gate.wait(0.5)
            if self.next_index >= self.total or stop.is_set() or self.over():
                return None
            self.next_index += 1
            return self.next_index - 1

    def over(self) -> bool:
        return self.deadline is not None and time.monotonic() > self.deadline

    @property
    def progress(self) -> int:
        with self.lock:
            return len(self.accepted) + len(self.refused) + len(self.given_up)


def kind_of(index: int, seed: int) -> str:
    roll = random.Random(seed * 1_000_003 + index).randrange(100)
    for kind, share in KINDS:
        if roll < share:
            return kind
        roll -= share
    return "new"


def build_request(kind: str, key: str, load: Load, rng: random.Random):
    request = appeal_request(client_request_id=key)
    if kind == "crisis":
        request.urgent = True
        request.description = "Загроза життю: погрози насильством вдома, потрібна допомога сьогодні."
    elif kind == "information":
        request.information_only = True
        request.description = "Прошу роз'яснити, які послуги доступні ветеранам у громаді."
    elif kind == "again":
        with load.lock:
            person = rng.choice(load.people) if load.people else None
        if person is None:
            return build_request("new", key, load, rng), "new"
        request.applicant.person.CopyFrom(person)
        request.description = "Повторне звернення: досі потрібна реабілітація після служби."
    return request, kind


def appeal_client(platform: RunningPlatform, load: Load, stop: threading.Event, seed: int, give_up: float) -> None:
    metadata = platform.bearer("case_manager", f"chaos-{load.run_id}")
    rng = random.Random(seed)
    channel = grpc.insecure_channel(client.address("intake", platform.env), options=CHANNEL_OPTIONS)
    stub = intake_pb2_grpc.IntakeServiceStub(channel)
    try:
        while (index := load.take(stop)) is not None:
            key = f"chaos-{load.run_id}-{index:06d}"
            request, kind = build_request(kind_of(index, seed), key, load, rng)
            started, pause = time.monotonic(), 0.1
            while True:
                try:
                    answer = stub.SubmitAppeal(request, metadata=metadata, timeout=10)
                except grpc.RpcError as exc:
                    code = exc.code()
                    if code not in RETRIED:
                        with load.lock:
                            load.refused[key] = f"{code.name}: {exc.details()}"
                        break
                    with load.lock:
                        load.errors[code.name] += 1
                    if time.monotonic() - started > give_up or stop.is_set():
                        with load.lock:
                            load.given_up.append(key)
                        break
                    time.sleep(pause)
                    pause = min(pause * 2, 1.0)
                    continue
                with load.lock:
                    load.accepted[key] = Accepted(key, kind, answer.tracking_number, answer.appeal_id)
                    if kind == "new":
                        load.people.append(request.applicant.person)
                break
    finally:
        channel.close()
        with load.lock:
            load.done_clients += 1


# --- the partners: registry records over AMQP and HTTPS -------------------------------------------


@dataclass
class Feed:
    name: str
    total: int
    acked: set = field(default_factory=set)  # source ids the partner was told are taken
    errors: Counter = field(default_factory=Counter)
    sent: int = 0


def _record(kind: str, source_id: str, n: int) -> dict:
    rnokpp = make_rnokpp(f"{(hash(source_id) % 900_000_000) + 100_000_000:09d}")
    if kind == AMQP_RECORD:
        return {"source_id": source_id, "rnokpp": rnokpp, "registered_on": "2026-11-20", "center_code": "KYIV-01"}
    return {"source_id": source_id, "rnokpp": rnokpp, "started_on": "2026-11-21", "facility_code": f"REH-{n % 7}"}


def _paced(feed: Feed, load: Load, stop: threading.Event) -> bool:
    """Wait until the appeals have come far enough for this feed's next record; False: stop."""
    while not stop.is_set():
        with load.lock:
            done = load.done_clients and (load.next_index >= load.total or load.over())
            share = (len(load.accepted) + len(load.given_up) + len(load.refused)) / max(1, load.total)
        if done or feed.sent < feed.total * share + 5:
            return True
        time.sleep(0.05)
    return False


def amqp_partner(feed: Feed, uri: str, partner: str, load: Load, stop: threading.Event, run_id: str) -> None:
    connection = channel = None
    properties = pika.BasicProperties(user_id=partner, delivery_mode=2, content_type="application/json")
    while feed.sent < feed.total and _paced(feed, load, stop):
        source_id = f"a-{run_id}-{feed.sent:06d}"
        body = json.dumps(_record(AMQP_RECORD, source_id, feed.sent)).encode()
        try:
            if connection is None or connection.is_closed:
                connection = pika.BlockingConnection(pika.URLParameters(uri))
                channel = connection.channel()
                channel.confirm_delivery()
            channel.basic_publish("partner.feed", AMQP_RECORD, body, properties, mandatory=True)
        except Exception as exc:  # noqa: BLE001 — broker away or the publish not confirmed: send it again
            feed.errors[type(exc).__name__] += 1
            with contextlib.suppress(Exception):
                connection.close()
            connection = None
            time.sleep(0.5)
            continue
        feed.acked.add(source_id)  # confirmed by the broker: from here on it is the platform's
        feed.sent += 1
    with contextlib.suppress(Exception):
        connection.close()


def https_partner(
    feed: Feed, port: int, pki: pathlib.Path, partner: str, load: Load, stop: threading.Event, run_id: str
) -> None:
    context = ssl.create_default_context(cafile=str(pki / "ca.pem"))
    context.load_cert_chain(str(pki / f"{partner}.pem"), str(pki / f"{partner}.key"))
    connection = None
    while feed.sent < feed.total and _paced(feed, load, stop):
        source_id = f"h-{run_id}-{feed.sent:06d}"
        body = json.dumps(_record(HTTPS_RECORD, source_id, feed.sent)).encode()
        headers = {
            "Content-Type": "application/json",
            "X-Road-Client": "UA/GOV/02012906/MOZ",
            "X-Road-Id": f"chaos-{source_id}",
            "X-Road-UserId": "moz-officer-1",
        }
        try:
            if connection is None:
                connection = http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=15)
            connection.request("POST", f"/partner/v1/records/{HTTPS_RECORD}", body, headers)
            response = connection.getresponse()
            answer = response.read()
            if response.status != 200 or json.loads(answer)["status"] not in ("stored", "duplicate"):
                raise RuntimeError(f"HTTP {response.status}: {answer[:200]!r}")
        except Exception as exc:  # noqa: BLE001 — inbound away (killed) or refused: send it again
            feed.errors[type(exc).__name__] += 1
            with contextlib.suppress(Exception):
                connection.close()
            connection = None
            time.sleep(0.3)
            continue
        feed.acked.add(source_id)
        feed.sent += 1
    with contextlib.suppress(Exception):
        connection.close()


# --- the faults --------------------------------------------------------------------------------------


@dataclass
class Fault:
    target: str  # a service, or "rabbitmq"
    at_appeal: int  # opened when this many appeals were submitted
    killed: list = field(default_factory=list)  # program names
    down_seconds: float = 0.0  # from the kill until the service answered its health check again
    error: str = ""


def group(platform: RunningPlatform, service: str) -> list:
    """The service's processes: the nameko process and its companions (feed consumer, webhook, HTTPS inbound)."""
    return [p for p in platform.supervisor.programs if p.name == service or p.name.startswith(service + "-")]


def kill(platform: RunningPlatform, fault: Fault, timeout: float) -> None:
    killed = [
        (p, p.process) for p in group(platform, fault.target) if p.process is not None and p.process.poll() is None
    ]
    started = time.monotonic()
    for program, process in killed:
        os.kill(process.pid, signal.SIGKILL)
        fault.killed.append(f"{program.name}[{process.pid}]")
    deadline = time.monotonic() + timeout
    for program, process in killed:  # reaped and started again by the supervisor (watch thread)
        while program.process is process and time.monotonic() < deadline:
            time.sleep(0.1)
    client.wait_healthy(fault.target, timeout=timeout, env=platform.env)
    fault.down_seconds = time.monotonic() - started


def wait_broker(uri: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            pika.BlockingConnection(pika.URLParameters(uri)).close()
            return
        except pika.exceptions.AMQPError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def restart_broker(
    platform: RunningPlatform, fault: Fault, down_for: float, lock_file: str | None, timeout: float
) -> None:
    """``rabbitmqctl stop_app``, a pause, ``start_app`` — started again whatever happens."""
    started = time.monotonic()
    lock = pathlib.Path(lock_file) if lock_file else None
    if lock:
        lock.write_text(f"bench.chaos pid {os.getpid()}\n")
    try:
        subprocess.run(["rabbitmqctl", "stop_app"], check=True, capture_output=True, timeout=120)
        fault.killed.append("rabbitmq (stop_app)")
        time.sleep(down_for)
    finally:
        subprocess.run(["rabbitmqctl", "start_app"], check=False, capture_output=True, timeout=180)
        try:
            wait_broker(platform.env["EKM_AMQP_URI"], timeout)
        finally:
            if lock:
                lock.unlink(missing_ok=True)
    for service in platform.supervisor_services:
        client.wait_healthy(service, timeout=timeout, env=platform.env)
    fault.down_seconds = time.monotonic() - started


def _fault(platform, fault: Fault, broker_down, broker_lock, recovery_timeout, load: Load, feeds) -> None:
    try:
        if fault.target == "rabbitmq":
            restart_broker(platform, fault, broker_down, broker_lock, recovery_timeout)
        else:
            kill(platform, fault, recovery_timeout)
    except Exception as exc:  # noqa: BLE001 — reported as a violation
        fault.error = f"{type(exc).__name__}: {exc}"
        say(f"{fault.target}: did not come back: {fault.error}")
        return
    say(
        f"{fault.target}: {', '.join(fault.killed)} — back in {fault.down_seconds:.1f} s "
        f"({load.progress} appeals done, {sum(len(f.acked) for f in feeds)} records acknowledged)"
    )


def plan(appeals: int, services, rounds: int) -> list[Fault]:
    """Each service in turn, RabbitMQ once in the middle of the first round; spread over the load."""
    targets = []
    for r in range(rounds):
        for i, service in enumerate(services):
            targets.append(service)
            if r == 0 and i == len(services) // 2:
                targets.append("rabbitmq")
    step = appeals / (len(targets) + 1)
    return [Fault(t, int(step * (i + 1))) for i, t in enumerate(targets)]


def watch(platform: RunningPlatform, stop: threading.Event, gave_up: list) -> None:
    """The supervisor's loop (``ekm run`` does the same): restart whatever died."""
    while not stop.is_set():
        gave_up.extend(platform.supervisor.check())
        stop.wait(0.2)


# --- the checks ----------------------------------------------------------------------------------------


def database_urls(env: dict) -> dict:
    saved = {k: os.environ.get(k) for k in ("EKM_HOME", "EKM_DATABASE_URL")}
    os.environ["EKM_HOME"], os.environ["EKM_DATABASE_URL"] = env["EKM_HOME"], env["EKM_DATABASE_URL"]
    try:
        return {service: config.database_url(service) for service in config.SERVICES}
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


class Databases:
    def __init__(self, env: dict):
        self.engines = {s: create_engine(url, pool_size=2) for s, url in database_urls(env).items()}

    def rows(self, service: str, sql: str, **params) -> list:
        with self.engines[service].connect() as conn:
            return list(conn.execute(text(sql), params))

    def count(self, service: str, sql: str, **params) -> int:
        return self.rows(service, sql, **params)[0][0]

    def close(self):
        for engine in self.engines.values():
            engine.dispose()


@dataclass
class Report:
    counts: dict = field(default_factory=dict)
    violations: list = field(default_factory=list)

    def violation(self, what: str, examples=()) -> None:
        examples = list(examples)[:3]
        self.violations.append(what + (f" — e.g. {', '.join(map(str, examples))}" if examples else ""))


def examine(db: Databases, load: Load, feeds: list[Feed], home: pathlib.Path, submitter: str) -> Report:
    report, c = Report(), {}
    appeals = {
        r.appeal_id: r
        for r in db.rows(
            "intake",
            """
        SELECT appeal_id, tracking_number, client_request_id, state, screening_level, case_number, merged_into
        FROM appeals WHERE submitted_by = :who""",
            who=submitter,
        )
    }
    by_key = {r.client_request_id: r for r in appeals.values()}
    c["appeals submitted"] = load.next_index
    c["appeals accepted (client saw)"] = len(load.accepted)
    c["client errors, retried with the same key"] = sum(load.errors.values())
    c["client gave up"] = len(load.given_up)
    c["refused"] = len(load.refused)
    c["appeals stored"] = len(appeals)
    c["stored though the client never heard (gave up)"] = len(set(by_key) - set(load.accepted))
    if load.refused:
        report.violation(f"{len(load.refused)} appeal(s) refused", [f"{k}: {v}" for k, v in load.refused.items()])
    lost = [k for k, a in load.accepted.items() if k not in by_key]
    if lost:
        report.violation(f"{len(lost)} accepted appeal(s) lost", lost)
    wrong = [
        k
        for k, a in load.accepted.items()
        if k in by_key and by_key[k].tracking_number != a.tracking_number and not by_key[k].merged_into
    ]
    if wrong:
        report.violation(f"{len(wrong)} appeal(s) stored under another tracking number than the client got", wrong)

    links = {
        r.appeal_id: r
        for r in db.rows(
            "cases",
            """
        SELECT ca.appeal_id, ca.case_id, c.case_number, c.person_id FROM case_appeals ca
        JOIN cases c ON c.case_id = ca.case_id""",
        )
    }
    first_appeal = {
        r.case_id: r.appeal_id
        for r in db.rows(
            "cases",
            """
        SELECT case_id, appeal_id FROM case_appeals ca
        WHERE linked_at = (SELECT min(linked_at) FROM case_appeals x WHERE x.case_id = ca.case_id)""",
        )
    }
    outcomes, none, many, unknown_case = Counter(), [], [], []
    for appeal in appeals.values():
        found = []
        link = links.get(appeal.appeal_id)
        if appeal.merged_into:
            found.append("merged into an earlier appeal")
        if link is not None:
            found.append(
                "case opened"
                if first_appeal.get(link.case_id) == appeal.appeal_id
                else "attached to the person's open case"
            )
            if appeal.case_number != link.case_number:
                unknown_case.append(appeal.tracking_number)
        if appeal.screening_level == "information" and not appeal.merged_into and link is None:
            found.append("consultation pending (information level)")
        if appeal.state in ("region_queue", "match_review"):
            found.append(appeal.state)
        if not found:
            none.append(appeal.tracking_number)
        elif len(found) > 1:
            many.append(f"{appeal.tracking_number}: {' + '.join(found)}")
        else:
            outcomes[found[0]] += 1
    for outcome, n in sorted(outcomes.items()):
        c[f"outcome: {outcome}"] = n
    if none:
        report.violation(f"{len(none)} appeal(s) without an outcome", none)
    if many:
        report.violation(f"{len(many)} appeal(s) with more than one outcome", many)
    if unknown_case:
        report.violation(f"{len(unknown_case)} appeal(s) whose case intake does not know", unknown_case)
    strangers = [a for a in links if a not in appeals]
    if strangers:
        report.violation(f"{len(strangers)} case link(s) to appeals intake does not have", strangers)

    cases = db.rows("cases", "SELECT case_id, case_number, person_id, assigned_to FROM cases")
    per_person = Counter(r.person_id for r in cases)
    c["cases"] = len(cases)
    c["persons"] = db.count("cases", "SELECT count(*) FROM persons")
    twice = [p for p, n in per_person.items() if n > 1]
    if twice:
        report.violation(f"{len(twice)} person(s) with more than one case", twice)
    empty = [r.case_number for r in cases if r.case_id not in first_appeal]
    if empty:
        report.violation(f"{len(empty)} case(s) without an appeal", empty)
    opened = outcomes["case opened"]
    if opened != len(cases):
        report.violation(f"{len(cases)} cases for {opened} appeals that opened one")

    deliveries = db.rows("notifications", "SELECT delivery_id, dedupe_key, status, channel FROM deliveries")
    keys = Counter(r.dedupe_key for r in deliveries)
    c["notifications (deliveries)"] = len(deliveries)
    for status, n in sorted(Counter(r.status for r in deliveries).items()):
        c[f"notifications {status}"] = n
    doubled = [k for k, n in keys.items() if n > 1]
    if doubled:
        report.violation(f"{len(doubled)} notification(s) stored more than once", doubled)
    expected = {
        f"appeal.acknowledgement:{a.appeal_id}"
        for a in appeals.values()
        if not a.merged_into and a.state != "region_queue"
    }
    expected |= {f"case.assigned:{r.case_id}:{r.assigned_to}" for r in cases if r.assigned_to}
    missing = expected - set(keys)
    c["notifications expected (acknowledgements + assignment notices)"] = len(expected)
    if missing:
        report.violation(f"{len(missing)} notification(s) never made", sorted(missing))
    unsent = [r.dedupe_key for r in deliveries if r.status != "sent"]
    if unsent:
        report.violation(f"{len(unsent)} notification(s) not sent", unsent)
    sink = home / "var" / "outgoing" / "sms.jsonl"
    lines = [json.loads(line) for line in sink.read_text(encoding="utf-8").splitlines()] if sink.exists() else []
    per_message = Counter(line["message_id"] for line in lines)
    c["SMS handed to the gateway"] = len(lines)
    c["SMS re-sent after a kill (same message id, the gateway can drop it)"] = sum(n - 1 for n in per_message.values())
    ids = {r.delivery_id for r in deliveries}
    orphans = [m for m in per_message if m not in ids]
    if orphans:
        report.violation(f"{len(orphans)} SMS sent that no delivery accounts for", orphans)

    for feed, partner_prefix in zip(feeds, ("a-", "h-")):
        stored = Counter(
            r.source_id
            for r in db.rows(
                "registry-gateway",
                "SELECT source_id FROM feed_records WHERE source_id LIKE :p",
                p=f"{partner_prefix}{load.run_id}-%",
            )
        )
        c[f"registry records acknowledged ({feed.name})"] = len(feed.acked)
        c[f"registry records stored ({feed.name})"] = len(stored)
        c[f"registry send errors, sent again ({feed.name})"] = sum(feed.errors.values())
        lost_records = sorted(feed.acked - set(stored))
        if lost_records:
            report.violation(f"{len(lost_records)} acknowledged {feed.name} record(s) lost", lost_records)
        doubled = [s for s, n in stored.items() if n > 1]
        if doubled:
            report.violation(f"{len(doubled)} {feed.name} record(s) stored more than once", doubled)

    for service in config.SERVICES:
        dead = db.rows(service, "SELECT consumer, reason FROM dead_letters")
        left = db.count(service, "SELECT count(*) FROM outbox")
        c[f"dead letters / outbox left: {service}"] = f"{len(dead)} / {left}"
        if dead:
            report.violation(
                f"{len(dead)} dead letter(s) in {service}", [f"{d.consumer}: {d.reason[:160]}" for d in dead]
            )
        if left:
            report.violation(f"{left} event(s) left in {service}'s outbox")
    report.counts = c
    return report


def settled(db: Databases, load: Load, feeds: list[Feed], submitter: str) -> bool:
    """Nothing still on its way: every appeal routed to its outcome, every notification sent,
    every acknowledged record stored, the outboxes empty."""
    waiting = db.count(
        "intake",
        """SELECT count(*) FROM appeals WHERE submitted_by = :who AND merged_into = ''
                                    AND screening_level <> 'information' AND case_number = ''""",
        who=submitter,
    )
    ack_wanted = db.count(
        "intake", "SELECT count(*) FROM appeals WHERE submitted_by = :who AND merged_into = ''", who=submitter
    )
    acks = db.count("notifications", "SELECT count(*) FROM deliveries WHERE dedupe_key LIKE 'appeal.ack%'")
    unsent = db.count("notifications", "SELECT count(*) FROM deliveries WHERE status <> 'sent'")
    records = db.count("registry-gateway", "SELECT count(*) FROM feed_records")
    outbox = sum(db.count(s, "SELECT count(*) FROM outbox") for s in config.SERVICES)
    return (
        waiting == 0
        and acks >= ack_wanted
        and unsent == 0
        and outbox == 0
        and records >= sum(len(f.acked) for f in feeds)
    )


# --- the run -----------------------------------------------------------------------------------------------


def run_chaos(
    appeals: int = 10000,
    concurrency: int = 8,
    feed_records: int | None = None,
    database_url: str | None = None,
    rounds: int = 1,
    broker_down: float = 5.0,
    broker_lock: str | None = None,
    settle_timeout: float = 600.0,
    seed: int | None = None,
    give_up: float = 180.0,
    recovery_timeout: float = 120.0,
    overlap: bool = False,
    load_minutes: float | None = None,
) -> tuple[Report, dict]:
    """Run the whole exercise; (report, timings). Leaves the broker running, drops what it made.
    ``overlap``: the next fault does not wait until the last one's service answers again.
    ``load_minutes``: no new appeal after that long (the faults spread over it); then settle and check."""
    run_id = uuid.uuid4().hex[:8]
    seed = random.randrange(10**6) if seed is None else seed
    feed_records = appeals // 2 if feed_records is None else feed_records
    base_url = database_url or f"postgresql+psycopg://postgres:postgres@127.0.0.1:5432/ekmchaos_{run_id}"
    amqp_partner_id, https_partner_id = f"chaos-dcz-{run_id}", f"chaos-moz-{run_id}"
    vhost, uri = broker.create_vhost("ekm-chaos")
    broker.create_user(amqp_partner_id, "chaos-secret", vhost, write=r"^partner\.feed$")
    timings: dict = {}
    home = pathlib.Path(tempfile.mkdtemp(prefix="ekm-chaos-"))
    try:
        pki = make_pki(home / "pki", clients=(https_partner_id,))
        partners = home / "partners.json"
        partners.write_text(
            json.dumps(
                [
                    {"partner_id": amqp_partner_id, "record_types": [AMQP_RECORD]},
                    {"partner_id": https_partner_id, "record_types": [HTTPS_RECORD]},
                ]
            )
        )
        extra = {
            "EKM_PARTNERS_FILE": str(partners),
            "EKM_PARTNER_TLS_CERT": str(pki / "server.pem"),
            "EKM_PARTNER_TLS_KEY": str(pki / "server.key"),
            "EKM_PARTNER_TLS_CLIENT_CA": str(pki / "ca.pem"),
            "EKM_MAX_WORKERS": os.environ.get("EKM_MAX_WORKERS", "16"),
            "EKM_TRACING": os.environ.get("EKM_TRACING", "on"),
        }  # off: less CPU on a crowded machine
        started = time.monotonic()
        say(f"run {run_id} (seed {seed}): starting the platform on {base_url.rsplit('/', 1)[0]}/…")
        with running_platform(home, uri, base_url, services=config.SERVICES, timeout=180, extra_env=extra) as platform:
            timings["platform start, s"] = round(time.monotonic() - started, 1)
            from nameko.standalone.rpc import ServiceRpcClient

            with ServiceRpcClient("cases", uri=uri, timeout=30) as cases:
                managers = max(4, appeals // 250)
                for i in range(managers):
                    cases.register_case_manager(
                        f"chaos-cm-{i}", COMMUNITY, appeals, ["veterans"], "chaos-sv", on_duty=(i == 0)
                    )
            report = _exercise(
                platform,
                uri,
                pki,
                run_id,
                seed,
                appeals,
                concurrency,
                feed_records,
                rounds,
                broker_down,
                broker_lock,
                settle_timeout,
                give_up,
                recovery_timeout,
                amqp_partner_id,
                https_partner_id,
                timings,
                overlap,
                load_minutes,
            )
        timings["total, s"] = round(time.monotonic() - started, 1)
        return report, timings
    finally:
        with contextlib.suppress(Exception):
            subprocess.run(["rabbitmqctl", "start_app"], check=False, capture_output=True, timeout=180)  # never stopped
        with contextlib.suppress(Exception):
            broker.delete_user(amqp_partner_id)
        with contextlib.suppress(Exception):
            broker.delete_vhost(vhost)
        if not database_url:
            _drop(base_url, home)
        subprocess.run(["rm", "-rf", str(home)], check=False)


def _drop(base_url: str, home: pathlib.Path) -> None:
    from ekm_platform.db import drop_database

    for url in database_urls({"EKM_HOME": str(home), "EKM_DATABASE_URL": base_url}).values():
        with contextlib.suppress(Exception):
            drop_database(url)


def _exercise(
    platform,
    uri,
    pki,
    run_id,
    seed,
    appeals,
    concurrency,
    feed_records,
    rounds,
    broker_down,
    broker_lock,
    settle_timeout,
    give_up,
    recovery_timeout,
    amqp_partner_id,
    https_partner_id,
    timings,
    overlap,
    load_minutes,
):
    load = Load(appeals, run_id)
    feeds = [Feed("AMQP", feed_records // 2), Feed("HTTPS", feed_records - feed_records // 2)]
    stop, watching, gave_up = threading.Event(), threading.Event(), []
    faults = plan(appeals, config.SERVICES, rounds)
    threads = [threading.Thread(target=watch, args=(platform, watching, gave_up), daemon=True)]
    threads += [
        threading.Thread(target=appeal_client, args=(platform, load, stop, seed + i, give_up), daemon=True)
        for i in range(concurrency)
    ]
    partner_uri = uri.replace("guest:guest", f"{amqp_partner_id}:chaos-secret")
    threads += [
        threading.Thread(
            target=amqp_partner, args=(feeds[0], partner_uri, amqp_partner_id, load, stop, run_id), daemon=True
        ),
        threading.Thread(
            target=https_partner,
            args=(feeds[1], int(platform.env["EKM_PARTNER_PORT"]), pki, https_partner_id, load, stop, run_id),
            daemon=True,
        ),
    ]
    db = Databases(platform.env)
    submitter = f"chaos-{run_id}"
    try:
        started = time.monotonic()
        load.open_to(faults[0].at_appeal if faults else appeals)
        for t in threads:
            t.start()
        say(
            f"load: {appeals} appeals from {concurrency} clients, {feed_records} registry records; "
            f"faults: {', '.join(f.target for f in faults)}"
        )
        recoveries = []
        if load_minutes:
            load.deadline = started + load_minutes * 60
        for i, fault in enumerate(faults):
            due = started + load_minutes * 60 * (i + 1) / (len(faults) + 1) if load_minutes else None
            while (
                load.progress < fault.at_appeal * 0.9
                and load.done_clients < concurrency
                and not (due and time.monotonic() > due)
            ):
                time.sleep(0.05)
            # the next stretch of load runs while this fault is on
            load.open_to(faults[i + 1].at_appeal if i + 1 < len(faults) else appeals)
            recovery = threading.Thread(
                target=_fault,
                args=(platform, fault, broker_down, broker_lock, recovery_timeout, load, feeds),
                daemon=True,
            )
            recovery.start()
            if overlap:  # the next fault may come while this one's service is still starting
                while not fault.killed and recovery.is_alive():
                    time.sleep(0.05)
                recoveries.append(recovery)
            else:
                recovery.join()
        for recovery in recoveries:
            recovery.join()
        load.open_to(appeals)
        for t in threads[1:]:
            t.join()
        timings["load, s"] = round(time.monotonic() - started, 1)
        say(f"load done in {timings['load, s']} s: {len(load.accepted)} appeals accepted; settling …")
        settle_start = time.monotonic()
        while not settled(db, load, feeds, submitter):
            if time.monotonic() - settle_start > settle_timeout:
                say(f"not settled after {settle_timeout:.0f} s; checking what there is")
                break
            time.sleep(1)
        timings["settle, s"] = round(time.monotonic() - settle_start, 1)
        report = examine(db, load, feeds, platform.home, submitter)
        for fault in faults:
            report.counts[f"fault: {fault.target} (killed {len(fault.killed)}), back in s"] = round(
                fault.down_seconds, 1
            )
            if fault.error or not fault.killed:
                report.violation(f"{fault.target} was not killed or did not come back: {fault.error}")
        if gave_up:
            report.violation(f"the supervisor gave up on {sorted(set(gave_up))}")
        report.counts["client errors by code"] = dict(load.errors) or "none"
        return report
    finally:
        stop.set()
        load.open_to(appeals)
        watching.set()
        db.close()


def print_report(report: Report, timings: dict) -> None:
    print("\nЕКМ chaos — kill -9 of every service and a RabbitMQ restart under load (PostgreSQL)")
    width = max(len(k) for k in list(report.counts) + list(timings))
    for key, value in list(report.counts.items()) + list(timings.items()):
        print(f"  {key:<{width}}  {value}")
    if report.violations:
        print(f"\nVIOLATIONS ({len(report.violations)}):")
        for v in report.violations:
            print(f"  ✗ {v}")
    else:
        print("\nOK: nothing lost, nothing duplicated")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="bench.chaos", description=__doc__.split("\n\n")[0])
    parser.add_argument("--appeals", type=int, default=10000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--feed-records", type=int, default=None, help="default: half the appeals")
    parser.add_argument(
        "--database-url",
        default=None,
        help="PostgreSQL base URL (default: a private ekmchaos_<run> database, dropped after)",
    )
    parser.add_argument("--rounds", type=int, default=1, help="kills of every service (the broker restarts once)")
    parser.add_argument("--broker-down", type=float, default=5.0, help="seconds between stop_app and start_app")
    parser.add_argument("--broker-lock", default=None, help="a file to create while the broker is stopped")
    parser.add_argument("--settle-timeout", type=float, default=900.0)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument(
        "--overlap", action="store_true", help="the next fault does not wait until the last one's service answers again"
    )
    parser.add_argument(
        "--load-minutes",
        type=float,
        default=None,
        help="stop submitting after this long (the faults are spread over it), then check",
    )
    args = parser.parse_args(argv)
    report, timings = run_chaos(
        args.appeals,
        args.concurrency,
        args.feed_records,
        args.database_url,
        args.rounds,
        args.broker_down,
        args.broker_lock,
        args.settle_timeout,
        args.seed,
        overlap=args.overlap,
        load_minutes=args.load_minutes,
    )
    print_report(report, timings)
    return 1 if report.violations else 0


if __name__ == "__main__":
    sys.exit(main())
