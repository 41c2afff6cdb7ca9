"""Broker connections for the broadcast hub: memory (one process), Redis and PostgreSQL (several).

Each backend exposes the same small surface; the hub owns reconnection. A backend reports a lost
listening connection by raising from next_published(), and `connect()` can be called again to open
a fresh one (the hub then re-subscribes every channel). next_published() returns None on an idle
tick, which tells the hub the connection was alive at that moment.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from typing import Any, Protocol

import asyncpg
from broadcaster import Event
from redis import asyncio as aioredis
from redis.asyncio.client import PubSub
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff

from app import channels

log = logging.getLogger("nzero.broadcast")

IDLE_TICK_SECONDS = 1.0  # how often next_published() returns None while nothing arrives
PROBE_SECONDS = 5.0  # PostgreSQL: idle time after which the listening connection is probed
CONNECT_TIMEOUT_SECONDS = 2.0
CONFIRM_TIMEOUT_SECONDS = 2.0


class BrokerLost(ConnectionError):
    """The listening connection is gone; the hub reconnects and re-subscribes."""


class Backend(Protocol):
    async def connect(self) -> None: ...
    async def close(self) -> None: ...
    async def shutdown(self) -> None: ...
    async def subscribe(self, names: Iterable[str], *, confirm: bool = True) -> None: ...
    async def unsubscribe(self, names: Iterable[str]) -> None: ...
    async def publish(self, channel: str, message: str) -> None: ...
    async def next_published(self) -> Event | None: ...


class MemoryBackend:
    """One process: publishing puts the event on the listener's queue."""

    def __init__(self) -> None:
        self._queue: asyncio.Queue[Event] = asyncio.Queue()
        self._subscribed: set[str] = set()

    async def connect(self) -> None:
        return None

    async def close(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def subscribe(self, names: Iterable[str], *, confirm: bool = True) -> None:
        self._subscribed.update(names)

    async def unsubscribe(self, names: Iterable[str]) -> None:
        self._subscribed.difference_update(names)

    async def publish(self, channel: str, message: str) -> None:
        if channel in self._subscribed:
            self._queue.put_nowait(Event(channel=channel, message=message))

    async def next_published(self) -> Event | None:
        try:
            return await asyncio.wait_for(self._queue.get(), IDLE_TICK_SECONDS)
        except TimeoutError:
            return None


class RedisBackend:
    """Redis pub/sub. The listening connection never retries by itself (the hub must learn of a loss to
    resync its subscribers), always holds a heartbeat channel (so the reader never races the first
    subscription, the redis-py 8 trap), and subscribe() waits for the server's confirmation."""

    def __init__(self, url: str) -> None:
        self._url = url
        self._publisher = aioredis.Redis.from_url(
            url, socket_connect_timeout=CONNECT_TIMEOUT_SECONDS, socket_timeout=CONNECT_TIMEOUT_SECONDS
        )
        self._client: aioredis.Redis | None = None
        self._pubsub: PubSub | None = None
        self._confirmations: dict[str, asyncio.Event] = {}

    async def connect(self) -> None:
        await self.close()
        self._client = aioredis.Redis.from_url(
            self._url,
            socket_connect_timeout=CONNECT_TIMEOUT_SECONDS,
            health_check_interval=int(PROBE_SECONDS),
            retry=Retry(NoBackoff(), 0),
        )
        self._pubsub = self._client.pubsub()
        await self._pubsub.subscribe(channels.broker_heartbeat())
        # The first reply is the heartbeat's confirmation: the connection works.
        reply = await self._pubsub.get_message(timeout=CONNECT_TIMEOUT_SECONDS)
        if reply is None:
            raise BrokerLost("Redis did not confirm the subscription")

    async def close(self) -> None:
        pubsub, client, self._pubsub, self._client = self._pubsub, self._client, None, None
        for waiter in self._confirmations.values():
            waiter.set()
        self._confirmations.clear()
        for closable in (pubsub, client):
            if closable is not None:
                try:
                    await closable.aclose()
                except Exception:  # already broken: nothing to close cleanly
                    log.debug("closing a broken Redis connection failed", exc_info=True)

    async def shutdown(self) -> None:
        await self.close()
        await self._publisher.aclose()

    async def subscribe(self, names: Iterable[str], *, confirm: bool = True) -> None:
        """confirm=False when called from the reader itself (it would wait for its own reads)."""
        names = list(names)
        if not names:
            return
        pubsub = self._require()
        waiters = [self._confirmations.setdefault(name, asyncio.Event()) for name in names] if confirm else []
        await pubsub.subscribe(*names)
        if not waiters:
            return
        try:
            await asyncio.wait_for(asyncio.gather(*(w.wait() for w in waiters)), CONFIRM_TIMEOUT_SECONDS)
        except TimeoutError:
            log.warning("Redis did not confirm the subscription to %s in time", names)

    async def unsubscribe(self, names: Iterable[str]) -> None:
        names = list(names)
        if names and self._pubsub is not None:
            await self._pubsub.unsubscribe(*names)

    async def publish(self, channel: str, message: str) -> None:
        await self._publisher.publish(channel, message)

    async def next_published(self) -> Event | None:
        message: dict[str, Any] | None = await self._require().get_message(timeout=IDLE_TICK_SECONDS)
        if message is None:
            return None
        kind = message["type"]
        channel = _text(message["channel"])
        if kind == "subscribe":
            waiter = self._confirmations.pop(channel, None)
            if waiter is not None:
                waiter.set()
            return None
        if kind == "message" and channel != channels.broker_heartbeat():
            return Event(channel=channel, message=_text(message["data"]))
        return None

    def _require(self) -> PubSub:
        if self._pubsub is None:
            raise BrokerLost("Redis is not connected")
        return self._pubsub


class PostgresBackend:
    """LISTEN/NOTIFY. asyncpg runs one operation per connection at a time (broadcaster issue 22), so the
    publishing connection is separate from the listening one and each is used under its own lock."""

    def __init__(self, url: str) -> None:
        self._url = url
        self._listener: asyncpg.Connection | None = None
        self._publisher: asyncpg.Connection | None = None
        self._listen_lock = asyncio.Lock()
        self._publish_lock = asyncio.Lock()
        self._queue: asyncio.Queue[Event | BaseException] = asyncio.Queue()
        self._names: set[str] = set()

    async def connect(self) -> None:
        await self.close()
        conn: asyncpg.Connection = await asyncpg.connect(self._url, timeout=CONNECT_TIMEOUT_SECONDS)
        conn.add_termination_listener(self._on_terminated)
        self._queue = asyncio.Queue()
        self._names = set()
        self._listener = conn

    async def close(self) -> None:
        conn, self._listener = self._listener, None
        if conn is not None:
            conn.remove_termination_listener(self._on_terminated)
            try:
                await asyncio.wait_for(conn.close(), CONNECT_TIMEOUT_SECONDS)
            except Exception:
                conn.terminate()

    async def shutdown(self) -> None:
        await self.close()
        async with self._publish_lock:
            conn, self._publisher = self._publisher, None
            if conn is not None:
                await conn.close()

    async def subscribe(self, names: Iterable[str], *, confirm: bool = True) -> None:
        async with self._listen_lock:
            conn = self._require()
            for name in names:
                if name not in self._names:
                    await conn.add_listener(name, self._on_notify)
                    self._names.add(name)

    async def unsubscribe(self, names: Iterable[str]) -> None:
        async with self._listen_lock:
            conn = self._listener
            for name in names:
                if conn is not None and name in self._names:
                    self._names.discard(name)
                    await conn.remove_listener(name, self._on_notify)

    async def publish(self, channel: str, message: str) -> None:
        async with self._publish_lock:
            if self._publisher is None or self._publisher.is_closed():
                self._publisher = await asyncpg.connect(self._url, timeout=CONNECT_TIMEOUT_SECONDS)
            try:
                await self._publisher.execute("SELECT pg_notify($1, $2)", channel, message)
            except (OSError, asyncpg.PostgresConnectionError, asyncpg.InterfaceError):
                self._publisher.terminate()
                self._publisher = None
                raise

    async def next_published(self) -> Event | None:
        try:
            item = await asyncio.wait_for(self._queue.get(), PROBE_SECONDS)
        except TimeoutError:
            await self._probe()
            return None
        if isinstance(item, BaseException):
            raise item
        return item

    async def _probe(self) -> None:
        async with self._listen_lock:
            conn = self._require()
            try:
                await asyncio.wait_for(conn.fetchval("SELECT 1"), CONNECT_TIMEOUT_SECONDS)
            except Exception as exc:
                raise BrokerLost("PostgreSQL listening connection does not answer") from exc

    def _on_notify(self, connection: Any, pid: int, channel: str, payload: str) -> None:
        if connection is self._listener:
            self._queue.put_nowait(Event(channel=channel, message=payload))

    def _on_terminated(self, connection: Any) -> None:
        if connection is self._listener:
            self._queue.put_nowait(BrokerLost("PostgreSQL closed the listening connection"))

    def _require(self) -> asyncpg.Connection:
        if self._listener is None or self._listener.is_closed():
            raise BrokerLost("PostgreSQL is not connected")
        return self._listener


def backend_for(url: str) -> Backend:
    scheme = url.split("://", 1)[0].lower()
    if scheme == "memory":
        return MemoryBackend()
    if scheme in ("redis", "rediss"):
        return RedisBackend(url)
    if scheme in ("postgres", "postgresql"):
        return PostgresBackend("postgres://" + url.split("://", 1)[1])
    raise ValueError(f"Unsupported BROADCAST_URL scheme {scheme!r} (memory://, redis://, postgres://)")


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)
