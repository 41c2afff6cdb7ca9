"""Root subscription fields (graphql-transport-ws and graphql-ws at /graphql; token in connection_init).

Each layer closes the generator it reads (aclosing): an interrupted `async for` does not, and the
hub subscription underneath must be released as soon as the client stops.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from contextlib import aclosing

import strawberry

from schema.context import Info
from schema.ids import parse_id, parse_optional_id
from schema.types.events import BookingStatusEvent, CapacityChange, JobOfferEvent
from subscriptions.bookings import booking_status_events
from subscriptions.capacity import capacity_changes
from subscriptions.offers import job_offer_events


@strawberry.type
class RealtimeSubscription:
    @strawberry.subscription(description="Capacity changes of an organization (its members and admins only).")
    async def capacity_changed(
        self, info: Info, organization_id: strawberry.ID
    ) -> AsyncGenerator[CapacityChange, None]:
        key = parse_id(organization_id, "Organization", field="organizationId")
        async with aclosing(capacity_changes(info.context, key)) as events:
            async for event in events:
                yield event

    @strawberry.subscription(
        description="Status moves of one booking, of an organization's bookings, or (neither given) "
        "of the viewer's own bookings as customer."
    )
    async def booking_status_changed(
        self, info: Info, booking_id: strawberry.ID | None = None, organization_id: strawberry.ID | None = None
    ) -> AsyncGenerator[BookingStatusEvent, None]:
        booking = parse_optional_id(booking_id, "ServiceBooking", field="bookingId")
        organization = parse_optional_id(organization_id, "Organization", field="organizationId")
        async with aclosing(booking_status_events(info.context, booking, organization)) as events:
            async for event in events:
                yield event

    @strawberry.subscription(description="The signed-in person's job offers: new, withdrawn, expired, answered.")
    async def job_offers(self, info: Info) -> AsyncGenerator[JobOfferEvent, None]:
        async with aclosing(job_offer_events(info.context)) as events:
            async for event in events:
                yield event
