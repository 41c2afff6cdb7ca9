"""service_bookings and capacity_schedule carry the seed's columns: title, the quote's money as columns that add up,
the plan's people and capabilities, facility-local dates, the three notes with their readers and writers, and
capacity blocks whose resource_id, date and duration follow their foreign key and span."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from app.errors import DomainError, ErrorCode
from app.security import issue_token
from app.services.coordination.acceptance import accept_quote
from app.services.coordination.lifecycle import update_booking_status
from app.services.coordination.quoting import QuoteRequest, request_quote
from models import CapacitySchedule, JobOffer, ServiceBooking, User
from models.enums import BookingStatus, CapabilityType, JobOfferStatus, MemberRole, ResourceType, SkillCategory
from tests.factories import (
    MONDAY,
    NOW,
    make_booking,
    make_capability,
    make_member,
    make_org,
    make_shop,
    make_user,
    make_vehicle,
    viewer,
)
from tests.helpers import error_codes, gql

VEGAS = ZoneInfo("America/Los_Angeles")


def _token(user: User) -> str:
    token, _ = issue_token(user.id, user.token_version)
    return token


# --- title and description -------------------------------------------------------------------------------------


async def test_a_request_without_a_title_is_named_after_the_service_and_the_vehicle() -> None:
    shop = await make_shop()
    car = await make_vehicle(shop.customer)
    customer = await viewer(shop.customer)
    named = await request_quote(
        viewer=customer,
        request=QuoteRequest(requested_start_date=MONDAY, service_id=shop.service.id, vehicle_id=car.id),
        now=NOW,
    )
    assert named.title == f"{shop.service.service_name} — {car.year} {car.make} {car.model}"
    own = await request_quote(
        viewer=customer,
        request=QuoteRequest(
            requested_start_date=MONDAY, service_id=shop.service.id, title="Hood respray", description="Sun damage"
        ),
        now=NOW,
    )
    assert (own.title, own.description) == ("Hood respray", "Sun damage")


@pytest.mark.parametrize(("title", "message"), [("   ", "must not be empty"), ("x" * 201, "at most 200")])
async def test_a_blank_or_over_long_title_is_bad_input(title: str, message: str) -> None:
    shop = await make_shop()
    with pytest.raises(DomainError) as err:
        await request_quote(
            viewer=await viewer(shop.customer),
            request=QuoteRequest(requested_start_date=MONDAY, service_id=shop.service.id, title=title),
            now=NOW,
        )
    assert err.value.code is ErrorCode.BAD_INPUT and err.value.field == "title" and message in err.value.message
    assert await ServiceBooking.all().count() == 0


# --- the quote's money: columns whose parts add up ---------------------------------------------------------------


@pytest.mark.parametrize(
    "money",
    [
        {"total_quoted_price_cents": 1000, "facility_fee_cents": 200, "labor_fee_cents": 700},  # parts missing
        {
            "total_quoted_price_cents": 1000,
            "facility_fee_cents": 200,
            "labor_fee_cents": 700,
            "materials_cost_cents": 0,
            "platform_fee_cents": 99,  # one cent short
        },
        {
            "total_quoted_price_cents": 1000,
            "facility_fee_cents": -100,
            "labor_fee_cents": 1000,
            "materials_cost_cents": 0,
            "platform_fee_cents": 100,
        },
        {"facility_fee_cents": 200},  # a part without a total
    ],
)
async def test_the_database_refuses_quote_parts_that_do_not_add_up(money: dict[str, Any]) -> None:
    org = await make_org()
    customer = await make_user()
    with pytest.raises(IntegrityError):
        async with in_transaction():
            await make_booking(org, customer, **money)


async def test_the_database_takes_a_priced_quote_whose_parts_add_up_and_an_unpriced_one() -> None:
    org = await make_org()
    customer = await make_user()
    await make_booking(org, customer)
    priced = await make_booking(
        org,
        customer,
        total_quoted_price_cents=3_000_000_000,
        facility_fee_cents=600_000_000,
        labor_fee_cents=2_000_000_000,
        materials_cost_cents=100_000_000,
        platform_fee_cents=300_000_000,
    )
    assert (await ServiceBooking.get(id=priced.id)).total_quoted_price_cents == 3_000_000_000


# --- the plan's people and capabilities, and the facility's dates -------------------------------------------------


async def test_a_quote_records_its_people_capabilities_and_local_dates() -> None:
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
    assert booking.assigned_labor_users == [{"user_id": shop.painters[0].id, "role": "painting", "hours": 24.0}]
    assert booking.assigned_capabilities == [{"capability_id": shop.booth.id, "hours": 16.0}]
    assert booking.scheduled_start is not None and booking.scheduled_end is not None
    assert booking.calculated_start_date == booking.scheduled_start.astimezone(VEGAS).date()
    assert booking.calculated_completion_date == booking.scheduled_end.astimezone(VEGAS).date()
    # A Las Vegas afternoon ends after midnight UTC: the date is the facility's, not UTC's.
    assert booking.scheduled_end.astimezone(UTC).date() != booking.calculated_completion_date


@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "Pacific/Pago_Pago"])
async def test_work_starting_and_completing_records_the_facilitys_local_day(zone: str) -> None:
    # UTC+14 and UTC-11: whatever the hour, one of the two is on another day than UTC, so a UTC date fails one.
    owner = await make_user()
    org = await make_org(owner=owner, timezone=zone)
    booking = await make_booking(org, await make_user(), status=BookingStatus.SCHEDULED)
    manager = await viewer(owner)
    started = await update_booking_status(viewer=manager, booking_id=booking.id, status=BookingStatus.IN_PROGRESS)
    assert started.actual_start is not None
    assert started.actual_start_date == started.actual_start.astimezone(ZoneInfo(zone)).date()
    await update_booking_status(viewer=manager, booking_id=booking.id, status=BookingStatus.QUALITY_REVIEW)
    done = await update_booking_status(viewer=manager, booking_id=booking.id, status=BookingStatus.COMPLETED)
    assert done.actual_completion is not None
    assert done.actual_completion_date == done.actual_completion.astimezone(ZoneInfo(zone)).date()
    stored = await ServiceBooking.get(id=booking.id)
    assert (stored.actual_start_date, stored.actual_completion_date) == (
        started.actual_start_date,
        done.actual_completion_date,
    )


# --- capacity_schedule: resource_id, date, duration_hours ---------------------------------------------------------


async def test_accepted_blocks_carry_their_resource_local_date_and_duration() -> None:
    shop = await make_shop()
    booking = await request_quote(
        viewer=await viewer(shop.customer),
        request=QuoteRequest(requested_start_date=MONDAY, service_id=shop.service.id),
        now=NOW,
    )
    await accept_quote(viewer=await viewer(shop.customer), booking_id=booking.id, now=NOW)
    rows = await CapacitySchedule.filter(booking_id=booking.id)
    assert {r.resource_type for r in rows} == {ResourceType.FACILITY_CAPABILITY, ResourceType.USER_LABOR}
    for row in rows:
        owner = row.capability_id if row.resource_type == ResourceType.FACILITY_CAPABILITY else row.user_id
        assert row.resource_id == owner
        assert row.date == row.start_time.astimezone(VEGAS).date()
        assert row.duration_hours == round((row.end_time - row.start_time).total_seconds() / 3600, 2)


async def test_a_block_past_midnight_keeps_the_day_it_starts_on() -> None:
    org = await make_org(timezone="America/Los_Angeles")
    lot = await make_capability(org, CapabilityType.INDOOR_STORAGE, quantity=10)
    start = datetime(2030, 1, 7, 22, 0, tzinfo=VEGAS)  # Monday 10 pm in Las Vegas: Tuesday in UTC
    block = await CapacitySchedule.create(
        organization=org, capability=lot, start_time=start, end_time=start + timedelta(hours=10), units=2
    )
    stored = await CapacitySchedule.get(id=block.id)
    assert stored.date == date(2030, 1, 7)
    assert stored.duration_hours == 10
    assert stored.resource_id == lot.id


async def test_the_database_refuses_a_resource_id_that_is_not_the_blocks_foreign_key() -> None:
    org = await make_org()
    lift = await make_capability(org, CapabilityType.VEHICLE_LIFT)
    person = await make_user()
    start = datetime(2030, 1, 7, 16, tzinfo=UTC)
    block = await CapacitySchedule.create(
        organization=org, capability=lift, start_time=start, end_time=start + timedelta(hours=2)
    )
    with pytest.raises(IntegrityError):
        async with in_transaction():
            await CapacitySchedule.filter(id=block.id).update(resource_id=person.id)
    labor = await CapacitySchedule.create(
        organization=org,
        resource_type=ResourceType.USER_LABOR,
        user=person,
        start_time=start,
        end_time=start + timedelta(hours=2),
    )
    assert labor.resource_id == person.id
    with pytest.raises(IntegrityError):
        async with in_transaction():
            await CapacitySchedule.filter(id=labor.id).update(resource_id=lift.id)


# --- the three notes ------------------------------------------------------------------------------------------------

NOTES = "query($id: Int!) { serviceBooking(id: $id) { customerNotes facilityNotes laborNotes } }"
UPDATE = """mutation($id: Int!, $c: String, $f: String, $l: String) {
  updateBookingNotes(bookingId: $id, customerNotes: $c, facilityNotes: $f, laborNotes: $l) {
    customerNotes facilityNotes laborNotes } }"""


async def _notes_world() -> dict[str, Any]:
    owner, staff, customer, crew, offered, stranger = [await make_user() for _ in range(6)]
    org = await make_org(owner=owner)
    await make_member(org, staff, MemberRole.STAFF)
    booking = await make_booking(
        org,
        customer,
        status=BookingStatus.SCHEDULED,
        customer_notes="Hood and roof faded",
        facility_notes="Gate code 4821",
        labor_notes="Primer on the shelf",
    )
    for person, status in ((crew, JobOfferStatus.ACCEPTED), (offered, JobOfferStatus.PENDING)):
        await JobOffer.create(
            booking=booking,
            user=person,
            role=SkillCategory.PAINTING,
            hours=8,
            amount_cents=1000,
            status=status,
            expires_at=NOW,
        )
    return {
        "booking": booking,
        "owner": owner,
        "staff": staff,
        "customer": customer,
        "crew": crew,
        "offered": offered,
        "stranger": stranger,
    }


async def test_the_work_sides_notes_are_read_by_the_facility_and_its_crew_not_the_customer() -> None:
    w = await _notes_world()
    everything = {
        "customerNotes": "Hood and roof faded",
        "facilityNotes": "Gate code 4821",
        "laborNotes": "Primer on the shelf",
    }
    customer_view = {**everything, "facilityNotes": None, "laborNotes": None}
    expected = {
        "owner": everything,
        "staff": everything,
        "crew": everything,
        "customer": customer_view,
        "offered": customer_view,  # a pending offer opens the booking, not the work side's notes
    }
    for who, shown in expected.items():
        result = await gql(NOTES, {"id": w["booking"].id}, token=_token(w[who]))
        assert result["data"]["serviceBooking"] == shown, who
    stranger = await gql(NOTES, {"id": w["booking"].id}, token=_token(w["stranger"]))
    assert error_codes(stranger) == ["NOT_FOUND"]


async def test_each_party_writes_its_own_notes_and_a_refused_one_writes_nothing() -> None:
    w = await _notes_world()
    booking_id = w["booking"].id
    for who, variables in (
        ("customer", {"c": "Also the trunk lid"}),
        ("staff", {"f": "Booth 2 reserved"}),
        ("crew", {"l": "Clear coat Tuesday"}),
    ):
        result = await gql(UPDATE, {"id": booking_id, **variables}, token=_token(w[who]))
        assert not result.get("errors"), (who, result)
    stored = await ServiceBooking.get(id=booking_id)
    assert (stored.customer_notes, stored.facility_notes, stored.labor_notes) == (
        "Also the trunk lid",
        "Booth 2 reserved",
        "Clear coat Tuesday",
    )
    for who, variables in (
        ("customer", {"c": "sneaky", "f": "Customer was here"}),  # one refused field refuses the whole change
        ("staff", {"l": "not mine"}),
        ("offered", {"l": "not yet"}),
        ("crew", {"f": "not mine either"}),
    ):
        result = await gql(UPDATE, {"id": booking_id, **variables}, token=_token(w[who]))
        assert error_codes(result) == ["FORBIDDEN"], (who, result)
    stranger = await gql(UPDATE, {"id": booking_id, "c": "hello"}, token=_token(w["stranger"]))
    assert error_codes(stranger) == ["NOT_FOUND"]
    after = await ServiceBooking.get(id=booking_id)
    assert (after.customer_notes, after.facility_notes, after.labor_notes) == (
        "Also the trunk lid",
        "Booth 2 reserved",
        "Clear coat Tuesday",
    )
    nothing = await gql(UPDATE, {"id": booking_id}, token=_token(w["owner"]))
    assert error_codes(nothing) == ["BAD_INPUT"]
