"""A service's max_concurrent_jobs: the quote search offers no window that breaks it, and concurrent accepts of
one service never take more slots than it has (SQLite and PostgreSQL alike).

The raced service needs no capability and no person, so nothing but the service's own row lock
(locks.service_lock) stands between the accepts: the cap is the only thing that can refuse them.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from app.errors import DomainError, ErrorCode
from app.services.access import Viewer
from app.services.catalog import update_service
from app.services.coordination import acceptance
from app.services.coordination.acceptance import accept_quote
from app.services.coordination.concurrency import HOLDING
from app.services.coordination.quoting import QuoteRequest, request_quote
from models import CapacitySchedule, JobOffer, OrganizationService, ServiceBooking, WorkContract
from models.enums import BookingStatus
from tests.factories import MONDAY, NOW, make_org, make_service, make_shop, make_user, viewer

ROUNDS = 8
CONTENDERS = 5


async def _quote(customer_viewer: Viewer, service: OrganizationService) -> ServiceBooking:
    return await request_quote(
        viewer=customer_viewer,
        request=QuoteRequest(requested_start_date=MONDAY, service_id=service.id),
        now=NOW,
    )


async def test_the_quote_search_skips_windows_in_which_the_service_is_full() -> None:
    shop = await make_shop(booth_quantity=3, painters=3, max_concurrent_jobs=1)
    customer = await viewer(shop.customer)
    first = await _quote(customer, shop.service)
    await accept_quote(viewer=customer, booking_id=first.id, now=NOW)
    # Booth and painters are free for a second job on Monday; the service's one slot is not.
    second = await _quote(customer, shop.service)
    assert first.scheduled_start is not None and first.scheduled_end is not None
    assert second.scheduled_start is not None and second.scheduled_start >= first.scheduled_end

    await OrganizationService.filter(id=shop.service.id).update(max_concurrent_jobs=2)
    third = await _quote(customer, shop.service)
    assert third.scheduled_start == first.scheduled_start  # two slots: Monday again


async def test_a_full_service_is_excluded_with_its_reason() -> None:
    shop = await make_shop(booth_quantity=3, painters=3, max_concurrent_jobs=1)
    customer = await viewer(shop.customer)
    first = await _quote(customer, shop.service)
    await accept_quote(viewer=customer, booking_id=first.id, now=NOW)
    last_day = MONDAY + timedelta(days=(first.scheduled_end - first.scheduled_start).days)  # type: ignore[operator]
    with pytest.raises(DomainError) as err:
        await request_quote(
            viewer=customer,
            request=QuoteRequest(
                requested_start_date=MONDAY,
                requested_completion_date=last_day,
                flexible_timeline=False,
                service_type=shop.service.service_type,
            ),
            now=NOW,
        )
    assert err.value.code is ErrorCode.NO_FEASIBLE_OPTION
    reasons = err.value.details["reasons"]
    assert [r["reason"] for r in reasons] == ["fully_booked"] and "at most 1 job" in reasons[0]["detail"]


async def _contended_service(cap: int) -> tuple[OrganizationService, list[Viewer]]:
    org = await make_org(owner=await make_user("Owner"), name="One Bay Storage")
    service = await make_service(org, capabilities=(), skills=(), max_concurrent_jobs=cap)
    customers = [await viewer(await make_user(f"Customer {i}")) for i in range(CONTENDERS)]
    return service, customers


async def _race(
    service: OrganizationService, customers: list[Viewer]
) -> tuple[list[ServiceBooking], list[DomainError]]:
    await ServiceBooking.filter(service_id=service.id).update(status=BookingStatus.CANCELLED)
    bookings = [await _quote(c, service) for c in customers]
    assert len({b.scheduled_start for b in bookings}) == 1  # all quoted for the same window
    results = await asyncio.gather(
        *(accept_quote(viewer=c, booking_id=b.id, now=NOW) for c, b in zip(customers, bookings, strict=True)),
        return_exceptions=True,
    )
    won = [r for r in results if isinstance(r, ServiceBooking)]
    lost = [r for r in results if isinstance(r, DomainError)]
    assert len(won) + len(lost) == len(results), [r for r in results if not isinstance(r, ServiceBooking | DomainError)]
    return won, lost


@pytest.mark.parametrize("cap", [1, 2])
async def test_concurrent_accepts_take_exactly_the_services_slots(cap: int) -> None:
    service, customers = await _contended_service(cap)
    for round_no in range(ROUNDS):
        won, lost = await _race(service, customers)
        assert len(won) == cap, (round_no, len(won))
        assert {e.code for e in lost} == {ErrorCode.CAPACITY_UNAVAILABLE}
        assert all("maximum of" in e.details["reason"] for e in lost)
        holding = await ServiceBooking.filter(service_id=service.id, status__in=HOLDING).count()
        assert holding == cap, round_no
        # A refused accept wrote nothing: still a ready quote, no contract, offers or reservations.
        losers = await ServiceBooking.filter(service_id=service.id, status=BookingStatus.QUOTE_READY)
        ids = [b.id for b in losers]
        assert len(ids) == CONTENDERS - cap
        assert not await WorkContract.filter(booking_id__in=ids).exists()
        assert not await JobOffer.filter(booking_id__in=ids).exists()
        assert not await CapacitySchedule.filter(booking_id__in=ids).exists()


async def test_without_the_check_the_race_overbooks(monkeypatch: pytest.MonkeyPatch) -> None:
    """The control: with the acceptance check switched off every contender wins, so the test above has teeth."""

    async def unchecked(booking: ServiceBooking, service_id: int) -> None:
        return None

    monkeypatch.setattr(acceptance, "_check_job_cap", unchecked)
    service, customers = await _contended_service(1)
    won, _ = await _race(service, customers)
    assert len(won) == CONTENDERS


async def test_the_cap_cannot_go_below_the_jobs_already_overlapping() -> None:
    shop = await make_shop(booth_quantity=2, painters=2, max_concurrent_jobs=2)
    customer = await viewer(shop.customer)
    for _ in range(2):
        booking = await _quote(customer, shop.service)
        await accept_quote(viewer=customer, booking_id=booking.id, now=NOW)
    owner = await viewer(shop.owner)
    with pytest.raises(DomainError) as err:
        await update_service(viewer=owner, service_id=shop.service.id, values={"max_concurrent_jobs": 1}, now=NOW)
    assert err.value.code is ErrorCode.CONFLICT and err.value.field == "maxConcurrentJobs"
    assert err.value.details == {"overlappingJobs": 2}
    assert (await OrganizationService.get(id=shop.service.id)).max_concurrent_jobs == 2
    # Once the work is over (or cancelled) the cap may go down.
    await ServiceBooking.filter(service_id=shop.service.id).update(status=BookingStatus.COMPLETED)
    lowered = await update_service(viewer=owner, service_id=shop.service.id, values={"max_concurrent_jobs": 1}, now=NOW)
    assert lowered.max_concurrent_jobs == 1
