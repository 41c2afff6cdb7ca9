"""The sign-in limiter: failed attempts counted per (account, address) and per address, shared by all processes.

Per (account, address) and not per account alone, so a flood against an account from one address cannot lock its
owner out from theirs; per address, so one address cannot try many accounts. With Redis (BROADCAST_URL redis://)
the counters live there and every process sees the same counts. Otherwise they live in this process: right for
the single-process default (SQLite, memory broadcast); several processes without Redis each count on their own.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Iterable
from typing import Protocol

from redis import asyncio as aioredis

from app import settings

PAIR_LIMIT = 5  # failed sign-ins per (account, address) per window
SIGN_UP_LIMIT = 10  # sign-up attempts per address per window, successful or not
ADDRESS_LIMIT = 30  # failed sign-ins per address per window, whatever the accounts
WINDOW_SECONDS = 60


def pair_key(email: str, address: str) -> str:
    return f"pair:{email.strip().lower()}|{address}"


def address_key(address: str) -> str:
    return f"address:{address}"


class Counters(Protocol):
    """Failed attempts per key within a window."""

    async def counts(self, keys: list[str]) -> list[int]: ...
    async def hit(self, keys: Iterable[str]) -> None: ...
    async def reset(self, key: str) -> None: ...
    async def clear(self) -> None: ...


class MemoryCounters:
    """A sliding window per key, in this process."""

    def __init__(self, window: float = WINDOW_SECONDS) -> None:
        self.window = window
        self._hits: dict[str, deque[float]] = {}

    async def counts(self, keys: list[str]) -> list[int]:
        return [len(self._recent(key)) for key in keys]

    async def hit(self, keys: Iterable[str]) -> None:
        for key in keys:
            hits = self._recent(key)
            hits.append(time.monotonic())
            self._hits[key] = hits

    async def reset(self, key: str) -> None:
        self._hits.pop(key, None)

    async def clear(self) -> None:
        self._hits.clear()

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


class RedisCounters:
    """A fixed window per key in Redis (INCR, then EXPIRE on the first hit), shared by every process.

    A connection per call: sign-ins are rare next to the hash each one costs, and there is no client to close."""

    def __init__(self, url: str, *, prefix: str = "", window: int = WINDOW_SECONDS) -> None:
        self.url = url
        self.prefix = f"{prefix}login-limit:"
        self.window = window

    async def counts(self, keys: list[str]) -> list[int]:
        async with aioredis.Redis.from_url(self.url) as redis:
            values = await redis.mget([self.prefix + k for k in keys])
        return [int(v) if v is not None else 0 for v in values]

    async def hit(self, keys: Iterable[str]) -> None:
        async with aioredis.Redis.from_url(self.url) as redis, redis.pipeline(transaction=True) as pipe:
            for key in keys:
                pipe.incr(self.prefix + key)
                pipe.expire(self.prefix + key, self.window, nx=True)
            await pipe.execute()

    async def reset(self, key: str) -> None:
        async with aioredis.Redis.from_url(self.url) as redis:
            await redis.delete(self.prefix + key)

    async def clear(self) -> None:
        async with aioredis.Redis.from_url(self.url) as redis:
            keys = [key async for key in redis.scan_iter(match=self.prefix + "*")]
            if keys:
                await redis.delete(*keys)


def counters_for(broadcast_url: str) -> Counters:
    if broadcast_url.startswith(("redis://", "rediss://")):
        return RedisCounters(broadcast_url, prefix=settings.BROADCAST_NAMESPACE)
    return MemoryCounters()


class LoginLimiter:
    def __init__(self, counters: Counters) -> None:
        self.counters = counters

    async def blocked(self, email: str, address: str) -> bool:
        pair, per_address = await self.counters.counts([pair_key(email, address), address_key(address)])
        return pair >= PAIR_LIMIT or per_address >= ADDRESS_LIMIT

    async def failed(self, email: str, address: str) -> None:
        await self.counters.hit([pair_key(email, address), address_key(address)])

    async def succeeded(self, email: str, address: str) -> None:
        await self.counters.reset(pair_key(email, address))

    async def clear(self) -> None:
        await self.counters.clear()


class SignUpLimiter:
    """Sign-up attempts per address: every attempt counts (a new account is the thing to ration), none resets."""

    def __init__(self, counters: Counters) -> None:
        self.counters = counters

    async def blocked(self, address: str) -> bool:
        (count,) = await self.counters.counts([sign_up_key(address)])
        return count >= SIGN_UP_LIMIT

    async def attempted(self, address: str) -> None:
        await self.counters.hit([sign_up_key(address)])


def sign_up_key(address: str) -> str:
    return f"sign-up:{address}"


login_limiter = LoginLimiter(counters_for(settings.BROADCAST_URL))
# The same counters (and so the same clear()), under keys of its own.
sign_up_limiter = SignUpLimiter(login_limiter.counters)
