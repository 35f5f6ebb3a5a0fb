"""Messaging discipline, checked mechanically over every service (issue 12, item 2).

- Every consumer is found by walking each service class's nameko entrypoints: it must be
  the platform's retrying, dead-lettering handler (``ekm_platform.events``), on a durable
  service-pool queue that ``ekm migrate`` declares, and it must keep an inbox: given an event
  its inbox already holds, it changes nothing and calls nothing (run through
  ``nameko.testing.worker_factory`` with a recording unit of work), and its inbox name is
  the same as its dead-letter name (``<service>.<method>``, which replay relies on).
- Every publisher is found by reading (``ast``) every module of every service package and of
  the platform library: an event is only ever published through a unit of work
  (``uow.publish`` / ``publish_many``: the outbox row is written in the transaction of the
  change), every service with a database runs the outbox relay, and nothing else may touch a
  broker publishing API (nameko's ``EventDispatcher``, ``kombu`` producers, ``pika``) except
  the few places listed in ``DIRECT_PUBLISHERS`` with the reason each is safe.
- Every event consumed is published by its source service, and the README's "Messaging
  discipline" table names every consumer and every event published.
No broker is needed here; the broker round trips are in test_event_retries.py,
test_partner_feed.py and test_quorum_queues.py.
"""

from __future__ import annotations

import ast
import fnmatch
import functools
import importlib
import pathlib
import pkgutil
import types
from unittest.mock import MagicMock

import pytest
from nameko.events import SERVICE_POOL, EventHandler
from nameko.extensions import ENTRYPOINT_EXTENSIONS_ATTR, DependencyProvider, Entrypoint
from nameko.messaging import Consumer
from nameko.testing.services import worker_factory

from ekm_platform import config
from ekm_platform.batch_events import BatchingEventHandler
from ekm_platform.dependencies import Database
from ekm_platform.envelope import Envelope
from ekm_platform.events import RetryingEventHandler
from ekm_platform.outbox_relay import OutboxRelay
from ekm_platform.topology import event_queues

pytestmark = pytest.mark.timeout(120)
ROOT = pathlib.Path(__file__).resolve().parents[2]

# Modules that talk to a broker's publishing API themselves, and why that is not "an event
# published after a database change without the outbox". A new one fails the test until it
# is either moved behind the outbox or listed here with its reason; a stale entry fails too.
DIRECT_PUBLISHERS = {
    "ekm_platform.outbox_relay": "the outbox relay itself: publishes committed outbox rows, deletes them after the "
    "broker's confirm",
    "ekm_platform.events": "re-publishes a failed message to a retry delay queue (nothing written), then acks it",
    "ekm_platform.cli": "operator replay of a stored dead letter: published first, row deleted after "
    "(a duplicate is absorbed by the inbox)",
    "registry_gateway.feed_consumer": "the partner feed consumer: puts a failed record on a retry delay queue or "
    "the dead queue, nothing written; its events go through the outbox (ingest)",
    "registry_gateway.partner_inbound": "copies a refused HTTPS record (nothing stored) to the feed's dead queue",
}
BROKER_MODULES = (
    "pika",
    "kombu",
    "nameko.events",
    "nameko.messaging",
    "nameko.amqp.publish",
    "nameko.standalone.events",
)
PUBLISHING_NAMES = {"EventDispatcher", "event_dispatcher", "Publisher", "Producer", "basic_publish"}


# --- enumeration ---------------------------------------------------------------------------
def service_classes():
    return {service: config.service_class(service) for service in config.SERVICES}


def consumers():
    """(service, class, method name, entrypoint) for every consuming entrypoint."""
    found = []
    for service, cls in service_classes().items():
        for attr in sorted(dir(cls)):
            for ext in getattr(getattr(cls, attr, None), ENTRYPOINT_EXTENSIONS_ATTR, ()):
                if isinstance(ext, (Consumer, EventHandler)) or "consume" in type(ext).__name__.lower():
                    found.append((service, cls, attr, ext))
    return found


@functools.cache
def package_modules():
    """Every module of every service package and of the platform library (not tests)."""
    names = []
    for package in [config.package_name(s) for s in config.SERVICES] + ["ekm_platform"]:
        root = importlib.import_module(package)
        names.append(package)
        for info in pkgutil.walk_packages(root.__path__, prefix=f"{package}."):
            if ".tests" not in info.name and not info.name.startswith("ekm_platform.testing"):
                names.append(info.name)
    return tuple(names)


@functools.cache
def module_ast(name: str):
    spec = importlib.util.find_spec(name)
    return ast.parse(pathlib.Path(spec.origin).read_text(encoding="utf-8"))


