"""The concurrency invariant: 50 simultaneous accepts for more bookings than fit, 20 rounds.

Exactly as many succeed as the capacity (booth units or painters, whichever is scarcer) allows; the rest
get CAPACITY_UNAVAILABLE; a sweep over capacity_schedule finds no instant over capacity and nobody
double-booked. On PostgreSQL the connection pool makes the accepts truly concurrent.
"""

from __future__ import annotations

import asyncio

from app.errors import DomainError, ErrorCode
from app.services.coordination.acceptance import accept_quote
from app.services.coordination.quoting import QuoteRequest, request_quote
from models import (
    BookingStatusHistory,
    CapacitySchedule,
    JobOffer,
    OrganizationCapability,
    ServiceBooking,
    UserSkill,
    WorkContract,
)
from models.enums import ResourceType
from tests.factories import MONDAY, NOW, make_shop, make_user, viewer
from tests.services.invariants import assert_invariant
from tests.services.people_market import quote_fields

CLIENTS = 50
ROUNDS = 20


async def test_concurrent_accepts_never_overbook() -> None:
    shop = await make_shop(booth_quantity=3, painters=3)
    customers = [await make_user(name=f"Racer {i}") for i in range(CLIENTS)]
    viewers = [await viewer(c) for c in customers]
    template = await request_quote(
        viewer=viewers[0], request=QuoteRequest(requested_start_date=MONDAY, service_id=shop.service.id), now=NOW
    )
    fields = quote_fields(template)
    painter_skills = await UserSkill.filter(user_id__in=[p.id for p in shop.painters]).order_by("user_id")
    for round_no in range(ROUNDS):
        # Alternate the scarce resource: booth units in some rounds, available painters in others.
        quantity, painters = [(1, 3), (3, 2), (2, 2), (3, 1)][round_no % 4]
        await OrganizationCapability.filter(id=shop.booth.id).update(quantity=quantity)
        for i, skill in enumerate(painter_skills):
            await UserSkill.filter(id=skill.id).update(is_available=i < painters)
        for model in (WorkContract, JobOffer, CapacitySchedule, BookingStatusHistory, ServiceBooking):
            await model.all().delete()
        rows = [
            ServiceBooking(organization_id=shop.org.id, customer_id=c.id, service_id=shop.service.id, **fields)
            for c in customers
        ]
        await ServiceBooking.bulk_create(rows)
        ids = [b.id for b in rows]  # each customer's own booking
        results = await asyncio.gather(
            *(accept_quote(viewer=v, booking_id=b, now=NOW) for v, b in zip(viewers, ids, strict=True)),
            return_exceptions=True,
        )
        won = [r for r in results if isinstance(r, ServiceBooking)]
        lost = [r for r in results if isinstance(r, DomainError)]
        unexpected = [r for r in results if not isinstance(r, (ServiceBooking, DomainError))]
        assert not unexpected, unexpected[:1]
        assert len(won) == min(quantity, painters), (round_no, quantity, painters, len(won))
        assert len(lost) == CLIENTS - len(won)
        assert {e.code for e in lost} == {ErrorCode.CAPACITY_UNAVAILABLE}
        assert await CapacitySchedule.filter(resource_type=ResourceType.FACILITY_CAPABILITY).count() == len(won)
        await assert_invariant()
