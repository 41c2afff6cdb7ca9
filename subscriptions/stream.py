"""The raw stream behind every subscription: the hub's messages (decoded once per event) and resyncs.

A message is the same object for every local subscriber of its channel: `event_loaders` hands them all one
Loaders instance for that event, so the rows re-read for an event are read once, whatever the number of
subscribers. Loaders cache rows only; each subscriber keeps its own Viewer, and every field resolver and
generator still decides with it what that subscriber may see.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Mapping
from typing import Any

from app import broadcast
from app.broadcast import Message, Resync
from schema.loaders import Loaders

Payload = Mapping[str, Any]
LOADERS_KEY = "loaders"


async def payloads(*names: str) -> AsyncGenerator[Message | Resync, None]:
    """Yield each event whose payload is a JSON object (undecodable ones are logged once and skipped), or a Resync."""
    async with broadcast.current().subscribe(*names) as subscription:
        async for item in subscription:
            if isinstance(item, Resync) or item.payload is not None:
                yield item


def event_loaders(message: Message) -> Loaders:
    """The Loaders shared by every subscriber of this one event (created by the first, dropped with the message)."""
    loaders = message.shared.get(LOADERS_KEY)
    if loaders is None:
        loaders = message.shared[LOADERS_KEY] = Loaders()
    return loaders
