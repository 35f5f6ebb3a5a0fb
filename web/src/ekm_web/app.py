"""The ASGI application: session + security headers middleware, templates, static files and
the page modules' routes. ``create_app(settings, backend)`` (tests pass a ``FakeBackend``)."""

from __future__ import annotations

import contextlib
import importlib
import pathlib

import jinja2
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from ekm_web.backend import Backend
from ekm_web.i18n import Catalogue
from ekm_web.session import COOKIE, SessionStore
from ekm_web.settings import Settings

HERE = pathlib.Path(__file__).parent

# Page modules, each with ``routes``; add yours here (one line).
PAGE_MODULES = [
    "ekm_web.pages.auth",
    "ekm_web.pages.case_manager",
    "ekm_web.pages.cm_forms",
    "ekm_web.pages.supervisor",
    "ekm_web.pages.cabinet",
    "ekm_web.pages.appeals",
    "ekm_web.pages.partner",
    "ekm_web.pages.donor",
    "ekm_web.pages.operator",
    "ekm_web.pages.documents",
]

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)

SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    "Strict-Transport-Security": "max-age=31536000",
}


class SessionAndHeaders(BaseHTTPMiddleware):
    async def dispatch(self, request, call_next):
        store: SessionStore = request.app.state.sessions
        session, expired = store.load(request.cookies.get(COOKIE))
        if session is None:
            session = store.new()
            if expired:
                session.notice = "signin.expired"
        request.state.session = session
        request.state.session_expired = expired
        response = await call_next(request)
        current = request.state.session  # a page may have replaced it (sign-in, sign-out)
        if not request.url.path.startswith("/static/"):
            response.set_cookie(
                COOKIE, store.cookie_value(current), httponly=True, secure=True, samesite="strict", path="/"
            )
            response.headers["Cache-Control"] = "no-store"
        for name, value in SECURITY_HEADERS.items():
            response.headers[name] = value
        return response


def timestamp(ts) -> str:
    """A protobuf Timestamp as ``YYYY-MM-DD HH:MM`` (UTC); empty when unset."""
    if ts is None or not (ts.seconds or ts.nanos):
        return ""
    return ts.ToDatetime().strftime("%Y-%m-%d %H:%M")


def create_app(settings: Settings | None = None, backend=None) -> Starlette:
    settings = settings or Settings.from_env()
    backend = backend or Backend(settings.grpc_addresses, settings.grpc_timeout)
    routes = []
    for name in PAGE_MODULES:
        routes += importlib.import_module(name).routes
    routes.append(Mount("/static", app=StaticFiles(directory=HERE / "static"), name="static"))

    @contextlib.asynccontextmanager
    async def lifespan(app):
        await backend.start()
        try:
            yield
        finally:
            await backend.close()

    app = Starlette(routes=routes, middleware=[Middleware(SessionAndHeaders)], lifespan=lifespan)
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True, trim_blocks=True, lstrip_blocks=True
    )
    env.filters["ts"] = timestamp
    env.filters["day"] = lambda ts: timestamp(ts)[:10]
    app.state.templates = Jinja2Templates(env=env)
    app.state.settings = settings
    app.state.backend = backend
    app.state.sessions = SessionStore(settings.session_secret, settings.idle_seconds, settings.session_seconds)
    app.state.catalogue = Catalogue()
    return app
