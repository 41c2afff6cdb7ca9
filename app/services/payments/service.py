"""Milestone payments with split transfers, refunds and reconciliation.

Each payment event is one PaymentDistribution record (the seed's payment_distributions) with its per-recipient
PaymentTransfer rows beneath it. Outbox: the record and its rows (status pending, deterministic idempotency keys)
are committed BEFORE the gateway is called, so a crash never loses a payment, and every gateway call carries a
key derived from them, so a retry never pays twice. Every change of a row updates its record in the same
transaction (records.sync).
Row statuses: pending (charge not yet succeeded) → processing (charged; transfer due) → completed
(transferred) → reconciled (matched against the gateway); failed (retry at next_attempt_at, or left
for an operator when that is empty); reversed (fully refunded).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, NamedTuple

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
from app.services.payments import records
from app.services.payments.factory import get_gateway
from app.services.payments.gateway import GatewayError, PaymentGateway
from app.services.payments.records import CHARGES, SETTLED, TRANSFERRED, Line
from app.services.payments.split import milestone_parts
from app.services.payments.transfers import destination_of, execute_transfer
from models import PaymentDistribution, PaymentTransfer, ServiceBooking, WorkContract
from models.enums import (
    BookingStatus,
    ContractStatus,
    MilestoneName,
    MilestoneStatus,
    PaymentStatus,
    PaymentType,
    RecipientType,
    TransferStatus,
)

log = logging.getLogger("nzero.payments")
CURRENCY = "usd"


def transfer_group(booking_id: int) -> str:
    return f"booking-{booking_id}"


def intent_key(booking_id: int, milestone: str) -> str:
    return f"booking-{booking_id}-{milestone}-payment"


@dataclass(frozen=True)
class PaymentStart:
    booking_id: int
    milestone: str
    amount_cents: int
    payment_intent_id: str
    client_secret: str
    status: str
    distribution_id: int


def _milestone(contract: WorkContract, name: str) -> tuple[int, dict[str, Any]]:
    for index, item in enumerate(contract.milestones):
        if item["name"] == name:
            return index, item
    raise bad_input("milestone", f"The contract has no milestone {name!r}")


def next_payable(contract: WorkContract, status: BookingStatus) -> str | None:
    """The milestone the customer may pay now: the first unpaid one of an active contract, the final one
    only once the work is completed (start_payment refuses any other)."""
    if ContractStatus(contract.contract_status) != ContractStatus.ACTIVE:
        return None
    unpaid = [i for i, m in enumerate(contract.milestones) if m.get("status") != MilestoneStatus.PAID.value]
    if not unpaid:
        return None
    index = unpaid[0]
    if index == len(contract.milestones) - 1 and status != BookingStatus.COMPLETED:
        return None
    return str(contract.milestones[index]["name"])


async def start_payment(
    *, viewer: Viewer, booking_id: int, milestone: MilestoneName | str, gateway: PaymentGateway | None = None
) -> PaymentStart:
    """The customer pays a milestone: record the event and its split (outbox), then create the PaymentIntent."""
    user = viewer.require_user()
    gateway = gateway or get_gateway()
    name = str(milestone)
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
        if contract is None or ContractStatus(contract.contract_status) != ContractStatus.ACTIVE:
            raise DomainError(ErrorCode.INVALID_TRANSITION, "Payments start once every party has signed the contract")
        index, item = _milestone(contract, name)
        if item.get("status") == MilestoneStatus.PAID.value:
            raise DomainError(ErrorCode.CONFLICT, f"The {name} payment has already been made")
        unpaid = [m["name"] for m in contract.milestones[:index] if m.get("status") != MilestoneStatus.PAID.value]
        if unpaid:
            raise DomainError(ErrorCode.CONFLICT, f"Pay the {unpaid[0]} milestone first", field="milestone")
        if index == len(contract.milestones) - 1 and BookingStatus(booking.status) != BookingStatus.COMPLETED:
            raise DomainError(ErrorCode.INVALID_TRANSITION, "The final payment is due when the work is completed")
        record = await PaymentDistribution.get_or_none(event_key=records.charge_key(booking_id, name))
        if record is None:
            record, rows = await _write_outbox(contract, booking_id, name)
        else:
            rows = await PaymentTransfer.filter(distribution_id=record.id).order_by("id")
    amount = record.total_amount_cents
    metadata = {"booking_id": str(booking_id), "milestone": name, "contract_id": str(contract.id)}
    try:
        intent = await gateway.create_payment_intent(
            amount=amount,
            currency=CURRENCY,
            transfer_group=transfer_group(booking_id),
            idempotency_key=intent_key(booking_id, name),
            metadata=metadata,
        )
    except GatewayError as exc:
        await PaymentTransfer.filter(id__in=[r.id for r in rows]).update(last_error=f"{exc.code}: {exc.message}")
        raise DomainError(
            ErrorCode.PAYMENT_FAILED, exc.message, details={"retryable": exc.retryable, "code": exc.code}
        ) from exc
    async with in_transaction():
        await PaymentTransfer.filter(id__in=[r.id for r in rows], stripe_payment_intent_id=None).update(
            stripe_payment_intent_id=intent.id
        )
        await PaymentDistribution.filter(id=record.id, stripe_payment_intent_id=None).update(
            stripe_payment_intent_id=intent.id
        )
    if intent.status == "succeeded":  # the ledger charges at once; Stripe reports it by webhook
        await handle_payment_succeeded(payment_intent_id=intent.id, amount=amount, gateway=gateway)
    return PaymentStart(booking_id, name, amount, intent.id, intent.client_secret, intent.status, record.id)


async def _write_outbox(
    contract: WorkContract, booking_id: int, milestone: str
) -> tuple[PaymentDistribution, list[PaymentTransfer]]:
    """The charge's event record and one transfer row per recipient (inside the caller's transaction)."""
    parts = [(recipient, amount) for recipient, amount in await milestone_parts(contract, milestone) if amount]
    total = sum(amount for _, amount in parts)
    names = [str(m["name"]) for m in contract.milestones]
    lines = [
        Line(recipient.type, recipient.organization_id or recipient.user_id, amount) for recipient, amount in parts
    ]
    try:
        record = await PaymentDistribution.create(
            contract=contract,
            booking_id=booking_id,
            payment_type=records.payment_type_of(milestone, names),
            milestone=milestone,
            event_key=records.charge_key(booking_id, milestone),
            total_amount_cents=total,
            distributions=records.adding_up(total, lines),
            payment_status=PaymentStatus.PENDING,
            payment_due_date=records.milestone_due(contract, milestone),
        )
        rows = [
            await PaymentTransfer.create(
                distribution=record,
                contract=contract,
                booking_id=booking_id,
                milestone=milestone,
                recipient_type=recipient.type,
                recipient_user_id=recipient.user_id,
                recipient_organization_id=recipient.organization_id,
                amount_cents=amount,
                status=TransferStatus.PENDING,
                transfer_group=transfer_group(booking_id),
                idempotency_key=f"booking-{booking_id}-{milestone}-{recipient.key}",
            )
            for recipient, amount in parts
        ]
    except IntegrityError as exc:  # a concurrent call wrote them first
        raise DomainError(ErrorCode.CONFLICT, "This payment is already being started; try again") from exc
    return record, rows


async def handle_payment_succeeded(
    *,
    payment_intent_id: str,
    booking_id: int | None = None,
    milestone: str | None = None,
    amount: int | None = None,
    transfer_now: bool = True,
    gateway: PaymentGateway | None = None,
    now: datetime | None = None,
) -> list[int]:
    """The charge succeeded: transfers become due (and are tried at once unless transfer_now is False).

    Idempotent, and safe before start_payment stored the intent id (the webhook's metadata finds the rows).
    While the contract is disputed the transfers are held for the resolution.
    """
    now = now or datetime.now(UTC)
    events = PendingEvents()
    async with in_transaction():
        rows = await PaymentTransfer.filter(stripe_payment_intent_id=payment_intent_id)
        if not rows and booking_id is not None and milestone is not None:
            rows = await PaymentTransfer.filter(booking_id=booking_id, milestone=milestone)
        if not rows:
            raise not_found("Payment", payment_intent_id, field="paymentIntent")
        contract = await WorkContract.select_for_update().get(id=rows[0].contract_id)
        if amount is not None and amount != sum(r.amount_cents for r in rows):
            raise DomainError(ErrorCode.CONFLICT, "The amount charged differs from the recorded split")
        held = ContractStatus(contract.contract_status) == ContractStatus.DISPUTED
        kept = [r.id for r in rows if r.status == TransferStatus.PENDING and r.recipient_type == RecipientType.PLATFORM]
        due = [r.id for r in rows if r.status == TransferStatus.PENDING and r.id not in kept]
        await PaymentTransfer.filter(id__in=kept).update(  # the platform keeps its fee: nothing to send
            status=TransferStatus.COMPLETED, stripe_payment_intent_id=payment_intent_id, processed_at=now
        )
        await PaymentTransfer.filter(id__in=due).update(
            status=TransferStatus.PROCESSING,
            stripe_payment_intent_id=payment_intent_id,
            next_attempt_at=now,
            last_error="",
            held=held,
        )
        await PaymentDistribution.filter(id=rows[0].distribution_id, payment_status=PaymentStatus.FAILED).update(
            payment_status=PaymentStatus.PENDING  # a declined attempt, then a card that worked
        )
        await records.sync(rows[0].distribution_id, now=now)
        index, _ = _milestone(contract, rows[0].milestone)
        if contract.milestones[index].get("status") != MilestoneStatus.PAID.value:
            contract.milestones = [
                {**m, "status": MilestoneStatus.PAID.value} if i == index else m
                for i, m in enumerate(contract.milestones)
            ]
            await contract.save(update_fields=["milestones", "updated_at"])
            await events.add(
                channels.booking(contract.booking_id),
                {"type": "payment.succeeded", "bookingId": contract.booking_id, "milestone": rows[0].milestone},
            )
    await events.flush()
    if transfer_now and not held:
        gateway = gateway or get_gateway()
        for row_id in due:
            await execute_transfer(gateway=gateway, transfer_id=row_id, now=now)
        await settle_booking(booking_id=contract.booking_id)
    return due


async def handle_payment_failed(*, payment_intent_id: str, message: str) -> None:
    """A declined charge: its rows keep waiting (the customer may try another card), its record shows FAILED."""
    async with in_transaction():
        await PaymentTransfer.filter(stripe_payment_intent_id=payment_intent_id, status=TransferStatus.PENDING).update(
            last_error=f"payment failed: {message}"[:2000]
        )
        await PaymentDistribution.filter(
            stripe_payment_intent_id=payment_intent_id, payment_status=PaymentStatus.PENDING
        ).update(payment_status=PaymentStatus.FAILED)


async def record_transfer(*, payment_transfer_id: int, transfer_id: str) -> None:
    """A transfer the gateway reports (webhook) before our own call returned: the row is done."""
    async with in_transaction():
        row = await PaymentTransfer.get_or_none(id=payment_transfer_id)
        if row is None:
            return
        await PaymentTransfer.filter(
            id=payment_transfer_id, status__in=(TransferStatus.PROCESSING, TransferStatus.FAILED)
        ).update(status=TransferStatus.COMPLETED, stripe_transfer_id=transfer_id, next_attempt_at=None, last_error="")
        await records.sync(row.distribution_id, now=datetime.now(UTC))


async def settle_booking(*, booking_id: int, by_user_id: int | None = None) -> bool:
    """Booking → paid (contract → completed) once every milestone is charged and every transfer of it is done."""
    events = PendingEvents()
    async with in_transaction():
        booking = await ServiceBooking.select_for_update().get(id=booking_id)
        contract = await WorkContract.get_or_none(booking_id=booking_id)
        if contract is None or not contract.milestones or BookingStatus(booking.status) != BookingStatus.COMPLETED:
            return False
        rows = await PaymentTransfer.filter(contract_id=contract.id)
        if not all_paid_out(contract.milestones, rows):
            return False
        check_transition(BookingStatus(booking.status), BookingStatus.PAID)
        await booking_events.move(
            booking, BookingStatus.PAID, by_user_id=by_user_id, events=events, reason="final payment distributed"
        )
        if ContractStatus(contract.contract_status) == ContractStatus.ACTIVE:
            move_contract(contract, ContractStatus.COMPLETED)
            await contract.save(update_fields=["contract_status", "updated_at"])
    await events.flush()
    return True


def all_paid_out(milestones: list[dict[str, Any]], rows: list[PaymentTransfer]) -> bool:
    """Every milestone charged, and every party's transfer of every milestone done (or reversed by a refund)."""
    charged = {str(m["name"]) for m in milestones if m.get("status") == MilestoneStatus.PAID.value}
    recorded = {r.milestone for r in rows}
    return (
        len(charged) == len(milestones)
        and all(str(m["name"]) in recorded for m in milestones if int(m.get("amount_cents", 1)) > 0)
        and all(r.status in SETTLED for r in rows)
    )


@dataclass(frozen=True)
class RefundResult:
    booking_id: int
    amount_cents: int  # refunded by this call: less than requested_cents when complete is False
    refund_ids: list[str]
    failed_reversals: list[int]  # transfer row ids whose transfer reversal must be retried by an operator
    requested_cents: int = 0
    complete: bool = True  # False: the gateway failed part-way; refund the rest (requested - amount) later
    error: str = ""  # the gateway's reason when not complete
    distribution_id: int | None = None  # the refund's event record


@dataclass(frozen=True)
class _Reversal:
    payment_transfer_id: int
    transfer_id: str
    amount: int
    idempotency_key: str


@dataclass(frozen=True)
class Refunded:
    """What refund_locked booked: the amount, the gateway's refund ids, the reversals still to send."""

    amount: int
    refund_ids: list[str]
    reversals: list[_Reversal]
    error: str


async def charged_rows(booking_id: int) -> list[PaymentTransfer]:
    """The transfer rows of every charge that went through (inside the caller's transaction)."""
    return await PaymentTransfer.filter(booking_id=booking_id).exclude(status=TransferStatus.PENDING).order_by("id")


async def refund_locked(
    contract: WorkContract, booking_id: int, amount: int, gateway: PaymentGateway, *, key: str, now: datetime
) -> Refunded:
    """Refund `amount` to the customer, latest milestone first, reversing each recipient's share in proportion to
    what it still holds. Runs inside the caller's transaction with the contract locked. When the gateway fails after
    an earlier milestone was refunded, that part stays booked and Refunded.error says why the rest did not go."""
    charged = await charged_rows(booking_id)
    groups: dict[str, list[PaymentTransfer]] = defaultdict(list)
    for row in charged:
        groups[row.milestone].append(row)
    refunded, error = 0, ""
    refund_ids: list[str] = []
    reversals: list[_Reversal] = []
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
                idempotency_key=f"booking-{booking_id}-{name}-{key}-{already}-{part}",
            )
        except GatewayError as exc:
            if not refund_ids:  # nothing went through: a plain failure
                raise DomainError(ErrorCode.PAYMENT_FAILED, exc.message, details={"retryable": exc.retryable}) from exc
            log.warning("refund of booking %s stopped at %s after %s cents: %s", booking_id, name, refunded, exc)
            error = exc.message
            break
        refund_ids.append(result.id)
        reversals += await _book_refund(rows, shares)
        refunded += part
        await records.sync(rows[0].distribution_id, now=now)
    return Refunded(refunded, refund_ids, reversals, error)