def broker_publishing(name: str) -> list[str]:
    """What in module ``name`` (anywhere: a function's local import counts) reaches a publishing API."""
    hits = []
    for node in ast.walk(module_ast(name)):
        if isinstance(node, ast.Import):
            hits += [a.name for a in node.names if a.name == "pika" or a.name.startswith("pika.")]
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith(BROKER_MODULES):
            hits += [f"{node.module}.{a.name}" for a in node.names if a.name in PUBLISHING_NAMES]
        elif isinstance(node, ast.Attribute) and node.attr in PUBLISHING_NAMES:
            hits.append(f".{node.attr}")
    return hits


def uow_publications(name: str) -> list[tuple[str, str]]:
    """(receiver, event type or pattern) of every ``….publish(`` / ``….publish_many(`` call."""
    module = importlib.import_module(name)
    found = []
    for node in ast.walk(module_ast(name)):
        if not (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("publish", "publish_many")
        ):
            continue
        receiver = ast.unparse(node.func.value)
        if isinstance(getattr(module, receiver, None), types.ModuleType):
            continue  # a function of another module that happens to be called publish (de-identified tables)
        if node.func.attr == "publish_many":
            found.append((receiver, "<publish_many>"))
            continue
        first = node.args[0] if node.args else None
        if isinstance(first, ast.JoinedStr):  # f"referral.{state}" -> referral.*
            found.append((receiver, "".join(v.value if isinstance(v, ast.Constant) else "*" for v in first.values)))
        else:
            found += [(receiver, value) for value in resolve(first, module)]
    return found


def resolve(node, module):
    """The value of an event type expression in its module; ``other.NAME`` where ``other`` is
    imported inside a function is looked up in the modules of the same package; both
    branches of ``A if … else B``."""
    if isinstance(node, ast.IfExp):
        return resolve(node.body, module) + resolve(node.orelse, module)
    try:
        return [eval(compile(ast.Expression(node), module.__name__, "eval"), vars(module))]
    except NameError:
        if not isinstance(node, ast.Attribute):
            raise
        package = module.__name__.split(".")[0]
        values = {
            getattr(importlib.import_module(n), node.attr)
            for n in package_modules()
            if n.startswith(f"{package}.") and isinstance(getattr(importlib.import_module(n), node.attr, None), str)
        }
        assert len(values) == 1, f"{module.__name__}: cannot resolve {ast.unparse(node)}: {values}"
        return [values.pop()]


@functools.cache
def published_event_types():
    """service -> event types (or fnmatch patterns) it publishes through its outbox."""
    from registry_gateway.domain.feed_records import RECORD_TYPES

    published: dict[str, set[str]] = {}
    for service in config.SERVICES:
        package = config.package_name(service)
        for name in [n for n in package_modules() if n == package or n.startswith(f"{package}.")]:
            for receiver, event_type in uow_publications(name):
                if event_type == "<publish_many>":  # the partner feed: one canonical event per record type
                    assert name == "registry_gateway.service_layer.feeds", f"{name}: publish_many({receiver})"
                    published.setdefault(service, set()).update(t.canonical_event for t in RECORD_TYPES.values())
                else:
                    published.setdefault(service, set()).add(event_type)
    return published


# --- consumers -----------------------------------------------------------------------------
def test_there_are_consumers_to_check():
    services = {service for service, *_ in consumers()}
    assert {"cases", "intake", "notifications"} <= services and len(consumers()) >= 20


@pytest.mark.parametrize("service,cls,method,ext", consumers(), ids=lambda v: v if isinstance(v, str) else "")
def test_every_consumer_is_the_retrying_dead_lettering_handler_on_a_declared_queue(service, cls, method, ext):
    assert isinstance(ext, RetryingEventHandler), (
        f"{service}.{method}: {type(ext).__name__} does not retry "
        "with back-off nor dead-letter (use ekm_platform.events)"
    )
    assert ext.handler_type == SERVICE_POOL and ext.reliable_delivery, f"{service}.{method}: not a durable pool queue"
    declared = {q.name for q in event_queues(cls)}
    assert f"evt-{ext.source_service}-{ext.event_type}--{cls.name}.{method}" in declared  # by `ekm migrate`


