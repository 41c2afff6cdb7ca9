"""Status history rows and the event payloads of bookings, capacity and job offers (one place for each shape)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

from tortoise.expressions import F, Subquery

from app import channels, settings
from app.errors import not_found
from app.events import PendingEvents
from app.services.coordination import staffing
from app.services.coordination.matching import Assignment
from models import BookingStatusHistory, JobOffer, Organization, ServiceBooking, User
from models.enums import BookingStatus


async def locked_booking(booking_id: UUID) -> ServiceBooking:
    """The booking, locked for the rest of the caller's transaction (FOR UPDATE on PostgreSQL)."""
    booking = await ServiceBooking.select_for_update().get_or_none(id=booking_id)
    if booking is None:
        raise not_found("Booking", booking_id, field="bookingId")
    return booking


async def move(
    booking: ServiceBooking,
    to_status: BookingStatus,
    *,
    by_user_id: UUID | None,
    events: PendingEvents,
    reason: str = "",
) -> None:
    """Set the status, record (who, from, to, when) and queue the status event; call inside the transaction."""
    previous = BookingStatus(booking.status) if booking.status else None
    booking.status = to_status
    await booking.save(update_fields=["status", "updated_at"])
    await BookingStatusHistory.create(
        booking_id=booking.id, from_status=previous, to_status=to_status, changed_by_id=by_user_id, reason=reason
    )
    if to_status is BookingStatus.COMPLETED and not await _completed_before(booking.id):
        await count_completion(booking)
    await status_event(events, booking, previous)


async def _completed_before(booking_id: UUID) -> bool:
    """True when this booking was already completed once (then disputed and finished again): count it once."""
    return await BookingStatusHistory.filter(booking_id=booking_id, to_status=BookingStatus.COMPLETED).count() > 1


async def count_completion(booking: ServiceBooking) -> None:
    """A finished job counts for the facility and for each person who worked on it (ranking and confidence)."""
    await Organization.filter(id=booking.organization_id).update(completed_jobs=F("completed_jobs") + 1)
    workers = staffing.accepted_offers(booking.id).values_list("user_id", flat=True)
    await User.filter(id__in=Subquery(workers)).update(completed_jobs=F("completed_jobs") + 1)


async def record_path(
    booking: ServiceBooking, path: list[BookingStatus], *, by_user_id: UUID | None, events: PendingEvents
) -> None:
    """Record a new booking's statuses from nothing along `path` (one insert) and queue an event per step."""
    steps = list(zip([None, *path[:-1]], path, strict=True))
    await BookingStatusHistory.bulk_create(
        [
            BookingStatusHistory(booking_id=booking.id, from_status=before, to_status=to, changed_by_id=by_user_id)
            for before, to in steps
        ]
    )
    await events.add_all(item for before, to in steps for item in _status_items(booking, before, to))


async def status_event(events: PendingEvents, booking: ServiceBooking, previous: BookingStatus | None) -> None:
    await events.add_all(_status_items(booking, previous, BookingStatus(booking.status)))


def _status_items(
    booking: ServiceBooking, previous: BookingStatus | None, status: BookingStatus
) -> list[tuple[str, dict[str, Any]]]:
    """A status move's event on the booking's, the facility's and the customer's channels."""
    org_id: UUID | None = booking.organization_id
    customer_id: UUID = booking.customer_id
    payload = {
        "bookingId": booking.id,
        "organizationId": org_id,
        "customerId": customer_id,
        "previousStatus": previous.value if previous else None,
        "status": status.value,
    }
    org_channel = [] if org_id is None else [channels.organization_bookings(org_id)]
    return [
        (channel, payload)
        for channel in [channels.booking(booking.id), *org_channel, channels.customer_bookings(customer_id)]
    ]


async def capacity_event(
    events: PendingEvents,
    *,
    organization_id: UUID,
    capability_ids: Iterable[UUID],
    days: Iterable[date],
    booking_id: UUID | None,
    reason: str,
) -> None:
    await events.add(
        channels.capacity(organization_id),
        {
            "organizationId": organization_id,
            "capabilityIds": sorted(set(capability_ids)),
            "days": sorted({d.isoformat() for d in days}),
            "bookingId": booking_id,
            "reason": reason,
        },
    )


async def new_offer(
    booking_id: UUID, assignment: Assignment, *, rank: int, amount_cents: int, now: datetime, events: PendingEvents
) -> JobOffer:
    """Offer an assigned person their part of a booking (open for JOB_OFFER_TTL_MINUTES) and queue the event."""
    offer = await JobOffer.create(
        booking_id=booking_id,
        user_id=assignment.user_id,
        role=assignment.role,
        rank=rank,
        hours=assignment.hours,
        amount_cents=amount_cents,
        expires_at=now + timedelta(minutes=settings.JOB_OFFER_TTL_MINUTES),
    )
    await offer_event(events, offer, "new")
    return offer


async def offer_event(events: PendingEvents, offer: JobOffer, change: str) -> None:
    user_id: UUID = offer.user_id
    booking_id: UUID = offer.booking_id
    await events.add(
        channels.job_offers(user_id),
        {"offerId": offer.id, "bookingId": booking_id, "userId": user_id, "change": change},
    )
