"""Maintenance blocks: a facility manager takes some or all of a capability out of service for a while.

A block is a `capacity_schedule` row with `is_blocked`; quoting and utilization already count it (units 0
means the whole capability). Blocking what is already reserved would leave those bookings without the
capacity they hold, so the block is refused then, naming the bookings; the check and the insert happen under
the capability's row lock, in the order acceptance takes it, so a concurrent accept cannot slip in between.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from tortoise.transactions import in_transaction

from app.errors import DomainError, ErrorCode, bad_input, not_found
from app.events import PendingEvents
from app.services import booking_events, locks
from app.services.access import Viewer
from app.services.coordination.availability import load_capability_busy
from app.services.coordination.working_hours import days_between, local_date
from models import CapacitySchedule, Organization, OrganizationCapability
from models.enums import CapabilityType, ResourceType

MAX_BLOCK = timedelta(days=366)
REASON_MAX = 200
# Presence capabilities (compressor, electrical, tools) hold no reservations: a block only marks them out of service.
PRESENCE = frozenset({CapabilityType.AIR_COMPRESSOR, CapabilityType.ELECTRICAL_SYSTEM, CapabilityType.SPECIALTY_TOOLS})


async def block_capacity(
    *,
    viewer: Viewer,
    capability_id: int,
    start: datetime,
    end: datetime,
    reason: str,
    units: int | None = None,
) -> CapacitySchedule:
    """Block `units` of the capability (None: all of it) over [start, end) for `reason`."""
    viewer.require_user()
    capability = await OrganizationCapability.get_or_none(id=capability_id)
    if capability is None or not viewer.is_member(capability.organization_id):
        raise not_found("Capability", capability_id, field="capabilityId")
    viewer.require_manager(capability.organization_id)
    if start.tzinfo is None or end.tzinfo is None:
        raise bad_input("start", "Give start and end with their UTC offset")
    start, end = start.astimezone(UTC), end.astimezone(UTC)
    if end <= start:
        raise bad_input("end", "The block must end after it starts")
    if end - start > MAX_BLOCK:
        raise bad_input("end", "A block can last at most a year")
    reason = reason.strip()
    if not reason or len(reason) > REASON_MAX:
        raise bad_input("reason", f"Say why, in 1 to {REASON_MAX} characters")
    if units is not None and not 1 <= units <= capability.quantity:
        raise bad_input("units", f"Block between 1 and {capability.quantity} (or leave it empty for all)")

    organization = await Organization.get(id=capability.organization_id).only("id", "timezone")
    zone = ZoneInfo(organization.timezone)
    events = PendingEvents()
    async with in_transaction():
        await locks.capabilities_lock([capability.id])
        if CapabilityType(capability.capability_type) not in PRESENCE:
            busy = (await load_capability_busy([capability.id], start, end)).get(capability.id)
            wanted = capability.quantity if units is None else units
            if busy is not None and busy.peak(start, end) + wanted > capability.quantity:
                raise await _conflict(capability.id, start, end)
        block = await CapacitySchedule.create(
            organization_id=capability.organization_id,
            capability_id=capability.id,
            resource_type=ResourceType.FACILITY_CAPABILITY,
            start_time=start,
            end_time=end,
            units=units or 0,
            date=start.astimezone(zone).date(),
            is_blocked=True,
            is_reserved=False,
            notes=reason,
        )
        await booking_events.capacity_event(
            events,
            organization_id=capability.organization_id,
            capability_ids=[capability.id],
            days=days_between(local_date(start, zone), local_date(end - timedelta(microseconds=1), zone)),
            booking_id=None,
            reason="blocked",
        )
    await events.flush()
    return block


async def _conflict(capability_id: int, start: datetime, end: datetime) -> DomainError:
    rows = await CapacitySchedule.filter(
        capability_id=capability_id, start_time__lt=end, end_time__gt=start
    ).values_list("booking_id", "is_blocked")
    bookings = sorted({b for b, _ in rows if b is not None})
    blocked = any(is_blocked for _, is_blocked in rows)
    what = f"bookings {', '.join(f'#{b}' for b in bookings)} hold" if bookings else "another block holds"
    return DomainError(
        ErrorCode.CAPACITY_UNAVAILABLE,
        f"Not enough of it is free then: {what} part of it. Pick another time or fewer units.",
        field="start",
        details={"bookingIds": bookings, "blocked": blocked},
    )