class RecordingUow:
    """A unit of work whose inbox holds every event: records what the handler asks of it."""

    def __init__(self, log):
        self.log = log

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return None

    def already_handled(self, event_id, consumer):
        self.log.append(("already_handled", event_id, consumer))
        return True

    def handled_among(self, event_ids, consumer):
        ids = set(event_ids)
        self.log.append(("handled_among", frozenset(ids), consumer))
        return ids

    def mark_handled_many(self, event_ids, consumer):
        if list(event_ids):
            self.log.append(("mark_handled_many", list(event_ids), consumer))

    def commit(self):
        pass

    def rollback(self):
        pass

    def __getattr__(self, name):  # repo, session, publish, mark_handled, dead_letter, audit …
        self.log.append(("touched", name))
        return MagicMock()


@pytest.mark.parametrize("service,cls,method,ext", consumers(), ids=lambda v: v if isinstance(v, str) else "")
def test_every_consumer_keeps_an_inbox_a_duplicate_changes_nothing(service, cls, method, ext):
    log: list = []
    db = next(name for name, attr in vars(cls).items() if isinstance(attr, Database))
    worker = worker_factory(cls, **{db: lambda: RecordingUow(log)})
    envelopes = [
        Envelope(event_type=ext.event_type, source=ext.source_service, data={"probe": "duplicate"}) for _ in range(2)
    ]
    consumer = f"{cls.name}.{method}"
    if isinstance(ext, BatchingEventHandler):
        for bodies in ([envelopes[0].to_message()], [e.to_message() for e in envelopes]):
            getattr(worker, method)(bodies)
        expected = [
            ("already_handled", envelopes[0].event_id, consumer),
            ("handled_among", frozenset(e.event_id for e in envelopes), consumer),
        ]
    else:
        getattr(worker, method)(envelopes[0].to_message())
        expected = [("already_handled", envelopes[0].event_id, consumer)]
    assert log == expected, f"{consumer}: the inbox was not consulted under its own name before anything else"
    others = {name: dep for name, dep in vars(worker).items() if isinstance(dep, MagicMock)}
    assert not [name for name, dep in others.items() if dep.mock_calls], "a duplicate event called another service"


def test_every_inbox_name_is_unique():
    names = [f"{cls.name}.{method}" for _, cls, method, _ in consumers()]
    assert len(names) == len(set(names))


# --- publishers ----------------------------------------------------------------------------
def test_every_service_with_a_database_runs_the_outbox_relay_and_no_dispatcher():
    for service, cls in service_classes().items():
        providers = [attr for attr in vars(cls).values() if isinstance(attr, DependencyProvider)]
        kinds = {type(p).__name__ for p in providers}
        assert not kinds & {"EventDispatcher", "Publisher"}, f"{service} dispatches events directly: {kinds}"
        if any(isinstance(p, Database) for p in providers):
            assert any(isinstance(p, OutboxRelay) for p in providers), f"{service} has no outbox relay"
        entrypoints = [e for v in vars(cls).values() for e in getattr(v, ENTRYPOINT_EXTENSIONS_ATTR, ())]
        assert all(isinstance(e, Entrypoint) for e in entrypoints)


def test_only_the_listed_modules_touch_a_broker_publishing_api():
    found = {name: hits for name in package_modules() if (hits := broker_publishing(name))}
    unlisted = {name: hits for name, hits in found.items() if name not in DIRECT_PUBLISHERS}
    assert not unlisted, f"publishing outside the outbox (publish through uow.publish instead): {unlisted}"
    assert set(DIRECT_PUBLISHERS) == set(found), (
        f"stale DIRECT_PUBLISHERS entries: {set(DIRECT_PUBLISHERS) - set(found)}"
    )


def test_every_publish_in_a_service_is_a_unit_of_works_outbox_write():
    for service in config.SERVICES:
        package = config.package_name(service)
        for name in [n for n in package_modules() if n.startswith(package)]:
            for receiver, event_type in uow_publications(name):
                assert receiver == "uow" or receiver.endswith(".uow"), (
                    f"{name}: {receiver}.publish({event_type!r}) is not a unit of work's outbox"
                )


def test_every_event_consumed_is_published_by_its_source_service():
    published = published_event_types()
    for service, _cls, method, ext in consumers():
        patterns = published.get(ext.source_service.replace("_", "-"), set())
        assert any(fnmatch.fnmatchcase(ext.event_type, p) for p in patterns), (
            f"{service}.{method} waits for {ext.source_service}/{ext.event_type}, which nobody publishes"
        )


# --- the README says the same --------------------------------------------------------------
def readme_section() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("## Messaging discipline")
    end = text.find("\n## ", start + 1)
    return text[start : end if end > 0 else None]


