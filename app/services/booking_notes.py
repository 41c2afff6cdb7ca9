"""A booking's three notes: the customer's, the facility's and the labor's, each written by its own party."""

from __future__ import annotations

from tortoise.transactions import in_transaction

from app.errors import DomainError, ErrorCode, bad_input
from app.services import booking_events, validation
from app.services.access import NoteKind, Viewer
from app.services.coordination import staffing
from models import ServiceBooking

FIELDS = {NoteKind.CUSTOMER: "customerNotes", NoteKind.FACILITY: "facilityNotes", NoteKind.LABOR: "laborNotes"}


async def update_notes(*, viewer: Viewer, booking_id: int, notes: dict[NoteKind, str]) -> ServiceBooking:
    """Replace the given notes in one write; any one the viewer may not write refuses the whole change
    (NOT_FOUND when they cannot see the booking at all)."""
    viewer.require_user()
    for kind, text in notes.items():
        validation.text_length(FIELDS[kind], text)
    async with in_transaction():
        booking = await booking_events.locked_booking(booking_id)
        await viewer.require_sees_booking(booking, kind="Booking", ident=booking_id, field="bookingId")
        if not notes:  # after the access check: a stranger learns nothing about the booking from this answer
            raise bad_input("bookingId", "Give at least one of customerNotes, facilityNotes or laborNotes")
        crew = [o.user_id for o in await staffing.accepted_offers(booking.id)]
        for kind in notes:
            if not viewer.may_write_notes(booking, kind, crew):
                message = f"You may not write this booking's {FIELDS[kind]}"
                raise DomainError(ErrorCode.FORBIDDEN, message, field=FIELDS[kind])
        for kind, text in notes.items():
            setattr(booking, kind.value, text)
        await booking.save(update_fields=[*(kind.value for kind in notes), "updated_at"])
    return booking
