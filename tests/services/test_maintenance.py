"""Maintenance blocks added from the planning view: who may, what they may not overlap, what they change."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from app import channels
from app.security import issue_token
from models import CapacitySchedule, Organization, User
from models.enums import CapabilityType, MemberRole
from tests.factories import make_booking, make_capability, make_member, make_org, make_user
from tests.helpers import Recorder, error_codes, gql

BLOCK = """mutation($c: Int!, $s: DateTime!, $e: DateTime!, $r: String!, $u: Int) {
  blockCapacity(capabilityId: $c, start: $s, end: $e, reason: $r, units: $u) {
    id isBlocked isReserved units notes startTime endTime capability { id }
  }
}"""
MONDAY_9 = datetime(2026, 12, 7, 17, 0, tzinfo=UTC)  # 09:00 in Los Angeles


def token(user: User) -> str:
    return issue_token(user.id, user.token_version)[0]


def window(hours: int = 4, start: datetime = MONDAY_9) -> dict[str, str]:
    return {"s": start.isoformat(), "e": (start + timedelta(hours=hours)).isoformat()}


async def shop(quantity: int = 2) -> tuple[User, int, int]:
    owner = await make_user("Olga Owner", at=None)
    org = await make_org(owner=owner, name="Block Garage")
    lift = await make_capability(org, CapabilityType.VEHICLE_LIFT, quantity=quantity)
    return owner, org.id, lift.id


async def reserve(org_id: int, capability_id: int, units: int, start: datetime = MONDAY_9) -> int:
    customer = await make_user("Cus Tomer", at=None)
    booking = await make_booking(None, customer, organization_id=org_id)
    await CapacitySchedule.create(
        organization_id=org_id,
        capability_id=capability_id,
        booking=booking,
        start_time=start,
        end_time=start + timedelta(hours=2),
        units=units,
        is_reserved=True,
    )
    return booking.id


async def test_a_manager_blocks_a_whole_lift_and_the_facility_hears_of_it(published: Recorder) -> None:
    owner, org_id, lift = await shop()
    result = await gql(BLOCK, {"c": lift, "r": "Hydraulic service", "u": None, **window()}, token=token(owner))
    block = result["data"]["blockCapacity"]
    assert (block["isBlocked"], block["isReserved"], block["units"]) == (True, False, 0)
    assert block["notes"] == "Hydraulic service"
    assert await CapacitySchedule.filter(capability_id=lift, is_blocked=True).count() == 1
    [event] = published.on(channels.capacity(org_id))
    assert event["capabilityIds"] == [lift] and event["days"] == ["2026-12-07"] and event["reason"] == "blocked"

    # The capability is now out of service then: a second block of one unit no longer fits.
    again = await gql(BLOCK, {"c": lift, "r": "Again", "u": 1, **window()}, token=token(owner))
    assert error_codes(again) == ["CAPACITY_UNAVAILABLE"]


async def test_a_block_never_takes_capacity_a_booking_holds() -> None:
    owner, org_id, lift = await shop(quantity=2)
    booking_id = await reserve(org_id, lift, units=1)

    whole = await gql(BLOCK, {"c": lift, "r": "Repaint the floor", "u": None, **window()}, token=token(owner))
    assert error_codes(whole) == ["CAPACITY_UNAVAILABLE"]
    assert whole["errors"][0]["extensions"]["details"]["bookingIds"] == [booking_id]
    assert await CapacitySchedule.filter(capability_id=lift, is_blocked=True).count() == 0  # nothing written

    # One of the two lifts is free alongside the booking, and after it both are.
    one = await gql(BLOCK, {"c": lift, "r": "Lift 2 seals", "u": 1, **window()}, token=token(owner))
    assert one["data"]["blockCapacity"]["units"] == 1
    later = await gql(
        BLOCK,
        {"c": lift, "r": "Annual check", "u": None, **window(start=MONDAY_9 + timedelta(hours=5))},
        token=token(owner),
    )
    assert later["data"]["blockCapacity"]["units"] == 0


async def test_only_the_facility_managers_block_and_bad_input_is_named() -> None:
    owner, org_id, lift = await shop()
    staff, stranger = await make_user("Sta Ff", at=None), await make_user("Stran Ger", at=None)
    await make_member(await Organization.get(id=org_id), staff, MemberRole.STAFF)
    variables = {"c": lift, "r": "Service", "u": None, **window()}
    assert error_codes(await gql(BLOCK, variables, token=token(staff))) == ["FORBIDDEN"]
    assert error_codes(await gql(BLOCK, variables, token=token(stranger))) == ["NOT_FOUND"]

    backwards = await gql(BLOCK, {**variables, "e": variables["s"]}, token=token(owner))
    assert error_codes(backwards) == ["BAD_INPUT"] and backwards["errors"][0]["extensions"]["field"] == "end"
    unsaid = await gql(BLOCK, {**variables, "r": "  "}, token=token(owner))
    assert unsaid["errors"][0]["extensions"]["field"] == "reason"
    too_many = await gql(BLOCK, {**variables, "u": 3}, token=token(owner))
    assert too_many["errors"][0]["extensions"]["field"] == "units"
    assert await CapacitySchedule.filter(capability_id=lift).count() == 0
