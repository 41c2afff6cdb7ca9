"""Password hashing (Argon2id, memory-hard) and signed, expiring, revocable tokens."""

from __future__ import annotations

import time
from dataclasses import dataclass

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from app import settings

_hasher = PasswordHasher()
ALGORITHM = "HS256"


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


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
