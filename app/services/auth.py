"""Sign-in (rate limited per account and address, and per address: app/auth_limiter.py), and token revocation."""

from __future__ import annotations

from dataclasses import dataclass

from app import channels, events
from app.auth_limiter import login_limiter
from app.errors import DomainError, ErrorCode
from app.security import check_password, issue_token
from models import User


@dataclass(frozen=True)
class LoginResult:
    token: str
    expires_at: int
    user: User


async def login(*, email: str, password: str, address: str) -> LoginResult:
    email = email.strip().lower()
    if await login_limiter.blocked(email, address):
        raise DomainError(ErrorCode.RATE_LIMITED, "Too many failed sign-ins; wait a minute and try again")
    user = await User.get_or_none(email=email, is_active=True)
    check = await check_password(user.password_hash if user else None, password)
    if user is None or not check.ok:
        await login_limiter.failed(email, address)
        raise DomainError(ErrorCode.UNAUTHENTICATED, "Wrong email or password", field="password")
    if check.new_hash is not None:
        user.password_hash = check.new_hash
        await user.save(update_fields=["password_hash"])
    await login_limiter.succeeded(email, address)
    token, expires_at = issue_token(user.id, user.token_version)
    return LoginResult(token=token, expires_at=expires_at, user=user)


async def revoke_tokens(*, user: User) -> None:
    """Invalidate every token issued to this user so far, and end the subscriptions they opened."""
    user.token_version += 1
    await user.save(update_fields=["token_version"])
    await events.publish(channels.user_access(user.id), {"userId": user.id, "reason": "revoked"})
