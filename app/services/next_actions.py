"""The moves a viewer may make next on a booking, from the state machines and the viewer's role.

Each action names one mutation; the rules are the ones that mutation enforces (lifecycle.may_move,
may_cancel and check_transition, the acceptance and pricing checks, contracts.parties_to_sign,
payments.next_payable), so a client that offers only these never offers a move the server refuses.
"""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

from app.services import contracts
from app.services.access import Viewer
from app.services.coordination import lifecycle
from app.services.payments.service import next_payable
from models import JobOffer, ServiceBooking, WorkContract
from models.enums import BookingStatus, StrEnum


class BookingAction(StrEnum):
    ACCEPT_QUOTE = "accept_quote"  # acceptQuote
    PRICE_QUOTE = "price_quote"  # priceCustomQuote
    SIGN_CONTRACT = "sign_contract"  # signContract
    START_WORK = "start_work"  # updateBookingStatus(IN_PROGRESS): start, resume after review or dispute
    REQUEST_REVIEW = "request_review"  # updateBookingStatus(QUALITY_REVIEW)
    COMPLETE = "complete"  # updateBookingStatus(COMPLETED)
    DISPUTE = "dispute"  # updateBookingStatus(DISPUTED)
    PAY = "pay"  # startPayment(milestone) for the next payable milestone
    CANCEL = "cancel"  # cancelBooking


# The actions that are a plain move along the booking's state machine, and where each goes.
STATUS_MOVES: dict[BookingAction, BookingStatus] = {
    BookingAction.START_WORK: BookingStatus.IN_PROGRESS,
    BookingAction.REQUEST_REVIEW: BookingStatus.QUALITY_REVIEW,
    BookingAction.COMPLETE: BookingStatus.COMPLETED,
    BookingAction.DISPUTE: BookingStatus.DISPUTED,
}


async def next_actions_of(
    *, viewer: Viewer, booking: ServiceBooking, now: datetime | None = None
) -> list[BookingAction]:
    """next_actions, reading the booking's contract and accepted offers."""
    contract = await WorkContract.get_or_none(booking_id=booking.id)
    offers = await contracts.labor_parties(booking.id) if contract is not None else []
    return await next_actions(viewer=viewer, booking=booking, contract=contract, accepted_offers=offers, now=now)


async def next_actions(
    *,
    viewer: Viewer,
    booking: ServiceBooking,
    contract: WorkContract | None,
    accepted_offers: list[JobOffer],
    now: datetime | None = None,
) -> list[BookingAction]:
    """What this viewer may do next with this booking, in the enum's order."""
    if viewer.user is None:
        return []
    now = now or datetime.now(UTC)
    status = BookingStatus(booking.status)
    org_id: UUID | None = booking.organization_id
    is_customer = booking.customer_id == viewer.user.id
    found: set[BookingAction] = set()
    unexpired = booking.quote_expires_at is None or booking.quote_expires_at > now
    if is_customer and status is BookingStatus.QUOTE_READY and unexpired:
        found.add(BookingAction.ACCEPT_QUOTE)
    if status is BookingStatus.QUOTE_REQUESTED and org_id is not None and viewer.can_manage(org_id):
        found.add(BookingAction.PRICE_QUOTE)
    for action, to in STATUS_MOVES.items():
        if to in lifecycle.TRANSITIONS[status] and lifecycle.may_move(viewer, booking, to):
            found.add(action)
    if status in lifecycle.CANCELLABLE and lifecycle.may_cancel(viewer, booking):
        found.add(BookingAction.CANCEL)
    if contract is not None:
        if await contracts.parties_to_sign(viewer, contract, accepted_offers):
            found.add(BookingAction.SIGN_CONTRACT)
        if is_customer and next_payable(contract, status) is not None:
            found.add(BookingAction.PAY)
    return [a for a in BookingAction if a in found]
