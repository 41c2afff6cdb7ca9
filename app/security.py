"""Password hashing (Argon2id, memory-hard) and signed, expiring, revocable tokens.

Hashing takes tens of milliseconds of CPU. On the event loop it would stall every other request and live event
of the process for that long, so the async functions run it in a small thread pool (argon2-cffi releases the
GIL): a flood of sign-ins queues there while the loop keeps serving everything else.
"""

from __future__ import annotations

import asyncio
import functools
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import jwt
from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError

from app import settings

# OWASP's Argon2id parameters: 19 MiB, 2 iterations, 1 lane. Hashes made with other parameters still verify
# and are replaced at the next sign-in (check_password's new_hash).
_hasher = PasswordHasher(time_cost=2, memory_cost=19_456, parallelism=1, type=Type.ID)
HASH_WORKERS = 2  # at most this many hashes at once per process; the rest wait their turn
_pool = ThreadPoolExecutor(max_workers=HASH_WORKERS, thread_name_prefix="argon2")
ALGORITHM = "HS256"


def hash_password(password: str) -> str:
    """Blocking: for scripts and the seed; request handlers use hash_password_async."""
    return _hasher.hash(password)


async def hash_password_async(password: str) -> str:
    """Hash off the event loop (request handlers: sign-up)."""
    return await asyncio.get_running_loop().run_in_executor(_pool, _hasher.hash, password)


def verify_password(password_hash: str, password: str) -> bool:
    """Blocking: request handlers use check_password."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@functools.cache
def _dummy_hash() -> str:
    return _hasher.hash("an unknown account is checked against this, so it costs what a wrong password costs")


@dataclass(frozen=True)
class PasswordCheck:
    ok: bool
    new_hash: str | None = None  # set when the stored hash was made with other parameters: store it


def _check(password_hash: str | None, password: str) -> PasswordCheck:
    if password_hash is None:
        verify_password(_dummy_hash(), password)  # the same work as a wrong password: no account enumeration
        return PasswordCheck(ok=False)
    if not verify_password(password_hash, password):
        return PasswordCheck(ok=False)
    return PasswordCheck(
        ok=True, new_hash=_hasher.hash(password) if _hasher.check_needs_rehash(password_hash) else None
    )


async def check_password(password_hash: str | None, password: str) -> PasswordCheck:
    """Verify off the event loop; None (no such account) runs a verify all the same."""
    return await asyncio.get_running_loop().run_in_executor(_pool, _check, password_hash, password)


@dataclass(frozen=True)
class TokenClaims:
    user_id: int
    version: int
    expires_at: int


def issue_token(user_id: int, version: int, *, ttl_seconds: int | None = None) -> tuple[str, int]:
    expires_at = int(time.time()) + (ttl_seconds or settings.TOKEN_TTL_SECONDS)
    payload = {"sub": str(user_id), "ver": version, "exp": expires_at, "iat": int(time.time())}
    return jwt.encode(payload, settings.SECRET_KEY, algorithm=ALGORITHM), expires_at


def read_token(token: str) -> TokenClaims | None:
    """The claims of a valid, unexpired token; None for anything else."""
    try:
        payload = jwt.decode(token, settings.SECRET_KEY, algorithms=[ALGORITHM], options={"require": ["exp", "sub"]})
        return TokenClaims(user_id=int(payload["sub"]), version=int(payload.get("ver", 0)), expires_at=payload["exp"])
    except (jwt.PyJWTError, ValueError, KeyError):
        return None


def bearer_token(authorization: str | None) -> str | None:
    """The token of an `Authorization: Bearer <token>` header, if any."""
    if authorization and authorization.lower().startswith("bearer "):
        return authorization[7:].strip() or None
    return None
