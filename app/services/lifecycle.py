"""The booking state machine (DESIGN §4), cancellation, job offers and their cascade, and scheduling."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import UTC, datetime
from decimal import Decimal

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from app.errors import DomainError, ErrorCode, forbidden, not_found
from app.events import PendingEvents
from app.services import availability as av
from app.services import booking_events, contracts, locks, money, reservations, staffing
from app.services import matching as mt
from app.services.access import Viewer
from app.services.plan import Quote
from models import CapacitySchedule, JobOffer, ServiceBooking, WorkContract
from models.enums import BookingStatus as S
from models.enums import ContractStatus, JobOfferStatus, ResourceType, SkillCategory

log = logging.getLogger("nzero.lifecycle")

TRANSITIONS: dict[S, frozenset[S]] = {
    S.QUOTE_REQUESTED: frozenset({S.CALCULATING, S.QUOTE_READY, S.CANCELLED}),
    S.CALCULATING: frozenset({S.QUOTE_READY, S.QUOTE_REQUESTED, S.CANCELLED}),
    S.QUOTE_READY: frozenset({S.QUOTE_ACCEPTED, S.CANCELLED}),
    S.QUOTE_ACCEPTED: frozenset({S.SCHEDULED, S.CANCELLED}),
    S.SCHEDULED: frozenset({S.IN_PROGRESS, S.CANCELLED}),
    S.IN_PROGRESS: frozenset({S.QUALITY_REVIEW, S.DISPUTED}),
    S.QUALITY_REVIEW: frozenset({S.COMPLETED, S.IN_PROGRESS, S.DISPUTED}),
    S.COMPLETED: frozenset({S.PAID, S.DISPUTED}),
    S.PAID: frozenset({S.DISPUTED}),
    S.DISPUTED: frozenset({S.IN_PROGRESS, S.COMPLETED}),
    S.CANCELLED: frozenset(),
}
CANCELLABLE = frozenset(s for s, targets in TRANSITIONS.items() if S.CANCELLED in targets)
FACILITY_MOVES = frozenset({S.IN_PROGRESS, S.QUALITY_REVIEW, S.COMPLETED, S.DISPUTED})
CUSTOMER_MOVES = frozenset({S.DISPUTED})


def may_move(viewer: Viewer, booking: ServiceBooking, to: S) -> bool:
    """Who may make a work move: the facility's managers its work statuses, the customer a dispute, admins both.
    (Whether the booking's status allows the move is check_transition's question.)"""
    org_id: int | None = booking.organization_id  # type: ignore[attr-defined]
    is_customer = viewer.user is not None and booking.customer_id == viewer.user.id  # type: ignore[attr-defined]
    return viewer.is_admin or (
        (org_id is not None and viewer.can_manage(org_id) and to in FACILITY_MOVES)
        or (is_customer and to in CUSTOMER_MOVES)
    )


def may_cancel(viewer: Viewer, booking: ServiceBooking) -> bool:
    """The customer, the facility's managers and admins may cancel (while the status allows it)."""
    org_id: int | None = booking.organization_id  # type: ignore[attr-defined]
    is_customer = viewer.user is not None and booking.customer_id == viewer.user.id  # type: ignore[attr-defined]
    return is_customer or viewer.is_admin or (org_id is not None and viewer.can_manage(org_id))


def check_transition(current: S, to: S) -> None:
    allowed = TRANSITIONS[current]
    if to not in allowed:
        names = ", ".join(sorted(a.value for a in allowed)) or "none"
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            f"A {current.value} booking cannot move to {to.value}; allowed: {names}",
            field="status",
            details={"from": current.value, "to": to.value, "allowed": sorted(a.value for a in allowed)},
        )


async def update_booking_status(*, viewer: Viewer, booking_id: int, status: S, reason: str = "") -> ServiceBooking:
    """Move a booking along the state machine: the facility moves work statuses, the customer may dispute,
    an admin may make either. Cancellation goes through cancel_booking; acceptance, scheduling and payment
    only through accept_quote, maybe_schedule and the payments (they reserve, check signatures, settle)."""
    user = viewer.require_user()
    to = S(status)
    if to is S.CANCELLED:
        return await cancel_booking(viewer=viewer, booking_id=booking_id, reason=reason)
    events = PendingEvents()
    async with in_transaction():
        booking = await booking_events.locked_booking(booking_id)
        org_id = booking.organization_id  # type: ignore[attr-defined]
        is_customer = booking.customer_id == user.id  # type: ignore[attr-defined]
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
        check_transition(S(booking.status), to)
        now = datetime.now(UTC)
        if to is S.IN_PROGRESS and booking.actual_start is None:
            booking.actual_start = now
            await booking.save(update_fields=["actual_start"])
        if to is S.COMPLETED and booking.actual_completion is None:  # a dispute's re-completion keeps the first
            booking.actual_completion = now
            await booking.save(update_fields=["actual_completion"])
        await booking_events.move(booking, to, by_user_id=user.id, events=events, reason=reason)
    await events.flush()
    return booking


