"""Disputes: a party opens one, an admin resolves it with a DISPUTE_RESOLUTION payment event, and a card holder's
dispute at the bank (Stripe's charge.dispute.created) marks the charge disputed.

While a booking is disputed its contract is disputed and its payouts are held (holds.py). The resolution divides
what the customer has paid (net of earlier refunds): `refund_cents` goes back to the customer through the gateway
(each party's share reversed in proportion to what it holds), the rest is released to the parties in the proportion
they already hold it. The resolution settles the contract: milestones not yet charged are cancelled, the booking
becomes PAID (settled as resolved), and the contract COMPLETED when the parties keep something, TERMINATED when
everything went back to the customer.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime

from tortoise.transactions import in_transaction

from app import channels
from app.errors import DomainError, ErrorCode, bad_input, forbidden, not_found
from app.events import PendingEvents
from app.services import booking_events
from app.services import contracts as contract_rules
from app.services.access import Viewer
from app.services.coordination import lifecycle, staffing
from app.services.payments import holds, records
from app.services.payments.factory import get_gateway
from app.services.payments.gateway import PaymentGateway
from app.services.payments.records import CHARGES, Line
from app.services.payments.service import Refunded, charged_rows, refund_locked, reverse_transfers
from app.services.payments.transfers import DUE, execute_transfer
from models import PaymentDistribution, PaymentTransfer, ServiceBooking, WorkContract
from models.enums import (
    BookingStatus,
    ContractStatus,
    MilestoneStatus,
    PaymentStatus,
    PaymentType,
    RecipientType,
)

log = logging.getLogger("nzero.payments.disputes")
MAX_TEXT = 2000


def _text(field: str, value: str, *, required: bool) -> str:
    text = value.strip()
    if required and not text:
        raise bad_input(field, "Say what the dispute is about")
    if len(text) > MAX_TEXT:
        raise bad_input(field, f"At most {MAX_TEXT} characters")
    return text


async def _is_party(viewer: Viewer, booking: ServiceBooking) -> bool:
    """The customer, a member of the facility, or a person holding an accepted offer for the booking."""
    user_id = viewer.user_id
    if user_id is None:
        return False
    if booking.customer_id == user_id or (
        booking.organization_id is not None and booking.organization_id in viewer.member_roles
    ):
        return True
    return await staffing.accepted_offers(booking.id).filter(user_id=user_id).exists()


async def open_dispute(*, viewer: Viewer, booking_id: int, reason: str) -> ServiceBooking:
    """A party disputes the booking: booking and contract → disputed (history, events), payouts held."""
    user = viewer.require_user()
    text = _text("reason", reason, required=True)
    events = PendingEvents()
    async with in_transaction():
        booking = await booking_events.locked_booking(booking_id)
        if not await _is_party(viewer, booking):
            if await viewer.can_see_booking(
                booking_id=booking.id, customer_id=booking.customer_id, organization_id=booking.organization_id
            ):
                raise forbidden("Only the booking's customer, facility or assigned labor may open a dispute")
            raise not_found("Booking", booking_id, field="bookingId")
        await lifecycle.enter_dispute(booking, by_user_id=user.id, reason=text, events=events)
        await events.add(
            channels.booking(booking_id), {"type": "dispute.opened", "bookingId": booking_id, "openedBy": user.id}
        )
    await events.flush()
    return booking


@dataclass(frozen=True)
class Resolution:
    booking_id: int
    resolved: bool  # False: the gateway refunded only part; the part is booked as a refund, the dispute stays open
    refunded_cents: int
    released_cents: int
    distribution_id: int | None  # the DISPUTE_RESOLUTION record (a REFUND record when not resolved)
    refund_ids: list[str]
    failed_reversals: list[int]
    booking_status: BookingStatus
    error: str = ""


async def resolve_dispute(
    *, viewer: Viewer, booking_id: int, refund_cents: int, note: str, gateway: PaymentGateway | None = None
) -> Resolution:
    """An admin settles a disputed booking (see the module's docstring for what follows)."""
    user = viewer.require_user()
    if not viewer.is_admin:
        booking = await ServiceBooking.get_or_none(id=booking_id)
        await viewer.require_sees_booking(booking, kind="Booking", ident=booking_id, field="bookingId")
        raise forbidden("Only an admin may resolve a dispute")
    text = _text("note", note, required=False)
    gateway = gateway or get_gateway()
    now = datetime.now(UTC)
    events = PendingEvents()
    async with in_transaction():
        booking = await booking_events.locked_booking(booking_id)
        if BookingStatus(booking.status) is not BookingStatus.DISPUTED:
            raise DomainError(
                ErrorCode.INVALID_TRANSITION, f"A {booking.status} booking has no open dispute", field="bookingId"
            )
        contract = await WorkContract.select_for_update().get_or_none(booking_id=booking_id)
        if contract is None:
            raise DomainError(ErrorCode.CONFLICT, "The booking has no contract to settle")
        paid = sum(r.amount_cents - r.refunded_cents for r in await charged_rows(booking_id))
        if not 0 <= refund_cents <= paid:
            raise bad_input("refundCents", f"The refund must be between 0 and the {paid} cents paid")
        done = Refunded(0, [], [], "")
        if refund_cents:
            done = await refund_locked(contract, booking_id, refund_cents, gateway, key="dispute", now=now)
        if done.amount < refund_cents:  # part went through: book it as a refund; the dispute stays open
            record = await _refund_record(contract, done, user.id, now, note=f"dispute resolution, partial: {text}")
            resolved = False
        else:
            record = await _resolution_record(contract, paid, done, user.id, now, text)
            await _settle(booking, contract, paid - done.amount, by_user_id=user.id, note=text, events=events)
            await holds.release(booking_id, now=now)
            resolved = True
        await events.add(
            channels.booking(booking_id),
            {"type": "dispute.resolved" if resolved else "payment.refunded", "bookingId": booking_id},
        )
    await events.flush()
    failed = await reverse_transfers(gateway, done.reversals)
    if resolved:
        for row in await PaymentTransfer.filter(booking_id=booking_id, status__in=DUE, held=False).order_by("id"):
            await execute_transfer(gateway=gateway, transfer_id=row.id, now=now)
    return Resolution(
        booking_id,
        resolved,
        done.amount,
        paid - done.amount if resolved else 0,
        record.id,
        done.refund_ids,
        failed,
        BookingStatus(booking.status),
        done.error,
    )


async def _refund_record(
    contract: WorkContract, done: Refunded, user_id: int, now: datetime, *, note: str
) -> PaymentDistribution:
    count = await PaymentDistribution.filter(contract_id=contract.id, payment_type=PaymentType.REFUND).count()
    return await PaymentDistribution.create(
        contract=contract,
        booking_id=contract.booking_id,
        payment_type=PaymentType.REFUND,
        event_key=f"booking-{contract.booking_id}-refund-{count + 1}",
        total_amount_cents=done.amount,
        distributions=records.adding_up(done.amount, [Line(RecipientType.CUSTOMER, contract.customer_id, done.amount)]),
        stripe_refund_ids=done.refund_ids,
        payment_status=PaymentStatus.COMPLETED,
        payment_completed_at=now,
        note=note,
        created_by_id=user_id,
    )


async def _resolution_record(
    contract: WorkContract, paid: int, done: Refunded, user_id: int, now: datetime, note: str
) -> PaymentDistribution:
    """Who receives what of the paid amount: the customer its refund, each party what it keeps."""
    kept: dict[tuple[RecipientType, int | None], int] = defaultdict(int)
    for row in await charged_rows(contract.booking_id):
        kept[(RecipientType(row.recipient_type), records.recipient_id(row))] += row.amount_cents - row.refunded_cents
    lines = [Line(RecipientType.CUSTOMER, contract.customer_id, done.amount)]
    lines += [Line(kind, recipient, amount) for (kind, recipient), amount in kept.items() if amount]
    count = await PaymentDistribution.filter(
        contract_id=contract.id, payment_type=PaymentType.DISPUTE_RESOLUTION
    ).count()
    record = await PaymentDistribution.create(
        contract=contract,
        booking_id=contract.booking_id,
        payment_type=PaymentType.DISPUTE_RESOLUTION,
        event_key=f"booking-{contract.booking_id}-dispute-resolution-{count + 1}",
        total_amount_cents=paid,
        distributions=records.adding_up(paid, [line for line in lines if line.amount_cents or line is lines[0]]),
        stripe_refund_ids=done.refund_ids,
        payment_status=PaymentStatus.COMPLETED,
        payment_completed_at=now,
        note=note,
        created_by_id=user_id,
    )
    # The charges a card holder disputed are settled by this record: they follow their transfers again.
    for charge in await PaymentDistribution.filter(
        contract_id=contract.id, payment_type__in=CHARGES, payment_status=PaymentStatus.DISPUTED
    ):
        await PaymentDistribution.filter(id=charge.id).update(payment_status=PaymentStatus.PROCESSING)
        await records.sync(charge.id, now=now)
    return record


async def _settle(
    booking: ServiceBooking,
    contract: WorkContract,
    released: int,
    *,
    by_user_id: int,
    note: str,
    events: PendingEvents,
) -> None:
    """The resolution is final: uncharged milestones are cancelled, the contract ends, the booking is settled."""
    contract.milestones = [
        {**m, "status": MilestoneStatus.CANCELLED.value} if m.get("status") != MilestoneStatus.PAID.value else m
        for m in contract.milestones
    ]
    if ContractStatus(contract.contract_status) is ContractStatus.DISPUTED:
        contract_rules.move(contract, ContractStatus.COMPLETED if released else ContractStatus.TERMINATED)
    await contract.save(update_fields=["milestones", "contract_status", "updated_at"])
    lifecycle.check_transition(BookingStatus(booking.status), BookingStatus.PAID)
    reason = f"dispute resolved: {note}" if note else "dispute resolved"
    await booking_events.move(booking, BookingStatus.PAID, by_user_id=by_user_id, events=events, reason=reason)


async def record_card_dispute(*, payment_intent_id: str, reason: str) -> bool:
    """Stripe reports a card holder's dispute of a charge: the charge's record → DISPUTED, and the booking (from
    in_progress onward, as the lifecycle allows) → disputed with its payouts held. Idempotent: a redelivery changes
    nothing. False when the charge is not one of ours."""
    record = await PaymentDistribution.get_or_none(stripe_payment_intent_id=payment_intent_id, payment_type__in=CHARGES)
    if record is None:
        return False
    events = PendingEvents()
    async with in_transaction():
        booking = await booking_events.locked_booking(record.booking_id)
        record = await PaymentDistribution.select_for_update().get(id=record.id)
        if PaymentStatus(record.payment_status) is PaymentStatus.DISPUTED:
            return True
        # Already disputed, or before the work started (the lifecycle has no dispute there): only the charge is marked.
        if BookingStatus.DISPUTED in lifecycle.TRANSITIONS[BookingStatus(booking.status)]:
            await lifecycle.enter_dispute(
                booking, by_user_id=None, reason=f"card dispute at the bank: {reason}"[:MAX_TEXT], events=events
            )
        await PaymentDistribution.filter(id=record.id).update(payment_status=PaymentStatus.DISPUTED)
        await events.add(
            channels.booking(booking.id),
            {"type": "payment.disputed", "bookingId": booking.id, "paymentDistributionId": record.id},
        )
    await events.flush()
    return True