async def refund(
    *, viewer: Viewer, booking_id: int, amount: int, gateway: PaymentGateway | None = None
) -> RefundResult:
    """Refund the customer (full or partial) and reverse the recipients' transfers in proportion; the refund is its
    own REFUND event record.

    The contract row stays locked while the refunds are computed, sent and booked, so concurrent refunds
    of a booking run one after the other and each sees what the previous one booked. When the gateway
    fails after an earlier milestone was refunded, that part stays booked and the result says how much
    went through (complete=False) instead of raising: a retry of the remainder then reaches the total.
    """
    user = viewer.require_user()
    gateway = gateway or get_gateway()
    booking = await ServiceBooking.get_or_none(id=booking_id)
    booking = await viewer.require_sees_booking(booking, kind="Booking", ident=booking_id, field="bookingId")
    if not viewer.can_manage(booking.organization_id or 0):
        raise forbidden("Only the facility's owner or a manager may refund a booking")
    now = datetime.now(UTC)
    events = PendingEvents()
    async with in_transaction():
        contract = await WorkContract.select_for_update().get_or_none(booking_id=booking_id)
        if contract is None:
            raise DomainError(ErrorCode.CONFLICT, "The booking has no contract yet")
        refundable = sum(r.amount_cents - r.refunded_cents for r in await charged_rows(booking_id))
        if amount <= 0 or amount > refundable:
            raise bad_input("amount", f"The amount must be between 1 and {refundable} cents")
        done = await refund_locked(contract, booking_id, amount, gateway, key="refund", now=now)
        count = await PaymentDistribution.filter(contract_id=contract.id, payment_type=PaymentType.REFUND).count()
        record = await PaymentDistribution.create(
            contract=contract,
            booking_id=booking_id,
            payment_type=PaymentType.REFUND,
            event_key=f"booking-{booking_id}-refund-{count + 1}",
            total_amount_cents=done.amount,
            distributions=records.adding_up(
                done.amount, [Line(RecipientType.CUSTOMER, contract.customer_id, done.amount)]
            ),
            stripe_payment_intent_id=None,
            stripe_refund_ids=done.refund_ids,
            payment_status=PaymentStatus.COMPLETED,
            payment_completed_at=now,
            created_by_id=user.id,
        )
        await events.add(
            channels.booking(booking_id), {"type": "payment.refunded", "bookingId": booking_id, "amount": done.amount}
        )
    await events.flush()
    failed = await reverse_transfers(gateway, done.reversals)
    return RefundResult(
        booking_id, done.amount, done.refund_ids, failed, amount, done.amount == amount, done.error, record.id
    )


