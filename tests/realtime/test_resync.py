"""A lost broker connection: the hub reconnects and subscribers re-read what they missed."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from tortoise import connections

from app import broadcast, channels, db, events, settings
from app.broadcast import Hub, create_broadcast
from app.events import PendingEvents
from app.services import booking_events
from models.enums import BookingStatus, JobOfferStatus
from tests.helpers import gid
from tests.realtime import servers
from tests.realtime import support as s
from tests.realtime.support import BOOKING, CAPACITY, OFFERS


async def _hub(url: str) -> Hub:
    hub = create_broadcast(url, namespace="resync.")
    await hub.connect()
    broadcast.set_current(hub)
    events.set_publisher(hub)
    return hub


async def _close(hub: Hub) -> None:
    events.set_publisher(None)
    broadcast.set_current(None)
    await hub.disconnect()


@pytest.fixture
async def redis() -> AsyncIterator[servers.RedisServer]:
    if not servers.redis_available():
        pytest.skip("redis-server is not installed")
    with servers.redis_server() as server:
        yield server


async def test_missed_booking_moves_and_offer_changes_are_re_read(redis: servers.RedisServer) -> None:
    hub = await _hub(redis.url)
    customer = await s.person()
    worker = await s.person()
    row = await s.booking(customer, None, BookingStatus.QUOTE_ACCEPTED)
    offer = await s.offer(worker, row)
    bookings = await s.subscribe(BOOKING, s.ws_context(customer.token))
    offers = await s.subscribe(OFFERS, s.ws_context(worker.token))
    try:
        await bookings.wait_held(hub, channels.customer_bookings(customer.user.id))
        await offers.wait_held(hub, channels.job_offers(worker.user.id))
        redis.stop()
        # Changes while the broker is down: their events are lost.
        await booking_events.move(row, BookingStatus.SCHEDULED, by_user_id=None, events=PendingEvents())
        offer.status = JobOfferStatus.WITHDRAWN
        await offer.save(update_fields=["status"])
        redis.start()
        moved = (await bookings.next()).data["bookingStatusChanged"]  # type: ignore[index]
        assert moved["previousStatus"] == "QUOTE_ACCEPTED" and moved["status"] == "SCHEDULED"
        changed = (await offers.next()).data["jobOffers"]  # type: ignore[index]
        assert changed["change"] == "WITHDRAWN" and changed["offer"]["id"] == gid(offer)
        assert hub.reconnects >= 1
    finally:
        await bookings.close()
        await offers.close()
        await _close(hub)


@pytest.mark.skipif(not db.is_postgres(), reason="PostgreSQL LISTEN/NOTIFY needs a PostgreSQL database")
async def test_postgres_listener_reconnects_after_its_connection_is_killed() -> None:
    hub = await _hub(settings.DATABASE_URL)
    owner = await s.person()
    org = await s.organization(owner)
    live = await s.subscribe(CAPACITY, s.ws_context(owner.token), {"org": org.id})
    try:
        await live.wait_held(hub, channels.capacity(org.id))
        await connections.get("default").execute_query(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() "
            "AND query LIKE 'LISTEN%' AND pid <> pg_backend_pid()"
        )
        resync = (await live.next()).data["capacityChanged"]  # type: ignore[index]
        assert resync["reason"] == "resync"
        await events.publish(
            channels.capacity(org.id),
            {"organizationId": org.id, "capabilityIds": [1], "days": [], "bookingId": None, "reason": "again"},
        )
        assert (await live.next()).data["capacityChanged"]["reason"] == "again"  # type: ignore[index]
    finally:
        await live.close()
        await _close(hub)
