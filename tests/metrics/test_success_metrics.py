"""Every success metric against a hand-computed fixture (see the numbers in each assertion's comment).

Period 2026-03-01..2026-03-14 (14 days, UTC), organization in UTC with 2 lifts × 10 h (08:00-18:00) and
1,000 sq ft of storage, open 7 days a week.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from app.services.access import viewer_for_user
from app.services.metrics import success_metrics
from models import (
    BookingStatusHistory,
    CapacitySchedule,
    JobOffer,
    Organization,
    OrganizationCapability,
    Review,
    ServiceBooking,
    User,
    WorkContract,
)
from models.capacity import local_day
from models.enums import (
    BookingStatus,
    CapabilityType,
    ContractType,
    JobOfferStatus,
    PartyType,
    ResourceType,
    ServiceType,
    SkillCategory,
)
from tests.factories import make_org, make_user
from tests.helpers import gql, login

START, END = date(2026, 3, 1), date(2026, 3, 14)


def at(day: int, hour: int = 0, month: int = 3) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=UTC)


async def _history(booking: ServiceBooking, status: BookingStatus, when: datetime) -> None:
    row = await BookingStatusHistory.create(booking=booking, to_status=status)
    await BookingStatusHistory.filter(id=row.id).update(created_at=when)


async def _market() -> tuple[Organization, User]:
    owner = await make_user("Owner", email="owner@m.test", password="pw-123456", at=None)
    customer = await make_user("Customer", email="c@m.test", at=None)
    worker = await make_user("Worker", email="w@m.test", at=None)
    org = await make_org(owner=owner, name="Metric Motors", at=None, timezone="UTC")
    lift = await OrganizationCapability.create(
        organization=org, capability_type=CapabilityType.VEHICLE_LIFT, quantity=2, hours_per_day=10, days_per_week=7
    )
    storage = await OrganizationCapability.create(
        organization=org,
        capability_type=CapabilityType.INDOOR_STORAGE,
        quantity=1000,
        unit="sq_ft",
        hours_per_day=24,
        days_per_week=7,
    )

    async def booking(scheduled_end: datetime | None = None) -> ServiceBooking:
        return await ServiceBooking.create(
            title="Repaint",
            organization=org,
            customer=customer,
            service_type=ServiceType.BODYWORK,
            requested_start_date=START,
            status=BookingStatus.QUOTE_READY,
            scheduled_end=scheduled_end,
        )

    async def contract(b: ServiceBooking) -> None:
        await WorkContract.create(
            booking=b,
            customer=customer,
            facility=org,
            contract_type=ContractType.FIXED_PRICE,
            total_contract_value_cents=1000,
            facility_payment_cents=200,
            labor_amount_cents=700,
            platform_fee_cents=100,
            facility_share_bps=2000,
            labor_share_bps=7000,
            platform_share_bps=1000,
        )

    b1 = await booking(at(5, 18))  # quoted 03-02, contract, completed 03-05 10:00 (on time), paid 03-07 10:00
    await _history(b1, BookingStatus.QUOTE_READY, at(2, 9))
    await contract(b1)
    await _history(b1, BookingStatus.COMPLETED, at(5, 10))
    await _history(b1, BookingStatus.PAID, at(7, 10))  # 2.0 days
    b2 = await booking(at(8, 18))  # quoted 03-03, contract, completed 03-09 12:00 (late), paid 03-10 00:00
    await _history(b2, BookingStatus.QUOTE_READY, at(3, 9))
    await contract(b2)
    await _history(b2, BookingStatus.COMPLETED, at(9, 12))
    await _history(b2, BookingStatus.PAID, at(10, 0))  # 0.5 days
    b3 = await booking()  # quoted 03-04, never contracted
    await _history(b3, BookingStatus.QUOTE_READY, at(4, 9))
    b4 = await booking()  # quoted 03-10, contracted, not completed
    await _history(b4, BookingStatus.QUOTE_READY, at(10, 9))
    await contract(b4)
    b5 = await booking(at(7, 18))  # quoted in February, completed 03-06 06:00 (on time), paid 03-12 06:00
    await _history(b5, BookingStatus.QUOTE_READY, at(20, 9, month=2))
    await contract(b5)
    await _history(b5, BookingStatus.COMPLETED, at(6, 6))
    await _history(b5, BookingStatus.PAID, at(12, 6))  # 6.0 days
    await JobOffer.create(
        booking=b1,
        user=worker,
        role=SkillCategory.PAINTING,
        hours=12,
        amount_cents=700,
        status=JobOfferStatus.ACCEPTED,
        expires_at=at(1),
    )

    def block(*, start_time: datetime, **kw: object) -> CapacitySchedule:
        # Bulk-created: the facility-local `date` is the writer's to give.
        return CapacitySchedule(organization=org, start_time=start_time, date=local_day(start_time, org.timezone), **kw)

    await CapacitySchedule.bulk_create(
        [
            block(
                capability=lift, booking=b1, start_time=at(2, 8), end_time=at(2, 12), units=1, is_reserved=True
            ),  # 4 h
            block(
                capability=lift, booking=b2, start_time=at(3, 8), end_time=at(3, 18), units=2, is_reserved=True
            ),  # 20 h
            block(capability=lift, start_time=at(5, 8), end_time=at(5, 18), units=2, is_blocked=True),  # 20 h blocked
            block(
                capability=storage, booking=b1, start_time=at(2), end_time=at(5), units=200, is_reserved=True
            ),  # 3 days
            block(
                resource_type=ResourceType.USER_LABOR,
                user=worker,
                booking=b1,
                start_time=at(2, 8),
                end_time=at(2, 16),
                is_reserved=True,
            ),  # 8 h
            block(
                resource_type=ResourceType.USER_LABOR,
                user=worker,
                booking=b2,
                start_time=at(3, 8),
                end_time=at(3, 12),
                is_reserved=True,
            ),  # 4 h
        ]
    )
    for booking_, author, kind, subject_user, subject_org, score, day in [
        (b1, customer, PartyType.FACILITY, None, org, 5, 6),
        (b2, customer, PartyType.FACILITY, None, org, 4, 10),
        (b1, owner, PartyType.CUSTOMER, customer, None, 3, 8),
        (b1, customer, PartyType.LABOR, worker, None, 4, 8),
        (b5, customer, PartyType.LABOR, worker, None, 1, 20),  # outside the period
    ]:
        review = await Review.create(
            booking=booking_,
            author=author,
            subject_type=kind,
            subject_user=subject_user,
            subject_organization=subject_org,
            score=score,
        )
        await Review.filter(id=review.id).update(created_at=at(day))
    return org, owner


async def test_metrics_match_the_hand_computed_fixture() -> None:
    org, owner = await _market()
    report = await success_metrics(viewer=await viewer_for_user(owner), organization_id=org.id, start=START, end=END)
    # Quotes ready in the period: b1, b2, b3, b4; with a contract: b1, b2, b4.
    assert (report.booking_conversion.numerator, report.booking_conversion.denominator) == (Decimal(3), Decimal(4))
    assert report.booking_conversion.value == Decimal("0.7500")
    # Lifts: 14 days × 2 × 10 h = 280 h, 20 h blocked → 260 h available; 4 + 20 = 24 h reserved.
    assert (report.capacity_utilization.numerator, report.capacity_utilization.denominator) == (
        Decimal(24),
        Decimal(260),
    )
    assert report.capacity_utilization.value == Decimal("0.0923")
    # Storage: 14 days × 1,000 = 14,000 unit-days; 200 × 3 days = 600 reserved.
    assert (report.storage_utilization.numerator, report.storage_utilization.denominator) == (
        Decimal(600),
        Decimal(14000),
    )
    # Labor: one person, 14 days × 8 h = 112 h; 8 + 4 = 12 h assigned.
    assert (report.labor_hours_utilization.numerator, report.labor_hours_utilization.denominator) == (
        Decimal(12),
        Decimal(112),
    )
    assert report.labor_hours_utilization.value == Decimal("0.1071")
    # Completed in the period: b1 (on time), b2 (late), b5 (on time).
    assert (report.timeline_accuracy.numerator, report.timeline_accuracy.denominator) == (Decimal(2), Decimal(3))
    assert report.timeline_accuracy.value == Decimal("0.6667")
    # Paid in the period: 2.0, 0.5 and 6.0 days after completion.
    assert report.payment_velocity.median_days == Decimal("2.0000")
    assert report.payment_velocity.total_days == Decimal("8.5000")
    assert report.payment_velocity.payments == 3
    # Reviews in the period: facility 5 + 4, customer 3, labor 4 (the February one is out).
    sat = report.satisfaction
    assert (sat[PartyType.FACILITY].numerator, sat[PartyType.FACILITY].denominator) == (Decimal(9), Decimal(2))
    assert sat[PartyType.FACILITY].value == Decimal("4.5000")
    assert (sat[PartyType.CUSTOMER].numerator, sat[PartyType.CUSTOMER].denominator) == (Decimal(3), Decimal(1))
    assert (sat[PartyType.LABOR].numerator, sat[PartyType.LABOR].denominator) == (Decimal(4), Decimal(1))
    # Daily series: 14 points; 03-02 has b1's quote and contract; 03-09 b2's late completion.
    assert len(report.series) == 14
    by_day = {p.period_start: p for p in report.series}
    assert (by_day[date(2026, 3, 2)].quotes, by_day[date(2026, 3, 2)].contracts) == (1, 1)
    assert (by_day[date(2026, 3, 4)].quotes, by_day[date(2026, 3, 4)].contracts) == (1, 0)
    assert (by_day[date(2026, 3, 9)].completed, by_day[date(2026, 3, 9)].on_time) == (1, 0)
    assert (by_day[date(2026, 3, 8)].reviews, by_day[date(2026, 3, 8)].review_score_sum) == (2, 7)
    assert sum(p.paid for p in report.series) == 3


async def test_metrics_through_graphql_for_members_and_admins_only() -> None:
    org, _ = await _market()
    query = """query($org: Int, $from: Date!, $to: Date!) { successMetrics(organizationId: $org, from: $from, to: $to) {
      bookingConversion { value numerator denominator } timelineAccuracy { value }
      paymentVelocity { medianDays payments } satisfaction { partyType averageScore { value } }
      series { periodStart quotes } } }"""
    variables = {"org": org.id, "from": START.isoformat(), "to": END.isoformat()}
    owner = await login("owner@m.test", "pw-123456")
    result = await gql(query, variables, token=owner)
    assert not result.get("errors"), result
    metrics = result["data"]["successMetrics"]
    assert metrics["bookingConversion"] == {"value": 0.75, "numerator": 3.0, "denominator": 4.0}
    assert metrics["paymentVelocity"] == {"medianDays": 2.0, "payments": 3}
    marketplace = await gql(query, {**variables, "org": None}, token=owner)
    assert marketplace["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    await make_user("A", email="admin@m.test", password="pw-123456", at=None, admin=True)
    admin = await login("admin@m.test", "pw-123456")
    everything = await gql(query, {**variables, "org": None}, token=admin)
    assert everything["data"]["successMetrics"]["bookingConversion"]["denominator"] == 4.0
