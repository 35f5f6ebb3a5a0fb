"""The ``ekm`` command: what an operator or a developer types.

Operating the platform:
    ekm status [SERVICE ...] [--json]   gRPC health, queues (ready/unacked/consumers) and dead
                                        letters of every service; exit 1 when something is wrong
    ekm dead-letters SERVICE [--json]   list events no handler could take: seq, age, attempts, reason
    ekm dead-letters SERVICE --replay SEQ [SEQ ...] | --replay-all
                                        publish them again (a progress bar on a terminal)
    ekm trace KEY                       print a trace by tracking number, case number or trace id
    ekm audit-verify SERVICE [--chain]  verify the audit log's hash chain against its signed anchors

Running it:
    ekm migrate [SERVICE ...]           apply database migrations and declare event queues
    ekm run [--no-demo]                 run the whole platform on this machine (Ctrl-C stops it)
    ekm demo                            submit the demo appeals through gRPC
    ekm token --role R --user U         issue a development bearer token

Exit codes: 0 fine, 1 a problem found (or a dead letter not replayed), 2 a usage error,
3 a broken audit chain. ``ekm COMMAND --help`` tells more about each.
"""

from __future__ import annotations

import argparse
import json
import pathlib
import re
import signal
import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from ekm_platform import config


def cmd_migrate(args: argparse.Namespace) -> int:
    from ekm_platform.migrations import migrate
    from ekm_platform.topology import declare_event_queues

    unknown = set(args.services) - set(config.SERVICES)
    if unknown:
        print(f"невідомий сервіс / unknown service: {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    for service in args.services or config.SERVICES:
        package = f"{config.package_name(service)}.adapters.migrations"
        applied = migrate(config.database_url(service), package)
        queues = declare_event_queues(config.service_class(service), config.amqp_uri())
        print(f"{service}: {len(applied)} migration(s) applied {applied or ''}; {len(queues)} event queue(s) declared")
    return 0


def cmd_audit_verify(args: argparse.Namespace) -> int:
    """Walk the hash chain, then hold it against its signed anchors outside the database
    (``ekm_platform.audit_anchor``): an edit, a cut tail or a recomputed chain each fail."""
    from sqlalchemy import MetaData, inspect

    from ekm_platform.audit import audit_table, chain_pending, verify
    from ekm_platform.audit_anchor import AnchorLog, chain_head, check_anchors
    from ekm_platform.db import make_engine

    engine = make_engine(config.database_url(args.service))
    table = audit_table(MetaData())
    anchors = AnchorLog(args.service)
    try:
        if not inspect(engine).has_table("audit_log"):
            print(
                f"У сервісу {args.service} немає журналу аудиту / {args.service} has no audit log "
                "(run `ekm migrate` first)",
                file=sys.stderr,
            )
            return 2
        with engine.begin() as conn:
            if args.chain:
                chain_pending(conn, table, limit=10**9)
        if args.chain:
            with engine.connect() as conn:
                anchors.append(*chain_head(conn, table))
        with engine.connect() as conn:
            result = verify(conn, table)
            anchored = check_anchors(conn, table, anchors)
    finally:
        engine.dispose()
    if not result.ok:
        print(
            f"Журнал аудиту порушено на записі {result.broken_at} / audit chain broken at entry "
            f"{result.broken_at} ({result.checked} verified before it)",
            file=sys.stderr,
        )
        return 3
    if not anchored.ok:
        for problem in anchored.problems:
            print(problem, file=sys.stderr)
        return 3
    print(
        f"Журнал аудиту цілий / audit log intact: {result.checked} linked, {result.pending} pending; "
        f"{anchored.anchors} anchor(s), the newest at position {anchored.latest_pos} ({anchors.path})"
    )
    return 0


_ATTEMPTS = re.compile(r"(\d+) (?:спроб|attempts)")


def dead_letter_attempts(reason: str) -> int:
    """How many times the handler tried: ``N attempts failed; …`` after the back-off
    retries (``ekm_platform.events``), else 1 (an event no handler can ever use is a dead
    letter at its first attempt; so is an undecodable message)."""
    found = _ATTEMPTS.match(reason or "")
    return int(found.group(1)) if found else 1


def format_age(seconds: float) -> str:
    """``42 s``, ``7 min``, ``3 h 05 min``, ``2 d 04 h``."""
    seconds = max(0, int(seconds))
    if seconds < 60:
        return f"{seconds} s"
    minutes, hours, days = seconds // 60, seconds // 3600, seconds // 86400
    if hours < 1:
        return f"{minutes} min"
    if days < 1:
        return f"{hours} h {minutes % 60:02d} min"
    return f"{days} d {hours % 24:02d} h"


def dead_letter_view(row: Any, now: datetime | None = None) -> dict:
    """One dead letter as listed: seq, age, attempts, consumer, event, reason."""
    created = row.created_at if row.created_at.tzinfo else row.created_at.replace(tzinfo=UTC)
    now = now or datetime.now(UTC)
    try:
        body = json.loads(row.payload)
    except ValueError:
        body = None
    replayable = isinstance(body, dict) and bool(body.get("source")) and bool(body.get("event_type"))
    return {
        "seq": row.seq,
        "created_at": created.isoformat(),
        "age_seconds": int((now - created).total_seconds()),
        "attempts": dead_letter_attempts(row.reason),
        "consumer": row.consumer,
        "event_id": row.event_id,
        "event_type": body.get("event_type") if replayable else None,
        "replayable": replayable,
        "reason": row.reason,
    }


def render_dead_letters(views: list[dict]) -> str:
    """One line each, the seq first (``--replay SEQ`` takes it), the whole reason last."""
    lines = []
    for v in views:
        reason = " ".join(v["reason"].split())
        lines.append(
            f"{v['seq']:>6}  {format_age(v['age_seconds']) + ' ago':>15}  {v['attempts']:>2} attempt(s)  "
            f"{v['consumer']:<40}  {'' if v['replayable'] else '[not replayable] '}{reason}"
        )
    lines.append(f"{len(views)} dead letter(s) / мертвих листів")
    return "\n".join(lines)


def cmd_dead_letters(args: argparse.Namespace) -> int:
    """List a service's dead letters, or replay one or all of them: each event goes back to
    the exchange it came from (consumers are idempotent, so those that handled it already
    ignore it), then its dead letter is removed."""
    from sqlalchemy import MetaData, inspect, select

    from ekm_platform.db import make_engine
    from ekm_platform.messaging_tables import messaging_tables

    engine = make_engine(config.database_url(args.service))
    table = messaging_tables(MetaData())["dead_letters"]
    try:
        if not inspect(engine).has_table("dead_letters"):
            print(
                f"У сервісу {args.service} немає таблиці мертвих листів / {args.service} has no dead-letter table "
                "(run `ekm migrate` first)",
                file=sys.stderr,
            )
            return 2
        with engine.connect() as conn:
            query = select(table).order_by(table.c.seq)
            if args.replay:
                query = query.where(table.c.seq.in_(args.replay))
            rows = conn.execute(query).all()
        if not args.replay and not args.replay_all:
            views = [dead_letter_view(row) for row in rows]
            print(json.dumps(views, ensure_ascii=False, indent=2) if args.json else render_dead_letters(views))
            return 0
        missing = sorted(set(args.replay or ()) - {row.seq for row in rows})
        for seq in missing:
            print(f"Немає листа {seq} / no dead letter {seq}", file=sys.stderr)
        replayed, refused = _replay_dead_letters(engine, table, rows)
        for seq in refused:
            print(f"Лист {seq} не є подією, яку можна повторити / {seq} is not a replayable event", file=sys.stderr)
        print(
            f"Повторено / replayed: {len(replayed)} of {len(rows)}"
            + (f" ({', '.join(replayed[:5])}{', …' if len(replayed) > 5 else ''})" if replayed else "")
        )
        return 1 if missing or refused else 0
    finally:
        engine.dispose()


def _replay_dead_letters(engine: Any, table: Any, rows: Sequence[Any]) -> tuple[list[str], list[int]]:
    """Publish each row's event (broker confirms), then delete the row: a crash between the
    two publishes it once more at the next replay, which the consumers' inbox absorbs."""
    import kombu
    from nameko.standalone.events import get_event_exchange
    from sqlalchemy import delete

    from ekm_platform.progress import Progress

    replayed, refused = [], []
    with (
        kombu.Connection(config.amqp_uri(), transport_options={"confirm_publish": True}) as connection,
        Progress("replay", len(rows), unit="letters", step=1) as progress,
    ):
        producer = connection.Producer()
        for row in rows:
            view = dead_letter_view(row)
            if not view["replayable"]:
                refused.append(row.seq)
                progress.add()
                continue
            body = json.loads(row.payload)
            exchange = get_event_exchange(body["source"])
            producer.publish(
                body,
                exchange=exchange,
                routing_key=body["event_type"],
                serializer="json",
                delivery_mode=2,
                declare=[exchange],
                retry=True,
            )
            with engine.begin() as conn:
                conn.execute(delete(table).where(table.c.seq == row.seq))
            replayed.append(f"{body['event_type']} {body.get('event_id', '')}".strip())
            progress.add()
    return replayed, refused


def cmd_token(args: argparse.Namespace) -> int:
    from ekm_platform.auth import ensure_dev_keys, issue_token

    ensure_dev_keys()
    print(issue_token(args.user, args.role, community_code=args.community, organisation=args.org, ttl_seconds=args.ttl))
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from google.protobuf import json_format
    from nameko.standalone.rpc import ServiceRpcClient

    from ekm.intake.v1 import intake_pb2, intake_pb2_grpc
    from ekm_platform import client

    served = pathlib.Path(args.file).with_name("communities.json")  # the demo regions' communities (КАТОТТГ)
    if served.exists():
        with ServiceRpcClient("intake", uri=config.amqp_uri(), timeout=60) as intake:
            for community in json.loads(served.read_text(encoding="utf-8")):
                intake.register_community(community["code"], community["name"], community.get("providers", []))
                print(f"  demo community: {community['code']} {community['name']}")
    roster = pathlib.Path(args.file).with_name("case_managers.json")
    if roster.exists():
        with ServiceRpcClient("cases", uri=config.amqp_uri(), timeout=30) as cases:
            for manager in json.loads(roster.read_text(encoding="utf-8")):
                cases.register_case_manager(**manager)
                print(f"  demo case manager: {manager['manager_id']} ({manager['community_code']})")
    agencies = pathlib.Path(args.file).with_name("agencies.json")
    if agencies.exists():  # partner agencies of the interagency cabinet (the reference table)
        with ServiceRpcClient("interagency", uri=config.amqp_uri(), timeout=30) as interagency:
            for agency in json.loads(agencies.read_text(encoding="utf-8")):
                interagency.register_agency(agency)
                print(f"  demo agency: {agency['agency_code']} ({agency['sector']})")
    offers = pathlib.Path(args.file).with_name("resource_offers.json")
    if offers.exists():  # the community resource bank: a demo donor's offers (added once, by title)
        from ekm.interagency.v1 import interagency_pb2, interagency_pb2_grpc
        from ekm_platform.auth import issue_token

        with client.channel("interagency") as channel:
            bank = interagency_pb2_grpc.InteragencyServiceStub(channel)
            for item in json.loads(offers.read_text(encoding="utf-8")):
                donor = [
                    (
                        "authorization",
                        "Bearer "
                        + issue_token(item["donor"]["user_id"], "donor", organisation=item["donor"]["organisation"]),
                    )
                ]
                titles = {
                    o.title
                    for o in bank.ListOffers(interagency_pb2.ListOffersRequest(), metadata=donor, timeout=10).offers
                }
                if item["offer"]["title"] not in titles:
                    bank.CreateOffer(
                        json_format.ParseDict(item["offer"], interagency_pb2.CreateOfferRequest()),
                        metadata=donor,
                        timeout=10,
                    )
                print(f"  demo resource offer: {item['offer']['title']}")
    appeals = json.loads(pathlib.Path(args.file).read_text(encoding="utf-8"))
    metadata = client.bearer("case_manager", "demo-case-manager")
    with client.channel("intake") as channel:
        stub = intake_pb2_grpc.IntakeServiceStub(channel)
        for item in appeals:
            request = json_format.ParseDict(item, intake_pb2.SubmitAppealRequest())
            reply = stub.SubmitAppeal(request, metadata=metadata, timeout=10)
            state = intake_pb2.AppealState.Name(reply.state).removeprefix("APPEAL_STATE_").lower()
            print(f"  demo appeal {item.get('clientRequestId', '')}: {reply.tracking_number} ({state})")
    _demo_chatbot_appeal(pathlib.Path(args.file).with_name("chatbots.json"))
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    from ekm_platform import client
    from ekm_platform.auth import ensure_dev_keys
    from ekm_platform.supervisor import Supervisor, programs

    ensure_dev_keys()
    from ekm_platform.dev_pki import partner_tls_environment

    partner_tls_environment()  # development partner certificates under var/pki/ on first run
    simulators = _simulators_installed()
    web = _web_installed()
    dev_smtp = _dev_smtp_program()  # e-mail goes to a local SMTP server keeping .eml files (var/outgoing/mail)
    try:  # EKM_INSTANCES: several processes of a service (PostgreSQL only)
        supervisor = Supervisor(programs(simulators=simulators, web=web) + dev_smtp)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    busy = _grpc_ports_in_use()
    if busy:  # the instances share their port (SO_REUSEPORT): a platform already there would share it too
        print(
            f"Порти gRPC уже зайняті / gRPC ports already in use: {', '.join(busy)} — is another "
            "`ekm run` running? Stop it, or set EKM_<SERVICE>_GRPC_PORT.",
            file=sys.stderr,
        )
        return 2

    def stop_on_signal(signum: int, frame: object) -> None:  # `kill`, a closed terminal, systemd: stop like Ctrl-C
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop_on_signal)
    if signal.getsignal(signal.SIGHUP) is not signal.SIG_IGN:  # under nohup, logging out stops nothing
        signal.signal(signal.SIGHUP, stop_on_signal)
    try:
        supervisor.start()
        for service in config.SERVICES:
            client.wait_healthy(service, timeout=60)
        supervisor.wait_started(timeout=120)  # every instance, not only the one a health check reached
        counts = config.instances()
        print("\nЕКМ працює / EKM is running. gRPC endpoints (health + reflection on each):")
        for service in config.SERVICES:
            shared = f"  ({counts[service]} instances on one port, SO_REUSEPORT)" if counts[service] > 1 else ""
            print(f"  {service:18} {client.address(service)}{shared}")
        if simulators:
            print(
                f"  registry simulators http://127.0.0.1:{__import__('os').environ.get('EKM_SIMULATORS_PORT', '8081')}/"
            )
        _print_partner_inbound()
        print(
            f"  chat-bot webhook   http://127.0.0.1:{__import__('os').environ.get('EKM_CHATBOT_PORT', '8090')}"
            "/intake/v1/chatbot/<bot>/appeals (signed: see the README)"
        )
        if dev_smtp:
            print(
                f"  dev SMTP server    127.0.0.1:{dev_smtp[0].argv[4]}: e-mail kept in var/outgoing/mail/*.eml "
                "(SMS and push in var/outgoing/*.jsonl)"
            )
        if web:
            _print_web()
        print(f"Logs: {supervisor.log_dir}/<service>.log   Token: .venv/bin/ekm token --role case_manager --user cm-1")
        if not args.no_demo:
            cmd_demo(argparse.Namespace(file=args.demo_file))
        print("Ctrl-C зупиняє / stops the platform.", flush=True)
        while True:
            failed = supervisor.check()
            if failed:
                print(f"!! gave up restarting: {', '.join(failed)}", file=sys.stderr)
                return 1
            time.sleep(1)
    except KeyboardInterrupt:
        print("\nЗупинка / stopping…")
        return 0
    finally:
        for name in ("SIGINT", "SIGTERM", "SIGHUP"):  # a second signal must not cut the stop short
            signal.signal(getattr(signal, name), signal.SIG_IGN)
        supervisor.stop()