def test_the_readme_table_names_every_consumer_and_every_published_event():
    section = readme_section()
    missing = [f"{cls.name}.{method}" for _, cls, method, _ in consumers() if f"`{cls.name}.{method}`" not in section]
    assert not missing, f"README 'Messaging discipline' does not list: {missing}"
    events = sorted({t for types_ in published_event_types().values() for t in types_})
    missing = [t for t in events if f"`{t}`" not in section]
    assert not missing, f"README 'Messaging discipline' does not list the events: {missing}"


# --- the consumer outside nameko: the partner feed (pika) -------------------------------------
PIKA_CONSUMERS = {
    "registry_gateway.feed_consumer": "partner records: batch ingest deduplicated by (partner, source id) — its "
    "inbox — with the platform's retry policy, then partner.feed.dead",
}


def test_the_only_consumer_outside_nameko_is_the_partner_feed_on_the_platform_retry_policy():
    found = set()
    for name in package_modules():
        tree = module_ast(name)
        if any(
            isinstance(n, ast.Attribute) and n.attr in ("basic_consume", "consume", "basic_get") for n in ast.walk(tree)
        ) and "pika" in broker_publishing(name):
            found.add(name)
    assert found == set(PIKA_CONSUMERS)
    imported = {
        (n.module, a.name)
        for n in ast.walk(module_ast("registry_gateway.feed_consumer"))
        if isinstance(n, ast.ImportFrom)
        for a in n.names
    }
    assert {
        ("ekm_platform.events", "delay_queue"),
        ("ekm_platform.events", "max_attempts"),
        ("ekm_platform.events", "retry_delay"),
        ("ekm_platform.topology", "queue_arguments"),
    } <= imported


class FakeChannel:
    def __init__(self):
        self.published, self.acked, self.declared = [], [], []

    def basic_publish(self, exchange, routing_key, body, properties):
        self.published.append((exchange, routing_key, body, properties))

    def basic_ack(self, tag, multiple=False):
        self.acked.append(tag)

    def exchange_declare(self, *args, **kwargs):
        self.declared.append(("exchange", args))

    def queue_declare(self, *args, **kwargs):
        self.declared.append(("queue", args, kwargs))

    def queue_bind(self, *args, **kwargs):
        pass


def feed_consumer(monkeypatch, fail: bool):
    import pika

    from registry_gateway import feed_consumer as module

    consumer = object.__new__(module.FeedConsumer)
    consumer.user, consumer.max_attempts, consumer.declared_delays = "ekm-service", 3, set()
    consumer.partners = {"partner-a": {"employment.registered"}}
    ingested = []

    def ingest_batch(channel, batch):
        if fail:
            raise RuntimeError("database away")
        ingested.append([(consumer.sender(p), consumer.record_type(m, p)) for m, p, _ in batch])
        channel.basic_ack(batch[-1][0].delivery_tag, multiple=True)

    consumer.ingest_batch = ingest_batch
    monkeypatch.setattr(module, "OPERATORS", {"operator"})
    return consumer, ingested, pika, module


def delivery(pika, tag, user_id, headers=None, routing_key="employment.registered"):
    return (
        types.SimpleNamespace(delivery_tag=tag, routing_key=routing_key),
        pika.BasicProperties(user_id=user_id, headers=headers, content_type="application/json"),
        b"{}",
    )


def test_a_feed_record_that_fails_is_retried_with_back_off_then_dead(monkeypatch):
    monkeypatch.setenv("EKM_EVENT_RETRY_DELAY", "1")
    consumer, _, pika, module = feed_consumer(monkeypatch, fail=True)
    channel = FakeChannel()
    consumer.handle(channel, [delivery(pika, 1, "partner-a"), delivery(pika, 2, "partner-a")])
    assert channel.acked == [1, 2]  # the batch failed, so each record was tried (and put aside) alone
    (exchange, key, _, props), _ = channel.published
    assert (exchange, key) == ("ekm.retry.1000", module.QUEUE) and props.user_id == "ekm-service"
    assert props.headers["x-ekm-attempts"] == 1 and props.headers["x-ekm-partner"] == "partner-a"
    assert props.headers["x-ekm-record-type"] == "employment.registered"
    assert "database away" in props.headers["x-ekm-last-error"]

    # it comes back through the default exchange (routing key: the queue), on its second try
    channel = FakeChannel()
    consumer.handle(channel, [delivery(pika, 3, "ekm-service", props.headers, routing_key=module.QUEUE)])
    ((exchange, _, _, again),) = channel.published
    assert exchange == "ekm.retry.2000" and again.headers["x-ekm-attempts"] == 2
    assert again.headers["x-ekm-record-type"] == "employment.registered"
    channel = FakeChannel()
    consumer.handle(channel, [delivery(pika, 4, "ekm-service", again.headers, routing_key=module.QUEUE)])
    ((exchange, key, _, dead),) = channel.published
    assert (exchange, key) == ("", module.DEAD) and "3 attempts failed" in dead.headers["x-ekm-reason"]
    assert dead.headers["x-ekm-partner"] == "partner-a" and "x-ekm-retried" not in dead.headers
    assert channel.acked == [4]


