"""The broadcast hub chosen by BROADCAST_URL (memory://, redis://, postgres://).

One listener per process reads the broker and fans events out to local subscriptions. Unlike
broadcaster's Broadcast, which stops delivering for good when its connection drops (encode/broadcaster
issue 144), the hub reconnects with backoff, re-subscribes every channel, and hands each subscription a
Resync: whatever was published meanwhile is lost, so subscribers re-read current state. A subscription
that falls too far behind is resynced the same way instead of growing without bound.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import random
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from types import MappingProxyType
from typing import Any

from broadcaster import Event

from app import settings
from app.broadcast_backends import Backend, backend_for

log = logging.getLogger("nzero.broadcast")

QUEUE_SIZE = 256  # events waiting for one subscription before it is resynced instead
RESYNC_MARGIN = timedelta(seconds=2)  # clock slack between this process, the broker and the database
BACKOFF_FIRST_SECONDS = 0.1
BACKOFF_MAX_SECONDS = 1.0  # a restarted broker is found again within about a second


@dataclass(frozen=True)
class Resync:
    """Events published after `since` may have been missed: re-read current state."""

    since: datetime


class Message:
    """One published event as every local subscriber of its channel receives it: the same object for all of them,
    so what is derived from the event (its decoded payload, rows read for it) is worked out once per event rather
    than once per subscriber, and dropped with the message once the last subscriber is done with it."""

    __slots__ = ("_payload", "channel", "message", "shared")

    def __init__(self, channel: str, message: str) -> None:
        self.channel = channel
        self.message = message
        self.shared: dict[str, Any] = {}  # per-event memo of the subscribers (holds rows only, never decisions)
        self._payload: Mapping[str, Any] | bool | None = False  # False: not decoded yet

    @property
    def payload(self) -> Mapping[str, Any] | None:
        """The JSON object, decoded once and read-only (every subscriber sees the same one); None if undecodable."""
        if self._payload is False:
            try:
                decoded = json.loads(self.message)
            except (TypeError, ValueError):
                decoded = None
            if isinstance(decoded, dict):
                self._payload = MappingProxyType(decoded)
            else:
                log.warning("undecodable event on %s: %.200r", self.channel, self.message)
                self._payload = None
        return self._payload  # type: ignore[return-value]


Item = Message | Resync


class Subscription:
    """One subscriber's queue of events (and resyncs) from its channels; async-iterable, ends when closed."""

    def __init__(self, names: tuple[str, ...]) -> None:
        self.channels = names
        self._queue: asyncio.Queue[Item | None] = asyncio.Queue(maxsize=QUEUE_SIZE)
        self._read_at = _now()

    def deliver(self, item: Item | None) -> None:
        try:
            self._queue.put_nowait(item)
        except asyncio.QueueFull:
            # Too slow a reader: drop what waits and ask it to re-read instead.
            while not self._queue.empty():
                self._queue.get_nowait()
            self._queue.put_nowait(None if item is None else Resync(self._read_at - RESYNC_MARGIN))

    def __aiter__(self) -> Subscription:
        return self

    async def __anext__(self) -> Item:
        item = await self._queue.get()
        if item is None:
            raise StopAsyncIteration
        self._read_at = _now()
        return item


