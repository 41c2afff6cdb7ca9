"""A disputed booking's payouts wait: its due transfers are held until the dispute ends (the worker skips them)."""

from __future__ import annotations

from datetime import datetime

from models import PaymentTransfer
from models.enums import TransferStatus

DUE = (TransferStatus.PROCESSING, TransferStatus.FAILED)


async def hold(booking_id: int) -> int:
    """Hold every transfer of the booking not yet sent (pending ones too: a charge may still succeed)."""
    return await PaymentTransfer.filter(
        booking_id=booking_id, status__in=(TransferStatus.PENDING, *DUE), held=False
    ).update(held=True)


async def release(booking_id: int, *, now: datetime) -> int:
    """Let the held transfers go: the due ones are tried at once."""
    await PaymentTransfer.filter(booking_id=booking_id, held=True, status=TransferStatus.PENDING).update(held=False)
    return await PaymentTransfer.filter(booking_id=booking_id, held=True, status__in=DUE).update(
        held=False, next_attempt_at=now
    )
