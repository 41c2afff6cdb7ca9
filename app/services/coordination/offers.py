"""Job offers: the offered person accepts or declines, pending offers expire, and a declined or expired
offer's hours cascade to the next-ranked people with free time."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from app.errors import DomainError, ErrorCode, forbidden, not_found
from app.events import PendingEvents
from app.services import booking_events, locks, money
from app.services.access import Viewer
from app.services.coordination import availability, matching, reservations
from app.services.coordination.plan import Quote
from app.services.coordination.scheduling import maybe_schedule
from models import CapacitySchedule, JobOffer, ServiceBooking
from models.enums import BookingStatus, JobOfferStatus, ResourceType, SkillCategory

log = logging.getLogger("nzero.offers")


async def respond_to_job_offer(*, viewer: Viewer, offer_id: int, accept: bool, now: datetime | None = None) -> JobOffer:
    """The offered person accepts (assigned) or declines (the next-ranked free person gets an offer)."""
    user = viewer.require_user()
    now = now or datetime.now(UTC)
    probe = await JobOffer.get_or_none(id=offer_id)
    if probe is None or not await viewer.can_see_offer(probe):
        raise not_found("Job offer", offer_id, field="offerId")
    if probe.user_id != user.id:
        raise forbidden("Only the person offered the job may answer it")
    if probe.status == JobOfferStatus.PENDING and probe.expires_at <= now:
        await expire_job_offers(now=now, offer_ids=[offer_id])
        raise DomainError(ErrorCode.CONFLICT, "This job offer has expired", field="offerId")
    events = PendingEvents()
    async with in_transaction():
        await booking_events.locked_booking(probe.booking_id)
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
        await booking_events.offer_event(events, offer, "accepted" if accept else "declined")
        if not accept:
            await _cascade(offer, now, events)
    await events.flush()
    if accept:
        await maybe_schedule(booking_id=offer.booking_id)
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
            await booking_events.offer_event(events, offer, "expired")
            await _cascade(offer, now, events)
        await events.flush()
        expired += 1
    return expired


async def _cascade(offer: JobOffer, now: datetime, events: PendingEvents) -> None:
    """Give a declined or expired offer's hours to the next-ranked people with free time (inside the tx)."""
    booking = await ServiceBooking.get(id=offer.booking_id)
    user_id: int = offer.user_id
    await CapacitySchedule.filter(
        booking_id=booking.id, user_id=user_id, resource_type=ResourceType.USER_LABOR
    ).delete()
    if BookingStatus(booking.status) not in (BookingStatus.QUOTE_ACCEPTED, BookingStatus.SCHEDULED):
        return
    quote = Quote.of(booking)
    plan = quote.plan
    planned = plan.role(SkillCategory(offer.role))
    if planned is None:
        return
    role, ranked = planned.role, planned.ranked()
    tried = {user_id for (user_id,) in await JobOffer.filter(booking_id=booking.id).values_list("user_id")}
    ranked = [c for c in ranked if c.person.user_id not in tried]
    ids = sorted(c.person.user_id for c in ranked)
    if ids:
        await locks.lock_people(ids)
        ranked = (await reservations.still_available([(role, ranked)]))[0][1]
    start, end = plan.span()
    busy = await availability.load_labor_busy(ids, start, end)
    days = plan.days
    found = matching.assign_role(role, ranked, days, busy, timezone=plan.timezone, hours=Decimal(offer.hours)) or []
    org_id = booking.organization_id
    if org_id is None:  # an accepted booking always has its facility
        return
    if found and not await _reserve_labor(org_id, booking.id, found, plan.tz):
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
    await booking_events.capacity_event(
        events,
        organization_id=org_id,
        capability_ids=[],
        days=[d.day for d in days],
        booking_id=booking.id,
        reason="labor_reassigned",
    )


async def _reserve_labor(org_id: int, booking_id: int, found: list[matching.Assignment], tz: ZoneInfo) -> bool:
    """Insert the people's blocks in a savepoint: if the database refuses an overlap (someone took them
    despite the locks), the role stays unfilled and the decline itself still stands."""
    try:
        async with in_transaction():
            await CapacitySchedule.bulk_create(reservations.labor_rows(org_id, booking_id, found, tz))
    except IntegrityError as error:
        if not locks.is_person_overlap(error):
            raise
        log.error("booking %s: the database refused overlapping labor blocks for %s", booking_id, found)
        return False
    return True
