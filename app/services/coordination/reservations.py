"""The capacity and labor rows a booking holds: written at acceptance and by the cascade, released on cancel."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from zoneinfo import ZoneInfo

from app.events import PendingEvents
from app.services import booking_events
from app.services.coordination import matching
from app.services.coordination.plan import plan_of
from app.services.coordination.working_hours import local_date
from models import CapacitySchedule, ServiceBooking, UserSkill
from models.enums import ResourceType


async def release(booking: ServiceBooking, *, events: PendingEvents, reason: str = "released") -> int:
    """Delete every reservation of the booking (call inside the caller's transaction); returns how many."""
    rows = await CapacitySchedule.filter(booking_id=booking.id).values_list("capability_id", "start_time")
    if not rows:
        return 0
    deleted = await CapacitySchedule.filter(booking_id=booking.id).delete()
    org_id: int | None = booking.organization_id
    if org_id is not None:
        tz = plan_of(booking).tz
        await booking_events.capacity_event(
            events,
            organization_id=org_id,
            capability_ids=[c for c, _ in rows if c is not None],
            days=[local_date(s, tz) for _, s in rows],
            booking_id=booking.id,
            reason=reason,
        )
    return int(deleted)


def labor_rows(
    org_id: int, booking_id: int, assignments: Iterable[matching.Assignment], tz: ZoneInfo
) -> list[CapacitySchedule]:
    """The people's reserved blocks (bulk-created: `date` is given here, resource_id and duration_hours derived)."""
    return [
        CapacitySchedule(
            organization_id=org_id,
            resource_type=ResourceType.USER_LABOR,
            user_id=a.user_id,
            booking_id=booking_id,
            date=local_date(s, tz),
            start_time=s,
            end_time=e,
            units=1,
            is_reserved=True,
        )
        for a in assignments
        for s, e in a.blocks
    ]


async def still_available(
    roles: list[tuple[matching.Role, list[matching.Candidate]]],
) -> list[tuple[matching.Role, list[matching.Candidate]]]:
    """The ranked candidates who are still active and available for the role's skill, with the bounds their skill
    row sets now (weekly hours, schedule, minimum job): one query."""
    ids = sorted({c.person.user_id for _, ranked in roles for c in ranked})
    rows = await UserSkill.filter(user_id__in=ids, is_available=True, user__is_active=True).values_list(
        "user_id", "skill_category", *matching.BOUND_COLUMNS
    )
    bounds = {(int(u), str(cat)): matching.bounds_of(*rest) for u, cat, *rest in rows}
    return [
        (
            r,
            [
                replace(c, person=replace(c.person, bounds=bounds[key]))
                for c in ranked
                if (key := (c.person.user_id, r.skill_category.value)) in bounds
            ],
        )
        for r, ranked in roles
    ]
