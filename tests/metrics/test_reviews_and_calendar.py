"""Reviews between the parties of a completed booking, rating roll-up, and the iCalendar feeds."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
from icalendar import Calendar

from app.main import app
from models.enums import BookingStatus
from tests.factories import completed_job
from tests.helpers import error_codes, gql, login

REVIEW = """mutation($b: ID!, $t: PartyType!, $s: Int!, $u: ID) {
  submitReview(bookingId: $b, subjectType: $t, score: $s, subjectUserId: $u, comment: "ok") {
    score subjectType subjectUser { fullName rating } subjectOrganization { name rating ratingCount } } }"""


async def test_parties_review_each_other_once_and_ratings_roll_up() -> None:
    booking, people = await completed_job()
    customer = await login("customer@r.test", "pw-123456")
    facility = await gql(REVIEW, {"b": booking.id, "t": "FACILITY", "s": 5}, token=customer)
    assert facility["data"]["submitReview"]["subjectOrganization"] == {
        "name": "Review Garage",
        "rating": 5.0,
        "ratingCount": 1,
    }
    worker = await gql(REVIEW, {"b": booking.id, "t": "LABOR", "s": 4, "u": people["worker"].id}, token=customer)
    assert worker["data"]["submitReview"]["subjectUser"] == {"fullName": "Worker", "rating": 4.0}
    again = await gql(REVIEW, {"b": booking.id, "t": "FACILITY", "s": 1}, token=customer)
    assert error_codes(again) == ["CONFLICT"]
    by_worker = await gql(
        REVIEW, {"b": booking.id, "t": "CUSTOMER", "s": 3}, token=await login("worker@r.test", "pw-123456")
    )
    assert by_worker["data"]["submitReview"]["subjectUser"]["rating"] == 3.0
    by_owner = await gql(
        REVIEW,
        {"b": booking.id, "t": "LABOR", "s": 5, "u": people["worker"].id},
        token=await login("owner@r.test", "pw-123456"),
    )
    assert by_owner["data"]["submitReview"]["subjectUser"]["rating"] == 4.5  # (4 + 5) / 2


async def test_review_rules_are_typed() -> None:
    booking, people = await completed_job()
    customer = await login("customer@r.test", "pw-123456")
    own_party = await gql(REVIEW, {"b": booking.id, "t": "CUSTOMER", "s": 5}, token=customer)
    assert error_codes(own_party) == ["BAD_INPUT"]
    out_of_range = await gql(REVIEW, {"b": booking.id, "t": "FACILITY", "s": 6}, token=customer)
    assert error_codes(out_of_range) == ["BAD_INPUT"]
    stranger = await gql(
        REVIEW, {"b": booking.id, "t": "FACILITY", "s": 1}, token=await login("stranger@r.test", "pw-123456")
    )
    assert error_codes(stranger) == ["NOT_FOUND"]  # a booking the caller cannot see is not found
    not_worker = await gql(REVIEW, {"b": booking.id, "t": "LABOR", "s": 2, "u": people["stranger"].id}, token=customer)
    assert error_codes(not_worker) == ["BAD_INPUT"]


async def test_no_review_before_completion() -> None:
    booking, _ = await completed_job(BookingStatus.IN_PROGRESS)
    result = await gql(
        REVIEW, {"b": booking.id, "t": "FACILITY", "s": 5}, token=await login("customer@r.test", "pw-123456")
    )
    assert error_codes(result) == ["INVALID_TRANSITION"]


async def test_calendar_feeds_for_the_facility_and_the_laborer() -> None:
    booking, people = await completed_job()
    org_id = booking.organization_id
    owner = await login("owner@r.test", "pw-123456")
    worker = await login("worker@r.test", "pw-123456")
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        facility = await client.get(f"/calendar/organizations/{org_id}.ics", params={"token": owner})
        labor = await client.get(
            f"/calendar/users/{people['worker'].id}.ics", headers={"authorization": f"Bearer {worker}"}
        )
        refused = await client.get(f"/calendar/organizations/{org_id}.ics", params={"token": worker})
        anonymous = await client.get(f"/calendar/users/{people['worker'].id}.ics")
    assert facility.status_code == 200 and facility.headers["content-type"].startswith("text/calendar")
    [event] = [c for c in Calendar.from_ical(facility.content).walk("VEVENT")]
    assert event.decoded("dtstart") == datetime(2026, 3, 2, 8, tzinfo=UTC)
    assert f"booking #{booking.id}" in str(event["summary"])
    [shift] = [c for c in Calendar.from_ical(labor.content).walk("VEVENT")]
    assert shift.decoded("dtend") == datetime(2026, 3, 2, 16, tzinfo=UTC)
    assert refused.status_code == 403
    assert anonymous.status_code == 401
