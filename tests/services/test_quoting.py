"""request_quote: the search, the choice, the booking it writes, and what it refuses."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from app import settings
from app.errors import DomainError, ErrorCode
from app.services.coordination.plan import breakdown_of, plan_of
from app.services.coordination.quoting import QuoteRequest, price_custom_quote, request_quote
from models import BookingStatusHistory, CapacitySchedule, ServiceBooking
from models.enums import BookingStatus, CapabilityType, PricingModel, Proficiency, ServiceType, SkillCategory
from tests.factories import (
    LA,
    MONDAY,
    NOW,
    bodywork_near_the_strip,
    make_capability,
    make_org,
    make_service,
    make_shop,
    make_user,
    make_vehicle,
    make_worker,
    viewer,
)
from tests.helpers import count_queries


async def test_seed_paint_job_is_quoted_with_the_default_split() -> None:
    shop = await make_shop(
        capabilities=[{"capability_type": "paint_booth", "hours": 16}],
        skills=[{"skill_category": "painting", "min_proficiency": "proficient", "hours": 24}],
        estimated_days=3,
    )
    booking = await request_quote(
        viewer=await viewer(shop.customer),
        request=QuoteRequest(requested_start_date=MONDAY, service_id=shop.service.id),
        now=NOW,
    )
    assert booking.status == BookingStatus.QUOTE_READY
    parts = (booking.facility_fee_cents, booking.labor_fee_cents, booking.platform_fee_cents)
    assert parts == (40_000, 140_000, 20_000) and booking.materials_cost_cents == 0
    assert booking.total_quoted_price_cents == 200_000
    b = booking.quote_split
    assert b["split_bps"] == {"facility": 2000, "labor": 7000, "platform": 1000}
    # One painter, 8 h a day at most: 24 h take the three days of the window.
    assert booking.assigned_labor_users == [{"user_id": shop.painters[0].id, "role": "painting", "hours": 24.0}]
    assert [c["capability_id"] for c in booking.assigned_capabilities] == [shop.booth.id]
    assert sum(c["hours"] for c in booking.assigned_capabilities) == 16.0
    assert b["labor"] == [
        {
            "user_id": shop.painters[0].id,
            "name": "Painter 1",
            "role": "painting",
            "hours": "24.00",
            "amount_cents": 140_000,
        }
    ]
    assert booking.scheduled_start is not None and booking.scheduled_start.date() == MONDAY
    assert booking.quote_expires_at == NOW + timedelta(days=settings.QUOTE_TTL_DAYS)
    assert booking.coordination_score is not None and 0 <= booking.coordination_score <= 100
    assert booking.confidence is not None and 0 <= booking.confidence <= 1
    history = (
        await BookingStatusHistory.filter(booking_id=booking.id).order_by("id").values_list("from_status", "to_status")
    )
    assert history == [
        (None, BookingStatus.QUOTE_REQUESTED),
        (BookingStatus.QUOTE_REQUESTED, BookingStatus.CALCULATING),
        (BookingStatus.CALCULATING, BookingStatus.QUOTE_READY),
    ]
    plan = plan_of(booking)  # 16 h of booth in a 3-day window: each day takes what it can, from the first
    assert [b.hours for b in plan.blocks] == [Decimal(8), Decimal(8)] and len(plan.days) == 3
    assert await CapacitySchedule.all().count() == 0  # a quote reserves nothing


async def test_search_by_type_excludes_each_candidate_with_its_reason() -> None:
    shop = await make_shop()
    customer = await viewer(shop.customer)
    no_booth = await make_org(name="No booth")
    await make_service(no_booth)
    far = await make_org(name="Far away", at=LA)
    await make_capability(far)
    await make_service(far)
    busy = await make_org(name="No painters near")
    await make_capability(busy)
    await make_service(busy, skills=[{"skill_category": "upholstery", "min_proficiency": "expert", "hours": 4}])
    booking = await request_quote(
        viewer=customer,
        request=bodywork_near_the_strip(),
        now=NOW,
    )
    assert booking.organization_id == shop.org.id
    reasons = {e["organization_name"]: e["reason"] for e in booking.excluded}
    assert reasons == {"No booth": "missing_capability", "Far away": "too_far", "No painters near": "no_labor"}


async def test_nothing_feasible_raises_with_reasons_and_writes_nothing() -> None:
    shop = await make_shop()
    await shop.booth.update_from_dict({"is_operational": False}).save()
    with pytest.raises(DomainError) as err:
        await request_quote(
            viewer=await viewer(shop.customer),
            request=QuoteRequest(requested_start_date=MONDAY, service_type=ServiceType.BODYWORK),
            now=NOW,
        )
    assert err.value.code is ErrorCode.NO_FEASIBLE_OPTION
    assert [r["reason"] for r in err.value.details["reasons"]] == ["missing_capability"]
    assert await ServiceBooking.all().count() == 0


async def test_a_full_booth_pushes_the_window_and_a_deadline_makes_it_infeasible() -> None:
    shop = await make_shop()
    # The booth is blocked all Monday (maintenance row with units 0 = the whole capability).
    start = NOW.replace(year=2030, month=1, day=7, hour=0)
    await CapacitySchedule.create(
        organization=shop.org,
        capability=shop.booth,
        start_time=start,
        end_time=start + timedelta(days=1, hours=12),
        units=0,
        is_blocked=True,
        notes="maintenance",
    )
    customer = await viewer(shop.customer)
    booking = await request_quote(
        viewer=customer, request=QuoteRequest(requested_start_date=MONDAY, service_id=shop.service.id), now=NOW
    )
    assert booking.scheduled_start is not None and booking.scheduled_start.date() == MONDAY + timedelta(days=1)
    with pytest.raises(DomainError) as err:
        await request_quote(
            viewer=customer,
            request=QuoteRequest(
                requested_start_date=MONDAY,
                requested_completion_date=MONDAY,
                flexible_timeline=False,
                service_id=shop.service.id,
            ),
            now=NOW,
        )
    assert err.value.code is ErrorCode.NO_FEASIBLE_OPTION
    assert err.value.details["reasons"][0]["reason"] == "no_capacity"


async def test_labor_is_ranked_and_several_people_add_up() -> None:
    shop = await make_shop(
        skills=[{"skill_category": "painting", "min_proficiency": "competent", "hours": 12}],
        estimated_days=1,
        capabilities=[{"capability_type": "paint_booth", "hours": 4}],
    )
    await shop.booth.update_from_dict({"hours_per_day": 10}).save()
    await make_worker(SkillCategory.PAINTING, Proficiency.LEARNING, name="Too junior")
    await make_worker(SkillCategory.PAINTING, Proficiency.COMPETENT, name="Second", at=(36.2, -115.1))
    booking = await request_quote(
        viewer=await viewer(shop.customer),
        request=QuoteRequest(requested_start_date=MONDAY, service_id=shop.service.id),
        now=NOW,
    )
    role = plan_of(booking).roles[0]
    assert [c.name for c in role.candidates] == ["Painter 1", "Second"]
    # 10 h days: the expert gives 8 h (the daily cap), the next person the remaining 4 h.
    assert [(a.name, a.hours) for a in role.assignments] == [("Painter 1", Decimal(8)), ("Second", Decimal(4))]
    breakdown = breakdown_of(booking)
    assert breakdown is not None and sum(x.amount_cents for x in breakdown.labor) == breakdown.labor_fee_cents


async def test_vehicle_must_be_the_viewers_and_prices_by_value() -> None:
    shop = await make_shop(pricing_model=PricingModel.PERCENTAGE, percentage_rate_bps=500)
    stranger = await make_user()
    car = await make_vehicle(stranger)
    customer = await viewer(shop.customer)
    with pytest.raises(DomainError) as err:
        await request_quote(
            viewer=customer,
            request=QuoteRequest(requested_start_date=MONDAY, service_id=shop.service.id, vehicle_id=car.id),
            now=NOW,
        )
    assert err.value.code is ErrorCode.NOT_FOUND and err.value.field == "vehicleId"
    own = await make_vehicle(shop.customer, value_cents=4_500_000)
    booking = await request_quote(
        viewer=customer,
        request=QuoteRequest(requested_start_date=MONDAY, service_id=shop.service.id, vehicle_id=own.id),
        now=NOW,
    )
    assert booking.total_quoted_price_cents == 225_000


async def test_custom_quote_waits_for_the_facility_price() -> None:
    shop = await make_shop(pricing_model=PricingModel.CUSTOM_QUOTE)
    booking = await request_quote(
        viewer=await viewer(shop.customer),
        request=QuoteRequest(requested_start_date=MONDAY, service_id=shop.service.id),
        now=NOW,
    )
    assert booking.status == BookingStatus.QUOTE_REQUESTED and booking.total_quoted_price_cents is None
    with pytest.raises(DomainError) as err:
        await price_custom_quote(viewer=await viewer(shop.customer), booking_id=booking.id, price_cents=100_000)
    assert err.value.code is ErrorCode.FORBIDDEN
    priced = await price_custom_quote(
        viewer=await viewer(shop.owner), booking_id=booking.id, price_cents=100_000, materials_cents=5_000, now=NOW
    )
    assert priced.status == BookingStatus.QUOTE_READY
    b = breakdown_of(priced)
    assert b is not None and b.total_cents == 105_000
    assert b.facility_total_cents + b.labor_fee_cents + b.platform_fee_cents == 105_000


async def test_a_quote_costs_a_bounded_number_of_queries() -> None:
    shop = await make_shop(painters=3)
    for _ in range(6):
        org = await make_org()
        await make_capability(org, CapabilityType.PAINT_BOOTH, quantity=2)
        await make_service(org)
    customer = await viewer(shop.customer)
    with count_queries() as statements:
        await request_quote(
            viewer=customer,
            request=QuoteRequest(requested_start_date=MONDAY, service_type=ServiceType.BODYWORK),
            now=NOW,
        )
    few = len(statements)
    for _ in range(6):
        org = await make_org()
        await make_capability(org, CapabilityType.PAINT_BOOTH, quantity=2)
        await make_service(org)
        await make_worker()
    with count_queries() as statements:
        await request_quote(
            viewer=customer,
            request=QuoteRequest(requested_start_date=MONDAY, service_type=ServiceType.BODYWORK),
            now=NOW,
        )
    assert len(statements) == few
