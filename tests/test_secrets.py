"""Secrets come only from the environment or files (README «Безпека / Security»).

1. A mechanical scan of the source (every tracked or new file outside the tests and the
   generated code): a private key, a URL with a password, a secret-looking name assigned a
   literal, a default for a secret environment variable, a known token format, an HMAC or JWT
   key written in code — each fails the test unless ALLOWED names it, with why it may stay
   (development only, on loopback, documented as such).
2. Configuration: the broker URI and database URLs come from ``EKM_<NAME>`` or
   ``EKM_<NAME>_FILE``; the web session key and the chat-bot secrets likewise; the only
   default credentials are the development broker's, on loopback; the deployment's
   Secret manifests hold placeholders only.
"""

from __future__ import annotations

import json
import pathlib
import re
import subprocess

import pytest
import yaml

from ekm_platform import config

ROOT = pathlib.Path(__file__).resolve().parents[1]
TEXT_SUFFIXES = {
    ".py",
    ".json",
    ".yaml",
    ".yml",
    ".toml",
    ".sh",
    ".cfg",
    ".ini",
    ".env",
    ".md",
    ".txt",
    ".html",
    ".j2",
    ".jinja",
    ".wsdl",
    ".xml",
    ".conf",
    ".service",
}
TEXT_NAMES = {"Makefile", "Dockerfile", ".env"}
PLACEHOLDER = re.compile(r"CHANGE-?ME|PLACEHOLDER|REPLACE|EXAMPLE|<[^>]*>|\$\{?\w+|\{\w*\}|…|\.\.\.|\*{3,}", re.I)
LOOPBACK = {"127.0.0.1", "localhost", "::1"}

PATTERNS = {
    "private key": re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----(?P<value>[\s\S]{0,120})"),
    "password in a URL": re.compile(
        r"\b[a-z][a-z0-9+.-]*://(?P<user>[^/\s:@'\"`]+):(?P<value>[^@\s/'\"`]+)@(?P<host>[^/\s:'\"`]+)"
    ),
    "secret assigned a literal": re.compile(
        r"(?i)\b[\w-]*(?:password|passwd|secret|api[_-]?key|access[_-]?key|private[_-]?key|auth[_-]?token)[\w-]*"
        r"[\"']?\s*[:=]\s*b?[\"'](?P<value>[^\"'\s]{8,})[\"']"
    ),
    "default of a secret variable": re.compile(
        r"environ(?:\.get)?\(\s*[\"'](?P<name>[A-Z0-9_]*(?:PASSWORD|SECRET|TOKEN|_KEY)[A-Z0-9_]*)[\"']\s*,\s*"
        r"b?[\"'](?P<value>[^\"']+)[\"']"
    ),
    "HMAC key in code": re.compile(r"hmac\.new\(\s*b?[\"'](?P<value>[^\"']*)"),
    "JWT key in code": re.compile(
        r"jwt\.(?:encode|decode)\([^()]*?,\s*b?[\"'](?P<value>[^\"']+)[\"']\s*,\s*algorithms?="
    ),
    "a JWT": re.compile(r"\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.(?P<value>[A-Za-z0-9_-]{10,})"),
    "a cloud or chat token": re.compile(
        r"\b(?P<value>AKIA[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{36}|xox[abprs]-[A-Za-z0-9-]{10,}|AIza[0-9A-Za-z_-]{35}"
        r"|sk_live_[0-9A-Za-z]{16,})\b"
    ),
}

NAMED = {"secret assigned a literal", "default of a secret variable"}  # where a value may be a variable's name

# (path, the matched value) -> why it may stay. Each is development-only and documented so.
ALLOWED = {
    (
        "deploy/demo/chatbots.json",
        "demo-chatbot-secret-for-development-only",
    ): "the demo bot of `make run` (the file says: development only; a deployment uses secret_env / secret_file)",
}


def source_files() -> list[pathlib.Path]:
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    files = []
    for name in sorted(set(listed)):
        path = pathlib.Path(name)
        parts = set(path.parts)
        if parts & {"tests", ".venv", "node_modules", "var"} or path.name.endswith(("_pb2.py", "_pb2_grpc.py")):
            continue
        if path.suffix in TEXT_SUFFIXES or path.name in TEXT_NAMES:
            if (ROOT / path).is_file():
                files.append(path)
    return files


