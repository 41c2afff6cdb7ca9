"""The booking state machine (docs/architecture.md): who may make which move, and cancellation."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from tortoise.transactions import in_transaction

from app.errors import DomainError, ErrorCode, forbidden, not_found
from app.events import PendingEvents
from app.services import booking_events, contracts
from app.services.access import Viewer
from app.services.coordination import reservations, staffing
from app.services.coordination.early_release import release_remaining
from app.services.coordination.working_hours import local_date, zone
from app.services.payments import holds
from models import Organization, ServiceBooking, WorkContract
from models.enums import BookingStatus, ContractStatus, JobOfferStatus

TRANSITIONS: dict[BookingStatus, frozenset[BookingStatus]] = {
    BookingStatus.QUOTE_REQUESTED: frozenset(
        {BookingStatus.CALCULATING, BookingStatus.QUOTE_READY, BookingStatus.CANCELLED}
    ),
    BookingStatus.CALCULATING: frozenset(
        {BookingStatus.QUOTE_READY, BookingStatus.QUOTE_REQUESTED, BookingStatus.CANCELLED}
    ),
    BookingStatus.QUOTE_READY: frozenset({BookingStatus.QUOTE_ACCEPTED, BookingStatus.CANCELLED}),
    BookingStatus.QUOTE_ACCEPTED: frozenset({BookingStatus.SCHEDULED, BookingStatus.CANCELLED}),
    BookingStatus.SCHEDULED: frozenset({BookingStatus.IN_PROGRESS, BookingStatus.CANCELLED}),
    BookingStatus.IN_PROGRESS: frozenset({BookingStatus.QUALITY_REVIEW, BookingStatus.DISPUTED}),
    BookingStatus.QUALITY_REVIEW: frozenset(
        {BookingStatus.COMPLETED, BookingStatus.IN_PROGRESS, BookingStatus.DISPUTED}
    ),
    BookingStatus.COMPLETED: frozenset({BookingStatus.PAID, BookingStatus.DISPUTED}),
    BookingStatus.PAID: frozenset({BookingStatus.DISPUTED}),
    # Back to work or to completion when the dispute is withdrawn; paid when an admin resolves it (disputes.py).
    BookingStatus.DISPUTED: frozenset({BookingStatus.IN_PROGRESS, BookingStatus.COMPLETED, BookingStatus.PAID}),
    BookingStatus.CANCELLED: frozenset(),
}
CANCELLABLE = frozenset(s for s, targets in TRANSITIONS.items() if BookingStatus.CANCELLED in targets)
FACILITY_MOVES = frozenset(
    {BookingStatus.IN_PROGRESS, BookingStatus.QUALITY_REVIEW, BookingStatus.COMPLETED, BookingStatus.DISPUTED}
)
CUSTOMER_MOVES = frozenset({BookingStatus.DISPUTED})


def may_move(viewer: Viewer, booking: ServiceBooking, to: BookingStatus) -> bool:
    """Who may make a work move: the facility's managers its work statuses, the customer a dispute, admins both.
    (Whether the booking's status allows the move is check_transition's question.)"""
    org_id = booking.organization_id
    is_customer = viewer.user is not None and booking.customer_id == viewer.user.id
    return viewer.is_admin or (
        (org_id is not None and viewer.can_manage(org_id) and to in FACILITY_MOVES)
        or (is_customer and to in CUSTOMER_MOVES)
    )


def may_cancel(viewer: Viewer, booking: ServiceBooking) -> bool:
    """The customer, the facility's managers and admins may cancel (while the status allows it)."""
    org_id = booking.organization_id
    is_customer = viewer.user is not None and booking.customer_id == viewer.user.id
    return is_customer or viewer.is_admin or (org_id is not None and viewer.can_manage(org_id))


def check_transition(current: BookingStatus, to: BookingStatus) -> None:
    allowed = TRANSITIONS[current]
    if to not in allowed:
        names = ", ".join(sorted(a.value for a in allowed)) or "none"
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            f"A {current.value} booking cannot move to {to.value}; allowed: {names}",
            field="status",
            details={"from": current.value, "to": to.value, "allowed": sorted(a.value for a in allowed)},
        )


async def update_booking_status(
    *, viewer: Viewer, booking_id: int, status: BookingStatus, reason: str = ""
) -> ServiceBooking:
    """Move a booking along the state machine: the facility moves work statuses, the customer may dispute,
    an admin may make either. Cancellation goes through cancel_booking; acceptance, scheduling and payment
    only through accept_quote, maybe_schedule and the payments (they reserve, check signatures, settle)."""
    user = viewer.require_user()
    to = BookingStatus(status)
    if to is BookingStatus.CANCELLED:
        return await cancel_booking(viewer=viewer, booking_id=booking_id, reason=reason)
    events = PendingEvents()
    async with in_transaction():
        booking = await booking_events.locked_booking(booking_id)
        org_id = booking.organization_id
        is_customer = booking.customer_id == user.id
        if not may_move(viewer, booking, to):
            if not (is_customer or viewer.is_member(org_id)):
                raise not_found("Booking", booking_id, field="bookingId")
            raise forbidden(f"You may not move this booking to {to.value}")
        if to not in FACILITY_MOVES | CUSTOMER_MOVES:
            raise DomainError(
                ErrorCode.INVALID_TRANSITION,
                f"A booking becomes {to.value} through its own step (accepting, signing or paying), not directly",
                field="status",
            )
        if to is BookingStatus.DISPUTED:
            await enter_dispute(booking, by_user_id=user.id, reason=reason, events=events)
        else:
            await _work_move(booking, to, by_user_id=user.id, reason=reason, events=events)
    await events.flush()
    return booking


