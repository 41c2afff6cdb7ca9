"""What the seed's catalog columns do in the quote and the acceptance: typical_duration_days sets the span,
next_maintenance_date removes a facility-local day, and equipment costs feed time-and-materials and cost-plus
prices (the breakdown still adds up to the cent)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from app.errors import DomainError, ErrorCode
from app.services.catalog import update_capability
from app.services.coordination.acceptance import accept_quote
from app.services.coordination.plan import breakdown_of, plan_of
from app.services.coordination.planning import requirements_of
from app.services.coordination.pricing import ResourceCost
from app.services.coordination.quoting import QuoteRequest, price_custom_quote, request_quote
from models import CapacitySchedule, Organization, OrganizationCapability, OrganizationService, ServiceBooking
from models.enums import BookingStatus, CapabilityType, PricingModel, SkillCategory
from tests.factories import MONDAY, NOW, Shop, make_shop, viewer

TUESDAY = MONDAY + timedelta(days=1)
WEDNESDAY = MONDAY + timedelta(days=2)


async def _quote(shop: Shop) -> ServiceBooking:
    return await request_quote(
        viewer=await viewer(shop.customer),
        request=QuoteRequest(requested_start_date=MONDAY, service_id=shop.service.id),
        now=NOW,
    )


@pytest.mark.pure
def test_typical_duration_days_sets_the_span_and_the_hours_of_items_without_any() -> None:
    service = OrganizationService(
        service_name="Restoration",
        service_type="light_restoration",
        typical_duration_days=3,
        required_capabilities=[
            {"capability_type": "vehicle_lift"},
            {"capability_type": "indoor_storage", "units": 100},
            {"capability_type": "air_compressor"},
        ],
        required_skills=[{"skill_category": "painting"}, {"skill_category": "bodywork", "hours": 5}],
    )
    req = requirements_of(service)
    assert req.n_days == 3
    needs = {n.capability_type: (n.hours, n.units) for n in req.needs}
    assert needs == {
        CapabilityType.VEHICLE_LIFT: (Decimal(24), 0),  # three working days of 8 hours
        CapabilityType.INDOOR_STORAGE: (Decimal(0), 100),
        CapabilityType.AIR_COMPRESSOR: (Decimal(0), 0),
    }
    assert {r.skill_category: r.hours for r in req.roles} == {
        SkillCategory.PAINTING: Decimal(24),
        SkillCategory.BODYWORK: Decimal(5),
    }

    service.typical_duration_days = None  # the seed's column is nullable: the hours decide the days
    req = requirements_of(service)
    assert req.n_days == 1
    assert [r.skill_category for r in req.roles] == [SkillCategory.BODYWORK]


async def test_a_quote_spans_the_services_typical_duration() -> None:
    shop = await make_shop(typical_duration_days=3)
    booking = await _quote(shop)
    assert [d.day for d in plan_of(booking).days] == [MONDAY, TUESDAY, WEDNESDAY]


async def test_the_next_maintenance_date_is_a_facility_local_day_without_capacity() -> None:
    shop = await make_shop()
    # UTC+14: the booth's Monday opens at 08:00 local, which is Sunday 18:00 in UTC.
    await Organization.filter(id=shop.org.id).update(timezone="Pacific/Kiritimati")
    await OrganizationCapability.filter(id=shop.booth.id).update(next_maintenance_date=MONDAY)
    booking = await _quote(shop)
    plan = plan_of(booking)
    assert plan.days[0].day == TUESDAY
    assert plan.days[0].start.date() == MONDAY  # Tuesday local is still Monday in UTC
    await OrganizationCapability.filter(id=shop.booth.id).update(next_maintenance_date=None)
    assert plan_of(await _quote(shop)).days[0].day == MONDAY


async def test_acceptance_refuses_a_window_that_maintenance_took_after_the_quote() -> None:
    shop = await make_shop()
    booking = await _quote(shop)
    assert plan_of(booking).days[0].day == MONDAY
    owner = await viewer(shop.owner)
    await update_capability(
        viewer=owner, capability_id=shop.booth.id, values={"next_maintenance_date": MONDAY}, now=NOW
    )
    with pytest.raises(DomainError) as err:
        await accept_quote(viewer=await viewer(shop.customer), booking_id=booking.id, now=NOW)
    assert err.value.code is ErrorCode.CAPACITY_UNAVAILABLE
    assert not await CapacitySchedule.filter(booking_id=booking.id).exists()
    assert (await ServiceBooking.get(id=booking.id)).status == BookingStatus.QUOTE_READY


async def test_maintenance_cannot_be_set_on_a_day_with_reserved_work() -> None:
    shop = await make_shop()
    booking = await _quote(shop)
    await accept_quote(viewer=await viewer(shop.customer), booking_id=booking.id, now=NOW)
    owner = await viewer(shop.owner)
    with pytest.raises(DomainError) as err:
        await update_capability(
            viewer=owner, capability_id=shop.booth.id, values={"next_maintenance_date": MONDAY}, now=NOW
        )
    assert err.value.code is ErrorCode.CONFLICT and err.value.field == "nextMaintenanceDate"
    assert (await OrganizationCapability.get(id=shop.booth.id)).next_maintenance_date is None
    moved = await update_capability(
        viewer=owner, capability_id=shop.booth.id, values={"next_maintenance_date": TUESDAY}, now=NOW
    )
    assert moved.next_maintenance_date == TUESDAY


@pytest.mark.pure
def test_a_resource_costs_its_hours_capped_by_its_days_per_unit() -> None:
    assert ResourceCost(1_500, 0).of_block(Decimal("2.5"), 1, 1) == 3_750
    assert ResourceCost(0, 10_000).of_block(Decimal("30"), 2, 1) == 20_000
    assert ResourceCost(1_500, 10_000).of_block(Decimal("8"), 1, 1) == 10_000  # the day rate caps 8 h at $15
    assert ResourceCost(1_500, 10_000).of_block(Decimal("4"), 1, 1) == 6_000
    assert ResourceCost(0, 3).of_block(Decimal("168"), 7, 200) == 4_200  # 200 sq ft for a week at 3 ¢ a day


def _adds_up(booking: ServiceBooking) -> None:
    b = breakdown_of(booking)
    assert b is not None
    assert b.facility_fee_cents + b.labor_fee_cents + b.platform_fee_cents + b.materials_cents == b.total_cents
    assert sum(line.amount_cents for line in b.labor) == b.labor_fee_cents


async def test_time_and_materials_bills_the_equipment_to_the_facility() -> None:
    shop = await make_shop(
        pricing_model=PricingModel.HOURLY_RATE,
        hourly_rate_cents=10_001,
        estimated_hours=Decimal(8),
        materials_cost_cents=5_000,
    )
    await OrganizationCapability.filter(id=shop.booth.id).update(hourly_cost_cents=4_499, daily_cost_cents=100_000)
    booking = await _quote(shop)
    b = breakdown_of(booking)
    assert b is not None
    assert b.equipment_cents == 8 * 4_499  # 8 booth hours; the day rate is no cap here
    assert b.service_price_cents == 80_008
    assert b.total_cents == 80_008 + 35_992 + 5_000
    assert b.facility_fee_cents == 16_002 + 35_992  # its 20 % share (largest remainder) and the equipment
    assert booking.total_quoted_price_cents == b.total_cents
    _adds_up(booking)

    # Accepting keeps the equipment in the re-split breakdown.
    accepted = await accept_quote(viewer=await viewer(shop.customer), booking_id=booking.id, now=NOW)
    after = breakdown_of(accepted)
    assert after is not None and after.equipment_cents == 35_992 and after.total_cents == b.total_cents
    _adds_up(accepted)


async def test_a_fixed_price_does_not_bill_equipment() -> None:
    shop = await make_shop()
    await OrganizationCapability.filter(id=shop.booth.id).update(hourly_cost_cents=4_500)
    b = breakdown_of(await _quote(shop))
    assert b is not None and b.equipment_cents == 0 and b.total_cents == 200_000


async def test_cost_plus_work_bills_the_equipment_with_the_facilitys_price() -> None:
    shop = await make_shop(pricing_model=PricingModel.CUSTOM_QUOTE, base_price_cents=0)
    await OrganizationCapability.filter(id=shop.booth.id).update(hourly_cost_cents=0, daily_cost_cents=30_000)
    booking = await _quote(shop)
    assert booking.status == BookingStatus.QUOTE_REQUESTED
    priced = await price_custom_quote(
        viewer=await viewer(shop.owner), booking_id=booking.id, price_cents=100_000, materials_cents=2_500, now=NOW
    )
    b = breakdown_of(priced)
    assert b is not None
    assert b.equipment_cents == 30_000  # one booth day at its daily cost
    assert b.total_cents == 100_000 + 30_000 + 2_500 == priced.total_quoted_price_cents
    _adds_up(priced)


async def test_a_storage_stay_costs_per_unit_and_local_day() -> None:
    shop = await make_shop(
        pricing_model=PricingModel.HOURLY_RATE,
        hourly_rate_cents=1_000,
        estimated_hours=Decimal(1),
        typical_duration_days=2,
        capabilities=[{"capability_type": "indoor_storage", "units": 200}],
        skills=[],
    )
    storage = await OrganizationCapability.create(
        organization=shop.org,
        capability_type=CapabilityType.INDOOR_STORAGE,
        quantity=2_000,
        unit_type="sq_ft",
        hours_per_day=24,
        days_per_week=7,
        daily_cost_cents=3,
    )
    booking = await _quote(shop)
    blocks = plan_of(booking).blocks
    assert [b.capability_id for b in blocks] == [storage.id]
    b = breakdown_of(booking)
    assert b is not None and b.equipment_cents == 200 * 3 * 2  # 200 sq ft, two local days
    _adds_up(booking)
