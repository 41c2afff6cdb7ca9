"""Utilization per capability and per assigned person, per day."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.errors import DomainError, ErrorCode
from app.services.coordination.acceptance import accept_quote
from app.services.coordination.plan import plan_of
from app.services.coordination.quoting import QuoteRequest, request_quote
from app.services.coordination.utilization import utilization
from models import CapacitySchedule
from models.enums import CapabilityType
from tests.factories import MONDAY, NOW, make_capability, make_shop, make_user, viewer


async def test_reserved_blocked_and_labor_per_day() -> None:
    shop = await make_shop(booth_quantity=2)
    storage = await make_capability(shop.org, CapabilityType.INDOOR_STORAGE, quantity=2000)
    customer = await viewer(shop.customer)
    booking = await request_quote(
        viewer=customer, request=QuoteRequest(requested_start_date=MONDAY, service_id=shop.service.id), now=NOW
    )
    await accept_quote(viewer=customer, booking_id=booking.id, now=NOW)
    day = plan_of(booking).days[0]
    await CapacitySchedule.create(
        organization=shop.org,
        capability=shop.booth,
        start_time=day.start,
        end_time=day.end,
        units=1,
        is_blocked=True,
        notes="maintenance",
    )
    report = await utilization(viewer=await viewer(shop.owner), organization_id=shop.org.id, start=MONDAY, end=MONDAY)
    booth = next(c for c in report.capabilities if c.capability_id == shop.booth.id)
    (monday,) = booth.days
    assert (monday.capacity, monday.reserved, monday.blocked, monday.available) == (
        Decimal(16),
        Decimal(8),
        Decimal(8),
        Decimal(0),
    )
    assert monday.utilization == Decimal(1)
    space = next(c for c in report.capabilities if c.capability_id == storage.id)
    assert space.days[0].capacity == Decimal(2000) and space.days[0].reserved == Decimal(0)
    (painter,) = report.labor
    assert painter.user_id == shop.painters[0].id
    assert (painter.days[0].reserved, painter.days[0].utilization) == (Decimal(8), Decimal(1))


async def test_only_members_see_utilization() -> None:
    shop = await make_shop()
    with pytest.raises(DomainError) as err:
        await utilization(viewer=await viewer(await make_user()), organization_id=shop.org.id, start=MONDAY, end=MONDAY)
    assert err.value.code is ErrorCode.FORBIDDEN