async def _work_move(
    booking: ServiceBooking, to: BookingStatus, *, by_user_id: int, reason: str, events: PendingEvents
) -> None:
    check_transition(BookingStatus(booking.status), to)
    now = datetime.now(UTC)
    if BookingStatus(booking.status) is BookingStatus.DISPUTED:
        await leave_dispute(booking, now=now)
    await _record_actual(booking, to, now)
    if to is BookingStatus.COMPLETED:  # done early: what it still held goes back to everyone else's quotes
        await release_remaining(booking, now=now, events=events)
    await booking_events.move(booking, to, by_user_id=by_user_id, events=events, reason=reason)


async def enter_dispute(
    booking: ServiceBooking, *, by_user_id: int | None, reason: str, events: PendingEvents
) -> WorkContract | None:
    """Booking → disputed, inside the caller's transaction with the booking locked: its contract is disputed too
    and its payouts wait for the resolution."""
    check_transition(BookingStatus(booking.status), BookingStatus.DISPUTED)
    await booking_events.move(booking, BookingStatus.DISPUTED, by_user_id=by_user_id, events=events, reason=reason)
    contract = await WorkContract.select_for_update().get_or_none(booking_id=booking.id)
    status = ContractStatus(contract.contract_status) if contract is not None else None
    if contract is not None and status is not None and ContractStatus.DISPUTED in contracts.TRANSITIONS[status]:
        contracts.move(contract, ContractStatus.DISPUTED)
        await contract.save(update_fields=["contract_status", "updated_at"])
    await holds.hold(booking.id)
    return contract


async def leave_dispute(booking: ServiceBooking, *, now: datetime) -> None:
    """The dispute is withdrawn (work resumes or is completed): the contract is active again, payouts go on."""
    contract = await WorkContract.select_for_update().get_or_none(booking_id=booking.id)
    if contract is not None and ContractStatus(contract.contract_status) is ContractStatus.DISPUTED:
        contracts.move(contract, ContractStatus.ACTIVE)
        await contract.save(update_fields=["contract_status", "updated_at"])
    await holds.release(booking.id, now=now)


async def _record_actual(booking: ServiceBooking, to: BookingStatus, now: datetime) -> None:
    """The first start and the first completion: the moment, and the facility's local day of it (the seed's
    actual_*_date). Work resumed after a dispute, or completed again, keeps the first."""
    if to is BookingStatus.IN_PROGRESS and booking.actual_start is None:
        booking.actual_start = now
        booking.actual_start_date = local_date(now, await facility_zone(booking.organization_id))
        await booking.save(update_fields=["actual_start", "actual_start_date"])
    if to is BookingStatus.COMPLETED and booking.actual_completion is None:
        booking.actual_completion = now
        booking.actual_completion_date = local_date(now, await facility_zone(booking.organization_id))
        await booking.save(update_fields=["actual_completion", "actual_completion_date"])


async def facility_zone(organization_id: int | None) -> ZoneInfo:
    timezones = await Organization.filter(id=organization_id).values_list("timezone", flat=True)
    return zone(str(timezones[0]) if timezones else "UTC")


async def transition(
    *, booking_id: int, to: BookingStatus, by_user_id: int | None = None, reason: str = ""
) -> ServiceBooking:
    """A move made by the system (payments marking paid, the scheduler); same rules, no viewer."""
    events = PendingEvents()
    async with in_transaction():
        booking = await booking_events.locked_booking(booking_id)
        check_transition(BookingStatus(booking.status), to)
        await booking_events.move(booking, to, by_user_id=by_user_id, events=events, reason=reason)
    await events.flush()
    return booking


async def cancel_booking(*, viewer: Viewer, booking_id: int, reason: str) -> ServiceBooking:
    """Cancel before work starts: releases all reservations, withdraws offers, terminates the contract."""
    user = viewer.require_user()
    events = PendingEvents()
    async with in_transaction():
        booking = await booking_events.locked_booking(booking_id)
        org_id = booking.organization_id
        if not may_cancel(viewer, booking):
            if viewer.is_member(org_id):
                raise forbidden("Only the customer, a facility manager or an admin may cancel a booking")
            raise not_found("Booking", booking_id, field="bookingId")
        check_transition(BookingStatus(booking.status), BookingStatus.CANCELLED)
        await reservations.release(booking, events=events, reason="cancelled")
        for offer in await staffing.open_offers(booking.id).select_for_update():
            offer.status = JobOfferStatus.WITHDRAWN
            await offer.save(update_fields=["status"])
            await booking_events.offer_event(events, offer, "withdrawn")
        contract = await WorkContract.get_or_none(booking_id=booking.id)
        if (
            contract is not None
            and ContractStatus.TERMINATED in contracts.TRANSITIONS[ContractStatus(contract.contract_status)]
        ):
            contracts.move(contract, ContractStatus.TERMINATED)
            await contract.save(update_fields=["contract_status", "updated_at"])
        booking.cancellation_reason = reason
        await booking.save(update_fields=["cancellation_reason"])
        await booking_events.move(booking, BookingStatus.CANCELLED, by_user_id=user.id, events=events, reason=reason)
    await events.flush()
    return booking
