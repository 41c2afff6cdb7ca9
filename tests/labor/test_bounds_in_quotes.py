"""The bounds hold in a real quote: work a person holds earlier in the same week (before the search's horizon)
counts against their weekly hours, an evening-only person is not offered a day shift, and acceptance holds
people to the bounds their skill row has then."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from app.services.coordination.acceptance import accept_quote
from app.services.coordination.plan import breakdown_of
from app.services.coordination.quoting import QuoteRequest, request_quote
from models import CapacitySchedule, JobOffer, UserSkill
from models.enums import ResourceType, WorkSchedule
from tests.factories import MONDAY, NOW, Shop, make_shop, viewer

PAINT_8H: dict[str, Any] = {
    "capabilities": [{"capability_type": "paint_booth", "hours": 8}],
    "skills": [{"skill_category": "painting", "min_proficiency": "learning", "hours": 8}],
    "estimated_days": 1,
}
WEDNESDAY = MONDAY + timedelta(days=2)


async def _quoted_painters(shop: Shop) -> list[int]:
    booking = await request_quote(
        viewer=await viewer(shop.customer),
        request=QuoteRequest(requested_start_date=WEDNESDAY, service_id=shop.service.id),
        now=NOW,
    )
    breakdown = breakdown_of(booking)
    assert breakdown is not None
    return [line.user_id for line in breakdown.labor]


@pytest.mark.parametrize(("hours_per_week", "first_is_offered"), [(16, True), (8, False)])
async def test_weekly_hours_count_work_held_on_monday(hours_per_week: int, first_is_offered: bool) -> None:
    shop = await make_shop(painters=2, **PAINT_8H)
    first, second = shop.painters
    await UserSkill.filter(user_id=first.id).update(available_hours_per_week=hours_per_week)
    monday_8 = datetime(2030, 1, 7, 8, tzinfo=ZoneInfo("America/Los_Angeles")).astimezone(UTC)
    await CapacitySchedule.create(
        organization=shop.org,
        resource_type=ResourceType.USER_LABOR,
        user=first,
        start_time=monday_8,
        end_time=monday_8 + timedelta(hours=8),
        hours=8,
        is_reserved=True,
    )
    assert await _quoted_painters(shop) == [first.id if first_is_offered else second.id]


@pytest.mark.parametrize(
    ("schedule", "first_is_offered"), [(WorkSchedule.WEEKDAYS, True), (WorkSchedule.EVENINGS, False)]
)
async def test_an_evening_person_is_not_offered_a_day_shift(schedule: WorkSchedule, first_is_offered: bool) -> None:
    shop = await make_shop(painters=2, **PAINT_8H)
    first, second = shop.painters
    await UserSkill.filter(user_id=first.id).update(preferred_work_schedule=schedule)
    assert await _quoted_painters(shop) == [first.id if first_is_offered else second.id]


async def test_acceptance_holds_a_person_to_the_schedule_they_have_now() -> None:
    shop = await make_shop(painters=2, **PAINT_8H)
    first, second = shop.painters
    customer = await viewer(shop.customer)
    booking = await request_quote(
        viewer=customer, request=QuoteRequest(requested_start_date=WEDNESDAY, service_id=shop.service.id), now=NOW
    )
    assert [line.user_id for line in breakdown_of(booking).labor] == [first.id]  # type: ignore[union-attr]
    # After the quote the first painter takes weekends only; the Wednesday job goes to the next one.
    await UserSkill.filter(user_id=first.id).update(preferred_work_schedule=WorkSchedule.WEEKENDS)
    await accept_quote(viewer=customer, booking_id=booking.id, now=NOW)
    offered = [offer.user_id for offer in await JobOffer.filter(booking_id=booking.id)]
    assert offered == [second.id]
