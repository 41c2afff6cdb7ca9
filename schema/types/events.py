"""The objects pushed by subscriptions: ids and the change, plus the re-read booking or offer."""

from __future__ import annotations

from datetime import date
from enum import Enum

import strawberry

from schema.enums import BookingStatus
from schema.types.booking import JobOffer, ServiceBooking


@strawberry.enum(description="What happened to a job offer.")
class JobOfferChange(Enum):
    NEW = "new"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"
    ACCEPTED = "accepted"
    DECLINED = "declined"


@strawberry.type(
    description="Capacity of an organization changed on `days` (empty: every day); re-read utilization for them. "
    'reason "resync" (empty lists) means events may have been missed: re-read everything shown.'
)
class CapacityChange:
    event_id: str
    organization_id: strawberry.ID
    capability_ids: list[strawberry.ID]
    days: list[date]
    booking_id: strawberry.ID | None
    reason: str


@strawberry.type(description="A booking moved along its lifecycle; `booking` is read when the event is sent.")
class BookingStatusEvent:
    event_id: str
    previous_status: BookingStatus | None
    status: BookingStatus
    booking: ServiceBooking


@strawberry.type(description="One of the viewer's job offers changed; `offer` is read when the event is sent.")
class JobOfferEvent:
    event_id: str
    change: JobOfferChange
    offer: JobOffer
