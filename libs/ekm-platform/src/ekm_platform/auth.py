"""Bearer JWT (RS256) for gRPC calls: keys, tokens, principals and the nameko provider."""

from __future__ import annotations

import pathlib
import time
import uuid
from dataclasses import dataclass

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from ekm_platform import config
from ekm_platform.errors import PermissionDenied, Unauthenticated

ROLES = ("case_manager", "supervisor", "recipient", "partner_agency", "donor", "operator")
ISSUER = "ekm-dev"
AUDIENCE = "ekm"


@dataclass(frozen=True)
class Principal:
    user_id: str
    role: str
    community_code: str = ""
    organisation: str = ""

    def as_actor(self) -> dict:
        """The caller as it crosses an internal AMQP RPC (never the token itself)."""
        return {
            "user_id": self.user_id,
            "role": self.role,
            "community_code": self.community_code,
            "organisation": self.organisation,
        }

    @classmethod
    def from_actor(cls, actor: dict) -> Principal:
        if not isinstance(actor, dict) or actor.get("role") not in ROLES or not actor.get("user_id"):
            raise PermissionDenied("Невідомий виконавець / unknown actor")
        return cls(
            str(actor["user_id"]),
            actor["role"],
            str(actor.get("community_code") or ""),
            str(actor.get("organisation") or ""),
        )


def generate_keys(private_path: pathlib.Path, public_path: pathlib.Path) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private_path.parent.mkdir(parents=True, exist_ok=True)
    private_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    private_path.chmod(0o600)
    public_path.write_bytes(
        key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )


def ensure_dev_keys() -> None:
    """Create the development key pair under var/keys/ when it does not exist."""
    private_path, public_path = config.jwt_private_key_path(), config.jwt_public_key_path()
    if not (private_path.exists() and public_path.exists()):
        generate_keys(private_path, public_path)


def issue_token(
    user_id: str,
    role: str,
    community_code: str = "",
    organisation: str = "",
    ttl_seconds: int = 8 * 3600,
    private_key: bytes | None = None,
) -> str:
    if role not in ROLES:
        raise ValueError(f"невідома роль / unknown role: {role}; one of {', '.join(ROLES)}")
    if private_key is None:
        private_key = config.jwt_private_key_path().read_bytes()
    now = int(time.time())
    claims = {
        "sub": user_id,
        "role": role,
        "iss": ISSUER,
        "aud": AUDIENCE,
        "iat": now,
        "exp": now + ttl_seconds,
        "jti": str(uuid.uuid4()),
    }
    if community_code:
        claims["community"] = community_code
    if organisation:
        claims["org"] = organisation
    return jwt.encode(claims, private_key, algorithm="RS256")


_verified: dict[str, tuple[Principal, float]] = {}
_MAX_CACHED = 10_000


def verify_token(token: str, public_key) -> Principal:
    """Verify an RS256 token; a token already verified is remembered until it expires."""
    cached = _verified.get(token)
    if cached and cached[1] > time.time():
        return cached[0]
    try:
        claims = jwt.decode(
            token,
            public_key,
            algorithms=["RS256"],
            audience=AUDIENCE,
            issuer=ISSUER,
            options={"require": ["sub", "exp", "role"]},
        )
    except jwt.ExpiredSignatureError as exc:
        raise Unauthenticated("Термін дії токена минув / token expired") from exc
    except jwt.PyJWTError as exc:
        raise Unauthenticated("Недійсний токен / invalid token") from exc
    if claims["role"] not in ROLES:
        raise Unauthenticated("Невідома роль у токені / unknown role in token")
    principal = Principal(claims["sub"], claims["role"], claims.get("community", ""), claims.get("org", ""))
    if len(_verified) >= _MAX_CACHED:
        _verified.clear()
    _verified[token] = (principal, float(claims["exp"]))
    return principal


def bearer_token(header_value) -> str:
    if isinstance(header_value, list):
        header_value = header_value[0] if header_value else ""
    if not header_value:
        raise Unauthenticated("Потрібен токен доступу / missing bearer token")
    scheme, _, token = str(header_value).partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise Unauthenticated("Очікується 'Bearer <token>' / expected 'Bearer <token>'")
    return token.strip()


class CallerContext:
    """What a worker knows about its caller."""

    def __init__(self, header_value, public_key: bytes | None):
        self._header = header_value
        self._public_key = public_key
        self._principal: Principal | None = None

    @property
    def principal(self) -> Principal:
        if self._principal is None:
            if self._public_key is None:
                raise Unauthenticated("Ключ перевірки токенів не налаштовано / no verification key")
            self._principal = verify_token(bearer_token(self._header), self._public_key)
        return self._principal

    def require(self, *roles: str) -> Principal:
        principal = self.principal
        if roles and principal.role not in roles:
            raise PermissionDenied(f"Роль '{principal.role}' не має доступу / role '{principal.role}' is not allowed")
        return principal
