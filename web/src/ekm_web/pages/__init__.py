"""What every page uses: ``@page(roles=...)`` (sign-in, role check → 403, CSRF on POST,
service errors → error pages), ``render``, ``call`` (a gRPC call with the user's token),
navigation and each role's start page.

A page module exposes ``routes`` (a list of ``starlette.routing.Route``), registers its texts
with ``i18n.register`` and its menu items with ``nav(...)``, its role's start page in
``ROLE_HOME``; ``ekm_web.app.PAGE_MODULES`` lists the modules."""

from __future__ import annotations

import functools
import hmac
import logging

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from ekm_web.backend import BackendError
from ekm_web.i18n import MESSAGES, Translator

log = logging.getLogger("ekm_web")

# role -> the path of its start page (page modules fill it in)
ROLE_HOME: dict[str, str] = {}
# menu items: (path, message key, roles)
NAV: list[tuple[str, str, tuple[str, ...]]] = []

STAFF = ("case_manager", "supervisor")


def nav(path: str, key: str, roles: tuple[str, ...]) -> None:
    NAV.append((path, key, tuple(roles)))


class PageError(Exception):
    def __init__(self, status: int, title_key: str, text_key: str = "", detail: str = ""):
        self.status, self.title_key, self.text_key, self.detail = status, title_key, text_key, detail


def part(text: str, lang: str) -> str:
    """A service's "український / English" message in the reader's language."""
    if not text or " / " not in text:
        return text
    uk, _, en = text.partition(" / ")
    return en if lang == "en" else uk


def render(request: Request, template: str, status_code: int = 200, **context) -> Response:
    session = request.state.session
    t = Translator(session.lang)
    flash, session.flash = session.flash, []
    user = session.user
    menu = [(path, key) for path, key, roles in NAV if user and user.role in roles]
    catalogue = request.app.state.catalogue

    def label(enum_type, number):
        return catalogue.label(enum_type, number, t.lang)

    def label_code(enum_type, code):
        return catalogue.label_by_code(enum_type, code, t.lang)

    return request.app.state.templates.TemplateResponse(
        request,
        template,
        {
            "t": t,
            "lang": t.lang,
            "user": user,
            "csrf": session.csrf,
            "menu": menu,
            "flash": flash,
            "label": label,
            "label_code": label_code,
            "msg": lambda text: part(text, t.lang),
            "known_text": lambda key, fallback: t(key) if key in MESSAGES else fallback,
            "path": request.url.path,
            **context,
        },
        status_code=status_code,
    )


def flash(request: Request, kind: str, text: str) -> None:
    request.state.session.flash.append((kind, text))


async def call(request: Request, service: str, method: str, message):
    """A gRPC call to ``service`` as the signed-in user."""
    session = request.state.session
    backend = request.app.state.backend
    if not request.app.state.catalogue.loaded and session.token:
        await load_catalogue(request)
    return await backend.call(service, method, message, session.token)


async def load_catalogue(request: Request) -> None:
    from ekm.cases.v1 import cases_pb2

    try:
        reply = await request.app.state.backend.call(
            "cases", "GetCatalogue", cases_pb2.GetCatalogueRequest(), request.state.session.token
        )
        request.app.state.catalogue.load(reply)
    except BackendError as exc:  # labels fall back to the local descriptors
        log.warning("GetCatalogue failed: %s", exc.code)


def redirect(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=303)


def page(roles: tuple[str, ...] | None = STAFF):
    """``roles=None``: anyone (signed in or not). Otherwise: signed in with one of ``roles``,
    else the sign-in page (not signed in) or 403 (another role) — before any service is called.
    A POST must carry the session's CSRF token (``csrf_token`` field), else 403 and nothing
    is called; the parsed form is ``request.state.form``."""

    def decorate(handler):
        @functools.wraps(handler)
        async def endpoint(request: Request) -> Response:
            session = request.state.session
            if roles is not None:
                if session.user is None:
                    return redirect("/signin")
                if session.user.role not in roles:
                    return error_page(request, PageError(403, "error.403", "error.403.text"))
            if request.method == "POST":
                form = await request.form()
                sent = str(form.get("csrf_token", ""))
                if not sent or not hmac.compare_digest(sent, session.csrf):
                    return error_page(request, PageError(403, "error.403", "error.csrf"))
                request.state.form = form
            try:
                return await handler(request)
            except PageError as exc:
                return error_page(request, exc)
            except BackendError as exc:
                return backend_error_page(request, exc)

        endpoint.roles = roles
        return endpoint

    return decorate


def backend_error_page(request: Request, exc: BackendError) -> Response:
    if exc.code == "UNAUTHENTICATED":
        request.app.state.sessions.drop(request.state.session)
        request.state.session = request.app.state.sessions.new(request.state.session.lang)
        return redirect("/signin")
    if exc.code == "PERMISSION_DENIED":
        return error_page(request, PageError(403, "error.403", "error.403.text", exc.message))
    if exc.code == "NOT_FOUND":
        return error_page(request, PageError(404, "error.404", "error.404.text"))
    if exc.code in ("UNAVAILABLE", "DEADLINE_EXCEEDED"):
        return error_page(request, PageError(503, "error.503", "error.503.text"))
    if exc.code in ("INVALID_ARGUMENT", "FAILED_PRECONDITION", "ABORTED", "ALREADY_EXISTS", "OUT_OF_RANGE"):
        return error_page(
            request, PageError(409 if exc.code != "INVALID_ARGUMENT" else 400, "error.title", "", exc.message)
        )
    log.error("service error %s on %s", exc.code, request.url.path)
    return error_page(request, PageError(500, "error.500"))


def error_page(request: Request, exc: PageError) -> Response:
    return render(request, "error.html", status_code=exc.status, error=exc)
