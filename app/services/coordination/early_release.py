"""A job finished early gives back what it still held: its reservations after the moment of completion."""

from __future__ import annotations

from datetime import datetime

from app.events import PendingEvents
from app.services import booking_events
from app.services.coordination.availability import block_hours
from app.services.coordination.working_hours import days_between, local_date, zone
from models import CapacitySchedule, Organization, ServiceBooking


async def release_remaining(booking: ServiceBooking, *, now: datetime, events: PendingEvents) -> int:
    """Inside the completion's transaction: delete the booking's capability and labor rows that start after
    `now`, end the ones under way at `now`, and queue one capacity event for the days freed. Returns how
    many rows gave time back."""
    org_id: int | None = booking.organization_id
    rows = await CapacitySchedule.filter(booking_id=booking.id, end_time__gt=now).values_list(
        "id", "capability_id", "start_time", "end_time"
    )
    if not rows or org_id is None:
        return 0
    future = [row_id for row_id, _, start, _ in rows if start >= now]
    if future:
        await CapacitySchedule.filter(id__in=future).delete()
    for row_id, _, start, _ in rows:
        if start < now:  # under way: it ends now
            await CapacitySchedule.filter(id=row_id).update(end_time=now, duration_hours=block_hours([(start, now)]))
    timezones = await Organization.filter(id=org_id).values_list("timezone", flat=True)
    tz = zone(str(timezones[0]) if timezones else "UTC")
    days = {d for _, _, start, end in rows for d in days_between(local_date(max(start, now), tz), local_date(end, tz))}
    await booking_events.capacity_event(
        events,
        organization_id=org_id,
        capability_ids=[cap_id for _, cap_id, _, _ in rows if cap_id is not None],
        days=days,
        booking_id=booking.id,
        reason="completed_early",
    )
    return len(rows)
