"""bookingStatusChanged: one booking, an organization's bookings, or (neither given) the viewer's own.

Each event re-reads the booking through loaders fresh for that event (shared by all its subscribers: rows only)
and re-checks with the subscriber's own viewer that it may see it. The booking channels also carry contract and
payment events (they have a "type"); only status moves (they carry "previousStatus") are sent here.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncGenerator
from contextlib import aclosing
from datetime import datetime
from typing import Any
from uuid import UUID

import models
from app import channels
from app.broadcast import Message, Resync
from app.errors import not_found
from app.services.access import Viewer
from models.enums import BookingStatus
from schema.context import Context
from schema.types.base import from_row
from schema.types.booking import ServiceBooking
from schema.types.events import BookingStatusEvent
from subscriptions.stream import event_loaders, payloads
from subscriptions.viewer import access_of, fresh_event_scope, subscriber

RESYNC_LIMIT = 500  # status history rows read after a reconnect, at most


async def booking_status_events(
    context: Context, booking_id: UUID | None, organization_id: UUID | None
) -> AsyncGenerator[BookingStatusEvent, None]:
    viewer = await subscriber(context)
    user = viewer.require_user()
    scope: dict[str, Any]
    if booking_id is not None:
        row = await models.ServiceBooking.get_or_none(id=booking_id)
        # Not seen (or not of that organization): NOT_FOUND, as for an id that exists nowhere.
        if row is None or (organization_id is not None and row.organization_id != organization_id):
            raise not_found("Booking", booking_id, field="bookingId")
        if not await _may_see(viewer, row):
            raise not_found("Booking", booking_id, field="bookingId")
        channel, scope = channels.booking(booking_id), {"booking_id": booking_id}
        # Seen as a member (or admin) rather than as its customer or laborer: that right is re-checked too.
        through = row.organization_id if row.customer_id != user.id and viewer.is_member(row.organization_id) else None
        access = access_of(context, viewer, organization_id=through)
    elif organization_id is not None:
        viewer.require_member(organization_id)
        channel, scope = channels.organization_bookings(organization_id), {"booking__organization_id": organization_id}
        access = access_of(context, viewer, organization_id=organization_id)
    else:
        channel, scope = channels.customer_bookings(user.id), {"booking__customer_id": user.id}
        access = access_of(context, viewer)
    async with aclosing(payloads(channel, access=access)) as stream:
        async for item in stream:
            if isinstance(item, Resync):
                async for missed in _missed(context, viewer, scope, item.since):
                    yield missed
                continue
            payload = item.payload
            if payload is None or "previousStatus" not in payload or "type" in payload:
                continue
            event = await _event(context, viewer, item)
            if event is not None:
                yield event


async def _event(context: Context, viewer: Viewer, message: Message) -> BookingStatusEvent | None:
    payload = message.payload
    assert payload is not None  # payloads() yields decoded messages only
    fresh = fresh_event_scope(context, viewer, event_loaders(message))
    row = await context.loaders.one(models.ServiceBooking, UUID(str(payload["bookingId"])))
    if row is None or not await _may_see(fresh, row):
        return None
    previous = payload.get("previousStatus")
    return BookingStatusEvent(
        event_id=str(payload.get("eventId") or uuid.uuid4().hex),
        previous_status=BookingStatus(previous) if previous else None,
        status=BookingStatus(payload["status"]),
        booking=from_row(ServiceBooking, row),
    )


async def _missed(
    context: Context, viewer: Viewer, scope: dict[str, Any], since: datetime
) -> AsyncGenerator[BookingStatusEvent, None]:
    """After a lost connection: one event per booking in scope whose status moved since `since`,
    from its first missed previous status to its current one."""
    history = (
        await models.BookingStatusHistory.filter(created_at__gte=since, **scope)
        .order_by("created_at", "id")
        .limit(RESYNC_LIMIT)
        .values_list("booking_id", "from_status")
    )
    first_previous: dict[UUID, str | None] = {}
    for booking_id, from_status in history:
        first_previous.setdefault(UUID(str(booking_id)), from_status)
    for booking_id, previous in first_previous.items():
        fresh = fresh_event_scope(context, viewer)
        row = await context.loaders.one(models.ServiceBooking, booking_id)
        if row is None or not await _may_see(fresh, row):
            continue
        yield BookingStatusEvent(
            event_id=uuid.uuid4().hex,
            previous_status=BookingStatus(previous) if previous else None,
            status=BookingStatus(row.status),
            booking=from_row(ServiceBooking, row),
        )


async def _may_see(viewer: Viewer, row: models.ServiceBooking) -> bool:
    return await viewer.can_see_booking(
        booking_id=row.id,
        customer_id=row.customer_id,
        organization_id=row.organization_id,
    )
