"""The web workplace's settings, read from the environment (defaults for one machine).

- ``EKM_WEB_HOST`` / ``EKM_WEB_PORT``: where the BFF listens (127.0.0.1:8080).
- ``EKM_WEB_SESSION_SECRET`` (or a file named by ``EKM_WEB_SESSION_SECRET_FILE``): the key
  signing the session cookie (default: random per process, so a restart signs everybody out).
- ``EKM_WEB_IDLE_MINUTES``: a session unused this long is ended (15).
- ``EKM_WEB_SESSION_HOURS``: the longest a session (and its bearer token) lives (8).
- ``EKM_WEB_DEV_IDP``: ``1`` (default) offers the development identity provider (choose a demo
  user by role); set ``0`` in production.
- ``EKM_WEB_DEMO_USERS``: the demo users file (deploy/demo/web_users.json).
- ``EKM_WEB_OIDC_ISSUER`` / ``EKM_WEB_OIDC_CLIENT_ID`` / ``EKM_WEB_OIDC_REDIRECT_URI``: a real
  OpenID Connect provider (configuration only for now; see web/README.md).
"""

from __future__ import annotations

import json
import os
import pathlib
import secrets
from dataclasses import dataclass, field

from ekm_platform import config


@dataclass(frozen=True)
class DemoUser:
    key: str
    user_id: str
    role: str
    label_uk: str
    label_en: str
    community_code: str = ""
    organisation: str = ""
    demo_rnokpp: str = ""  # recipient: the demo person, found by their РНОКПП at sign-in


def _demo_users_path(env) -> pathlib.Path:
    """EKM_WEB_DEMO_USERS, else deploy/demo/web_users.json under EKM_HOME, else the repository's."""
    if env.get("EKM_WEB_DEMO_USERS"):
        return pathlib.Path(env["EKM_WEB_DEMO_USERS"])
    under_home = config.home() / "deploy" / "demo" / "web_users.json"
    if under_home.exists():
        return under_home
    return pathlib.Path(__file__).resolve().parents[3] / "deploy" / "demo" / "web_users.json"


@dataclass
class Settings:
    host: str = "127.0.0.1"
    port: int = 8080
    session_secret: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    idle_seconds: int = 15 * 60
    session_seconds: int = 8 * 3600
    dev_idp: bool = True
    demo_users_path: pathlib.Path | None = None
    oidc_issuer: str = ""
    oidc_client_id: str = ""
    oidc_redirect_uri: str = ""
    grpc_addresses: dict = field(default_factory=dict)
    grpc_timeout: float = 10.0

    @classmethod
    def from_env(cls, env=None) -> Settings:
        from ekm_platform import client

        env = os.environ if env is None else env
        return cls(
            host=env.get("EKM_WEB_HOST", "127.0.0.1"),
            port=int(env.get("EKM_WEB_PORT", "8080")),
            session_secret=config.secret("WEB_SESSION_SECRET", environ=env) or secrets.token_urlsafe(32),
            idle_seconds=int(float(env.get("EKM_WEB_IDLE_MINUTES", "15")) * 60),
            session_seconds=int(float(env.get("EKM_WEB_SESSION_HOURS", "8")) * 3600),
            dev_idp=env.get("EKM_WEB_DEV_IDP", "1") not in ("0", "false", "no"),
            demo_users_path=_demo_users_path(env),
            oidc_issuer=env.get("EKM_WEB_OIDC_ISSUER", ""),
            oidc_client_id=env.get("EKM_WEB_OIDC_CLIENT_ID", ""),
            oidc_redirect_uri=env.get("EKM_WEB_OIDC_REDIRECT_URI", ""),
            grpc_addresses={service: client.address(service, env) for service in config.SERVICES},
            grpc_timeout=float(env.get("EKM_WEB_GRPC_TIMEOUT", "10")),
        )

    def demo_users(self) -> list[DemoUser]:
        if not self.dev_idp or not self.demo_users_path or not self.demo_users_path.exists():
            return []
        return [DemoUser(**item) for item in json.loads(self.demo_users_path.read_text(encoding="utf-8"))]
