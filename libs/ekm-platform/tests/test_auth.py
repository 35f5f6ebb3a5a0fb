import time

import jwt
import pytest

from ekm_platform.auth import CallerContext, generate_keys, issue_token, verify_token
from ekm_platform.errors import PermissionDenied, Unauthenticated


@pytest.fixture(scope="module")
def keys(tmp_path_factory):
    folder = tmp_path_factory.mktemp("keys")
    generate_keys(folder / "private.pem", folder / "public.pem")
    return (folder / "private.pem").read_bytes(), (folder / "public.pem").read_bytes()


def test_token_carries_user_and_role(keys):
    private, public = keys
    principal = verify_token(issue_token("cm-7", "case_manager", "UA1", private_key=private), public)
    assert (principal.user_id, principal.role, principal.community_code) == ("cm-7", "case_manager", "UA1")


def test_unknown_role_cannot_be_issued(keys):
    with pytest.raises(ValueError):
        issue_token("x", "admin", private_key=keys[0])


def test_expired_forged_and_missing_tokens_are_unauthenticated(keys, tmp_path):
    private, public = keys
    expired = issue_token("cm", "case_manager", ttl_seconds=-10, private_key=private)
    with pytest.raises(Unauthenticated, match="expired"):
        verify_token(expired, public)
    generate_keys(tmp_path / "other.pem", tmp_path / "other.pub")
    forged = issue_token("cm", "supervisor", private_key=(tmp_path / "other.pem").read_bytes())
    with pytest.raises(Unauthenticated):
        verify_token(forged, public)
    hs256 = jwt.encode({"sub": "cm", "role": "operator", "exp": time.time() + 60}, "secret", algorithm="HS256")
    with pytest.raises(Unauthenticated):
        verify_token(hs256, public)
    with pytest.raises(Unauthenticated, match="missing"):
        CallerContext(None, public).principal


def test_role_check(keys):
    private, public = keys
    caller = CallerContext(f"Bearer {issue_token('d-1', 'donor', private_key=private)}", public)
    assert caller.require("donor").user_id == "d-1"
    with pytest.raises(PermissionDenied):
        caller.require("case_manager", "supervisor")
