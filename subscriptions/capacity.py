"""capacityChanged: an organization's capacity events, for its members and admins only."""

from __future__ import annotations

import uuid
from collections.abc import AsyncGenerator
from contextlib import aclosing
from datetime import date
from uuid import UUID

from app import channels
from app.broadcast import Resync
from app.errors import not_found
from models import Organization
from schema.context import Context
from schema.ids import global_id, optional_global_id
from schema.types.events import CapacityChange
from subscriptions.stream import payloads
from subscriptions.viewer import access_of, subscriber

RESYNC_REASON = "resync"


async def capacity_changes(context: Context, organization_id: uuid.UUID) -> AsyncGenerator[CapacityChange, None]:
    viewer = await subscriber(context)
    viewer.require_member(organization_id)
    if not await Organization.exists(id=organization_id):
        raise not_found("Organization", organization_id, field="organizationId")
    access = access_of(context, viewer, organization_id=organization_id)
    async with aclosing(payloads(channels.capacity(organization_id), access=access)) as stream:
        async for item in stream:
            if isinstance(item, Resync):
                # What changed meanwhile is unknown: the client re-reads the utilization it shows.
                yield CapacityChange(
                    event_id=uuid.uuid4().hex,
                    organization_id=global_id("Organization", organization_id),
                    capability_ids=[],
                    days=[],
                    booking_id=None,
                    reason=RESYNC_REASON,
                )
                continue
            payload = item.payload
            if payload is None:
                continue
            yield CapacityChange(
                event_id=str(payload.get("eventId") or uuid.uuid4().hex),
                organization_id=global_id("Organization", organization_id),
                capability_ids=[
                    global_id("OrganizationCapability", UUID(str(i))) for i in payload.get("capabilityIds") or []
                ],
                days=[date.fromisoformat(d) for d in payload.get("days") or []],
                booking_id=optional_global_id("ServiceBooking", payload.get("bookingId")),
                reason=str(payload.get("reason") or ""),
            )
