"""Sessions: the state lives in this process's memory; the browser holds only a random
session id, signed (itsdangerous), in an HttpOnly, Secure, SameSite=Strict cookie.

Each session has its CSRF token (checked on every POST by ``pages.page``), its language,
and, once signed in, the user and the bearer token the BFF calls the services with (never
sent to the browser). A session idle longer than ``idle_seconds`` is ended; signing in
replaces the session id (no fixation)."""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, field

from itsdangerous import BadSignature, URLSafeSerializer

COOKIE = "ekm_session"
MAX_SESSIONS = 50_000


@dataclass
class User:
    user_id: str
    role: str
    community_code: str = ""
    organisation: str = ""
    display: str = ""


@dataclass
class Session:
    sid: str
    csrf: str
    lang: str = "uk"
    user: User | None = None
    token: str = ""
    created: float = field(default_factory=time.monotonic)
    last_seen: float = field(default_factory=time.monotonic)
    flash: list = field(default_factory=list)  # (kind, text) shown once on the next page
    notice: str = ""  # a message key for the sign-in page (e.g. the session ended while idle)


class SessionStore:
    def __init__(self, secret: str, idle_seconds: int, max_seconds: int):
        self.serializer = URLSafeSerializer(secret, salt="ekm-web-session")
        self.idle_seconds = idle_seconds
        self.max_seconds = max_seconds
        self._sessions: dict[str, Session] = {}

    def new(self, lang: str = "uk") -> Session:
        self._sweep()
        session = Session(sid=secrets.token_urlsafe(32), csrf=secrets.token_urlsafe(32), lang=lang)
        self._sessions[session.sid] = session
        return session

    def load(self, cookie_value: str | None) -> tuple[Session | None, bool]:
        """The session named by the cookie, and whether one existed but had expired."""
        if not cookie_value:
            return None, False
        try:
            sid = self.serializer.loads(cookie_value)
        except BadSignature:
            return None, False
        session = self._sessions.get(sid)
        if session is None:
            return None, False
        now = time.monotonic()
        if now - session.last_seen > self.idle_seconds or now - session.created > self.max_seconds:
            self._sessions.pop(sid, None)
            return None, session.user is not None
        session.last_seen = now
        return session, False

    def rotate(self, session: Session) -> Session:
        """A fresh id and CSRF token for the same visitor (at sign-in and sign-out)."""
        self._sessions.pop(session.sid, None)
        return self.new(session.lang)

    def drop(self, session: Session) -> None:
        self._sessions.pop(session.sid, None)

    def cookie_value(self, session: Session) -> str:
        return self.serializer.dumps(session.sid)

    def _sweep(self) -> None:
        """Expired sessions go; past ``MAX_SESSIONS`` the oldest anonymous ones (a visitor who
        never signed in: only a CSRF token and a language) go too, so a flood of cookie-less
        requests cannot grow the store without bound or push out signed-in users."""
        if len(self._sessions) < 1000:
            return
        now = time.monotonic()
        for sid, s in list(self._sessions.items()):
            if now - s.last_seen > self.idle_seconds or now - s.created > self.max_seconds:
                self._sessions.pop(sid, None)
        if len(self._sessions) >= MAX_SESSIONS:
            anonymous = sorted((s for s in self._sessions.values() if s.user is None), key=lambda s: s.last_seen)
            for s in anonymous[: len(self._sessions) - int(MAX_SESSIONS * 0.9)]:
                self._sessions.pop(s.sid, None)
