"""The complete rule through request_quote and accept_quote: interrupted work, several rows of a type, a
multi-skilled person kept for the role only they can do, no cap on the windows tried, whole minutes.
Each case failed under the earlier search (issue 16)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from app.services.coordination import working_hours
from app.services.coordination.acceptance import accept_quote
from app.services.coordination.plan import plan_of
from app.services.coordination.quoting import QuoteRequest, request_quote
from models import CapacitySchedule, JobOffer, OrganizationCapability, ServiceBooking, UserSkill
from models.enums import CapabilityType, Proficiency, ResourceType, SkillCategory
from tests.factories import MONDAY, NOW, Shop, make_capability, make_shop, make_worker, viewer

LA = ZoneInfo("America/Los_Angeles")


def local(day: date, hour: int) -> datetime:
    return datetime.combine(day, datetime.min.time(), tzinfo=LA).replace(hour=hour).astimezone(UTC)


async def quote(shop: Shop) -> ServiceBooking:
    return await request_quote(
        viewer=await viewer(shop.customer),
        request=QuoteRequest(requested_start_date=MONDAY, service_id=shop.service.id),
        now=NOW,
    )


async def block(shop: Shop, capability: OrganizationCapability, start: datetime, end: datetime) -> None:
    await CapacitySchedule.create(
        organization=shop.org, capability=capability, start_time=start, end_time=end, units=0, is_blocked=True
    )


def spans(booking: ServiceBooking) -> list[tuple[int, datetime, datetime]]:
    return [(b.capability_id, b.start, b.end) for b in plan_of(booking).blocks]


async def test_interruptible_work_goes_around_a_booking_and_acceptance_reserves_exactly_the_plan() -> None:
    hours = [{"capability_type": "paint_booth", "hours": 6}]
    shop = await make_shop(capabilities=hours, skills=[], allows_interruption=True)
    await block(shop, shop.booth, local(MONDAY, 11), local(MONDAY, 12))  # open 08:00-16:00, busy 11-12
    booking = await quote(shop)
    assert spans(booking) == [
        (shop.booth.id, local(MONDAY, 8), local(MONDAY, 11)),
        (shop.booth.id, local(MONDAY, 12), local(MONDAY, 15)),
    ]
    await accept_quote(viewer=await viewer(shop.customer), booking_id=booking.id, now=NOW)
    rows = await CapacitySchedule.filter(booking_id=booking.id, resource_type=ResourceType.FACILITY_CAPABILITY)
    assert sorted((r.capability_id, r.start_time, r.end_time) for r in rows) == spans(booking)


async def test_unbroken_work_waits_for_a_day_with_a_long_enough_run() -> None:
    shop = await make_shop(capabilities=[{"capability_type": "paint_booth", "hours": 6}], skills=[])
    await block(shop, shop.booth, local(MONDAY, 11), local(MONDAY, 12))
    booking = await quote(shop)
    tuesday = MONDAY + timedelta(days=1)
    assert spans(booking) == [(shop.booth.id, local(tuesday, 8), local(tuesday, 14))]


async def test_any_row_of_the_type_serves() -> None:
    shop = await make_shop(skills=[])
    second = await make_capability(shop.org, CapabilityType.PAINT_BOOTH)
    await block(shop, shop.booth, local(MONDAY, 0), local(MONDAY + timedelta(days=1), 0))
    booking = await quote(shop)
    assert spans(booking) == [(second.id, local(MONDAY, 8), local(MONDAY, 16))]


async def test_a_multi_skilled_person_goes_where_only_they_fit() -> None:
    skills = [
        {"skill_category": "painting", "min_proficiency": "competent", "hours": 8},
        {"skill_category": "mechanical", "min_proficiency": "competent", "hours": 8},
    ]
    shop = await make_shop(skills=skills)  # its painter is an expert, ranked first for painting
    both = shop.painters[0]
    await UserSkill.create(
        user=both, skill_category=SkillCategory.MECHANICAL, skill_name="engines", proficiency_level=Proficiency.EXPERT
    )
    second = await make_worker(SkillCategory.PAINTING, Proficiency.COMPETENT, name="Second painter")
    booking = await quote(shop)
    staffed = {r.skill.value: [a.user_id for a in r.assignments] for r in plan_of(booking).roles}
    assert staffed == {"painting": [second.id], "mechanical": [both.id]}
    assert booking.scheduled_start == local(MONDAY, 8)
    await accept_quote(viewer=await viewer(shop.customer), booking_id=booking.id, now=NOW)
    offers = await JobOffer.filter(booking_id=booking.id).values_list("user_id", "role")
    assert sorted(offers) == sorted([(second.id, "painting"), (both.id, "mechanical")])


async def test_the_search_does_not_give_up_after_forty_windows() -> None:
    shop = await make_shop()
    painter = shop.painters[0]
    day, busy_days = MONDAY, 0
    while busy_days < 41:  # the painter's next 41 working days are full
        if day.weekday() < 5:
            await CapacitySchedule.create(
                organization=shop.org,
                resource_type=ResourceType.USER_LABOR,
                user=painter,
                start_time=local(day, 8),
                end_time=local(day, 16),
                units=1,
                is_reserved=True,
            )
            busy_days += 1
        day += timedelta(days=1)
    booking = await quote(shop)
    assert booking.scheduled_start == local(day, 8)  # the 42nd working day, 8 weeks and a day later


def test_opening_hours_and_job_hours_are_whole_minutes() -> None:
    booth = working_hours.CapabilityHours(1, hours_per_day=8.2, days_per_week=5)
    window = working_hours.capability_window(MONDAY, booth, tz=ZoneInfo("UTC"), operating_hours={})
    assert window is not None and window.end - window.start == timedelta(minutes=492)
    late = working_hours.facility_window(MONDAY, tz=ZoneInfo("UTC"), operating_hours={"0": ["16:30", "24:00"]})
    assert late is not None and late.end == datetime(2030, 1, 8, tzinfo=UTC)


def test_explicit_hours_and_a_capabilitys_own_days_both_apply() -> None:
    booth = working_hours.CapabilityHours(1, hours_per_day=8, days_per_week=3)
    every_day = {str(d): ["09:00", "17:00"] for d in range(7)}
    thursday = MONDAY + timedelta(days=3)
    tz = ZoneInfo("UTC")
    assert working_hours.capability_window(thursday, booth, tz=tz, operating_hours=every_day) is None
    assert working_hours.capability_window(MONDAY, booth, tz=tz, operating_hours=every_day) is not None
    assert working_hours.facility_window(thursday, tz=tz, operating_hours=every_day) is not None


async def test_a_person_ranked_past_the_kept_ten_is_kept_in_the_plan_and_staffed_again_at_acceptance() -> None:
    shop = await make_shop(painters=12)  # ranked by rating: Painter 1 first, Painter 12 last
    for painter in shop.painters[:11]:
        await CapacitySchedule.create(
            organization=shop.org,
            resource_type=ResourceType.USER_LABOR,
            user=painter,
            start_time=local(MONDAY, 0),
            end_time=local(MONDAY + timedelta(days=1), 0),
            units=1,
            is_reserved=True,
        )
    last = shop.painters[11]
    booking = await quote(shop)
    plan = plan_of(booking)
    assert booking.scheduled_start == local(MONDAY, 8)
    assert [a.user_id for a in plan.assignments()] == [last.id]
    assert last.id in [c.user_id for r in plan.roles for c in r.candidates]
    await accept_quote(viewer=await viewer(shop.customer), booking_id=booking.id, now=NOW)
    offers = await JobOffer.filter(booking_id=booking.id).values_list("user_id")
    assert [user_id for (user_id,) in offers] == [last.id]
