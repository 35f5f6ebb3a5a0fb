"""Sign-in, session cookie, CSRF, idle timeout, security headers and role checks of the BFF."""

from __future__ import annotations

import time

from ekm.cases.v1 import cases_pb2
from ekm_web.backend import BackendError


def test_security_headers_and_cookie_flags(web):
    reply = web.get("/signin")
    assert reply.status_code == 200
    csp = reply.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert reply.headers["x-frame-options"] == "DENY"
    assert reply.headers["x-content-type-options"] == "nosniff"
    assert reply.headers["referrer-policy"] == "no-referrer"
    cookie = reply.headers["set-cookie"]
    assert "HttpOnly" in cookie and "Secure" in cookie and "SameSite=strict" in cookie.replace("Strict", "strict")
    assert "<script>" not in reply.text and "onclick" not in reply.text and "style=" not in reply.text


def test_not_signed_in_goes_to_sign_in(web):
    reply = web.get("/worklist")
    assert reply.status_code == 303 and reply.headers["location"] == "/signin"


def test_sign_in_replaces_the_session_id(web):
    before = web.http.cookies.get("ekm_session")
    web.sign_in("cm-1")
    assert web.http.cookies.get("ekm_session") != before


def test_sign_in_without_csrf_is_refused(web, fake_backend):
    web.get("/signin")
    reply = web.http.post("/signin", data={"user": "cm-1"})
    assert reply.status_code == 403
    assert web.get("/worklist").status_code == 303  # still not signed in


def test_post_with_a_wrong_csrf_token_is_refused_and_calls_nothing(web, fake_backend):
    web.sign_in("cm-1")
    fake_backend.calls.clear()
    reply = web.http.post("/worklist", data={"search": "Коваленко", "csrf_token": "forged"})
    assert reply.status_code == 403
    assert fake_backend.calls == []


def test_every_post_route_checks_csrf(web):
    """No state-changing route escapes the check: each POST without a token is 403."""
    from starlette.routing import Route

    web.sign_in("cm-1")
    posts = [r for r in web.app.routes if isinstance(r, Route) and "POST" in (r.methods or ())]
    assert len(posts) >= 4
    for route in posts:
        path = route.path.replace("{case_number}", "CASE-2026-000001").replace("{", "").replace("}", "")
        reply = web.http.post(path, data={"x": "1"})
        assert reply.status_code == 403, (route.path, reply.status_code)


def test_idle_session_ends(web):
    web.sign_in("cm-1")
    store = web.app.state.sessions
    for session in store._sessions.values():
        session.last_seen = time.monotonic() - store.idle_seconds - 1
    reply = web.get("/worklist")
    assert reply.status_code == 303 and reply.headers["location"] == "/signin"
    assert "бездіяльність" in web.get("/signin").text  # said once, on the sign-in page
    assert "бездіяльність" not in web.get("/signin").text


def test_roles_without_the_worklist_get_403_and_no_call(web, fake_backend):
    fake_backend.handlers[("cases", "GetCatalogue")] = lambda r, t: cases_pb2.Catalogue()
    for key in ("partner", "donor", "operator"):
        web.sign_in(key)
        fake_backend.calls.clear()
        reply = web.get("/worklist")
        assert reply.status_code == 403, key
        assert not [c for c in fake_backend.calls if c[1] != "GetCatalogue"], key


def test_language_switch(web):
    assert "Вхід" in web.get("/signin").text
    reply = web.post("/lang", data={"lang": "en", "back": "/signin"})
    assert reply.status_code == 303 and reply.headers["location"] == "/signin"
    page = web.get("/signin").text
    assert "Sign in" in page and 'lang="en"' in page


def test_language_switch_never_redirects_off_site(web):
    reply = web.post("/lang", data={"lang": "en", "back": "//evil.example/"})
    assert reply.headers["location"] == "/"


def test_unauthenticated_from_a_service_signs_out(web, fake_backend):
    def expired(request, token):
        raise BackendError("UNAUTHENTICATED", "Термін дії токена минув / token expired")

    fake_backend.handlers[("cases", "GetCatalogue")] = lambda r, t: cases_pb2.Catalogue()
    fake_backend.handlers[("cases", "ListCases")] = expired
    web.sign_in("cm-1")
    reply = web.get("/worklist")
    assert reply.status_code == 303 and reply.headers["location"] == "/signin"
    assert web.get("/worklist").status_code == 303


def test_a_flood_of_anonymous_visitors_never_pushes_out_a_signed_in_user(monkeypatch):
    from ekm_web import session as sessions
    from ekm_web.session import SessionStore, User

    monkeypatch.setattr(sessions, "MAX_SESSIONS", 2000)
    store = SessionStore("s", idle_seconds=900, max_seconds=3600)
    signed_in = store.new()
    signed_in.user = User("cm-1", "case_manager")
    for _ in range(5000):
        store.new()
    assert len(store._sessions) <= 2000
    assert store.load(store.cookie_value(signed_in))[0] is signed_in


def test_a_forged_or_unknown_cookie_is_a_new_anonymous_session(web, fake_backend):
    fake_backend.handlers[("cases", "GetCatalogue")] = lambda r, t: cases_pb2.Catalogue()
    fake_backend.handlers[("cases", "ListCases")] = lambda r, t: cases_pb2.ListCasesResponse()
    web.sign_in("cm-1")
    good = web.http.cookies.get("ekm_session")
    web.http.cookies.clear()
    web.http.cookies.set("ekm_session", good[:-2] + ("AA" if not good.endswith("AA") else "BB"))  # signature broken
    assert web.get("/worklist").status_code == 303
    web.http.cookies.clear()
    web.http.cookies.set("ekm_session", good)  # the genuine one still works
    assert web.get("/worklist").status_code == 200
