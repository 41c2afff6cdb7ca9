"""Sign-in: hashed off the event loop in a bounded pool, OWASP Argon2id with rehash, no account enumeration
by cost, and a limiter per (account, address) and per address that every process shares."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator

import pytest
from argon2 import PasswordHasher

from app import security, settings
from app.auth_limiter import PAIR_LIMIT, LoginLimiter, RedisCounters, counters_for
from app.errors import DomainError, ErrorCode
from app.services import auth
from models import User

PASSWORD = "s3cret-pass"


class Verifies:
    """Records every verify: the thread it ran on and how many ran at once."""

    def __init__(self) -> None:
        self.threads: list[str] = []
        self.running = self.most_at_once = 0
        self._lock = threading.Lock()

    def wrap(self, password_hash: str, password: str) -> bool:
        with self._lock:
            self.threads.append(threading.current_thread().name)
            self.running += 1
            self.most_at_once = max(self.most_at_once, self.running)
        try:
            return ORIGINAL_VERIFY(password_hash, password)
        finally:
            with self._lock:
                self.running -= 1


ORIGINAL_VERIFY = security.verify_password


@pytest.fixture
def verifies(monkeypatch: pytest.MonkeyPatch) -> Iterator[Verifies]:
    recorder = Verifies()
    monkeypatch.setattr(security, "verify_password", recorder.wrap)
    yield recorder


async def _user(password_hash: str | None = None) -> User:
    return await User.create(
        email="kim@example.test", password_hash=password_hash or security.hash_password(PASSWORD), full_name="Kim"
    )


async def _refused(email: str, password: str, address: str) -> ErrorCode:
    with pytest.raises(DomainError) as refused:
        await auth.login(email=email, password=password, address=address)
    return refused.value.code


def test_new_hashes_use_the_owasp_argon2id_parameters() -> None:
    assert security.hash_password(PASSWORD).startswith("$argon2id$v=19$m=19456,t=2,p=1$")


async def test_a_hash_with_old_parameters_is_replaced_at_sign_in() -> None:
    old = PasswordHasher().hash(PASSWORD)  # argon2-cffi's defaults: 64 MiB, 3 passes, 4 lanes
    user = await _user(old)
    await auth.login(email="kim@example.test", password=PASSWORD, address="10.0.0.1")
    await user.refresh_from_db()
    assert user.password_hash != old and user.password_hash.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    await auth.login(email="kim@example.test", password=PASSWORD, address="10.0.0.1")  # the new hash verifies
    unchanged = user.password_hash
    await user.refresh_from_db()
    assert user.password_hash == unchanged  # current parameters: no rehash


async def test_a_wrong_password_does_not_rehash() -> None:
    old = PasswordHasher().hash(PASSWORD)
    user = await _user(old)
    assert await _refused("kim@example.test", "wrong", "10.0.0.1") == ErrorCode.UNAUTHENTICATED
    await user.refresh_from_db()
    assert user.password_hash == old


async def test_an_unknown_email_runs_a_verify_like_a_wrong_password(verifies: Verifies) -> None:
    await _user()
    assert await _refused("nobody@example.test", PASSWORD, "10.0.0.1") == ErrorCode.UNAUTHENTICATED
    assert len(verifies.threads) == 1
    assert await _refused("kim@example.test", "wrong", "10.0.0.1") == ErrorCode.UNAUTHENTICATED
    assert len(verifies.threads) == 2


async def test_verifies_run_off_the_event_loop_at_most_two_at_once(verifies: Verifies) -> None:
    await _user()
    addresses = [f"10.0.1.{i}" for i in range(8)]
    results = await asyncio.gather(
        *(auth.login(email="kim@example.test", password=PASSWORD, address=a) for a in addresses)
    )
    assert len(results) == 8 and all(r.token for r in results)
    assert len(verifies.threads) == 8
    assert all(name.startswith("argon2") for name in verifies.threads)
    assert threading.current_thread().name not in verifies.threads
    assert verifies.most_at_once <= security.HASH_WORKERS


async def test_a_flood_from_one_address_does_not_lock_the_owner_out_of_theirs() -> None:
    await _user()
    for _ in range(PAIR_LIMIT):
        assert await _refused("kim@example.test", "guess", "203.0.113.9") == ErrorCode.UNAUTHENTICATED
    assert await _refused("kim@example.test", PASSWORD, "203.0.113.9") == ErrorCode.RATE_LIMITED
    result = await auth.login(email="kim@example.test", password=PASSWORD, address="10.0.0.1")
    assert result.user.email == "kim@example.test"


async def test_a_success_clears_only_that_address_failures() -> None:
    await _user()
    for _ in range(PAIR_LIMIT - 1):
        await _refused("kim@example.test", "typo", "10.0.0.1")
    await auth.login(email="kim@example.test", password=PASSWORD, address="10.0.0.1")
    for _ in range(PAIR_LIMIT - 1):
        assert await _refused("kim@example.test", "typo", "10.0.0.1") == ErrorCode.UNAUTHENTICATED


def test_with_redis_the_counters_live_in_redis() -> None:
    assert isinstance(counters_for("redis://127.0.0.1:6379/6"), RedisCounters)
    assert not isinstance(counters_for("memory://"), RedisCounters)


@pytest.mark.skipif(not settings.BROADCAST_URL.startswith("redis://"), reason="needs Redis (the PostgreSQL run)")
async def test_every_process_sees_the_same_failures() -> None:
    # Two limiters with their own Redis connections, as two processes would have.
    first, second = (
        LoginLimiter(counters_for(settings.BROADCAST_URL)),
        LoginLimiter(counters_for(settings.BROADCAST_URL)),
    )
    for _ in range(PAIR_LIMIT):
        await first.failed("kim@example.test", "203.0.113.9")
    assert await second.blocked("kim@example.test", "203.0.113.9")
    assert not await second.blocked("kim@example.test", "10.0.0.1")
    await second.clear()
    assert not await first.blocked("kim@example.test", "203.0.113.9")
