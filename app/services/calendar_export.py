"""iCalendar (RFC 5545) feeds of reserved work: one per facility, one per laborer."""

from __future__ import annotations

from datetime import UTC, datetime

from icalendar import Calendar, Event

from app.errors import forbidden, not_found
from app.services.access import Viewer
from models import CapacitySchedule, Organization, OrganizationCapability, ServiceBooking, User
from models.enums import ResourceType

PRODID = "-//N-Zero Coordination//Reserved work//EN"


async def organization_feed(*, viewer: Viewer, organization_id: int) -> bytes:
    viewer.require_member(organization_id)
    organization = await Organization.get_or_none(id=organization_id)
    if organization is None:
        raise not_found("Organization", organization_id)
    rows = await CapacitySchedule.filter(
        organization_id=organization_id, resource_type=ResourceType.FACILITY_CAPABILITY, is_reserved=True
    ).order_by("start_time")
    capabilities = {c.id: c for c in await OrganizationCapability.filter(organization_id=organization_id)}
    return await _feed(f"{organization.name} — reserved capacity", rows, lambda r: _capability_name(capabilities, r))


async def labor_feed(*, viewer: Viewer, user_id: int) -> bytes:
    viewer.require_user()
    if not viewer.is_self(user_id):
        raise forbidden("This is someone else's calendar")
    user = await User.get_or_none(id=user_id)
    if user is None:
        raise not_found("User", user_id)
    rows = await CapacitySchedule.filter(
        user_id=user_id, resource_type=ResourceType.USER_LABOR, is_reserved=True
    ).order_by("start_time")
    return await _feed(f"{user.full_name} — assigned work", rows, lambda r: "Assigned work")


def _capability_name(capabilities: dict[int, OrganizationCapability], row: CapacitySchedule) -> str:
    capability = None if row.capability_id is None else capabilities.get(row.capability_id)
    if capability is None:
        return "Reserved capacity"
    label = capability.name or str(capability.capability_type).replace("_", " ")
    return f"{label} ×{row.units}" if row.units > 1 else label


async def _feed(title: str, rows: list[CapacitySchedule], label: object) -> bytes:
    booking_ids = {r.booking_id for r in rows if r.booking_id}
    bookings = {b.id: b for b in await ServiceBooking.filter(id__in=list(booking_ids))}
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", title)
    stamp = datetime.now(UTC)
    for row in rows:
        booking = None if row.booking_id is None else bookings.get(row.booking_id)
        event = Event()
        event.add("uid", f"capacity-{row.id}@nzero")
        event.add("dtstamp", stamp)
        event.add("dtstart", row.start_time)
        event.add("dtend", row.end_time)
        what = label(row) if callable(label) else str(label)
        event.add("summary", f"{what} — booking #{booking.id} ({booking.service_type})" if booking else what)
        if booking is not None:
            event.add("description", f"Status: {booking.status}. {booking.customer_notes}".strip())
        calendar.add_component(event)
    feed: bytes = calendar.to_ical()
    return feed
