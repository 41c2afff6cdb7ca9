"""The capacity invariant as a sweep over capacity_schedule, for the race tests (docs/capacity.md).

No capability holds more units than its quantity at any instant; no person has two reserved labor blocks that
overlap, whichever facilities and bookings they belong to.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from datetime import datetime

from models import CapacitySchedule, OrganizationCapability
from models.enums import ResourceType


async def overlapping_people() -> list[tuple[int, datetime]]:
    """(user id, instant) for every pair of one person's reserved labor blocks that overlap."""
    by_user: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)
    rows = await CapacitySchedule.filter(is_reserved=True, resource_type=ResourceType.USER_LABOR).values_list(
        "user_id", "start_time", "end_time"
    )
    for user_id, start, end in rows:
        by_user[user_id].append((start, end))
    found = []
    for user_id, spans in by_user.items():
        spans.sort()
        for (_, end1), (start2, _) in itertools.pairwise(spans):
            if start2 < end1:
                found.append((user_id, start2))
    return found


async def capabilities_over_capacity() -> list[tuple[int, datetime, int]]:
    """(capability id, instant, units held) wherever reservations exceed the capability's quantity."""
    quantity = dict(await OrganizationCapability.all().values_list("id", "quantity"))
    by_cap: dict[int, list[tuple[datetime, datetime, int]]] = defaultdict(list)
    rows = await CapacitySchedule.filter(is_reserved=True, resource_type=ResourceType.FACILITY_CAPABILITY).values_list(
        "capability_id", "start_time", "end_time", "units"
    )
    for cap_id, start, end, units in rows:
        by_cap[cap_id].append((start, end, units))
    found = []
    for cap_id, intervals in by_cap.items():
        for start, _, _ in intervals:
            held = sum(u for s, e, u in intervals if s <= start < e)
            if held > quantity[cap_id]:
                found.append((cap_id, start, held))
    return found


async def assert_invariant() -> None:
    people = await overlapping_people()
    assert not people, f"double-booked people (user, at): {people[:5]}"
    over = await capabilities_over_capacity()
    assert not over, f"capabilities over capacity (capability, at, units): {over[:5]}"