def _grpc_ports_in_use() -> list:
    """The services' gRPC addresses something already accepts connections on."""
    import socket

    from ekm_platform import client

    busy = []
    for service in config.SERVICES:
        host, port = client.address(service).rsplit(":", 1)
        try:
            socket.create_connection((host, int(port)), timeout=0.5).close()
            busy.append(f"{service} {host}:{port}")
        except OSError:
            pass
    return busy


def _dev_smtp_program() -> list:
    """Unless EKM_SMTP_HOST names a real server: a development SMTP server (aiosmtpd) on
    127.0.0.1:EKM_DEV_SMTP_PORT (8025), and notifications pointed at it."""
    import os

    from ekm_platform.supervisor import Program

    if os.environ.get("EKM_SMTP_HOST"):
        return []
    port = os.environ.get("EKM_DEV_SMTP_PORT", "8025")
    os.environ["EKM_SMTP_HOST"], os.environ["EKM_SMTP_PORT"] = "127.0.0.1", port
    return [
        Program(
            "dev-smtp",
            [
                sys.executable,
                "-m",
                "notifications.adapters.smtp_sink",
                "--port",
                port,
                "--folder",
                str(config.var_dir() / "outgoing" / "mail"),
            ],
        )
    ]


def _demo_chatbot_appeal(bots_file: pathlib.Path) -> None:
    """One appeal through the demo chat-bot's signed webhook, as a bot would send it."""
    import os
    import urllib.error
    import urllib.request

    from intake.webhook import bot_secret, sign

    if not bots_file.exists():
        return
    bot = json.loads(bots_file.read_text(encoding="utf-8"))[0]
    secret = bot_secret(bot)
    body = json.dumps(
        {
            "message_id": "demo-chatbot-1",
            "conversation_id": "demo-conversation-1",
            "description": "Повернувся з фронту, не можу знайти роботу, потрібна підтримка",
            "consent_to_processing": True,
            "applicant": {
                "last_name": "Мельник",
                "first_name": "Тарас",
                "rnokpp": "3101500420",
                "birth_date": "1984-11-30",
                "is_subject": True,
                "phone": "+380631110004",
            },
        },
        ensure_ascii=False,
    ).encode()
    stamp = str(int(time.time()))
    port = os.environ.get("EKM_CHATBOT_PORT", "8090")
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/intake/v1/chatbot/{bot['bot_id']}/appeals",
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "X-EKM-Timestamp": stamp,
            "X-EKM-Signature": sign(secret.encode(), stamp, body),
        },
    )
    deadline = time.monotonic() + 20
    while True:
        try:
            with urllib.request.urlopen(request, timeout=15) as reply:
                print(f"  demo chat-bot appeal accepted: {json.loads(reply.read())['tracking_number']}")
            return
        except urllib.error.HTTPError as exc:
            print(f"  demo chat-bot appeal refused: {exc.code} {exc.read()[:300]!r}")
            return
        except OSError as exc:  # the webhook may still be starting
            if time.monotonic() > deadline:
                print(f"  demo chat-bot appeal not sent: {exc}")
                return
            time.sleep(0.5)


