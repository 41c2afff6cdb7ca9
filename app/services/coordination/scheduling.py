"""Scheduling: a quote_accepted booking becomes scheduled once every role is staffed and its contract is active."""

from __future__ import annotations

from tortoise.transactions import in_transaction

from app.events import PendingEvents
from app.services import booking_events
from app.services.coordination import staffing
from models import WorkContract
from models.enums import BookingStatus, ContractStatus


async def maybe_schedule(*, booking_id: int) -> bool:
    """quote_accepted → scheduled once every role is filled and the contract is active; True if it moved."""
    events = PendingEvents()
    async with in_transaction():
        booking = await booking_events.locked_booking(booking_id)
        if BookingStatus(booking.status) is not BookingStatus.QUOTE_ACCEPTED:
            return False
        contract = await WorkContract.get_or_none(booking_id=booking.id)
        if contract is None or ContractStatus(contract.contract_status) is not ContractStatus.ACTIVE:
            return False
        if not await staffing.is_staffed(booking):
            return False
        await booking_events.move(
            booking, BookingStatus.SCHEDULED, by_user_id=None, events=events, reason="staffed and signed"
        )
    await events.flush()
    return True
