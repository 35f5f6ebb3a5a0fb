"""Sign-in (the development identity provider, or a configured OpenID Connect provider),
sign-out, the language switch and the start page."""

from __future__ import annotations

import asyncio

from starlette.requests import Request
from starlette.routing import Route

from ekm_platform.auth import issue_token
from ekm_web.backend import BackendError
from ekm_web.pages import ROLE_HOME, PageError, page, redirect, render
from ekm_web.session import User


@page(roles=None)
async def home(request: Request):
    user = request.state.session.user
    if user is None:
        return redirect("/signin")
    target = ROLE_HOME.get(user.role)
    if target:
        return redirect(target)
    return render(request, "home.html")


@page(roles=None)
async def signin_form(request: Request):
    settings = request.app.state.settings
    session = request.state.session
    expired, session.notice = session.notice == "signin.expired", ""
    return render(request, "signin.html", users=settings.demo_users(), settings=settings, expired=expired, error="")


@page(roles=None)
async def signin(request: Request):
    settings = request.app.state.settings
    users = {u.key: u for u in settings.demo_users()}
    chosen = users.get(str(request.state.form.get("user", "")))
    if not settings.dev_idp or chosen is None:
        return render(
            request,
            "signin.html",
            status_code=400,
            users=list(users.values()),
            settings=settings,
            expired=False,
            error="signin.unknown_user",
        )
    user_id = chosen.user_id
    if chosen.role == "recipient":
        user_id = await _demo_person_id(request, chosen, list(users.values()))
        if not user_id:
            return render(
                request,
                "signin.html",
                status_code=503,
                users=list(users.values()),
                settings=settings,
                expired=False,
                error="signin.no_demo_person",
            )
    token = await asyncio.to_thread(
        issue_token, user_id, chosen.role, chosen.community_code, chosen.organisation, settings.session_seconds
    )
    store = request.app.state.sessions
    session = store.rotate(request.state.session)  # a new id at sign-in: no session fixation
    session.user = User(
        user_id,
        chosen.role,
        chosen.community_code,
        chosen.organisation,
        chosen.label_en if session.lang == "en" else chosen.label_uk,
    )
    session.token = token
    request.state.session = session
    return redirect("/")


async def _demo_person_id(request: Request, recipient, users) -> str:
    """The development IdP signs the demo person in as themselves: their person id in cases
    (the token subject a recipient's calls need), found by the demo РНОКПП through a
    supervisor of the demo community. Development only."""
    from ekm.cases.v1 import cases_pb2

    supervisor = next((u for u in users if u.role == "supervisor"), None)
    if supervisor is None or not recipient.demo_rnokpp:
        return ""
    token = issue_token(supervisor.user_id, "supervisor", supervisor.community_code, ttl_seconds=60)
    try:
        reply = await request.app.state.backend.call(
            "cases", "ListCases", cases_pb2.ListCasesRequest(search=recipient.demo_rnokpp, page_size=1), token
        )
    except BackendError:
        return ""
    return reply.cases[0].person_id if reply.cases else ""


@page(roles=None)
async def signout(request: Request):
    store = request.app.state.sessions
    request.state.session = store.rotate(request.state.session)
    return redirect("/signin")


@page(roles=None)
async def switch_language(request: Request):
    lang = str(request.state.form.get("lang", ""))
    if lang not in ("uk", "en"):
        raise PageError(400, "error.title")
    request.state.session.lang = lang
    back = str(request.state.form.get("back", "/"))
    # only a local path (never an absolute URL: no open redirect)
    return redirect(back if back.startswith("/") and not back.startswith("//") else "/")


routes = [
    Route("/", home, methods=["GET"]),
    Route("/signin", signin_form, methods=["GET"]),
    Route("/signin", signin, methods=["POST"]),
    Route("/signout", signout, methods=["POST"]),
    Route("/lang", switch_language, methods=["POST"]),
]
