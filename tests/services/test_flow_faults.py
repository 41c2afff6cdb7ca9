"""Faults found in the booking flow (issue 12, point 6), each with the test that would catch it coming back."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from tortoise.exceptions import IntegrityError

from app.errors import DomainError, ErrorCode
from app.security import issue_token
from app.services.coordination.acceptance import accept_quote
from app.services.coordination.lifecycle import transition, update_booking_status
from app.services.coordination.quoting import QuoteRequest, request_quote
from app.services.coordination.utilization import utilization
from app.services.reviews import submit_review
from models import CapacitySchedule, JobOffer, Organization, ServiceBooking, User, UserSkill
from models.enums import (
    BookingStatus,
    CapabilityType,
    JobOfferStatus,
    PartyType,
    ResourceType,
    ServiceType,
    SkillCategory,
)
from tests.factories import MONDAY, NOW, Shop, make_capability, make_shop, make_user, viewer
from tests.helpers import Recorder, error_codes, gql

ACCEPT = """mutation($b: Int!) { acceptQuote(bookingId: $b) { ... on ServiceBooking {
  status staffingChanges { role userId name quotedHours reservedHours reason } }
  ... on Error { __typename code message } } }"""


async def _quote(shop: Shop, **request: Any) -> ServiceBooking:
    customer = await viewer(shop.customer)
    query = QuoteRequest(requested_start_date=MONDAY, service_id=shop.service.id, **request)
    return await request_quote(viewer=customer, request=query, now=NOW)


async def test_the_first_review_rolls_into_the_rating_history() -> None:
    shop = await make_shop()
    await Organization.filter(id=shop.org.id).update(rating=Decimal("4.80"), rating_count=37)
    booking = await ServiceBooking.create(
        title="Repaint",
        organization=shop.org,
        customer=shop.customer,
        service_type=ServiceType.BODYWORK,
        requested_start_date=MONDAY,
        status=BookingStatus.COMPLETED,
    )
    await submit_review(
        viewer=await viewer(shop.customer), booking_id=booking.id, subject_type=PartyType.FACILITY, score=1
    )
    org = await Organization.get(id=shop.org.id)
    assert (org.rating, org.rating_count) == (Decimal("4.70"), 38)  # (4.80 * 37 + 1) / 38, not 1.00 of 1


async def test_completing_early_releases_what_the_booking_still_holds(published: Recorder) -> None:
    shop = await make_shop(capabilities=[{"capability_type": "paint_booth", "hours": 16}], estimated_days=2)
    booking = await _quote(shop)
    await accept_quote(viewer=await viewer(shop.customer), booking_id=booking.id, now=NOW)
    held = await CapacitySchedule.filter(booking_id=booking.id).count()
    assert held >= 3  # booth blocks on two days and the painter's hours
    for to in (BookingStatus.SCHEDULED, BookingStatus.IN_PROGRESS, BookingStatus.QUALITY_REVIEW):
        await transition(booking_id=booking.id, to=to)
    published.messages.clear()
    # The work was planned for 2030; finishing it today gives every reserved hour back.
    await update_booking_status(viewer=await viewer(shop.owner), booking_id=booking.id, status=BookingStatus.COMPLETED)
    assert await CapacitySchedule.filter(booking_id=booking.id).count() == 0
    [event] = published.on(f"capacity.org.{shop.org.id}")
    assert event["reason"] == "completed_early" and event["bookingId"] == booking.id
    assert event["capabilityIds"] == [shop.booth.id]
    assert event["days"] == sorted({d["day"] for d in booking.plan["window"]["days"]})


async def test_an_accept_that_staffs_other_people_says_who_and_why() -> None:
    shop = await make_shop(painters=3)
    booking = await _quote(shop)
    [quoted] = booking.plan["roles"][0]["assignments"]
    first, second, _third = shop.painters
    assert quoted["user_id"] == first.id
    await UserSkill.filter(user_id=first.id).update(is_available=False)  # the quoted painter withdrew
    result = await gql(ACCEPT, {"b": booking.id}, token=issue_token(shop.customer.id, 0)[0])
    assert not result.get("errors"), result
    changes = result["data"]["acceptQuote"]["staffingChanges"]
    assert changes == [
        {
            "role": "painting",
            "userId": first.id,
            "name": "Painter 1",
            "quotedHours": 8.0,
            "reservedHours": 0.0,
            "reason": "no longer available for this work",
        },
        {
            "role": "painting",
            "userId": second.id,
            "name": "Painter 2",
            "quotedHours": 0.0,
            "reservedHours": 8.0,
            "reason": "takes over hours the quoted people can no longer work",
        },
    ]
    offers = await JobOffer.filter(booking_id=booking.id).values_list("user_id", flat=True)
    assert offers == [second.id]  # type: ignore[comparison-overlap]  # flat values_list is typed as tuples


async def test_a_quoted_person_booked_elsewhere_meanwhile_is_named_as_busy() -> None:
    shop = await make_shop(painters=2)
    booking = await _quote(shop)
    day = booking.plan["window"]["days"][0]
    await CapacitySchedule.create(
        organization=shop.org,
        resource_type=ResourceType.USER_LABOR,
        user=shop.painters[0],
        start_time=day["start"],
        end_time=day["end"],
        units=1,
        is_reserved=True,
    )
    accepted = await accept_quote(viewer=await viewer(shop.customer), booking_id=booking.id, now=NOW)
    reasons = {c["user_id"]: c["reason"] for c in accepted.staffing_changes}
    assert reasons == {
        shop.painters[0].id: "no longer free in the quoted window",
        shop.painters[1].id: "takes over hours the quoted people can no longer work",
    }
    stored = await ServiceBooking.get(id=booking.id)
    assert stored.staffing_changes == accepted.staffing_changes


async def test_an_accept_as_quoted_reports_no_change() -> None:
    shop = await make_shop()
    booking = await _quote(shop)
    accepted = await accept_quote(viewer=await viewer(shop.customer), booking_id=booking.id, now=NOW)
    assert accepted.staffing_changes == []
    assert (await JobOffer.get(booking_id=booking.id)).status == JobOfferStatus.PENDING


async def test_a_past_start_date_is_refused_never_moved() -> None:
    shop = await make_shop()
    past = NOW.date() - timedelta(days=2)
    with pytest.raises(DomainError) as err:
        await request_quote(
            viewer=await viewer(shop.customer),
            request=QuoteRequest(requested_start_date=past, service_id=shop.service.id),
            now=NOW,
        )
    assert (err.value.code, err.value.field) == (ErrorCode.BAD_INPUT, "requestedStartDate")
    assert err.value.details == {"earliestStartDate": "2029-12-31"}
    assert await ServiceBooking.all().count() == 0
    # Late at night west of UTC it is still "yesterday" in UTC terms: that day is somebody's today.
    late = NOW.replace(hour=23)
    still_today = date(2029, 12, 31)
    booking = await request_quote(
        viewer=await viewer(shop.customer),
        request=QuoteRequest(requested_start_date=still_today, service_id=shop.service.id),
        now=late + timedelta(hours=8),
    )
    assert booking.requested_start_date == still_today


async def test_maintenance_shows_as_blocked_capacity_not_as_none() -> None:
    shop = await make_shop(booth_quantity=2)
    storage = await make_capability(
        shop.org, CapabilityType.INDOOR_STORAGE, quantity=2000, maintenance_start=MONDAY, maintenance_end=MONDAY
    )
    await shop.booth.update_from_dict({"maintenance_start": MONDAY, "maintenance_end": MONDAY}).save()
    report = await utilization(
        viewer=await viewer(shop.owner), organization_id=shop.org.id, start=MONDAY, end=MONDAY + timedelta(days=1)
    )
    booth = next(c for c in report.capabilities if c.capability_id == shop.booth.id)
    monday, tuesday = booth.days
    assert (monday.capacity, monday.blocked, monday.available, monday.utilization) == tuple(
        map(Decimal, (16, 16, 0, 0))
    )
    assert (tuesday.capacity, tuesday.blocked, tuesday.available) == tuple(map(Decimal, (16, 0, 16)))
    space = next(c for c in report.capabilities if c.capability_id == storage.id)
    assert (space.days[0].capacity, space.days[0].blocked, space.days[0].available) == tuple(
        map(Decimal, (2000, 2000, 0))
    )
    assert space.days[1].blocked == 0


ADD_SKILL = """mutation($name: String!) { addSkill(input: {skillCategory: PAINTING, skillName: $name}) { id } }"""


async def test_a_person_cannot_add_the_same_skill_twice() -> None:
    user = await make_user()
    token = issue_token(user.id, user.token_version)[0]
    first = await gql(ADD_SKILL, {"name": "Show-quality refinishing"}, token=token)
    assert not first.get("errors"), first
    again = await gql(ADD_SKILL, {"name": "Spot repair"}, token=token)
    assert error_codes(again) == ["CONFLICT"]
    assert again["errors"][0]["extensions"]["field"] == "skillCategory"
    assert again["errors"][0]["extensions"]["details"] == {"skillId": first["data"]["addSkill"]["id"]}
    assert await UserSkill.filter(user_id=user.id).count() == 1


async def test_the_database_itself_keeps_one_skill_per_category() -> None:
    user = await make_user()
    await UserSkill.create(user=user, skill_category=SkillCategory.PAINTING, skill_name="Custom paint")
    with pytest.raises(IntegrityError):
        await UserSkill.create(user=user, skill_category=SkillCategory.PAINTING, skill_name="Spot repair")
    assert await User.filter(id=user.id).exists()
