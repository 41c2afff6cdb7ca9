"""Milestone payments with split transfers, refunds and reconciliation.

Outbox: the PaymentDistribution rows (one per recipient, status pending, deterministic idempotency key)
are committed BEFORE the gateway is called, so a crash never loses a payment, and every gateway call
carries a key derived from those rows, so a retry never pays twice.
Row statuses: pending (charge not yet succeeded) → processing (charged; transfer due) → completed
(transferred) → reconciled (matched against the gateway); failed (retry at next_attempt_at, or left
for an operator when that is empty); reversed (fully refunded).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from app import channels
from app.errors import DomainError, ErrorCode, bad_input, forbidden, not_found
from app.events import PendingEvents
from app.services import booking_events
from app.services.access import Viewer
from app.services.contracts import move as move_contract
from app.services.coordination.lifecycle import check_transition
from app.services.money import allocate
from app.services.payments.factory import get_gateway
from app.services.payments.gateway import GatewayError, PaymentGateway
from app.services.payments.split import milestone_parts
from app.services.payments.transfers import destination_of, execute_transfer
from models import PaymentDistribution, ServiceBooking, WorkContract
from models.enums import BookingStatus, ContractStatus, DistributionStatus, RecipientType

log = logging.getLogger("nzero.payments")
CURRENCY = "usd"
TRANSFERRED = (DistributionStatus.COMPLETED, DistributionStatus.RECONCILED)
SETTLED = (*TRANSFERRED, DistributionStatus.REVERSED)


def transfer_group(booking_id: UUID) -> str:
    return f"booking-{booking_id}"


def intent_key(group: str, milestone: str) -> str:
    """The PaymentIntent's idempotency key, from the transfer group its rows stored when they were written: a milestone
    started before the keys became UUIDs ("booking-12") keeps its key, so a retry never opens a second intent."""
    return f"{group}-{milestone}-payment"


@dataclass(frozen=True)
class PaymentStart:
    booking_id: UUID
    milestone: str
    amount_cents: int
    payment_intent_id: str
    client_secret: str
    status: str


def _milestone(contract: WorkContract, name: str) -> tuple[int, dict[str, Any]]:
    for index, item in enumerate(contract.milestones):
        if item["name"] == name:
            return index, item
    raise bad_input("milestone", f"The contract has no milestone {name!r}")


def next_payable(contract: WorkContract, status: BookingStatus) -> str | None:
    """The milestone the customer may pay now: the first unpaid one of an active contract, the final one
    only once the work is completed (start_payment refuses any other)."""
    if ContractStatus(contract.status) != ContractStatus.ACTIVE:
        return None
    unpaid = [i for i, m in enumerate(contract.milestones) if m.get("status") != "paid"]
    if not unpaid:
        return None
    index = unpaid[0]
    if index == len(contract.milestones) - 1 and status != BookingStatus.COMPLETED:
        return None
    return str(contract.milestones[index]["name"])


async def start_payment(
    *, viewer: Viewer, booking_id: UUID, milestone: str, gateway: PaymentGateway | None = None
) -> PaymentStart:
    """The customer pays a milestone: record the split (outbox), then create the PaymentIntent."""
    user = viewer.require_user()
    gateway = gateway or get_gateway()
    booking = await ServiceBooking.get_or_none(id=booking_id)
    if booking is None or not await viewer.can_see_booking(
        booking_id=booking.id,
        customer_id=booking.customer_id,
        organization_id=booking.organization_id,
    ):
        raise not_found("Booking", booking_id, field="bookingId")
    if booking.customer_id != user.id:
        raise forbidden("Only the booking's customer pays for it")
    async with in_transaction():
        contract = await WorkContract.select_for_update().get_or_none(booking_id=booking_id)
        if contract is None or ContractStatus(contract.status) != ContractStatus.ACTIVE:
            raise DomainError(ErrorCode.INVALID_TRANSITION, "Payments start once every party has signed the contract")
        index, item = _milestone(contract, milestone)
        if item.get("status") == "paid":
            raise DomainError(ErrorCode.CONFLICT, f"The {milestone} payment has already been made")
        unpaid = [m["name"] for m in contract.milestones[:index] if m.get("status") != "paid"]
        if unpaid:
            raise DomainError(ErrorCode.CONFLICT, f"Pay the {unpaid[0]} milestone first", field="milestone")
        if index == len(contract.milestones) - 1 and BookingStatus(booking.status) != BookingStatus.COMPLETED:
            raise DomainError(ErrorCode.INVALID_TRANSITION, "The final payment is due when the work is completed")
        rows = await PaymentDistribution.filter(contract_id=contract.id, milestone=milestone)
        if not rows:
            rows = await _write_outbox(contract, booking_id, milestone)
    amount = sum(r.amount_cents for r in rows)
    metadata = {"booking_id": str(booking_id), "milestone": milestone, "contract_id": str(contract.id)}
    group = rows[0].transfer_group or transfer_group(booking_id)
    try:
        intent = await gateway.create_payment_intent(
            amount=amount,
            currency=CURRENCY,
            transfer_group=group,
            idempotency_key=intent_key(group, milestone),
            metadata=metadata,
        )
    except GatewayError as exc:
        await PaymentDistribution.filter(id__in=[r.id for r in rows]).update(last_error=f"{exc.code}: {exc.message}")
        raise DomainError(
            ErrorCode.PAYMENT_FAILED, exc.message, details={"retryable": exc.retryable, "code": exc.code}
        ) from exc
    await PaymentDistribution.filter(id__in=[r.id for r in rows], stripe_payment_intent_id=None).update(
        stripe_payment_intent_id=intent.id
    )
    if intent.status == "succeeded":  # the ledger charges at once; Stripe reports it by webhook
        await handle_payment_succeeded(payment_intent_id=intent.id, amount=amount, gateway=gateway)
    return PaymentStart(booking_id, milestone, amount, intent.id, intent.client_secret, intent.status)


async def _write_outbox(contract: WorkContract, booking_id: UUID, milestone: str) -> list[PaymentDistribution]:
    rows = []
    try:
        for recipient, amount in await milestone_parts(contract, milestone):
            if amount == 0:
                continue
            rows.append(
                await PaymentDistribution.create(
                    contract=contract,
                    booking_id=booking_id,
                    milestone=milestone,
                    recipient_type=recipient.type,
                    recipient_user_id=recipient.user_id,
                    recipient_organization_id=recipient.organization_id,
                    amount_cents=amount,
                    status=DistributionStatus.PENDING,
                    transfer_group=transfer_group(booking_id),
                    idempotency_key=f"booking-{booking_id}-{milestone}-{recipient.key}",
                )
            )
    except IntegrityError as exc:  # a concurrent call wrote them first
        raise DomainError(ErrorCode.CONFLICT, "This payment is already being started; try again") from exc
    return rows


async def handle_payment_succeeded(
    *,
    payment_intent_id: str,
    booking_id: UUID | None = None,
    milestone: str | None = None,
    amount: int | None = None,
    transfer_now: bool = True,
    gateway: PaymentGateway | None = None,
    now: datetime | None = None,
) -> list[UUID]:
    """The charge succeeded: transfers become due (and are tried at once unless transfer_now is False).

    Idempotent, and safe before start_payment stored the intent id (the webhook's metadata finds the rows).
    """
    now = now or datetime.now(UTC)
    events = PendingEvents()
    async with in_transaction():
        rows = await PaymentDistribution.filter(stripe_payment_intent_id=payment_intent_id)
        if not rows and booking_id is not None and milestone is not None:
            rows = await PaymentDistribution.filter(booking_id=booking_id, milestone=milestone)
        if not rows:
            raise not_found("Payment", payment_intent_id, field="paymentIntent")
        contract = await WorkContract.select_for_update().get(id=rows[0].contract_id)
        if amount is not None and amount != sum(r.amount_cents for r in rows):
            raise DomainError(ErrorCode.CONFLICT, "The amount charged differs from the recorded split")
        kept = [
            r.id for r in rows if r.status == DistributionStatus.PENDING and r.recipient_type == RecipientType.PLATFORM
        ]
        due = [r.id for r in rows if r.status == DistributionStatus.PENDING and r.id not in kept]
        await PaymentDistribution.filter(id__in=kept).update(  # the platform keeps its fee: nothing to send
            status=DistributionStatus.COMPLETED, stripe_payment_intent_id=payment_intent_id, processed_at=now
        )
        await PaymentDistribution.filter(id__in=due).update(
            status=DistributionStatus.PROCESSING,
            stripe_payment_intent_id=payment_intent_id,
            next_attempt_at=now,
            last_error="",
        )
        index, _ = _milestone(contract, rows[0].milestone)
        if contract.milestones[index].get("status") != "paid":
            contract.milestones = [
                {**m, "status": "paid"} if i == index else m for i, m in enumerate(contract.milestones)
            ]
            await contract.save(update_fields=["milestones", "updated_at"])
            await events.add(
                channels.booking(contract.booking_id),
                {"type": "payment.succeeded", "bookingId": contract.booking_id, "milestone": rows[0].milestone},
            )
    await events.flush()
    if transfer_now:
        gateway = gateway or get_gateway()
        for row_id in due:
            await execute_transfer(gateway=gateway, distribution_id=row_id, now=now)
        await settle_booking(booking_id=contract.booking_id)
    return due


async def handle_payment_failed(*, payment_intent_id: str, message: str) -> None:
    await PaymentDistribution.filter(
        stripe_payment_intent_id=payment_intent_id, status=DistributionStatus.PENDING
    ).update(last_error=f"payment failed: {message}"[:2000])


async def record_transfer(*, distribution_id: UUID, transfer_id: str) -> None:
    """A transfer the gateway reports (webhook) before our own call returned: the row is done."""
    await PaymentDistribution.filter(
        id=distribution_id, status__in=(DistributionStatus.PROCESSING, DistributionStatus.FAILED)
    ).update(status=DistributionStatus.COMPLETED, stripe_transfer_id=transfer_id, next_attempt_at=None, last_error="")


async def settle_booking(*, booking_id: UUID, by_user_id: UUID | None = None) -> bool:
    """Booking → paid (contract → completed) once every milestone is charged and every transfer of it is done."""
    events = PendingEvents()
    async with in_transaction():
        booking = await ServiceBooking.select_for_update().get(id=booking_id)
        contract = await WorkContract.get_or_none(booking_id=booking_id)
        if contract is None or not contract.milestones or BookingStatus(booking.status) != BookingStatus.COMPLETED:
            return False
        rows = await PaymentDistribution.filter(contract_id=contract.id)
        if not all_paid_out(contract.milestones, rows):
            return False
        check_transition(BookingStatus(booking.status), BookingStatus.PAID)
        await booking_events.move(
            booking, BookingStatus.PAID, by_user_id=by_user_id, events=events, reason="final payment distributed"
        )
        if ContractStatus(contract.status) == ContractStatus.ACTIVE:
            move_contract(contract, ContractStatus.COMPLETED)
            await contract.save(update_fields=["status", "updated_at"])
    await events.flush()
    return True


def all_paid_out(milestones: list[dict[str, Any]], rows: list[PaymentDistribution]) -> bool:
    """Every milestone charged, and every party's transfer of every milestone done (or reversed by a refund)."""
    charged = {str(m["name"]) for m in milestones if m.get("status") == "paid"}
    recorded = {r.milestone for r in rows}
    return (
        len(charged) == len(milestones)
        and all(str(m["name"]) in recorded for m in milestones if int(m.get("amount_cents", 1)) > 0)
        and all(r.status in SETTLED for r in rows)
    )


@dataclass(frozen=True)
class RefundResult:
    booking_id: UUID
    amount_cents: int  # refunded by this call: less than requested_cents when complete is False
    refund_ids: list[str]
    failed_reversals: list[UUID]  # distribution ids whose transfer reversal must be retried by an operator
    requested_cents: int = 0
    complete: bool = True  # False: the gateway failed part-way; refund the rest (requested - amount) later
    error: str = ""  # the gateway's reason when not complete


@dataclass(frozen=True)
class _Reversal:
    distribution_id: UUID
    transfer_id: str
    amount: int
    idempotency_key: str


async def refund(
    *, viewer: Viewer, booking_id: UUID, amount: int, gateway: PaymentGateway | None = None
) -> RefundResult:
    """Refund the customer (full or partial) and reverse the recipients' transfers in proportion.

    The contract row stays locked while the refunds are computed, sent and booked, so concurrent refunds
    of a booking run one after the other and each sees what the previous one booked. When the gateway
    fails after an earlier milestone was refunded, that part stays booked and the result says how much
    went through (complete=False) instead of raising: a retry of the remainder then reaches the total.
    """
    viewer.require_user()
    gateway = gateway or get_gateway()
    booking = await ServiceBooking.get_or_none(id=booking_id)
    booking = await viewer.require_sees_booking(booking, kind="Booking", ident=booking_id, field="bookingId")
    if booking.organization_id is None or not viewer.can_manage(booking.organization_id):
        raise forbidden("Only the facility's owner or a manager may refund a booking")
    refunded, error = 0, ""
    refund_ids: list[str] = []
    reversals: list[_Reversal] = []
    events = PendingEvents()
    async with in_transaction():
        contract = await WorkContract.select_for_update().get_or_none(booking_id=booking_id)
        if contract is None:
            raise DomainError(ErrorCode.CONFLICT, "The booking has no contract yet")
        charged = await PaymentDistribution.filter(booking_id=booking_id).exclude(status=DistributionStatus.PENDING)
        groups: dict[str, list[PaymentDistribution]] = defaultdict(list)
        for row in sorted(charged, key=lambda r: (r.created_at, r.id)):
            groups[row.milestone].append(row)
        refundable = sum(r.amount_cents - r.refunded_cents for r in charged)
        if amount <= 0 or amount > refundable:
            raise bad_input("amount", f"The amount must be between 1 and {refundable} cents")
        for name in [str(m["name"]) for m in reversed(contract.milestones)]:  # the latest payment first
            rows = groups.get(name, [])
            open_cents = [r.amount_cents - r.refunded_cents for r in rows]
            if refunded == amount or sum(open_cents) == 0:
                continue
            part = min(amount - refunded, sum(open_cents))
            shares = allocate(part, open_cents)
            if any(share > left for share, left in zip(shares, open_cents, strict=True)):
                raise RuntimeError(f"refund split {shares} exceeds what is left {open_cents}")  # never sent
            already = sum(r.refunded_cents for r in rows)
            try:
                result = await gateway.refund(
                    payment_intent=str(rows[0].stripe_payment_intent_id),
                    amount=part,
                    idempotency_key=f"booking-{booking_id}-{name}-refund-{already}-{part}",
                )
            except GatewayError as exc:
                if not refund_ids:  # nothing went through: a plain failure
                    raise DomainError(
                        ErrorCode.PAYMENT_FAILED, exc.message, details={"retryable": exc.retryable}
                    ) from exc
                log.warning("refund of booking %s stopped at %s after %s cents: %s", booking_id, name, refunded, exc)
                error = exc.message
                break
            refund_ids.append(result.id)
            reversals += await _book_refund(rows, shares)
            refunded += part
        await events.add(
            channels.booking(booking_id), {"type": "payment.refunded", "bookingId": booking_id, "amount": refunded}
        )
    await events.flush()
    failed = await _reverse_transfers(gateway, reversals)
    return RefundResult(booking_id, refunded, refund_ids, failed, amount, refunded == amount, error)


async def _book_refund(rows: list[PaymentDistribution], shares: list[int]) -> list[_Reversal]:
    """Book one milestone's refund on its rows (inside the caller's transaction); the reversals it needs."""
    reversals = []
    for row, share in zip(rows, shares, strict=True):
        if share == 0:
            continue
        before = row.refunded_cents
        row.refunded_cents += share
        if row.refunded_cents == row.amount_cents:
            # Transferred: reversed below. Not yet transferred: nothing is left to pay out.
            row.status = DistributionStatus.REVERSED
            row.next_attempt_at = None
        await row.save(update_fields=["refunded_cents", "status", "next_attempt_at", "updated_at"])
        transferred = row.status in (*TRANSFERRED, DistributionStatus.REVERSED) and row.stripe_transfer_id
        if transferred and row.recipient_type != RecipientType.PLATFORM:  # the platform's fee never left
            key = f"{row.idempotency_key}-reversal-{before}-{share}"
            reversals.append(_Reversal(row.id, str(row.stripe_transfer_id), share, key))
    return reversals


async def _reverse_transfers(gateway: PaymentGateway, reversals: list[_Reversal]) -> list[UUID]:
    """After the refund is booked: take the recipients' shares back; failures are left for an operator."""
    failed = []
    for item in reversals:
        try:
            await gateway.reverse_transfer(
                transfer_id=item.transfer_id, amount=item.amount, idempotency_key=item.idempotency_key
            )
        except GatewayError as exc:
            failed.append(item.distribution_id)
            await PaymentDistribution.filter(id=item.distribution_id).update(
                last_error=f"reversal of {item.amount} cents failed: {exc.code}: {exc.message}"[:2000]
            )
    return failed


async def reconcile(*, gateway: PaymentGateway | None = None) -> dict[str, int]:
    """Mark completed distributions reconciled when the gateway's transfer matches (net of reversals)."""
    gateway = gateway or get_gateway()
    counts = {"reconciled": 0, "mismatched": 0}
    rows = await PaymentDistribution.filter(status=DistributionStatus.COMPLETED).order_by("created_at", "id")
    by_group: dict[str, list[PaymentDistribution]] = defaultdict(list)
    for row in rows:
        by_group[row.transfer_group].append(row)
    for group, group_rows in by_group.items():
        known = {t.id: t for t in await gateway.list_transfers(transfer_group=group)}
        for row in group_rows:
            problem = ""
            if row.recipient_type != RecipientType.PLATFORM:  # the platform's share never leaves
                transfer = known.get(row.stripe_transfer_id or "")
                if transfer is None and row.stripe_transfer_id:
                    transfer = await gateway.retrieve_transfer(row.stripe_transfer_id)
                if transfer is None:
                    problem = "transfer not found at the gateway"
                elif transfer.amount - transfer.amount_reversed != row.amount_cents - row.refunded_cents:
                    problem = f"gateway has {transfer.amount - transfer.amount_reversed} cents net"
                elif transfer.destination != await destination_of(row):
                    problem = f"gateway paid {transfer.destination}"
            if problem:
                counts["mismatched"] += 1
                await PaymentDistribution.filter(id=row.id).update(last_error=f"reconcile: {problem}")
            else:
                counts["reconciled"] += 1
                await PaymentDistribution.filter(id=row.id, status=DistributionStatus.COMPLETED).update(
                    status=DistributionStatus.RECONCILED, last_error=""
                )
    return counts