async def _book_refund(rows: list[PaymentTransfer], shares: list[int]) -> list[_Reversal]:
    """Book one milestone's refund on its rows (inside the caller's transaction); the reversals it needs."""
    reversals = []
    for row, share in zip(rows, shares, strict=True):
        if share == 0:
            continue
        before = row.refunded_cents
        row.refunded_cents += share
        if row.refunded_cents == row.amount_cents:
            # Transferred: reversed below. Not yet transferred: nothing is left to pay out.
            row.status = TransferStatus.REVERSED
            row.next_attempt_at = None
        await row.save(update_fields=["refunded_cents", "status", "next_attempt_at", "updated_at"])
        transferred = row.status in (*TRANSFERRED, TransferStatus.REVERSED) and row.stripe_transfer_id
        if transferred and row.recipient_type != RecipientType.PLATFORM:  # the platform's fee never left
            key = f"{row.idempotency_key}-reversal-{before}-{share}"
            reversals.append(_Reversal(row.id, str(row.stripe_transfer_id), share, key))
    return reversals


async def reverse_transfers(gateway: PaymentGateway, reversals: list[_Reversal]) -> list[int]:
    """After the refund is booked: take the recipients' shares back; failures are left for an operator."""
    failed = []
    for item in reversals:
        try:
            await gateway.reverse_transfer(
                transfer_id=item.transfer_id, amount=item.amount, idempotency_key=item.idempotency_key
            )
        except GatewayError as exc:
            failed.append(item.payment_transfer_id)
            await PaymentTransfer.filter(id=item.payment_transfer_id).update(
                last_error=f"reversal of {item.amount} cents failed: {exc.code}: {exc.message}"[:2000]
            )
    return failed


