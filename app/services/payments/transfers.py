"""One transfer attempt for one PaymentTransfer row: claim, call the gateway, record the outcome.

All state lives in the row (status, attempts, next_attempt_at, last_error), so any process may resume
the work after a restart. A claim is a conditional UPDATE (no lock held during the network call);
a process that dies mid-call leaves the row claimed until the lease runs out, and the retry reuses the
row's idempotency key, so the processor performs the transfer at most once.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from tortoise.transactions import in_transaction

from app.services.payments import records
from app.services.payments.gateway import GatewayError, PaymentGateway
from models import Organization, PaymentTransfer, User
from models.enums import RecipientType, TransferStatus

log = logging.getLogger("nzero.payments")

DUE = (TransferStatus.PROCESSING, TransferStatus.FAILED)
MAX_ATTEMPTS = 10
BASE_DELAY = timedelta(seconds=30)
MAX_DELAY = timedelta(hours=1)
LEASE = timedelta(minutes=2)


def backoff(attempts: int) -> timedelta:
    """Delay before attempt `attempts + 1`: 30 s, 1 min, 2 min, … capped at one hour."""
    delay: timedelta = min(BASE_DELAY * (2 ** max(attempts - 1, 0)), MAX_DELAY)
    return delay


async def destination_of(row: PaymentTransfer) -> str | None:
    if row.recipient_type == RecipientType.FACILITY:
        org = await Organization.get(id=row.recipient_organization_id)
        return org.stripe_account_id
    user = await User.get(id=row.recipient_user_id)
    return user.stripe_account_id


async def execute_transfer(*, gateway: PaymentGateway, transfer_id: int, now: datetime) -> TransferStatus:
    """Try the row's transfer once if it is due; returns the row's status afterwards."""
    row = await PaymentTransfer.get(id=transfer_id)
    if row.status not in DUE or row.held or row.next_attempt_at is None or row.next_attempt_at > now:
        return TransferStatus(row.status)
    claimed = await PaymentTransfer.filter(id=row.id, held=False, status=row.status, attempts=row.attempts).update(
        attempts=row.attempts + 1, next_attempt_at=now + LEASE
    )
    if not claimed:  # another worker took it
        return TransferStatus(row.status)
    attempts = row.attempts + 1
    amount = row.amount_cents - row.refunded_cents
    if amount <= 0 or row.recipient_type == RecipientType.PLATFORM:
        # Fully refunded before it was paid out (or the platform's own share): nothing to transfer.
        status = TransferStatus.REVERSED if amount <= 0 else TransferStatus.COMPLETED
        async with in_transaction():
            await PaymentTransfer.filter(id=row.id).update(status=status, next_attempt_at=None, processed_at=now)
            await records.sync(row.distribution_id, now=now)
        return status
    destination = await destination_of(row)
    try:
        if not destination:
            raise GatewayError("the recipient has no connected payment account yet", retryable=True, code="no_account")
        transfer = await gateway.create_transfer(
            amount=amount,
            destination=destination,
            transfer_group=row.transfer_group,
            idempotency_key=row.idempotency_key,
            metadata={
                "payment_transfer_id": str(row.id),
                "booking_id": str(row.booking_id),
                "milestone": row.milestone,
            },
        )
    except GatewayError as exc:
        retry = exc.retryable and attempts < MAX_ATTEMPTS
        log.warning("transfer %s attempt %s failed (%s): %s", row.idempotency_key, attempts, exc.code, exc.message)
        async with in_transaction():
            await PaymentTransfer.filter(id=row.id, status__in=DUE).update(
                status=TransferStatus.FAILED,
                last_error=f"{exc.code}: {exc.message}"[:2000],
                next_attempt_at=now + backoff(attempts) if retry else None,  # None: left for an operator
            )
            await records.sync(row.distribution_id, now=now)
        return TransferStatus.FAILED
    # A transfer.created webhook may have recorded it already; the conditional update keeps that.
    async with in_transaction():
        await PaymentTransfer.filter(id=row.id, status__in=DUE).update(
            status=TransferStatus.COMPLETED,
            stripe_transfer_id=transfer.id,
            processed_at=now,
            next_attempt_at=None,
            last_error="",
        )
        await records.sync(row.distribution_id, now=now)
    return TransferStatus.COMPLETED
