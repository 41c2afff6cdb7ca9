"""Events: collected inside a transaction, published only after it commits.

Payloads are small JSON objects (ids and the change) with an event id; subscribers re-read what
they show. The broadcaster is owned by the app's lifespan; without one (a bare service call in a
test or a script) events are dropped with a debug log.
"""

from __future__ import annotations

import json
import logging
import uuid
from dataclasses import dataclass, field
from typing import Any, Protocol

log = logging.getLogger("nzero.events")


class Publisher(Protocol):
    async def publish(self, channel: str, message: Any) -> None: ...


_publisher: Publisher | None = None


def set_publisher(publisher: Publisher | None) -> None:
    global _publisher
    _publisher = publisher


async def publish(channel: str, payload: dict[str, Any]) -> None:
    message = json.dumps({"eventId": uuid.uuid4().hex, **payload}, default=str)
    if _publisher is None:
        log.debug("no broadcaster; dropped %s %s", channel, message)
        return
    try:
        await _publisher.publish(channel=channel, message=message)
    except Exception:  # a broker outage must not fail a committed write
        log.exception("publish to %s failed", channel)


@dataclass
class PendingEvents:
    """Events gathered during a unit of work; flush() after the transaction commits."""

    items: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    def add(self, channel: str, payload: dict[str, Any]) -> None:
        self.items.append((channel, payload))

    async def flush(self) -> None:
        items, self.items = self.items, []
        for channel, payload in items:
            await publish(channel, payload)