def _print_partner_inbound() -> None:
    """Where partners post records (HTTPS, mTLS), once it listens, with a curl to try."""
    import os
    import socket

    port = int(os.environ.get("EKM_PARTNER_PORT", "8443"))
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.2)
    else:
        print(f"  partner inbound    not listening on {port} yet: see var/log/registry-gateway-partners.log")
        return
    pki = pathlib.Path(os.environ.get("EKM_PARTNER_TLS_CLIENT_CA", "var/pki/ca.pem")).parent
    print(
        f"  partner inbound    https://127.0.0.1:{port}/partner/v1/records/<type>, SOAP /partner/soap?wsdl "
        f"(mTLS; demo partner certificate {pki}/partner-dcz.pem, see the README for a curl)"
    )


def _web_installed() -> bool:
    import importlib.util

    return importlib.util.find_spec("ekm_web") is not None


def _print_web() -> None:
    """Where the web workplace listens, once it does."""
    import os
    import socket

    host, port = os.environ.get("EKM_WEB_HOST", "127.0.0.1"), int(os.environ.get("EKM_WEB_PORT", "8080"))
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            socket.create_connection((host, port), timeout=1).close()
            print(f"  web workplace      http://{host}:{port}/  (sign in as a demo user: see web/README.md)")
            return
        except OSError:
            time.sleep(0.2)
    print(f"  web workplace      not listening on {port} yet: see var/log/web.log")


