"""Sign-in, the viewer, token expiry and revocation, and the login rate limit."""

from __future__ import annotations

from typing import Any

from app.auth_limiter import login_limiter
from app.security import issue_token
from models import User
from tests.factories import make_user
from tests.helpers import error_codes, gql, login

VIEWER = "{ viewer { roles user { email } } }"


async def _user(email: str = "kim@example.test", password: str = "s3cret-pass", **extra: Any) -> User:
    return await make_user("Kim", email=email, password=password, at=None, **extra)


async def test_login_returns_a_token_that_identifies_the_viewer() -> None:
    await _user(admin=True)
    token = await login("kim@example.test", "s3cret-pass")
    result = await gql(VIEWER, token=token)
    assert result["data"]["viewer"] == {"roles": ["customer", "admin"], "user": {"email": "kim@example.test"}}


async def test_passwords_are_hashed_with_argon2() -> None:
    user = await _user()
    assert user.password_hash.startswith("$argon2id$")


async def test_wrong_password_is_refused_with_a_code() -> None:
    await _user()
    result = await gql('mutation { login(email: "kim@example.test", password: "nope") { token } }')
    assert error_codes(result) == ["UNAUTHENTICATED"]


async def test_anonymous_and_bad_tokens_give_no_viewer() -> None:
    assert (await gql(VIEWER))["data"]["viewer"] == {"roles": [], "user": None}
    assert (await gql(VIEWER, token="not-a-token"))["data"]["viewer"]["user"] is None


async def test_expired_token_is_not_accepted() -> None:
    user = await _user()
    token, _ = issue_token(user.id, user.token_version, ttl_seconds=-10)
    assert (await gql(VIEWER, token=token))["data"]["viewer"]["user"] is None


async def test_revoked_tokens_stop_working() -> None:
    await _user()
    token = await login("kim@example.test", "s3cret-pass")
    assert (await gql("mutation { revokeTokens }", token=token))["data"] == {"revokeTokens": True}
    assert (await gql(VIEWER, token=token))["data"]["viewer"]["user"] is None


async def test_login_is_rate_limited_per_account() -> None:
    await _user()
    await login_limiter.clear()
    try:
        for _ in range(5):
            await gql('mutation { login(email: "kim@example.test", password: "bad") { token } }')
        result = await gql('mutation { login(email: "kim@example.test", password: "s3cret-pass") { token } }')
        assert error_codes(result) == ["RATE_LIMITED"]
    finally:
        await login_limiter.clear()