def findings(text: str, path: str = "") -> list[tuple[str, str, int]]:
    """``(kind, value, line)`` for each literal secret in ``text`` that is not a placeholder,
    not a development credential on loopback and not in ALLOWED."""
    found = []
    for kind, pattern in PATTERNS.items():
        for match in pattern.finditer(text):
            value = match.group("value")
            if kind == "private key":
                if PLACEHOLDER.search(value):
                    continue
            elif kind == "password in a URL":
                if (
                    match.group("host") in LOOPBACK
                    or PLACEHOLDER.search(value)
                    or PLACEHOLDER.search(match.group("user"))
                ):
                    continue  # guest:guest / postgres:postgres on loopback: the development defaults
            elif PLACEHOLDER.search(value) or (kind in NAMED and re.fullmatch(r"[A-Z][A-Z0-9_]+", value)):
                continue  # a placeholder, or the NAME of an environment variable
            if (path, value) in ALLOWED:
                continue
            found.append((kind, value, text.count("\n", 0, match.start()) + 1))
    return found


def test_no_literal_secret_in_the_source():
    files = source_files()
    assert len(files) > 100, "the scan found too few files to mean anything"
    problems = []
    for path in files:
        text = (ROOT / path).read_text(encoding="utf-8", errors="replace")
        problems += [f"{path}:{line}: {kind}: {value[:40]!r}" for kind, value, line in findings(text, str(path))]
    assert not problems, (
        "literal secrets in the source (read them from EKM_<NAME> / EKM_<NAME>_FILE, or add "
        "a development-only entry with its reason to ALLOWED):\n" + "\n".join(problems)
    )


def test_every_allowed_literal_is_still_there():
    """An allowance whose secret is gone is removed, so the list never hides a new one."""
    for path, value in ALLOWED:
        assert value in (ROOT / path).read_text(encoding="utf-8"), (path, value)


@pytest.mark.parametrize(
    "planted",
    [
        'EKM_AMQP_URI = "amqp://ekm:s3cr3t-pass@rabbit.prod:5672/"',
        'password = "hunter2hunter2"',
        '{"secret": "a-real-looking-bot-secret"}',
        'os.environ.get("EKM_WEB_SESSION_SECRET", "fallback-session-key")',
        'hmac.new(b"k3y", body, hashlib.sha256)',
        'jwt.encode(claims, "my-signing-key", algorithm="HS256")',
        "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7\n-----END RSA PRIVATE KEY-----",
        "token: eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJjbS0xIn0.c2lnbmF0dXJlLXNpZ25hdHVyZQ",
        "AKIAABCDEFGHIJKLMNOP",
    ],
)
def test_the_scan_finds_a_planted_secret(planted):
    assert findings(planted), planted


@pytest.mark.parametrize(
    "harmless",
    [
        "EKM_AMQP_URI: amqp://ekm:CHANGE-ME@ekm-rabbitmq:5672/ekm",
        '"amqp://guest:guest@127.0.0.1:5672/"',
        "secret = bot_secret(entry)",
        '{"bot_id": "b", "secret_env": "EKM_BOT_SECRET"}',
        "-----BEGIN PRIVATE KEY-----\n    PLACEHOLDER-CLIENT-KEY\n-----END PRIVATE KEY-----",
        'os.environ.get("EKM_AUDIT_ANCHOR_KEY", config.var_dir() / "keys")',
    ],
)
def test_the_scan_passes_placeholders_names_and_loopback_development_defaults(harmless):
    assert not findings(harmless), harmless


# --- configuration ----------------------------------------------------------------------------


def test_a_secret_setting_comes_from_the_environment_or_a_file(tmp_path):
    file = tmp_path / "amqp-uri"
    file.write_text("amqp://ekm:from-a-file@broker:5672/ekm\n")
    assert config.secret("AMQP_URI", "d", environ={"EKM_AMQP_URI": "amqp://x"}) == "amqp://x"
    assert (
        config.secret("AMQP_URI", "d", environ={"EKM_AMQP_URI_FILE": str(file)})
        == "amqp://ekm:from-a-file@broker:5672/ekm"
    )
    assert config.secret("AMQP_URI", "d", environ={}) == "d"
    with pytest.raises(ValueError, match="both"):
        config.secret("AMQP_URI", environ={"EKM_AMQP_URI": "a", "EKM_AMQP_URI_FILE": str(file)})


