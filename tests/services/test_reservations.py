"""accept_quote: reservations, offers, contract and events in one transaction; conflicts write nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app import channels
from app.errors import DomainError, ErrorCode
from app.services.coordination.acceptance import accept_quote
from app.services.coordination.plan import breakdown_of
from models import CapacitySchedule, JobOffer, ServiceBooking, WorkContract
from models.enums import BookingStatus, JobOfferStatus, ResourceType
from tests.factories import MONDAY, NOW, make_shop, make_user, quote_at_shop, viewer
from tests.helpers import Recorder

quote = quote_at_shop


async def test_accept_reserves_capacity_and_labor_offers_and_contract(published: Recorder) -> None:
    shop = await make_shop()
    booking = await quote(shop)
    published.messages.clear()
    accepted = await accept_quote(viewer=await viewer(shop.customer), booking_id=booking.id, now=NOW)
    assert accepted.status == BookingStatus.QUOTE_ACCEPTED
    rows = await CapacitySchedule.filter(booking_id=booking.id).order_by("resource_type")
    assert [(r.resource_type, r.is_reserved, str(r.duration_hours)) for r in rows] == [
        (ResourceType.FACILITY_CAPABILITY, True, "8.00"),
        (ResourceType.USER_LABOR, True, "8.00"),
    ]
    offers = await JobOffer.filter(booking_id=booking.id)
    assert [(o.user_id, o.status, o.amount_cents) for o in offers] == [
        (shop.painters[0].id, JobOfferStatus.PENDING, 140_000)
    ]
    assert offers[0].expires_at > NOW
    assert await WorkContract.filter(booking_id=booking.id).exists()
    capacity = published.on(channels.capacity(shop.org.id))
    assert capacity and capacity[0]["capabilityIds"] == [shop.booth.id] and capacity[0]["days"] == [str(MONDAY)]
    assert capacity[0]["bookingId"] == booking.id and capacity[0]["reason"] == "reserved"
    status = published.on(channels.customer_bookings(shop.customer.id))
    assert status[-1]["previousStatus"] == "quote_ready" and status[-1]["status"] == "quote_accepted"
    assert published.on(channels.job_offers(shop.painters[0].id))[0]["change"] == "new"


async def test_capacity_taken_meanwhile_is_refused_with_a_fresh_alternative(published: Recorder) -> None:
    shop = await make_shop(painters=2)
    other = await make_user()
    first = await quote(shop)
    second = await quote(shop, other)
    assert first.scheduled_start == second.scheduled_start
    await accept_quote(viewer=await viewer(shop.customer), booking_id=first.id, now=NOW)
    published.messages.clear()
    rows_before = await CapacitySchedule.all().count()
    with pytest.raises(DomainError) as err:
        await accept_quote(viewer=await viewer(other), booking_id=second.id, now=NOW)
    assert err.value.code is ErrorCode.CAPACITY_UNAVAILABLE
    alternative = err.value.details["alternative"]
    assert alternative["organization_id"] == shop.org.id and alternative["start"].startswith(
        str(MONDAY + timedelta(days=1))
    )
    assert await CapacitySchedule.all().count() == rows_before
    assert (await ServiceBooking.get(id=second.id)).status == BookingStatus.QUOTE_READY
    assert published.messages == []


async def test_a_taken_person_is_replaced_by_the_next_ranked_free_one() -> None:
    shop = await make_shop(booth_quantity=2, painters=2)
    other = await make_user()
    first = await quote(shop)
    second = await quote(shop, other)
    await accept_quote(viewer=await viewer(shop.customer), booking_id=first.id, now=NOW)
    accepted = await accept_quote(viewer=await viewer(other), booking_id=second.id, now=NOW)
    offer = await JobOffer.get(booking_id=accepted.id)
    assert offer.user_id == shop.painters[1].id
    breakdown = breakdown_of(accepted)
    assert breakdown is not None and [line.user_id for line in breakdown.labor] == [shop.painters[1].id]


async def test_only_the_customer_accepts_only_fresh_quote_ready_bookings() -> None:
    shop = await make_shop()
    booking = await quote(shop)
    with pytest.raises(DomainError) as err:
        await accept_quote(viewer=await viewer(shop.owner), booking_id=booking.id, now=NOW)
    assert err.value.code is ErrorCode.FORBIDDEN
    with pytest.raises(DomainError) as err:
        await accept_quote(viewer=await viewer(shop.customer), booking_id=booking.id, now=NOW + timedelta(days=8))
    assert err.value.code is ErrorCode.QUOTE_EXPIRED
    await accept_quote(viewer=await viewer(shop.customer), booking_id=booking.id, now=NOW)
    with pytest.raises(DomainError) as err:
        await accept_quote(viewer=await viewer(shop.customer), booking_id=booking.id, now=NOW)
    assert err.value.code is ErrorCode.INVALID_TRANSITION
    assert await CapacitySchedule.filter(booking_id=booking.id).count() == 2
