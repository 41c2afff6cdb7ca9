"""Sign-in with a per-account and per-address rate limit, and token revocation."""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass

from app.errors import DomainError, ErrorCode
from app.security import issue_token, verify_password
from models import User

MAX_ATTEMPTS = 5
WINDOW_SECONDS = 60.0


class RateLimiter:
    """A sliding window of failed attempts per key (account or address), in this process."""

    def __init__(self, limit: int = MAX_ATTEMPTS, window: float = WINDOW_SECONDS) -> None:
        self.limit = limit
        self.window = window
        self._hits: dict[str, deque[float]] = {}

    def blocked(self, key: str) -> bool:
        hits = self._recent(key)
        return len(hits) >= self.limit

    def hit(self, key: str) -> None:
        hits = self._recent(key)
        hits.append(time.monotonic())
        self._hits[key] = hits

    def reset(self, key: str) -> None:
        self._hits.pop(key, None)

    def _recent(self, key: str) -> deque[float]:
        hits = self._hits.get(key) or deque()
        cutoff = time.monotonic() - self.window
        while hits and hits[0] < cutoff:
            hits.popleft()
        if hits:
            self._hits[key] = hits
        else:
            self._hits.pop(key, None)  # forget quiet keys, so the table cannot grow without bound
        return hits


login_limiter = RateLimiter()


@dataclass(frozen=True)
class LoginResult:
    token: str
    expires_at: int
    user: User


async def login(*, email: str, password: str, address: str) -> LoginResult:
    account_key, address_key = f"account:{email.strip().lower()}", f"address:{address}"
    if login_limiter.blocked(account_key) or login_limiter.blocked(address_key):
        raise DomainError(ErrorCode.RATE_LIMITED, "Too many failed sign-ins; wait a minute and try again")
    user = await User.get_or_none(email=email.strip().lower(), is_active=True)
    if user is None or not verify_password(user.password_hash, password):
        login_limiter.hit(account_key)
        login_limiter.hit(address_key)
        raise DomainError(ErrorCode.UNAUTHENTICATED, "Wrong email or password", field="password")
    login_limiter.reset(account_key)
    token, expires_at = issue_token(user.id, user.token_version)
    return LoginResult(token=token, expires_at=expires_at, user=user)


async def revoke_tokens(*, user: User) -> None:
    """Invalidate every token issued to this user so far."""
    user.token_version += 1
    await user.save(update_fields=["token_version"])
