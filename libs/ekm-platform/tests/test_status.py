"""``ekm status`` and ``ekm dead-letters``: what they make of the figures, and how they show them
(no broker, no service: the integration test tests/integration/test_ekm_status.py looks at real ones)."""

import io
import json
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from ekm_platform import cli, status
from ekm_platform.progress import Progress

QUEUE_ROWS = [
    {"name": "rpc-intake", "messages_ready": 0, "messages_unacknowledged": 0, "consumers": 1},
    {"name": "rpc-registry_gateway", "messages_ready": 0, "messages_unacknowledged": 0, "consumers": 1},
    {
        "name": "evt-intake-appeal.accepted--notifications.on_appeal_accepted",
        "messages_ready": 4,
        "messages_unacknowledged": 2,
        "consumers": 0,
    },
    {
        "name": "evt-intake-appeal.accepted--cases.on_appeal_accepted",
        "messages_ready": 0,
        "messages_unacknowledged": 1,
        "consumers": 3,
    },
    {"name": "partner.feed.records", "messages_ready": 0, "messages_unacknowledged": 0, "consumers": 1},
    {"name": "partner.feed.dead", "messages_ready": 2, "messages_unacknowledged": 0, "consumers": 0},
    {"name": "ekm.retry.1000", "messages_ready": 5, "messages_unacknowledged": 0, "consumers": 0},
    {"name": "rpc.reply-standalone_rpc_client-0f1e", "messages_ready": 0, "messages_unacknowledged": 0, "consumers": 1},
    {"name": "somebody.elses", "messages_ready": 1, "messages_unacknowledged": 0},
]


def test_queues_are_given_to_the_service_that_consumes_them():
    assert status.classify("rpc-intake") == ("intake", "rpc")
    assert status.classify("rpc-registry_gateway") == ("registry-gateway", "rpc")
    assert status.classify("evt-cases-case.opened--registry_gateway.on_case_opened") == ("registry-gateway", "events")
    assert status.classify("evt-intake-appeal.accepted--nosuch.handler") == (None, "other")
    assert status.classify("partner.feed.records") == ("registry-gateway", "feed")
    assert status.classify("partner.feed.dead") == ("registry-gateway", "dead")
    assert status.classify("ekm.retry.500") == (None, "retry")
    assert status.classify("rpc.reply-standalone_rpc_client-abc") is None  # the caller's, not shown


def test_the_partner_feed_queues_are_the_feed_consumers():
    from registry_gateway import feed_consumer

    assert (status.FEED_QUEUE, status.FEED_DEAD_QUEUE) == (feed_consumer.QUEUE, feed_consumer.DEAD)


def platform_status(rows=QUEUE_ROWS, health=None, dead=None, broker_error=""):
    queues = status.queues_from_api(rows)
    health, dead = health or {}, dead or {}
    services = [
        status.ServiceStatus(
            s,
            f"127.0.0.1:{50051 + i}",
            health.get(s, status.SERVING),
            dead.get(s, 0),
            queues=[q for q in queues if q.service == s],
        )
        for i, s in enumerate(("intake", "cases", "registry-gateway", "notifications"))
    ]
    result = status.PlatformStatus(
        "http://127.0.0.1:15672", "ekm-x", services, [q for q in queues if q.service is None], broker_error
    )
    result.problems = status.find_problems(result)
    return result


def test_every_rule_names_its_problem():
    found = platform_status(
        health={"cases": status.UNREACHABLE, "intake": status.NOT_SERVING}, dead={"notifications": 3}
    ).problems
    assert found == [
        "intake: gRPC health NOT_SERVING at 127.0.0.1:50051",
        "cases: gRPC health UNREACHABLE at 127.0.0.1:50052",
        "registry-gateway: 2 dead record(s) in partner.feed.dead (python -m registry_gateway.feed_consumer --dead list)",
        (
            "notifications: queue evt-intake-appeal.accepted--notifications.on_appeal_accepted has no consumer "
            "(6 message(s) waiting)"
        ),
        "notifications: 3 dead letter(s) (ekm dead-letters notifications)",
    ]


def test_retries_waiting_and_consumed_queues_are_no_problem():
    rows = [r for r in QUEUE_ROWS if r.get("consumers") or r["name"] in ("ekm.retry.1000", "somebody.elses")]
    healthy = platform_status(rows=rows)
    assert healthy.problems == [] and healthy.healthy
    assert [q.name for q in healthy.shared_queues] == ["ekm.retry.1000", "somebody.elses"]