async def transition(*, booking_id: int, to: S, by_user_id: int | None = None, reason: str = "") -> ServiceBooking:
    """A move made by the system (payments marking paid, the scheduler); same rules, no viewer."""
    events = PendingEvents()
    async with in_transaction():
        booking = await booking_events.locked_booking(booking_id)
        check_transition(S(booking.status), to)
        await booking_events.move(booking, to, by_user_id=by_user_id, events=events, reason=reason)
    await events.flush()
    return booking


async def cancel_booking(*, viewer: Viewer, booking_id: int, reason: str) -> ServiceBooking:
    """Cancel before work starts: releases all reservations, withdraws offers, terminates the contract."""
    user = viewer.require_user()
    events = PendingEvents()
    async with in_transaction():
        booking = await booking_events.locked_booking(booking_id)
        org_id = booking.organization_id  # type: ignore[attr-defined]
        if not may_cancel(viewer, booking):
            if viewer.is_member(org_id):
                raise forbidden("Only the customer, a facility manager or an admin may cancel a booking")
            raise not_found("Booking", booking_id, field="bookingId")
        check_transition(S(booking.status), S.CANCELLED)
        await reservations.release(booking, events=events, reason="cancelled")
        for offer in await staffing.open_offers(booking.id).select_for_update():
            offer.status = JobOfferStatus.WITHDRAWN
            await offer.save(update_fields=["status"])
            booking_events.offer_event(events, offer, "withdrawn")
        contract = await WorkContract.get_or_none(booking_id=booking.id)
        if contract is not None and ContractStatus.TERMINATED in contracts.TRANSITIONS[ContractStatus(contract.status)]:
            contracts.move(contract, ContractStatus.TERMINATED)
            await contract.save(update_fields=["status", "updated_at"])
        booking.cancellation_reason = reason
        await booking.save(update_fields=["cancellation_reason"])
        await booking_events.move(booking, S.CANCELLED, by_user_id=user.id, events=events, reason=reason)
    await events.flush()
    return booking


async def respond_to_job_offer(*, viewer: Viewer, offer_id: int, accept: bool, now: datetime | None = None) -> JobOffer:
    """The offered person accepts (assigned) or declines (the next-ranked free person gets an offer)."""
    user = viewer.require_user()
    now = now or datetime.now(UTC)
    probe = await JobOffer.get_or_none(id=offer_id)
    if probe is None or probe.user_id != user.id:  # type: ignore[attr-defined]
        raise not_found("Job offer", offer_id, field="offerId")
    if probe.status == JobOfferStatus.PENDING and probe.expires_at <= now:
        await expire_job_offers(now=now, offer_ids=[offer_id])
        raise DomainError(ErrorCode.CONFLICT, "This job offer has expired", field="offerId")
    events = PendingEvents()
    async with in_transaction():
        await booking_events.locked_booking(probe.booking_id)  # type: ignore[attr-defined]
        offer = await JobOffer.select_for_update().get(id=offer_id)
        if offer.status != JobOfferStatus.PENDING:
            raise DomainError(
                ErrorCode.INVALID_TRANSITION,
                f"This job offer is already {offer.status}",
                field="offerId",
                details={"from": str(offer.status), "allowed": []},
            )
        offer.status = JobOfferStatus.ACCEPTED if accept else JobOfferStatus.DECLINED
        offer.responded_at = now
        await offer.save(update_fields=["status", "responded_at"])
        booking_events.offer_event(events, offer, "accepted" if accept else "declined")
        if not accept:
            await _cascade(offer, now, events)
    await events.flush()
    if accept:
        await maybe_schedule(booking_id=offer.booking_id)  # type: ignore[attr-defined]
    return offer


