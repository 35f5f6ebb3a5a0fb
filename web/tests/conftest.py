"""Web workplace test helpers: an app over a FakeBackend, signed in as any demo user."""

from __future__ import annotations

import pathlib
import re

import pytest

from ekm_web.app import create_app
from ekm_web.backend import FakeBackend
from ekm_web.settings import Settings

DEMO_USERS = pathlib.Path(__file__).resolve().parents[2] / "deploy" / "demo" / "web_users.json"


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)


class WebClient:
    """A Starlette TestClient over https (the session cookie is Secure) with sign-in helpers."""

    def __init__(self, app):
        from starlette.testclient import TestClient

        self.app = app
        self.http = TestClient(app, base_url="https://testserver", follow_redirects=False)

    def __enter__(self):
        self.http.__enter__()
        return self

    def __exit__(self, *exc):
        self.http.__exit__(*exc)

    def csrf(self, path: str = "/signin") -> str:
        return csrf_of(self.http.get(path).text)

    def sign_in(self, key: str):
        reply = self.http.post("/signin", data={"user": key, "csrf_token": self.csrf()})
        assert reply.status_code == 303, reply.text
        return reply

    def get(self, path, **kw):
        return self.http.get(path, **kw)

    def post(self, path, data=None, csrf_from: str | None = None, **kw):
        data = dict(data or {})
        data.setdefault("csrf_token", self.csrf(csrf_from or "/signin"))
        return self.http.post(path, data=data, **kw)


@pytest.fixture
def fake_backend():
    return FakeBackend()


@pytest.fixture
def web(fake_backend, tmp_path, monkeypatch):
    keys = tmp_path / "keys"
    from ekm_platform.auth import generate_keys

    generate_keys(keys / "jwt-private.pem", keys / "jwt-public.pem")
    monkeypatch.setenv("EKM_JWT_PRIVATE_KEY", str(keys / "jwt-private.pem"))
    monkeypatch.setenv("EKM_JWT_PUBLIC_KEY", str(keys / "jwt-public.pem"))
    settings = Settings(session_secret="test-secret", demo_users_path=DEMO_USERS, grpc_addresses={})
    with WebClient(create_app(settings, fake_backend)) as client:
        yield client
