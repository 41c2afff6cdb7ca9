"""The booking state machine, cancellation, job offers with their cascade, and scheduling."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from app.errors import DomainError, ErrorCode
from app.services.coordination.acceptance import accept_quote
from app.services.coordination.lifecycle import cancel_booking, update_booking_status
from app.services.coordination.offers import expire_job_offers, respond_to_job_offer
from app.services.coordination.plan import plan_of
from app.services.coordination.quoting import QuoteRequest, request_quote
from app.services.coordination.scheduling import maybe_schedule
from models import BookingStatusHistory, CapacitySchedule, JobOffer, ServiceBooking, WorkContract
from models.enums import BookingStatus, ContractStatus, JobOfferStatus, ResourceType
from tests.factories import MONDAY, NOW, Shop, make_shop, make_user, viewer
from tests.helpers import Recorder


async def accepted(shop: Shop) -> ServiceBooking:
    customer = await viewer(shop.customer)
    booking = await request_quote(
        viewer=customer, request=QuoteRequest(requested_start_date=MONDAY, service_id=shop.service.id), now=NOW
    )
    return await accept_quote(viewer=customer, booking_id=booking.id, now=NOW)


async def activate_contract(booking: ServiceBooking) -> None:
    await WorkContract.filter(booking_id=booking.id).update(contract_status=ContractStatus.ACTIVE)


async def test_accepting_every_offer_with_an_active_contract_schedules_the_booking() -> None:
    shop = await make_shop()
    booking = await accepted(shop)
    offer = await JobOffer.get(booking_id=booking.id)
    assert not await maybe_schedule(booking_id=booking.id)  # nobody has accepted yet
    await activate_contract(booking)
    await respond_to_job_offer(viewer=await viewer(shop.painters[0]), offer_id=offer.id, accept=True)
    assert (await ServiceBooking.get(id=booking.id)).status == BookingStatus.SCHEDULED


async def test_roles_filled_without_a_signed_contract_do_not_schedule() -> None:
    shop = await make_shop()
    booking = await accepted(shop)
    offer = await JobOffer.get(booking_id=booking.id)
    await respond_to_job_offer(viewer=await viewer(shop.painters[0]), offer_id=offer.id, accept=True)
    assert (await ServiceBooking.get(id=booking.id)).status == BookingStatus.QUOTE_ACCEPTED
    await activate_contract(booking)
    assert await maybe_schedule(booking_id=booking.id)


async def test_a_decline_cascades_to_the_next_ranked_free_person(published: Recorder) -> None:
    shop = await make_shop(painters=2)
    booking = await accepted(shop)
    first, second = shop.painters
    offer = await JobOffer.get(booking_id=booking.id)
    with pytest.raises(DomainError) as err:
        await respond_to_job_offer(viewer=await viewer(second), offer_id=offer.id, accept=True)
    assert err.value.code is ErrorCode.NOT_FOUND
    await respond_to_job_offer(viewer=await viewer(first), offer_id=offer.id, accept=False)
    offers = await JobOffer.filter(booking_id=booking.id).order_by("id")
    assert [(o.user_id, o.status) for o in offers] == [
        (first.id, JobOfferStatus.DECLINED),
        (second.id, JobOfferStatus.PENDING),
    ]
    assert offers[1].amount_cents == offers[0].amount_cents
    labor = await CapacitySchedule.filter(booking_id=booking.id, resource_type=ResourceType.USER_LABOR)
    assert [r.user_id for r in labor] == [second.id]
    changes = [m["change"] for m in published.on(f"offers.user.{second.id}")]
    assert changes == ["new"]
    assert [m["change"] for m in published.on(f"offers.user.{first.id}")][-1] == "declined"


async def test_an_expired_offer_cascades_and_nobody_left_leaves_the_role_open() -> None:
    shop = await make_shop(painters=2)
    booking = await accepted(shop)
    assert await expire_job_offers(now=NOW + timedelta(days=1)) == 1
    statuses: list[Any] = await JobOffer.filter(booking_id=booking.id).order_by("id").values_list("status", flat=True)
    assert statuses == [JobOfferStatus.EXPIRED, JobOfferStatus.PENDING]
    assert await expire_job_offers(now=NOW + timedelta(days=2)) == 1
    assert await CapacitySchedule.filter(booking_id=booking.id, resource_type=ResourceType.USER_LABOR).count() == 0
    fresh = await ServiceBooking.get(id=booking.id)
    assert plan_of(fresh).roles[0].assignments == ()


async def test_cancel_releases_everything_and_withdraws_offers(published: Recorder) -> None:
    shop = await make_shop()
    booking = await accepted(shop)
    stranger = await make_user()
    with pytest.raises(DomainError) as err:
        await cancel_booking(viewer=await viewer(stranger), booking_id=booking.id, reason="no")
    assert err.value.code is ErrorCode.NOT_FOUND
    published.messages.clear()
    cancelled = await cancel_booking(
        viewer=await viewer(shop.customer), booking_id=booking.id, reason="changed my mind"
    )
    assert cancelled.status == BookingStatus.CANCELLED and cancelled.cancellation_reason == "changed my mind"
    assert await CapacitySchedule.filter(booking_id=booking.id).count() == 0
    withdrawn: list[Any] = await JobOffer.filter(booking_id=booking.id).values_list("status", flat=True)
    assert withdrawn == [JobOfferStatus.WITHDRAWN]
    assert (await WorkContract.get(booking_id=booking.id)).contract_status == ContractStatus.TERMINATED
    assert published.on(f"capacity.org.{shop.org.id}")[0]["reason"] == "cancelled"
    assert [m["change"] for m in published.on(f"offers.user.{shop.painters[0].id}")] == ["withdrawn"]
    with pytest.raises(DomainError) as err:
        await cancel_booking(viewer=await viewer(shop.customer), booking_id=booking.id, reason="again")
    assert err.value.code is ErrorCode.INVALID_TRANSITION


async def test_work_statuses_move_by_the_facility_and_bad_moves_say_what_is_allowed() -> None:
    shop = await make_shop()
    booking = await accepted(shop)
    owner, customer = await viewer(shop.owner), await viewer(shop.customer)
    with pytest.raises(DomainError) as err:
        await update_booking_status(viewer=owner, booking_id=booking.id, status=BookingStatus.IN_PROGRESS)
    assert err.value.code is ErrorCode.INVALID_TRANSITION
    assert err.value.details["allowed"] == ["cancelled", "scheduled"]
    await ServiceBooking.filter(id=booking.id).update(status=BookingStatus.SCHEDULED)
    with pytest.raises(DomainError) as err:
        await update_booking_status(viewer=customer, booking_id=booking.id, status=BookingStatus.IN_PROGRESS)
    assert err.value.code is ErrorCode.FORBIDDEN
    moved = await update_booking_status(viewer=owner, booking_id=booking.id, status=BookingStatus.IN_PROGRESS)
    assert moved.actual_start is not None
    with pytest.raises(DomainError) as err:
        await cancel_booking(viewer=customer, booking_id=booking.id, reason="too late")
    assert err.value.code is ErrorCode.INVALID_TRANSITION
    await update_booking_status(viewer=customer, booking_id=booking.id, status=BookingStatus.DISPUTED)
    last = await BookingStatusHistory.filter(booking_id=booking.id).order_by("-id").first()
    assert last is not None and (last.from_status, last.to_status) == (
        BookingStatus.IN_PROGRESS,
        BookingStatus.DISPUTED,
    )
    assert last.changed_by_id == shop.customer.id
