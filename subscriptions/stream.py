"""The raw stream behind every subscription: the hub's messages (decoded once per event) and resyncs.

A message is the same object for every local subscriber of its channel: `event_loaders` hands them all one
Loaders instance for that event, so the rows re-read for an event are read once, whatever the number of
subscribers. Loaders cache rows only; each subscriber keeps its own Viewer, and every field resolver and
generator still decides with it what that subscriber may see.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Mapping
from typing import Any

from app import broadcast, channels
from app.broadcast import Message, Resync
from schema.loaders import Loaders
from subscriptions.viewer import Access

Payload = Mapping[str, Any]
LOADERS_KEY = "loaders"
ACCESS_CHECK_SECONDS = 30.0  # the database re-check of a quiet subscription's access, at the latest


async def payloads(*names: str, access: Access) -> AsyncGenerator[Message | Resync, None]:
    """Yield each event whose payload is a JSON object (undecodable ones are logged once and skipped), or a Resync,
    while the subscriber's access lasts: it ends (an UNAUTHENTICATED error) when the token expires, is revoked
    (the user's access channel tells at once), or the user or membership behind it is gone (the periodic check)."""
    own = channels.user_access(access.user_id)
    async with broadcast.current().subscribe(*names, own) as subscription:
        while True:
            try:
                async with asyncio.timeout(max(0.0, min(ACCESS_CHECK_SECONDS, access.seconds_left()))):
                    item = await anext(subscription)
            except StopAsyncIteration:
                return
            except TimeoutError:  # a quiet stream: the token may have expired, or a right may be gone
                await access.check()
                continue
            if isinstance(item, Message) and item.channel == own:
                await access.check()
                continue
            access.check_expiry()
            if isinstance(item, Resync):
                await access.check()  # what was published meanwhile may have included a revocation
                yield item
            elif item.payload is not None:
                yield item


def event_loaders(message: Message) -> Loaders:
    """The Loaders shared by every subscriber of this one event (created by the first, dropped with the message)."""
    loaders = message.shared.get(LOADERS_KEY)
    if loaders is None:
        loaders = message.shared[LOADERS_KEY] = Loaders()
    return loaders