def test_the_broker_and_databases_read_their_file_secrets(tmp_path, monkeypatch):
    for name in ("EKM_AMQP_URI", "EKM_DATABASE_URL", "EKM_CASES_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    (tmp_path / "amqp").write_text("amqp://ekm:pw1@broker:5672/ekm")
    (tmp_path / "db").write_text("postgresql://ekm:pw2@db:5432/ekm")
    (tmp_path / "cases-db").write_text("postgresql+psycopg://cases:pw3@db:5432/cases")
    monkeypatch.setenv("EKM_AMQP_URI_FILE", str(tmp_path / "amqp"))
    monkeypatch.setenv("EKM_DATABASE_URL_FILE", str(tmp_path / "db"))
    monkeypatch.setenv("EKM_CASES_DATABASE_URL_FILE", str(tmp_path / "cases-db"))
    assert config.amqp_uri() == "amqp://ekm:pw1@broker:5672/ekm"
    assert config.database_url("intake") == "postgresql+psycopg://ekm:pw2@db:5432/ekm_intake"
    assert config.database_url("cases") == "postgresql+psycopg://cases:pw3@db:5432/cases"
    assert config.nameko_config("intake")["AMQP_URI"] == "amqp://ekm:pw1@broker:5672/ekm"


def test_the_only_default_credentials_are_the_development_brokers_on_loopback(monkeypatch):
    monkeypatch.delenv("EKM_AMQP_URI", raising=False)
    monkeypatch.delenv("EKM_AMQP_URI_FILE", raising=False)
    from urllib.parse import urlsplit

    assert urlsplit(config.amqp_uri()).hostname in LOOPBACK  # RabbitMQ refuses guest off loopback anyway


def test_the_web_session_key_comes_from_the_environment_or_a_file_else_is_random(tmp_path):
    from ekm_web.settings import Settings

    (tmp_path / "key").write_text("a-session-key-from-a-mounted-secret-0123456789\n")
    assert (
        Settings.from_env({"EKM_WEB_SESSION_SECRET_FILE": str(tmp_path / "key")}).session_secret
        == "a-session-key-from-a-mounted-secret-0123456789"
    )
    assert Settings.from_env({"EKM_WEB_SESSION_SECRET": "k" * 40}).session_secret == "k" * 40
    assert Settings.from_env({}).session_secret != Settings.from_env({}).session_secret


def test_a_chatbot_secret_comes_from_an_environment_variable_or_a_file(tmp_path, monkeypatch):
    from intake.webhook import load_bots

    (tmp_path / "bot-b").write_text("a-bot-secret-from-a-mounted-file\n")
    monkeypatch.setenv("EKM_TEST_BOT_A_SECRET", "a-bot-secret-from-the-environment")
    bots = tmp_path / "bots.json"
    bots.write_text(
        json.dumps(
            [
                {"bot_id": "a", "secret_env": "EKM_TEST_BOT_A_SECRET"},
                {"bot_id": "b", "secret_file": str(tmp_path / "bot-b")},
            ]
        )
    )
    loaded = load_bots(str(bots))
    assert loaded["a"].secret == b"a-bot-secret-from-the-environment"
    assert loaded["b"].secret == b"a-bot-secret-from-a-mounted-file"
    bots.write_text(json.dumps([{"bot_id": "c", "secret_file": str(tmp_path / "missing")}]))
    with pytest.raises(SystemExit):
        load_bots(str(bots))


def test_the_deployments_secret_manifests_hold_placeholders_only():
    manifests = [p for p in (ROOT / "deploy").rglob("*.y*ml")]
    secrets = [
        (p, d)
        for p in manifests
        for d in yaml.safe_load_all(p.read_text())
        if isinstance(d, dict) and d.get("kind") == "Secret"
    ]
    for path, secret in secrets:
        assert "ekm/example" in (secret["metadata"].get("annotations") or {}), (
            f"{path}: a Secret not marked ekm/example"
        )
        for key, value in {**(secret.get("stringData") or {}), **(secret.get("data") or {})}.items():
            if key in ("username", "user"):
                continue
            assert PLACEHOLDER.search(str(value)), f"{path}: {secret['metadata']['name']}.{key} is not a placeholder"


def test_services_verify_tokens_with_the_public_key_only():
    """The signing key (EKM_JWT_PRIVATE_KEY) is read by ``ekm token``, the tests and the web's
    development identity provider; no service process reads it."""
    for path in (ROOT / "services").glob("*/src/**/*.py"):
        text = path.read_text(encoding="utf-8")
        assert "jwt_private_key_path" not in text and "issue_token" not in text, path
