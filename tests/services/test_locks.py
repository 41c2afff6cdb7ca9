"""The people lock really locks, and PostgreSQL itself refuses a person's overlapping reservations.

tortoise-orm issue 2250 once made our lock emit no `FOR UPDATE` at all; these tests read the SQL the lock sends
and hold it from a second transaction, so a library regression fails here loudly. The constraint tests play an
application that forgot to check: the database must still say no, and the service must turn that into
CAPACITY_UNAVAILABLE with nothing half-written.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from typing import Any

import pytest
from asyncpg.exceptions import LockNotAvailableError
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from app import db
from app.errors import DomainError, ErrorCode
from app.services import locks
from app.services.coordination import availability
from app.services.coordination.acceptance import accept_quote
from app.services.coordination.offers import respond_to_job_offer
from app.services.coordination.quoting import QuoteRequest, request_quote
from models import CapacitySchedule, JobOffer, ServiceBooking
from models.enums import BookingStatus, JobOfferStatus, ResourceType
from tests.factories import MONDAY, NOW, make_shop, make_worker, viewer
from tests.helpers import count_queries
from tests.services.invariants import overlapping_people

pytestmark = pytest.mark.skipif(not db.is_postgres(), reason="row locks and exclusion constraints are PostgreSQL's")

START = datetime(2030, 1, 7, 16, 0).astimezone()


async def _labor_block(user_id: int, org_id: int, start: datetime, hours: int, **values: Any) -> CapacitySchedule:
    return await CapacitySchedule.create(
        organization_id=org_id,
        resource_type=ResourceType.USER_LABOR,
        user_id=user_id,
        start_time=start,
        end_time=start + timedelta(hours=hours),
        is_reserved=values.pop("is_reserved", True),
        **values,
    )


async def test_the_people_lock_sends_for_update() -> None:
    shop = await make_shop(painters=2)
    ids = [p.id for p in shop.painters]
    with count_queries() as statements:
        async with in_transaction():
            await locks.lock_people(ids)
            await locks.capabilities_lock([shop.booth.id])
    people = [s for s in statements if '"users"' in s]
    capabilities = [s for s in statements if '"organization_capabilities"' in s]
    assert people and all("FOR UPDATE" in s and "ORDER BY" in s for s in people), people
    assert capabilities and all("FOR UPDATE" in s for s in capabilities), capabilities


async def test_a_held_person_lock_stops_a_second_transaction() -> None:
    shop = await make_shop(painters=1)
    painter = shop.painters[0].id
    holding, release = asyncio.Event(), asyncio.Event()

    async def hold() -> None:
        async with in_transaction():
            await locks.lock_people([painter])
            holding.set()
            await release.wait()

    holder = asyncio.create_task(hold())
    await holding.wait()
    try:
        with pytest.raises(LockNotAvailableError):
            async with in_transaction() as connection:
                await connection.execute_script("SET LOCAL lock_timeout = '200ms'")
                await locks.lock_people([painter])
    finally:
        release.set()
        await holder
    async with in_transaction():  # once the holder commits, the lock is free again
        await locks.lock_people([painter])


async def test_the_database_refuses_one_person_in_two_places() -> None:
    shop = await make_shop(painters=2)
    first, second = shop.painters
    await _labor_block(first.id, shop.org.id, START, 4)
    with pytest.raises(IntegrityError) as refused:
        async with in_transaction():
            await _labor_block(first.id, shop.org.id, START + timedelta(hours=3), 4)
    assert locks.is_person_overlap(refused.value)
    # Back to back, another person, or a block that reserves nothing: all fine.
    await _labor_block(first.id, shop.org.id, START + timedelta(hours=4), 2)
    await _labor_block(second.id, shop.org.id, START, 4)
    await _labor_block(first.id, shop.org.id, START, 4, is_reserved=False, is_blocked=True)
    assert not await overlapping_people()


async def _forgetful(monkeypatch: pytest.MonkeyPatch) -> None:
    """An application that no longer sees anyone's labor blocks: only the database stands guard."""

    async def nobody_busy(*_: Any, **__: Any) -> dict[int, list[tuple[datetime, datetime]]]:
        return {}

    monkeypatch.setattr(availability, "load_labor_busy", nobody_busy)


async def test_a_refused_overlap_is_capacity_unavailable_and_writes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    shop = await make_shop(painters=1)
    customer = await viewer(shop.customer)
    booking = await request_quote(
        viewer=customer, request=QuoteRequest(requested_start_date=MONDAY, service_id=shop.service.id), now=NOW
    )
    window = await ServiceBooking.get(id=booking.id)
    assert window.scheduled_start is not None
    # Someone else's booking holds the only painter for the quoted window, and the app forgets to look.
    await _labor_block(shop.painters[0].id, shop.org.id, window.scheduled_start, 2)
    await _forgetful(monkeypatch)
    with pytest.raises(DomainError) as refused:
        await accept_quote(viewer=customer, booking_id=booking.id, now=NOW)
    assert refused.value.code is ErrorCode.CAPACITY_UNAVAILABLE
    assert "alternative" in refused.value.details
    after = await ServiceBooking.get(id=booking.id)
    assert after.status == BookingStatus.QUOTE_READY
    assert not await CapacitySchedule.filter(booking_id=booking.id).exists()
    assert not await JobOffer.filter(booking_id=booking.id).exists()


async def test_a_refused_overlap_in_a_cascade_keeps_the_decline(monkeypatch: pytest.MonkeyPatch) -> None:
    shop = await make_shop(painters=2)
    customer = await viewer(shop.customer)
    booking = await request_quote(
        viewer=customer, request=QuoteRequest(requested_start_date=MONDAY, service_id=shop.service.id), now=NOW
    )
    await accept_quote(viewer=customer, booking_id=booking.id, now=NOW)
    offer = await JobOffer.get(booking_id=booking.id, status=JobOfferStatus.PENDING)
    first = next(p for p in shop.painters if p.id == offer.user_id)
    second = next(p for p in shop.painters if p.id != first.id)
    other = await make_worker(name="Elsewhere")  # a block of another booking's would do; any owner of the row
    assert other.id != second.id
    start = (await ServiceBooking.get(id=booking.id)).scheduled_start
    assert start is not None
    await _labor_block(second.id, shop.org.id, start, 2)
    await _forgetful(monkeypatch)
    declined = await respond_to_job_offer(viewer=await viewer(first), offer_id=offer.id, accept=False, now=NOW)
    assert declined.status == JobOfferStatus.DECLINED
    assert not await JobOffer.filter(booking_id=booking.id, user_id=second.id).exists()
    assert not await overlapping_people()
