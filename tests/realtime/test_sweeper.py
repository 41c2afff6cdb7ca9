"""The lifespan's job-offer sweeper expires overdue offers from the database state and publishes the change."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta

from app import channels, sweeper
from app.broadcast import Hub
from models import JobOffer
from models.enums import BookingStatus, JobOfferStatus
from tests.realtime import support as s


async def test_sweeper_expires_overdue_offers_and_publishes(hub: Hub) -> None:
    customer = await s.person()
    worker = await s.person()
    row = await s.booking(customer, None, BookingStatus.QUOTE_READY)
    overdue = await s.offer(worker, row)
    overdue.expires_at = datetime.now(UTC) - timedelta(minutes=1)
    await overdue.save(update_fields=["expires_at"])
    fresh = await s.offer(worker, row)
    async with hub.subscribe(channels.job_offers(worker.user.id)) as subscription, sweeper.running(interval=0.05):
        item = await asyncio.wait_for(anext(subscription), s.WAIT_SECONDS)
    payload = json.loads(item.message)  # type: ignore[union-attr]
    assert payload["offerId"] == str(overdue.id) and payload["change"] == "expired"
    assert (await JobOffer.get(id=overdue.id)).status == JobOfferStatus.EXPIRED
    assert (await JobOffer.get(id=fresh.id)).status == JobOfferStatus.PENDING


async def test_a_sweep_with_nothing_due_changes_nothing(hub: Hub) -> None:
    customer = await s.person()
    worker = await s.person()
    offer = await s.offer(worker, await s.booking(customer, None, BookingStatus.QUOTE_READY))
    assert await sweeper.sweep_once() == 0
    assert (await JobOffer.get(id=offer.id)).status == JobOfferStatus.PENDING
