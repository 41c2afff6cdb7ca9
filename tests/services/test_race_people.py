"""No person is ever double-booked, across facilities: the races that a one-capability race test cannot see.

Two facilities share one pool of painters. Booth capacity is ample, so people are the scarce resource, and the
only thing standing between two accepts at two facilities is the lock on the people's rows (and, on PostgreSQL,
the exclusion constraint behind it). Each round ends with a sweep over every reserved block.
"""

from __future__ import annotations

import asyncio
from typing import Any

from app.errors import DomainError, ErrorCode
from app.services.coordination.acceptance import accept_quote
from app.services.coordination.offers import respond_to_job_offer
from app.services.coordination.quoting import QuoteRequest, request_quote
from models import (
    CapacitySchedule,
    JobOffer,
    ServiceBooking,
    UserSkill,
)
from models.enums import JobOfferStatus
from tests.factories import (
    MONDAY,
    NOW,
    viewer,
)
from tests.services.invariants import assert_invariant, overlapping_people
from tests.services.people_market import clear_bookings, fresh_bookings, make_market

ROUNDS = 20


async def test_accepts_at_two_facilities_never_share_a_person() -> None:
    market = await make_market(painters=3)
    skills = [await UserSkill.get(user_id=p.id) for p in market.painters]  # in the painters' order
    for round_no in range(ROUNDS):
        free = 1 + round_no % 3  # one, two or three painters free: never more winners than people
        for i, skill in enumerate(skills):
            await UserSkill.filter(id=skill.id).update(is_available=i < free)
        ids = await fresh_bookings(market)
        by_customer = {c.id: v for c, v in zip(market.customers, market.viewers, strict=True)}
        owners = dict(await ServiceBooking.filter(id__in=ids).values_list("id", "customer_id"))
        results = await asyncio.gather(
            *(accept_quote(viewer=by_customer[owners[b]], booking_id=b, now=NOW) for b in ids),
            return_exceptions=True,
        )
        won = [r for r in results if isinstance(r, ServiceBooking)]
        lost = [r for r in results if isinstance(r, DomainError)]
        assert len(won) + len(lost) == len(ids), [r for r in results if not isinstance(r, ServiceBooking | DomainError)]
        assert {e.code for e in lost} <= {ErrorCode.CAPACITY_UNAVAILABLE}
        await assert_invariant()
        assert len(won) == free, (round_no, free, len(won))
        staffed: list[Any] = (
            await CapacitySchedule.filter(resource_type="user_labor").distinct().values_list("user_id", flat=True)
        )
        assert sorted(staffed) == sorted(p.id for p in market.painters[:free])


async def test_a_declined_offer_cascade_and_a_new_accept_never_share_a_person() -> None:
    """P1 declines booking A at the east shop, whose cascade wants P2, while booking B at the west shop, which can
    only be staffed by P2, is accepted at the same moment: exactly one of them gets P2."""
    market = await make_market(painters=2)
    first, second = market.painters
    second_skill = await UserSkill.get(user_id=second.id)
    first_skill = await UserSkill.get(user_id=first.id)
    first_viewer = await viewer(first)
    for round_no in range(ROUNDS):
        await clear_bookings()
        await UserSkill.filter(id__in=[first_skill.id, second_skill.id]).update(is_available=True)
        customer_a, customer_b = market.viewers[0], market.viewers[1]
        east, west = market.services
        booking_a = await request_quote(
            viewer=customer_a, request=QuoteRequest(requested_start_date=MONDAY, service_id=east.id), now=NOW
        )
        await accept_quote(viewer=customer_a, booking_id=booking_a.id, now=NOW)
        offer = await JobOffer.get(booking_id=booking_a.id, status=JobOfferStatus.PENDING)
        assert offer.user_id == first.id
        # B is quoted while P1 is away, so P2 is its only candidate (and P1 stays away during the race).
        await UserSkill.filter(id=first_skill.id).update(is_available=False)
        booking_b = await request_quote(
            viewer=customer_b, request=QuoteRequest(requested_start_date=MONDAY, service_id=west.id), now=NOW
        )
        results = await asyncio.gather(
            respond_to_job_offer(viewer=first_viewer, offer_id=offer.id, accept=False, now=NOW),
            accept_quote(viewer=customer_b, booking_id=booking_b.id, now=NOW),
            return_exceptions=True,
        )
        declined, accepted = results
        assert isinstance(declined, JobOffer), declined
        assert not await overlapping_people(), round_no
        cascaded = await JobOffer.filter(booking_id=booking_a.id, user_id=second.id).exists()
        if isinstance(accepted, ServiceBooking):
            assert not cascaded, f"round {round_no}: P2 went to both bookings"
        else:
            assert isinstance(accepted, DomainError) and accepted.code is ErrorCode.CAPACITY_UNAVAILABLE, accepted
            assert cascaded, f"round {round_no}: B lost P2, so A's cascade must have taken P2"
        await assert_invariant()
