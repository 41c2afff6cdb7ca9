"""A real app process publishes what another process committed to the outbox but died before publishing."""

from __future__ import annotations

import asyncio
import os
from typing import Any

import pytest

from app import db
from app.events import PendingEvents
from app.services import booking_events
from models import EventOutbox
from tests.realtime import servers
from tests.realtime.servers import CAPACITY
from tests.realtime.support import Demo

ON_CI = os.environ.get("CI", "").lower() == "true"
WAIT_SECONDS = 10.0  # upper bound; nothing asserts on timing


async def _left_by_a_dead_process(demo: Demo, reason: str) -> None:
    """Committed with its change, never published: no flush, so nothing nudges any relay."""
    await booking_events.capacity_event(
        PendingEvents(),
        organization_id=demo.organization_id,
        capability_ids=[demo.capability_id],
        days=[],
        booking_id=None,
        reason=reason,
    )


async def _published(reason: str) -> bool:
    async with asyncio.timeout(WAIT_SECONDS):
        while True:
            rows = await EventOutbox.filter(published_at__isnull=False).values_list("payload", flat=True)
            if any(f'"{reason}"' in str(p) for p in rows):
                return True
            await asyncio.sleep(0.05)  # another process writes the row: no local event to await


# Runs in the PostgreSQL pass of `make test`, like the other tests with several processes.
@pytest.mark.skipif(not db.is_postgres(), reason="runs in the PostgreSQL pass (TEST_DATABASE_URL=postgres://...)")
@pytest.mark.skipif(not servers.redis_available() and not ON_CI, reason="needs redis-server")
async def test_a_starting_process_publishes_what_a_dead_one_left(demo: Demo) -> None:
    assert servers.redis_available(), "CI must run this test: redis-server is missing"
    await _left_by_a_dead_process(demo, "left-before-start")
    with servers.redis_server() as redis:
        async with servers.app_server(broadcast_url=redis.url, namespace="outbox.") as base:
            assert await _published("left-before-start")  # by the new process's relay, at start

            token = await servers.login(base, "owner@demo.test")
            async with servers.websocket(base, servers.TRANSPORT_WS, {"authorization": f"Bearer {token}"}) as socket:
                await socket.subscribe("1", CAPACITY, {"org": demo.organization_id})
                payload = await _until_received(demo, socket)
    event = payload["data"]["capacityChanged"]
    assert event["reason"].startswith("left-while-running") and event["capabilityIds"] == [demo.capability_id]


async def _until_received(demo: Demo, socket: servers.Socket, *, tries: int = 20) -> dict[str, Any]:
    """Leave rows until the subscriber gets one (bounded): graphql-transport-ws has no "subscribed"
    acknowledgement, so the first may go out before the server holds the subscription."""
    for attempt in range(tries):
        await _left_by_a_dead_process(demo, f"left-while-running-{attempt}")
        try:
            return await socket.receive(1.0)
        except TimeoutError:
            continue
    raise AssertionError("no event left in the outbox reached the subscriber")