class Reconciliation(NamedTuple):
    reconciled: int  # transfer rows matched against the gateway
    mismatched: int
    records: int  # event records newly marked reconciled


async def reconcile(*, gateway: PaymentGateway | None = None, now: datetime | None = None) -> Reconciliation:
    """Mark completed transfers reconciled when the gateway's transfer matches (net of reversals), and each event
    record reconciled (with the time) once all its transfers are; a refund or a dispute's resolution once every
    charge of its contract is. On the local ledger too: it answers from the transfers this process recorded."""
    gateway = gateway or get_gateway()
    now = now or datetime.now(UTC)
    reconciled = mismatched = 0
    rows = await PaymentTransfer.filter(status=TransferStatus.COMPLETED).order_by("id")
    by_group: dict[str, list[PaymentTransfer]] = defaultdict(list)
    for row in rows:
        by_group[row.transfer_group].append(row)
    touched: set[int] = set()
    newly: set[int] = set()  # records marked reconciled by this pass
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
                mismatched += 1
                await PaymentTransfer.filter(id=row.id).update(last_error=f"reconcile: {problem}")
                continue
            reconciled += 1
            async with in_transaction():
                await PaymentTransfer.filter(id=row.id, status=TransferStatus.COMPLETED).update(
                    status=TransferStatus.RECONCILED, last_error=""
                )
                record = await records.sync(row.distribution_id, now=now)
            if record.reconciled_at == now:
                newly.add(record.id)
            touched.add(row.contract_id)
    for contract_id in sorted(touched):
        charges = await PaymentDistribution.filter(contract_id=contract_id, payment_type__in=CHARGES)
        if charges and all(c.reconciled for c in charges):
            others = PaymentDistribution.filter(
                contract_id=contract_id, reconciled=False, payment_status=PaymentStatus.COMPLETED
            ).exclude(payment_type__in=CHARGES)
            newly.update(await others.values_list("id", flat=True))  # type: ignore[arg-type]
            await others.update(reconciled=True, reconciled_at=now)
    return Reconciliation(reconciled, mismatched, len(newly))


async def reconcile_as(*, viewer: Viewer, gateway: PaymentGateway | None = None) -> Reconciliation:
    """reconcile, for an admin (the payout worker runs it on its own)."""
    viewer.require_user()
    if not viewer.is_admin:
        raise forbidden("Only an admin may reconcile payments")
    return await reconcile(gateway=gateway)