class Hub:
    def __init__(self, backend: Backend, *, name: str = "broadcast", namespace: str = "") -> None:
        self.backend = backend
        self.name = name
        self.namespace = namespace  # prefixes broker channel names: deployments sharing a broker stay apart
        self._subscriptions: dict[str, set[Subscription]] = {}
        self._lock = asyncio.Lock()  # orders channel (un)subscriptions with reconnects
        self._listener: asyncio.Task[None] | None = None
        self._healthy_at = _now()
        self.reconnects = 0

    async def connect(self) -> None:
        await self.backend.connect()
        self._healthy_at = _now()
        self._listener = asyncio.create_task(self._listen(), name=f"{self.name}-listener")

    async def disconnect(self) -> None:
        """Stop listening and end every subscription (their generators finish, sockets close cleanly)."""
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._listener
            self._listener = None
        for subscriptions in list(self._subscriptions.values()):
            for subscription in list(subscriptions):
                subscription.deliver(None)
        self._subscriptions.clear()
        await self.backend.shutdown()

    async def publish(self, channel: str, message: str) -> None:
        await self.backend.publish(self.namespace + channel, message)

    @contextlib.asynccontextmanager
    async def subscribe(self, *names: str) -> AsyncIterator[Subscription]:
        """Listen on `names` (already held once the block starts; the events then arrive in order)."""
        subscription = Subscription(tuple(dict.fromkeys(names)))
        async with self._lock:
            new = [n for n in subscription.channels if not self._subscriptions.get(n)]
            for n in subscription.channels:
                self._subscriptions.setdefault(n, set()).add(subscription)
            try:
                await self.backend.subscribe([self.namespace + n for n in new])
            except Exception:  # the listener notices the loss and re-subscribes every channel
                log.warning("%s: subscribing to %s failed; will retry on reconnect", self.name, new, exc_info=True)
        try:
            yield subscription
        finally:
            await self._release(subscription)

    async def _release(self, subscription: Subscription) -> None:
        async with self._lock:
            gone: list[str] = []
            for n in subscription.channels:
                holders = self._subscriptions.get(n)
                if holders is not None:
                    holders.discard(subscription)
                    if not holders:
                        del self._subscriptions[n]
                        gone.append(n)
            try:
                await self.backend.unsubscribe([self.namespace + n for n in gone])
            except Exception:  # a lost connection holds nothing; a reconnect subscribes only current channels
                log.debug("%s: unsubscribing from %s failed", self.name, gone, exc_info=True)

    def holds(self, name: str) -> bool:
        """Whether some local subscription listens on `name`."""
        return bool(self._subscriptions.get(name))

    def listeners(self, name: str) -> int:
        """How many local subscriptions listen on `name` (tests wait for one more before publishing)."""
        return len(self._subscriptions.get(name, ()))

    def subscriber_count(self) -> int:
        return len({id(s) for holders in self._subscriptions.values() for s in holders})

    async def _listen(self) -> None:
        while True:
            try:
                event = await self.backend.next_published()
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                lost_since = self._healthy_at
                log.warning("%s: broker connection lost (%s); reconnecting", self.name, exc)
                await self._reconnect()
                self._resync_all(lost_since - RESYNC_MARGIN)
                continue
            self._healthy_at = _now()
            if event is not None and event.channel.startswith(self.namespace):
                self._fan_out(event)

    def _fan_out(self, event: Event) -> None:
        local = event.channel[len(self.namespace) :]
        holders = self._subscriptions.get(local)
        if holders:
            message = Message(local, event.message)  # one per event, shared by its subscribers
            for subscription in list(holders):
                subscription.deliver(message)

    async def _reconnect(self) -> None:
        delay = BACKOFF_FIRST_SECONDS
        while True:
            try:
                async with self._lock:
                    await self.backend.connect()
                    await self.backend.subscribe([self.namespace + n for n in self._subscriptions], confirm=False)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.info("%s: reconnect failed (%s); next try in %.1fs", self.name, exc, delay)
                await asyncio.sleep(delay * random.uniform(0.8, 1.2))
                delay = min(delay * 2, BACKOFF_MAX_SECONDS)
                continue
            self.reconnects += 1
            self._healthy_at = _now()
            log.warning(
                "%s: broker connection restored; %d channels re-subscribed", self.name, len(self._subscriptions)
            )
            return

    def _resync_all(self, since: datetime) -> None:
        seen: set[int] = set()
        for holders in list(self._subscriptions.values()):
            for subscription in list(holders):
                if id(subscription) not in seen:
                    seen.add(id(subscription))
                    subscription.deliver(Resync(since))


def create_broadcast(url: str, *, namespace: str | None = None) -> Hub:
    """BROADCAST_NAMESPACE (optional) keeps deployments or test runs that share one Redis apart."""
    scheme = url.split("://", 1)[0]
    if namespace is None:
        namespace = settings.BROADCAST_NAMESPACE
    return Hub(backend_for(url), name=f"broadcast[{scheme}]", namespace=namespace)


_current: Hub | None = None


def set_current(hub: Hub | None) -> None:
    """The lifespan installs the process's hub; subscriptions read it from here."""
    global _current
    _current = hub


def current() -> Hub:
    if _current is None:
        raise RuntimeError("No broadcast hub: the app's lifespan has not started")
    return _current


def _now() -> datetime:
    return datetime.now(UTC)