async def expire_job_offers(*, now: datetime | None = None, offer_ids: Iterable[int] | None = None) -> int:
    """Expire pending offers past their time and cascade each to the next-ranked person; for a sweeper."""
    now = now or datetime.now(UTC)
    query = JobOffer.filter(status=JobOfferStatus.PENDING, expires_at__lte=now)
    if offer_ids is not None:
        query = query.filter(id__in=list(offer_ids))
    due = await query.order_by("booking_id", "id").values_list("id", "booking_id")
    expired = 0
    for offer_id, booking_id in due:
        events = PendingEvents()
        async with in_transaction():
            await booking_events.locked_booking(booking_id)
            offer = await JobOffer.select_for_update().get(id=offer_id)
            if offer.status != JobOfferStatus.PENDING:
                continue
            offer.status = JobOfferStatus.EXPIRED
            await offer.save(update_fields=["status"])
            booking_events.offer_event(events, offer, "expired")
            await _cascade(offer, now, events)
        await events.flush()
        expired += 1
    return expired


async def _cascade(offer: JobOffer, now: datetime, events: PendingEvents) -> None:
    """Give a declined or expired offer's hours to the next-ranked people with free time (inside the tx)."""
    booking = await ServiceBooking.get(id=offer.booking_id)  # type: ignore[attr-defined]
    user_id: int = offer.user_id  # type: ignore[attr-defined]
    await CapacitySchedule.filter(
        booking_id=booking.id, user_id=user_id, resource_type=ResourceType.USER_LABOR
    ).delete()
    if S(booking.status) not in (S.QUOTE_ACCEPTED, S.SCHEDULED):
        return
    quote = Quote.of(booking)
    plan = quote.plan
    planned = plan.role(SkillCategory(offer.role))
    if planned is None:
        return
    role, ranked = planned.role, planned.ranked()
    tried = set(await JobOffer.filter(booking_id=booking.id).values_list("user_id", flat=True))
    ranked = [c for c in ranked if c.person.user_id not in tried]
    ids = sorted(c.person.user_id for c in ranked)
    if ids:
        await locks.lock_people(ids)
        ranked = (await reservations.still_available([(role, ranked)]))[0][1]
    start, end = plan.span()
    busy = await av.load_labor_busy(ids, start, end)
    days = plan.days
    found = mt.assign_role(role, ranked, days, busy, timezone=plan.timezone, hours=Decimal(offer.hours)) or []
    org_id: int = booking.organization_id  # type: ignore[attr-defined]
    if found and not await _reserve_labor(org_id, booking.id, found):
        found = []
    # The offer's pay goes to the people found, by their minutes; plan and breakdown change together.
    amounts = money.allocate(int(offer.amount_cents), [int(a.hours * 60) or 1 for a in found]) if found else []
    handed = quote.handed_over(role.skill_category, user_id, found, amounts)
    await booking.save(update_fields=[*handed.write_to(booking), "updated_at"])
    if not found:
        log.warning("booking %s: nobody free to take %s h of %s", booking.id, offer.hours, offer.role)
        return
    for a, amount in zip(found, amounts, strict=True):
        await booking_events.new_offer(booking.id, a, rank=offer.rank + 1, amount_cents=amount, now=now, events=events)
    booking_events.capacity_event(
        events,
        organization_id=org_id,
        capability_ids=[],
        days=[d.day for d in days],
        booking_id=booking.id,
        reason="labor_reassigned",
    )


async def _reserve_labor(org_id: int, booking_id: int, found: list[mt.Assignment]) -> bool:
    """Insert the people's blocks in a savepoint: if the database refuses an overlap (someone took them
    despite the locks), the role stays unfilled and the decline itself still stands."""
    try:
        async with in_transaction():
            await CapacitySchedule.bulk_create(reservations.labor_rows(org_id, booking_id, found))
    except IntegrityError as error:
        if not locks.is_person_overlap(error):
            raise
        log.error("booking %s: the database refused overlapping labor blocks for %s", booking_id, found)
        return False
    return True


async def maybe_schedule(*, booking_id: int) -> bool:
    """quote_accepted → scheduled once every role is filled and the contract is active; True if it moved."""
    events = PendingEvents()
    async with in_transaction():
        booking = await booking_events.locked_booking(booking_id)
        if S(booking.status) is not S.QUOTE_ACCEPTED:
            return False
        contract = await WorkContract.get_or_none(booking_id=booking.id)
        if contract is None or ContractStatus(contract.status) is not ContractStatus.ACTIVE:
            return False
        if not await staffing.is_staffed(booking):
            return False
        await booking_events.move(booking, S.SCHEDULED, by_user_id=None, events=events, reason="staffed and signed")
    await events.flush()
    return True
