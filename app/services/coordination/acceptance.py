"""Accepting a quote: lock, re-check and reserve capacity and labor in one transaction (docs/capacity.md).

Locks are taken in one global order — the booking row, then capability rows by id, then user rows by id —
so concurrent accepts and offer cascades never deadlock. On SQLite select_for_update is a no-op, but
tortoise runs each transaction alone on its single connection, and the re-check happens inside it.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from app.errors import DomainError, ErrorCode, forbidden
from app.events import PendingEvents
from app.services import booking_events, contracts, locks
from app.services.access import Viewer
from app.services.coordination import availability, matching, planning, quoting
from app.services.coordination.plan import Quote
from app.services.coordination.reservations import labor_rows, still_available
from app.services.coordination.staffing_changes import staffing_changes
from app.services.coordination.working_hours import days_between, local_date
from models import (
    CapacitySchedule,
    OrganizationService,
    ServiceBooking,
)
from models.enums import BookingStatus, ResourceType

log = logging.getLogger("nzero.reservations")


class CapacityTaken(Exception):
    """Raised inside the transaction to roll it back when the plan no longer fits."""


async def accept_quote(*, viewer: Viewer, booking_id: int, now: datetime | None = None) -> ServiceBooking:
    """Reserve the quote's capacity and labor, create job offers and the contract; all or nothing."""
    user = viewer.require_user()
    now = now or datetime.now(UTC)
    events = PendingEvents()
    try:
        async with in_transaction():
            booking = await booking_events.locked_booking(booking_id)
            await viewer.require_sees_booking(booking, kind="Booking", ident=booking_id, field="bookingId")
            if booking.customer_id != user.id:
                raise forbidden("Only the booking's customer may accept its quote")
            if booking.status != BookingStatus.QUOTE_READY:
                raise DomainError(
                    ErrorCode.INVALID_TRANSITION,
                    f"Only a quote_ready booking can be accepted (this one is {booking.status})",
                    details={"from": str(booking.status), "to": BookingStatus.QUOTE_ACCEPTED.value},
                )
            if booking.quote_expires_at is not None and booking.quote_expires_at <= now:
                raise DomainError(ErrorCode.QUOTE_EXPIRED, "This quote has expired; request a new one")
            await _reserve(booking, user.id, now, events)
    except (CapacityTaken, IntegrityError) as taken:
        if isinstance(taken, IntegrityError) and not locks.is_person_overlap(taken):
            raise
        reason = str(taken) if isinstance(taken, CapacityTaken) else "a person of the plan was booked meanwhile"
        alternative = await fresh_alternative(booking_id, now=now)
        details: dict[str, Any] = {"reason": reason}
        if alternative is not None:
            details["alternative"] = alternative
        raise DomainError(
            ErrorCode.CAPACITY_UNAVAILABLE,
            "The quoted capacity or labor was taken meanwhile; nothing was reserved",
            details=details,
        ) from None
    await events.flush()
    return booking


async def _reserve(booking: ServiceBooking, by_user_id: int, now: datetime, events: PendingEvents) -> None:
    quote = Quote.of(booking)
    plan = quote.plan
    org_id = booking.organization_id
    if org_id is None:  # a quote always names its facility
        raise CapacityTaken("the quote names no facility")
    blocks = plan.blocks
    days = plan.days
    roles = plan.ranked_roles()
    cap_ids = sorted({b.capability_id for b in blocks})
    caps = {c.id: c for c in await locks.capabilities_lock(cap_ids)}
    user_ids = sorted({c.person.user_id for _, ranked in roles for c in ranked})
    if user_ids:
        await locks.lock_people(user_ids)
        roles = await still_available(roles)

    # Re-check under the locks: the rows read now include every commit that held them before us.
    start, end = plan.span()
    busy = await availability.load_capability_busy(cap_ids, start, end)
    tz = plan.tz
    for block in blocks:
        cap = caps.get(block.capability_id)
        if cap is None:
            raise CapacityTaken("a capability of the plan no longer exists")
        snapshot = availability.Capability.of(cap)
        # Every local day the block touches (a storage stay spans several), not only its first.
        last_day = local_date(block.end - timedelta(microseconds=1), tz)
        touched = days_between(local_date(block.start, tz), last_day)
        if not snapshot.hours.is_operational or any(snapshot.hours.in_maintenance(day) for day in touched):
            raise CapacityTaken(f"{cap.capability_type} is out of service in the quoted window")
        if not busy.get(cap.id, availability.Busy()).fits(block.start, block.end, block.units, cap.quantity):
            raise CapacityTaken(f"{cap.capability_type} is fully reserved in the quoted window")

    labor_busy = await availability.load_labor_busy(user_ids, start, end)
    assignments = matching.assign_roles(
        [r for r, _ in roles], {r.skill_category: ranked for r, ranked in roles}, days, labor_busy, timezone=str(tz)
    )
    if assignments is None:
        raise CapacityTaken("the qualified people are no longer free in the quoted window")

    rows = [
        CapacitySchedule(
            organization_id=org_id,
            resource_type=ResourceType.FACILITY_CAPABILITY,
            capability_id=b.capability_id,
            booking_id=booking.id,
            date=local_date(b.start, tz),
            start_time=b.start,
            end_time=b.end,
            units=b.units,
            is_reserved=True,
        )
        for b in blocks
    ]
    rows += labor_rows(org_id, booking.id, [a for group in assignments.values() for a in group], tz)
    if rows:
        await CapacitySchedule.bulk_create(rows)

    booking.staffing_changes = [c.to_json() for c in staffing_changes(plan, assignments, roles)]
    staffed = quote.staffed_by(assignments)
    await booking.save(update_fields=[*staffed.write_to(booking), "staffing_changes", "updated_at"])
    await booking_events.move(booking, BookingStatus.QUOTE_ACCEPTED, by_user_id=by_user_id, events=events)
    for group in assignments.values():
        for rank, a in enumerate(group, start=1):
            amount = staffed.breakdown.amount_of(a.user_id, a.role) if staffed.breakdown else 0
            await booking_events.new_offer(booking.id, a, rank=rank, amount_cents=amount, now=now, events=events)
    await contracts.create_contract(booking=booking)
    await booking_events.capacity_event(
        events,
        organization_id=org_id,
        capability_ids=cap_ids,
        days=[d.day for d in days],
        booking_id=booking.id,
        reason="reserved",
    )


async def fresh_alternative(booking_id: int, *, now: datetime) -> dict[str, Any] | None:
    """The earliest option at the same facility for the same request, as of now (read-only)."""
    booking = await ServiceBooking.get_or_none(id=booking_id).select_related("vehicle")
    if booking is None or booking.service_id is None:
        return None
    service = await OrganizationService.get_or_none(id=booking.service_id).select_related("organization")
    if service is None:
        return None
    try:
        options, _ = await planning.find_options([service], quoting.search_for(booking, now))
    except DomainError:
        return None
    return quoting.alternative_json(options[0]) if options else None