def test_an_unknown_figure_is_a_problem_too():
    result = platform_status(rows=[], broker_error="http://127.0.0.1:15672: HTTP 401 Unauthorized")
    result.services[0].dead_letters, result.services[0].dead_letters_error = None, "OperationalError: refused"
    result.problems = status.find_problems(result)
    assert result.problems == [
        "RabbitMQ management API: http://127.0.0.1:15672: HTTP 401 Unauthorized",
        "intake: dead letters unknown: OperationalError: refused",
    ]
    assert status.render(result).splitlines()[3].split()[3:] == ["?"] * 4  # unknown, not 0
    result.broker_error, result.broker_alarm = "", "memory resource limit alarm set on node rabbit@mq"
    assert status.find_problems(result)[0] == "RabbitMQ alarm: memory resource limit alarm set on node rabbit@mq"


def test_the_table_shows_each_service_and_each_queue_with_its_figures():
    text = status.render(platform_status(health={"cases": status.UNREACHABLE}, dead={"notifications": 3}))
    lines = text.splitlines()
    assert lines[0] == "ЕКМ: стан / status — RabbitMQ http://127.0.0.1:15672 vhost ekm-x"
    header = lines[2]
    assert header.split() == [
        "СЕРВІС",
        "/",
        "SERVICE",
        "gRPC",
        "ADDRESS",
        "QUEUES",
        "READY",
        "UNACKED",
        "DEAD",
        "LETTERS",
    ]
    rows = {line.split()[0]: line.split() for line in lines[3:7]}
    assert rows["cases"] == ["cases", "UNREACHABLE", "127.0.0.1:50052", "1", "0", "1", "0"]
    assert rows["notifications"] == ["notifications", "SERVING", "127.0.0.1:50054", "1", "4", "2", "3"]
    assert rows["registry-gateway"][3:] == ["3", "2", "0", "2"]  # partner.feed.dead's records count as dead
    queue_lines = {line.split()[1]: line.split() for line in lines if line.startswith(("notifications ", "(shared)"))}
    assert queue_lines["evt-intake-appeal.accepted--notifications.on_appeal_accepted"] == [
        "notifications",
        "evt-intake-appeal.accepted--notifications.on_appeal_accepted",
        "events",
        "4",
        "2",
        "0",
    ]
    assert queue_lines["ekm.retry.1000"] == ["(shared)", "ekm.retry.1000", "retry", "5", "0", "0"]
    assert "rpc.reply" not in text
    assert lines[-5] == "ПРОБЛЕМИ / PROBLEMS (4):" and lines[-1].startswith("  ✗ notifications: 3 dead letter")
    # the numbers are right-aligned under their headers
    assert len({len(line) for line in lines[2:7]}) == 1


def test_all_healthy_is_said_so():
    rows = [r for r in QUEUE_ROWS if r.get("consumers")]
    assert status.render(platform_status(rows=rows)).splitlines()[-1] == "✓ Усе гаразд / all healthy"


def test_json_carries_the_same_figures():
    data = json.loads(json.dumps(status.as_json(platform_status(dead={"cases": 1}))))
    assert data["healthy"] is False and data["vhost"] == "ekm-x"
    notifications = next(s for s in data["services"] if s["service"] == "notifications")
    assert notifications["queues"][0] == {
        "name": "evt-intake-appeal.accepted--notifications.on_appeal_accepted",
        "kind": "events",
        "service": "notifications",
        "ready": 4,
        "unacked": 2,
        "consumers": 0,
    }
    assert next(s for s in data["services"] if s["service"] == "cases")["dead_letters"] == 1
    assert next(s for s in data["services"] if s["service"] == "registry-gateway")["dead_total"] == 2
    assert data["problems"] == platform_status(dead={"cases": 1}).problems


def test_the_management_api_is_found_from_the_amqp_uri(tmp_path):
    found = status.management_settings({"EKM_AMQP_URI": "amqp://ops:s%40cret@broker.internal:5672/ekm%2Fprod"})
    assert (found.url, found.user, found.password, found.vhost) == (
        "http://broker.internal:15672",
        "ops",
        "s@cret",
        "ekm/prod",
    )
    assert "s@cret" not in repr(found)
    assert status.management_settings({"EKM_AMQP_URI": "amqps://u:p@mq:5671/"}).url == "https://mq:15671"
    default = status.management_settings({"EKM_AMQP_URI": "amqp://127.0.0.1"})
    assert (default.user, default.password, default.vhost) == ("guest", "guest", "/")
    secret = tmp_path / "password"
    secret.write_text("from-a-file\n")
    own = status.management_settings(
        {
            "EKM_AMQP_URI": "amqp://a:b@mq/",
            "EKM_RABBITMQ_MANAGEMENT_URL": "http://m:9/",
            "EKM_RABBITMQ_MANAGEMENT_USER": "monitor",
            "EKM_RABBITMQ_MANAGEMENT_PASSWORD_FILE": str(secret),
        }
    )
    assert (own.url, own.user, own.password, own.vhost) == ("http://m:9", "monitor", "from-a-file", "/")
    uri_file = tmp_path / "amqp-uri"
    uri_file.write_text("amqp://feed:pw@mq.example:5672/ekm\n")
    from_file = status.management_settings({"EKM_AMQP_URI_FILE": str(uri_file)})
    assert (from_file.url, from_file.user, from_file.password, from_file.vhost) == (
        "http://mq.example:15672",
        "feed",
        "pw",
        "ekm",
    )
    with pytest.raises(ValueError):  # the shared rule (config.secret): not both
        status.management_settings(
            {"EKM_RABBITMQ_MANAGEMENT_PASSWORD": "a", "EKM_RABBITMQ_MANAGEMENT_PASSWORD_FILE": str(secret)}
        )


