"""Events: written to the outbox in the transaction of their change, published by the relay after it commits.

A unit of work awaits `events.add(...)` while its transaction is open: the row goes in through the
transaction's connection, so a rollback leaves no event and a commit leaves one that cannot be lost. After
the commit, `flush()` nudges this process's relay (app/event_relay.py), which publishes what is pending; if
the process dies first, any process's relay publishes it. Payloads are small JSON objects (ids and the
change) with an event id; subscribers re-read what they show. Without a publisher (a bare service call in
a script or a test) the rows wait for the next process that has one.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from typing import Any, overload

from app.event_relay import Publisher, Relay
from models import EventOutbox

_relay: Relay | None = None


@overload
def set_publisher(publisher: Publisher) -> Relay: ...
@overload
def set_publisher(publisher: None) -> None: ...


def set_publisher(publisher: Publisher | None) -> Relay | None:
    """Install the process's broker (the lifespan's hub, a test's recorder); returns the relay that feeds it."""
    global _relay
    _relay = None if publisher is None else Relay(publisher)
    return _relay


def message(payload: dict[str, Any]) -> str:
    """The text subscribers receive: the payload with a fresh event id."""
    return json.dumps({"eventId": uuid.uuid4().hex, **payload}, default=str)


class PendingEvents:
    """The events of one unit of work: add() inside its transaction, flush() after it commits."""

    def __init__(self) -> None:
        self.written = 0

    async def add(self, channel: str, payload: dict[str, Any]) -> None:
        await self.add_all([(channel, payload)])

    async def add_all(self, items: Iterable[tuple[str, dict[str, Any]]]) -> None:
        """Write the events in one insert (in the caller's transaction, if one is open)."""
        rows = [EventOutbox(channel=channel, payload=message(payload)) for channel, payload in items]
        if rows:
            await EventOutbox.bulk_create(rows)
            self.written += len(rows)

    async def flush(self) -> None:
        """After the commit: publish now rather than at the relay's next poll."""
        if self.written and _relay is not None:
            self.written = 0
            await _relay.publish_pending()


async def publish(channel: str, payload: dict[str, Any]) -> None:
    """One event outside a unit of work (after a commit that queued none): written, then published."""
    events = PendingEvents()
    await events.add(channel, payload)
    await events.flush()
