"""The chat-bot webhook's checks: a request that is not signed by the bot, is stale, or is too
large gets a 4xx and never reaches intake (nothing is stored)."""

import asyncio
import json
import threading

import pytest

from intake import webhook
from intake.webhook import Bot, ChatbotWebhook, sign

SECRET = b"0123456789abcdef-test"
BOT = Bot("demo", SECRET, "UA80000000000093317")
NOW = 1_800_000_000
MESSAGE = {"message_id": "m-1", "description": "Потрібна допомога", "consent_to_processing": True}


class Intake:
    def __init__(self, answer=None):
        self.calls = []
        self.answer = answer or {
            "status": "accepted",
            "tracking_number": "EKM-1",
            "state": "accepted",
            "screening_level": "assessment",
        }

    async def __call__(self, bot, message):
        self.calls.append((bot.bot_id, message))
        return self.answer


def request(app, body: bytes, headers: dict, path="/intake/v1/chatbot/demo/appeals", method="POST", chunks=None):
    sent = []
    parts = chunks or [body]

    async def receive():
        chunk = parts.pop(0)
        return {"type": "http.request", "body": chunk, "more_body": bool(parts)}

    async def send(message):
        sent.append(message)

    scope = {
        "type": "http",
        "method": method,
        "path": path,
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
    }
    # on a thread of its own: an earlier test in this process (Playwright's sync API) may have
    # left an event loop running on the main thread, where asyncio.run refuses to start
    worker = threading.Thread(target=asyncio.run, args=(app(scope, receive, send),))
    worker.start()
    worker.join(30)
    return sent[0]["status"], json.loads(sent[1]["body"])


def signed(body: bytes, stamp=NOW, secret=SECRET, **extra):
    return {
        "Content-Type": "application/json",
        "Content-Length": str(len(body)),
        "X-EKM-Timestamp": str(stamp),
        "X-EKM-Signature": sign(secret, str(stamp), body),
        **extra,
    }


@pytest.fixture
def intake():
    return Intake()


@pytest.fixture
def app(intake):
    return ChatbotWebhook({"demo": BOT}, intake, clock=lambda: NOW)


BODY = json.dumps(MESSAGE, ensure_ascii=False).encode()


def test_a_bad_signature_is_refused_and_nothing_reaches_intake(app, intake):
    for headers in (
        signed(BODY, secret=b"another-secret-0123456"),
        {**signed(BODY), "X-EKM-Signature": ""},
        {**signed(BODY), "X-EKM-Signature": "sha256=" + "0" * 64},
    ):
        assert request(app, BODY, headers)[0] == 401
    tampered = BODY.replace("допомога".encode(), "допомогаа".encode())
    headers = signed(BODY)
    headers["Content-Length"] = str(len(tampered))
    status, answer = request(app, tampered, headers)
    assert status == 401 and "signature" in answer["error"]
    assert intake.calls == []


def test_a_stale_or_future_timestamp_is_refused(app, intake):
    for stamp in (NOW - webhook.REPLAY_WINDOW - 1, NOW + webhook.REPLAY_WINDOW + 1):
        status, answer = request(app, BODY, signed(BODY, stamp=stamp))
        assert status == 401 and "window" in answer["error"]
    headers = signed(BODY)
    del headers["X-EKM-Timestamp"]
    assert request(app, BODY, headers)[0] == 401
    assert intake.calls == []


def test_an_oversized_body_is_refused_before_it_is_read_and_a_lying_length_too(app, intake):
    big = b"{" + b" " * webhook.MAX_BODY + b"}"
    assert request(app, big, signed(big))[0] == 413
    lying = signed(BODY)
    lying["Content-Length"] = "10"
    assert request(app, BODY, lying, chunks=[BODY[:8], BODY[8:]])[0] == 413
    assert intake.calls == []


def test_wrong_bot_path_method_length_and_type_are_refused(app, intake):
    assert request(app, BODY, signed(BODY), path="/intake/v1/chatbot/ghost/appeals")[0] == 401
    assert request(app, BODY, signed(BODY), path="/admin")[0] == 404
    assert request(app, BODY, signed(BODY), method="GET")[0] == 405
    no_length = signed(BODY)
    del no_length["Content-Length"]
    assert request(app, BODY, no_length)[0] == 411
    assert request(app, BODY, {**signed(BODY), "Content-Type": "text/plain"})[0] == 415
    for garbage in (b"not json", b"\xff\xfe", b"[" * 20000 + b"]" * 20000):
        assert request(app, garbage, signed(garbage))[0] == 400
    assert intake.calls == []


def test_a_signed_fresh_request_reaches_intake_and_gets_the_tracking_number(app, intake):
    status, answer = request(app, BODY, signed(BODY, stamp=NOW - 60))
    assert status == 200 and answer == {
        "tracking_number": "EKM-1",
        "state": "accepted",
        "screening_level": "assessment",
    }
    assert intake.calls == [("demo", MESSAGE)]


def test_invalid_fields_are_a_422_naming_them():
    refusing = Intake(
        {"status": "invalid", "message": "…", "violations": [{"field": "applicant.phone", "message": "потрібен"}]}
    )
    app = ChatbotWebhook({"demo": BOT}, refusing, clock=lambda: NOW)
    status, answer = request(app, BODY, signed(BODY))
    assert status == 422 and answer["violations"][0]["field"] == "applicant.phone"


def test_bots_come_from_configuration_and_a_weak_secret_is_refused(tmp_path, monkeypatch):
    path = tmp_path / "bots.json"
    monkeypatch.setenv("EKM_TEST_BOT_SECRET", "s" * 32)
    path.write_text(json.dumps([{"bot_id": "a", "secret_env": "EKM_TEST_BOT_SECRET", "community_code": "UA1"}]))
    assert webhook.load_bots(str(path))["a"].secret == b"s" * 32
    path.write_text(json.dumps([{"bot_id": "b", "secret": "short"}]))
    with pytest.raises(SystemExit):
        webhook.load_bots(str(path))


def test_a_failed_rpc_is_a_503_and_the_next_call_opens_a_new_client(monkeypatch):
    opened = []

    class Holder:
        def __init__(self, *args, **kwargs):
            self.closed = False
            opened.append(self)

        def __enter__(self):
            holder = self

            class Proxy:
                def submit_chatbot_appeal(self, bot, message):
                    if len(opened) == 1:
                        raise ConnectionError("broker gone")
                    return {
                        "status": "accepted",
                        "tracking_number": "EKM-2",
                        "state": "accepted",
                        "screening_level": "assessment",
                        "holder": holder,
                    }

            return Proxy()

        def __exit__(self, *exc):
            self.closed = True

    import nameko.standalone.rpc

    monkeypatch.setattr(nameko.standalone.rpc, "ServiceRpcClient", Holder)
    rpc = webhook.IntakeRpc(workers=1)
    try:
        app = ChatbotWebhook({"demo": BOT}, rpc, clock=lambda: NOW)
        assert request(app, BODY, signed(BODY))[0] == 503
        assert request(app, BODY, signed(BODY)) == (
            200,
            {"tracking_number": "EKM-2", "state": "accepted", "screening_level": "assessment"},
        )
        assert len(opened) == 2 and opened[0].closed and not opened[1].closed
    finally:
        rpc.close()
