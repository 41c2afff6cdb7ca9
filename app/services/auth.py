"""Sign-up and sign-in (rate limited: app/auth_limiter.py), and token revocation."""

from __future__ import annotations

import re
from dataclasses import dataclass

from tortoise.exceptions import IntegrityError

from app import channels, events
from app.auth_limiter import login_limiter, sign_up_limiter
from app.errors import DomainError, ErrorCode, bad_input
from app.security import check_password, hash_password_async, issue_token
from models import User
from models.enums import AccountType

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
MAX_EMAIL = 254  # RFC 5321's path limit
MIN_PASSWORD = 10
MAX_PASSWORD = 128  # Argon2 hashes any length; the bound keeps a request from buying seconds of CPU
MIN_DISTINCT = 5  # "aaaaaaaaaa" and "1212121212" are not passwords
MAX_NAME = 200
SIGN_UP_TYPES = (AccountType.CUSTOMER, AccountType.LABOR)


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


@dataclass(frozen=True)
class SignUp:
    email: str
    password: str
    full_name: str
    account_type: AccountType


def _checked(request: SignUp) -> SignUp:
    email = request.email.strip().lower()
    if len(email) > MAX_EMAIL or not EMAIL.match(email):
        raise bad_input("email", "email must look like name@example.com")
    name = request.full_name.strip()
    if not name or len(name) > MAX_NAME:
        raise bad_input("full_name", f"full_name must be 1 to {MAX_NAME} characters")
    password = request.password
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise bad_input("password", f"password must be {MIN_PASSWORD} to {MAX_PASSWORD} characters")
    local = email.split("@", 1)[0]
    if len(set(password)) < MIN_DISTINCT or (len(local) >= 3 and local in password.lower()):
        raise bad_input("password", "password is too easy to guess (few different characters, or the email in it)")
    if request.account_type not in SIGN_UP_TYPES:
        raise bad_input("role", "role must be CUSTOMER or LABOR")
    return SignUp(email, password, name, request.account_type)


async def sign_up(*, request: SignUp, address: str) -> LoginResult:
    """A new customer or labor account, signed in. Every attempt counts against the address's budget; a taken
    email is a CONFLICT that says only that (no name, no date, the same work as a new account)."""
    if await sign_up_limiter.blocked(address):
        raise DomainError(ErrorCode.RATE_LIMITED, "Too many sign-ups from this address; wait a minute and try again")
    await sign_up_limiter.attempted(address)
    checked = _checked(request)
    password_hash = await hash_password_async(checked.password)  # before the lookup: a taken email costs the same
    taken = DomainError(ErrorCode.CONFLICT, "An account with this email already exists; sign in", field="email")
    if await User.exists(email=checked.email):
        raise taken
    try:
        user = await User.create(
            email=checked.email,
            password_hash=password_hash,
            full_name=checked.full_name,
            account_type=checked.account_type,
        )
    except IntegrityError as exc:  # the same email signed up at the same moment: the unique key decides
        raise taken from exc
    token, expires_at = issue_token(user.id, user.token_version)
    return LoginResult(token=token, expires_at=expires_at, user=user)


async def revoke_tokens(*, user: User) -> None:
    """Invalidate every token issued to this user so far, and end the subscriptions they opened."""
    user.token_version += 1
    await user.save(update_fields=["token_version"])
    await events.publish(channels.user_access(user.id), {"userId": user.id, "reason": "revoked"})