def test_a_retried_feed_record_keeps_its_partner_and_a_partner_cannot_pose_as_a_retry(monkeypatch):
    consumer, ingested, pika, module = feed_consumer(monkeypatch, fail=False)
    retry_headers = {
        "x-ekm-retried": 1,
        "x-ekm-partner": "partner-a",
        "x-ekm-record-type": "employment.registered",
        "x-ekm-attempts": 1,
    }
    consumer.handle(FakeChannel(), [delivery(pika, 1, "ekm-service", retry_headers, routing_key=module.QUEUE)])
    consumer.handle(
        FakeChannel(),
        [
            delivery(
                pika,
                2,
                "partner-b",
                {**retry_headers, "x-ekm-partner": "partner-a"},
                routing_key="employment.registered",
            )
        ],
    )
    consumer.handle(FakeChannel(), [delivery(pika, 3, "operator", {"x-ekm-replayed": 1, "x-ekm-partner": "partner-a"})])
    consumer.handle(FakeChannel(), [delivery(pika, 4, None, retry_headers, routing_key="employment.registered")])
    consumer.user = None  # a consumer whose connection names no user trusts no retry header
    consumer.handle(FakeChannel(), [delivery(pika, 5, None, retry_headers, routing_key="employment.registered")])
    assert ingested == [
        [("partner-a", "employment.registered")],
        [("partner-b", "employment.registered")],  # the broker-checked user, not the header
        [("partner-a", "employment.registered")],
        [(None, "employment.registered")],  # no user: not authenticated (a dead record)
        [(None, "employment.registered")],
    ]


# --- the queue type setting ----------------------------------------------------------------
def test_the_queue_type_setting_reaches_every_declaration_the_platform_makes(monkeypatch):
    from ekm_platform import topology
    from ekm_platform.events import delay_queue

    monkeypatch.delenv("EKM_QUEUE_TYPE", raising=False)
    assert topology.queue_type() == "classic" and topology.queue_arguments() == {}
    assert "x-queue-type" not in delay_queue(500).queue_arguments  # as before: existing queues stay equivalent
    monkeypatch.setenv("EKM_QUEUE_TYPE", "Quorum")
    for cls in service_classes().values():
        assert all(q.queue_arguments == {"x-queue-type": "quorum"} for q in event_queues(cls))
    assert delay_queue(500).queue_arguments == {
        "x-message-ttl": 500,
        "x-dead-letter-exchange": "",
        "x-queue-type": "quorum",
        "x-dead-letter-strategy": "at-least-once",
        "x-overflow": "reject-publish",
    }
    assert topology.reply_queue_arguments() == {"x-queue-type": "classic"}
    monkeypatch.setenv("EKM_QUEUE_TYPE", "mirrored")
    with pytest.raises(ValueError, match="EKM_QUEUE_TYPE"):
        topology.queue_type()


def test_the_kubernetes_manifests_and_the_code_agree_on_quorum_queues(monkeypatch):
    """The RabbitMQ component makes the vhost default to quorum queues and tells every ЕКМ
    process (ekm-config) to declare quorum queues; every overlay uses that component.
    (tests/test_deploy_manifests.py renders and validates the overlays themselves.)"""
    import yaml

    from ekm_platform import topology

    component = ROOT / "deploy" / "k8s" / "components" / "rabbitmq"
    vhosts = [d for d in yaml.safe_load_all((component / "topology.yaml").read_text()) if d and d["kind"] == "Vhost"]
    assert [v["spec"]["defaultQueueType"] for v in vhosts] == ["quorum"]
    kustomization = yaml.safe_load((component / "kustomization.yaml").read_text())
    [patch] = [p for p in kustomization["patches"] if p["target"].get("name") == "ekm-config"]
    [op] = [o for o in yaml.safe_load(patch["patch"]) if o["path"] == "/data/EKM_QUEUE_TYPE"]
    monkeypatch.setenv("EKM_QUEUE_TYPE", op["value"])
    assert topology.queue_type() == "quorum"
    for overlay in (ROOT / "deploy" / "k8s" / "overlays").iterdir():
        used = yaml.safe_load((overlay / "kustomization.yaml").read_text()).get("components", [])
        assert "../../components/rabbitmq" in used, overlay.name
