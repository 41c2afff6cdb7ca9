"""The raw stream behind every subscription: decoded event payloads and resyncs from the process's hub."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncGenerator
from typing import Any

from app import broadcast
from app.broadcast import Resync

log = logging.getLogger("nzero.subscriptions")

Payload = dict[str, Any]


async def payloads(*names: str) -> AsyncGenerator[Payload | Resync, None]:
    """Yield each event's JSON payload (undecodable ones are logged and skipped) or a Resync."""
    async with broadcast.current().subscribe(*names) as subscription:
        async for item in subscription:
            if isinstance(item, Resync):
                yield item
                continue
            try:
                payload = json.loads(item.message)
            except (TypeError, ValueError):
                log.warning("undecodable event on %s: %.200r", item.channel, item.message)
                continue
            if isinstance(payload, dict):
                yield payload