def _simulators_installed() -> bool:
    import importlib.util

    return importlib.util.find_spec("registry_simulators") is not None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="ekm",
        description="ЕКМ: інструменти платформи / platform tools",
        epilog=__doc__.split("\n", 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    from ekm_platform import status

    p = sub.add_parser(
        "status",
        help="health, queues and dead letters of every service",
        description=status.__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    status.add_arguments(p)
    p.set_defaults(func=status.run)

    p = sub.add_parser("migrate", help="apply migrations and declare event queues")
    p.add_argument("services", nargs="*", metavar="SERVICE", help=", ".join(config.SERVICES))
    p.set_defaults(func=cmd_migrate)

    p = sub.add_parser(
        "audit-verify", help="verify the hash chain of a service's audit log", description=cmd_audit_verify.__doc__
    )
    p.add_argument("service", choices=config.SERVICES)
    p.add_argument("--chain", action="store_true", help="link pending entries first (and anchor the head)")
    p.set_defaults(func=cmd_audit_verify)

    p = sub.add_parser(
        "dead-letters",
        help="list a service's dead letters (reason, attempts, age), or replay them",
        description=cmd_dead_letters.__doc__,
    )
    p.add_argument("service", choices=config.SERVICES)
    replay = p.add_mutually_exclusive_group()
    replay.add_argument("--replay", type=int, nargs="+", metavar="SEQ", help="publish these dead letters' events again")
    replay.add_argument("--replay-all", action="store_true", help="publish every dead letter's event again")
    p.add_argument("--json", action="store_true", help="list as JSON")
    p.set_defaults(func=cmd_dead_letters)

    p = sub.add_parser("token", help="issue a development bearer token")
    p.add_argument("--role", required=True)
    p.add_argument("--user", required=True)
    p.add_argument("--community", default="")
    p.add_argument("--org", default="", help="the organisation (ЄДРПОУ) of a partner agency")
    p.add_argument("--ttl", type=int, default=8 * 3600)
    p.set_defaults(func=cmd_token)

    default_demo = str(config.home() / "deploy" / "demo" / "appeals.json")
    p = sub.add_parser("demo", help="submit the demo appeals")
    p.add_argument("--file", default=default_demo)
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("run", help="run the platform on this machine")
    p.add_argument("--no-demo", action="store_true")
    p.add_argument("--demo-file", default=default_demo)
    p.set_defaults(func=cmd_run)

    from ekm_platform import trace_cli

    p = sub.add_parser(
        "trace", help="print a trace by tracking number, case number or trace id", description=trace_cli.__doc__
    )
    trace_cli.add_arguments(p)
    p.set_defaults(func=trace_cli.run)

    args = parser.parse_args(argv)
    return args.func(args) or 0


if __name__ == "__main__":
    sys.exit(main())