def dead_letter(seq, reason, payload, minutes_ago, naive=False):
    created = datetime.now(UTC) - timedelta(minutes=minutes_ago)
    return SimpleNamespace(
        seq=seq,
        consumer="notifications.on_appeal_accepted",
        event_id="e-1",
        reason=reason,
        payload=json.dumps(payload),
        created_at=created.replace(tzinfo=None) if naive else created,
    )


def test_dead_letters_are_listed_with_age_attempts_and_the_whole_reason():
    rows = [
        dead_letter(
            7,
            "8 спроб не вдалося / 8 attempts failed; last: OperationalError: no such\n table: x",
            {"source": "intake", "event_type": "appeal.accepted", "event_id": "e-1"},
            125,
            naive=True,
        ),
        dead_letter(
            9,
            "неможливо декодувати повідомлення / undecodable message (content type 'text/plain')",
            {"undecodable": True, "body": "привіт"},
            0,
        ),
    ]
    views = [cli.dead_letter_view(row) for row in rows]
    assert [(v["seq"], v["attempts"], v["replayable"], v["event_type"]) for v in views] == [
        (7, 8, True, "appeal.accepted"),
        (9, 1, False, None),
    ]
    assert 125 * 60 <= views[0]["age_seconds"] < 125 * 60 + 30  # a naive time (SQLite) is UTC
    lines = cli.render_dead_letters(views).splitlines()
    assert lines[0].split()[:5] == ["7", "2", "h", "05", "min"] and "8 attempt(s)" in lines[0]
    assert lines[0].endswith("last: OperationalError: no such table: x")
    assert lines[1].split()[0] == "9" and "[not replayable] неможливо декодувати" in lines[1]
    assert lines[2] == "2 dead letter(s) / мертвих листів"


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [(0, "0 s"), (59, "59 s"), (60, "1 min"), (3599, "59 min"), (3600, "1 h 00 min"), (90061, "1 d 01 h"), (-5, "0 s")],
)
def test_ages_read_at_a_glance(seconds, shown):
    assert cli.format_age(seconds) == shown


def test_the_help_names_every_operator_command(capsys):
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    shown = capsys.readouterr().out
    for command in ("status", "dead-letters", "--replay-all", "trace", "audit-verify", "migrate"):
        assert command in shown


def test_progress_is_one_plain_line_without_a_terminal(monkeypatch):
    monkeypatch.setenv("EKM_PROGRESS", "auto")
    stream = io.StringIO()  # not a TTY: no bar, no carriage returns
    progress = Progress("persons", 3000, unit="rows", stream=stream)
    for _ in range(3000):
        progress.add()
    progress.close()  # closing twice writes nothing more
    assert "\r" not in stream.getvalue()
    assert stream.getvalue().startswith("persons: 3,000 rows in ") and stream.getvalue().count("\n") == 1


def test_progress_draws_a_bar_when_asked(monkeypatch):
    monkeypatch.setenv("EKM_PROGRESS", "on")
    stream = io.StringIO()
    with Progress("replay", 4, unit="letters", stream=stream, step=1) as progress:
        for _ in range(4):
            progress.add()
    assert "replay: 100%" in stream.getvalue() and "4/4" in stream.getvalue()


def test_dead_letters_of_a_database_never_migrated_say_so(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("EKM_HOME", str(tmp_path))
    monkeypatch.delenv("EKM_DATABASE_URL", raising=False)
    monkeypatch.delenv("EKM_CASES_DATABASE_URL", raising=False)
    monkeypatch.delenv("EKM_VAR_DIR", raising=False)
    assert cli.main(["dead-letters", "cases"]) == 2
    assert "run `ekm migrate` first" in capsys.readouterr().err
