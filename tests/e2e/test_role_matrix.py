"""The role × method table of docs/roles.md is the checked source of truth.

1. Every gRPC method of the protos (read from the generated descriptors) is a row of the
   table, and every row names a method that exists.
2. Against the real platform (all five services, one start), every method is called with a
   token of every role and with no token, with an empty request:
   - a role the table denies gets PERMISSION_DENIED, and nothing is written (every
     service's database has the same row counts before and after the denied calls);
   - a role the table allows gets anything but PERMISSION_DENIED / UNAUTHENTICATED
     (an empty request is usually INVALID_ARGUMENT or NOT_FOUND);
   - no token gets UNAUTHENTICATED.
"""

from __future__ import annotations

import importlib
import pathlib
import re
import sqlite3
from concurrent.futures import ThreadPoolExecutor

import grpc
import pytest
from google.protobuf import message_factory

from ekm_platform import config
from ekm_platform.auth import ROLES, issue_token

ROOT = pathlib.Path(__file__).resolve().parents[2]
TABLE = ROOT / "docs" / "roles.md"
SERVICE_OF_PACKAGE = {
    "intake": "intake",
    "cases": "cases",
    "registry": "registry-gateway",
    "interagency": "interagency",
    "notifications": "notifications",
}
ALLOWED, DENIED = "✓", "—"
ANY = "any authenticated"
AGENCY = "12345678"  # a partner agency's token carries its ЄДРПОУ code (deploy/demo/agencies.json)
COMMUNITY = "UA80000000000093317"


def proto_methods() -> dict[str, tuple[str, object]]:
    """``{"ekm.cases.v1.CaseService/GetCase": (service, method descriptor)}`` for every gRPC method."""
    found = {}
    for package, service in SERVICE_OF_PACKAGE.items():
        module = importlib.import_module(f"ekm.{package}.v1.{package}_pb2")
        for svc in module.DESCRIPTOR.services_by_name.values():
            for method in svc.methods:
                found[f"{svc.full_name}/{method.name}"] = (service, method)
    return found


def parse_table(text: str) -> dict[str, frozenset[str]]:
    """``{"ekm.cases.v1.CaseService/GetCase": roles allowed}``; "any authenticated" is every role."""
    rows, header, service = {}, None, None
    for line in text.splitlines():
        heading = re.match(r"^#+\s+`?(ekm\.[\w.]+)`?", line)
        if heading:
            service, header = heading.group(1), None
            continue
        if not line.startswith("|"):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if header is None:
            header = cells
            unknown = set(header[1:]) - set(ROLES) - {ANY}
            assert not unknown, f"docs/roles.md: unknown column(s) {unknown}"
            continue
        if set(cells[0]) <= set("-: "):
            continue
        name = cells[0].strip("`")
        assert service, f"docs/roles.md: a row before any service heading: {line}"
        marks = dict(zip(header[1:], cells[1:]))
        for column, mark in marks.items():
            assert mark in (ALLOWED, DENIED), f"docs/roles.md {name}: '{mark}' in {column}: use {ALLOWED} or {DENIED}"
        key = f"{service}/{name}"
        assert key not in rows, f"docs/roles.md names {key} twice"
        if marks.get(ANY) == ALLOWED:
            rows[key] = frozenset(ROLES)
            assert all(marks[r] == ALLOWED for r in ROLES), f"{key}: '{ANY}' and a denied role"
        else:
            rows[key] = frozenset(r for r in ROLES if marks.get(r) == ALLOWED)
    return rows


def test_the_table_names_every_grpc_method_and_no_other():
    table, methods = parse_table(TABLE.read_text()), proto_methods()
    missing, unknown = sorted(set(methods) - set(table)), sorted(set(table) - set(methods))
    assert not missing, f"methods the table lacks: {missing}"
    assert not unknown, f"the table names methods that do not exist: {unknown}"
    assert len(methods) > 80


def test_the_parser_reads_allowed_denied_and_any():
    text = (
        "## `ekm.x.v1.X`\n| method | " + " | ".join(ROLES) + f" | {ANY} |\n|---|" + "---|" * 7 + "\n"
        "| `A` | ✓ | — | — | — | — | — | — |\n| B | — | — | — | — | — | — | — |\n"
        "| C | ✓ | ✓ | ✓ | ✓ | ✓ | ✓ | ✓ |\n"
    )
    assert parse_table(text) == {
        "ekm.x.v1.X/A": {"case_manager"},
        "ekm.x.v1.X/B": frozenset(),
        "ekm.x.v1.X/C": frozenset(ROLES),
    }
    with pytest.raises(AssertionError):
        parse_table(text.replace("| C | ✓", "| C | x"))


# --- against the running platform -------------------------------------------------------------


def metadata_for(platform, role: str | None) -> list:
    if role is None:
        return []
    key = (platform.home / "var/keys/jwt-private.pem").read_bytes()
    token = issue_token(
        f"matrix-{role}",
        role,
        community_code=COMMUNITY if role in ("case_manager", "supervisor") else "",
        organisation=AGENCY if role == "partner_agency" else "",
        private_key=key,
    )
    return [("authorization", f"Bearer {token}")]


def filled(descriptor, depth: int = 0):
    """A request whose every field holds a value no method accepts: unknown enum numbers,
    strings that are no identifier, negative numbers (a caller's junk is still refused by role
    first, never INVALID_ARGUMENT to a role that may not call the method)."""
    message = message_factory.GetMessageClass(descriptor)()
    for field in descriptor.fields:
        if field.message_type is not None:
            if (
                depth >= 2
                or field.message_type.GetOptions().map_entry
                or field.message_type.full_name.startswith("google.protobuf.")
            ):  # well-known types: tests/fuzz
                continue
            target = getattr(message, field.name)
            inner = filled(field.message_type, depth + 1)
            (target.add().CopyFrom(inner) if field.is_repeated else target.CopyFrom(inner))
            continue
        value = {
            field.TYPE_ENUM: 9999,
            field.TYPE_STRING: "?<x>",
            field.TYPE_BOOL: True,
            field.TYPE_BYTES: b"\x00",
            field.TYPE_DOUBLE: -1.5,
            field.TYPE_FLOAT: -1.5,
        }.get(field.type, -7)
        if field.type in (field.TYPE_UINT32, field.TYPE_UINT64, field.TYPE_FIXED32, field.TYPE_FIXED64):
            value = 7
        if field.is_repeated:
            getattr(message, field.name).append(value)
        else:
            setattr(message, field.name, value)
    return message


def call(channels, name, service, method, metadata, junk=False):
    request_class = message_factory.GetMessageClass(method.input_type)
    response_class = message_factory.GetMessageClass(method.output_type)
    stub = channels[service].unary_unary(
        f"/{name}", request_serializer=request_class.SerializeToString, response_deserializer=response_class.FromString
    )
    try:
        stub(filled(method.input_type) if junk else request_class(), metadata=metadata, timeout=20)
        return grpc.StatusCode.OK, ""
    except grpc.RpcError as exc:
        return exc.code(), exc.details()


def row_counts(home: pathlib.Path) -> dict:
    counts = {}
    for db in sorted((home / "var").glob("*.db")):
        if db.stem == "traces":  # the dev span store: every call adds its spans
            continue
        with sqlite3.connect(db) as conn:
            for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table'"):
                counts[f"{db.stem}.{table}"] = conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
    return counts


@pytest.fixture(scope="module")
def platform(tmp_path_factory, ekm_amqp_uri):
    from nameko.standalone.rpc import ServiceRpcClient

    from ekm_platform.testing.platform import running_platform

    with running_platform(tmp_path_factory.mktemp("ekm-roles"), ekm_amqp_uri, services=config.SERVICES) as running:
        with ServiceRpcClient("interagency", uri=running.env["EKM_AMQP_URI"], timeout=20) as interagency:
            # the partner agency's token names a registered agency (else its calls are refused for that)
            interagency.register_agency(
                {
                    "agency_code": AGENCY,
                    "name": "Реабілітаційний центр",
                    "sector": "health",
                    "community_code": COMMUNITY,
                }
            )
        yield running


def run_calls(platform, calls):
    from ekm_platform.client import channel

    channels = {s: channel(s, platform.env) for s in config.SERVICES}
    try:
        with ThreadPoolExecutor(8) as pool:
            results = list(pool.map(lambda c: call(channels, *c), calls))
    finally:
        for ch in channels.values():
            ch.close()
    return results


@pytest.mark.e2e
@pytest.mark.timeout(150)
def test_every_role_against_every_method_on_the_running_platform(platform):
    table, methods = parse_table(TABLE.read_text()), proto_methods()
    tokens = {role: metadata_for(platform, role) for role in (*ROLES, None)}
    both = (False, True)  # an empty request, then one whose every field is junk
    denied = [
        (name, role, junk) for junk in both for name in methods for role in ROLES if role not in table.get(name, ROLES)
    ]
    anonymous = [(name, None, junk) for junk in both for name in methods]
    # an allowed role with an empty request (junk in every field is tests/fuzz's business)
    allowed = [(name, role, False) for name in methods for role in table.get(name, ())]

    def calls(triples):
        return [(name, *methods[name], tokens[role], junk) for name, role, junk in triples]

    before = row_counts(platform.home)
    results = run_calls(platform, calls(denied + anonymous))
    after = row_counts(platform.home)
    problems = []
    for (name, role, junk), (code, details) in zip(denied + anonymous, results):
        expected = grpc.StatusCode.PERMISSION_DENIED if role else grpc.StatusCode.UNAUTHENTICATED
        if code != expected:
            problems.append(
                f"{name} as {role or 'no token'}{' (junk)' * junk}: {code.name} {details!r}, expected {expected.name}"
            )
    written = {t: (before.get(t), n) for t, n in after.items() if before.get(t) != n}
    for (name, role, junk), (code, details) in zip(allowed, run_calls(platform, calls(allowed))):
        if code in (
            grpc.StatusCode.PERMISSION_DENIED,
            grpc.StatusCode.UNAUTHENTICATED,
            grpc.StatusCode.INTERNAL,
            grpc.StatusCode.UNKNOWN,
            grpc.StatusCode.UNIMPLEMENTED,
        ):
            problems.append(f"{name} as {role} (allowed){' (junk)' * junk}: {code.name} {details!r}")
    assert not problems, f"{len(problems)} disagreements with docs/roles.md:\n" + "\n".join(problems)
    assert not written, f"denied or anonymous calls wrote rows: {written}"
