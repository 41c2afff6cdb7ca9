"""Root fields of the coordination engine: utilization, quotes, acceptance, job offers and the lifecycle."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import strawberry

from app.services import booking_notes
from app.services.access import NoteKind
from app.services.coordination import acceptance, lifecycle, offers, quoting, utilization
from schema.context import Info
from schema.enums import BookingStatus
from schema.inputs import QuoteRequestInput
from schema.results import AcceptQuoteResult, RequestQuoteResult, RespondToJobOfferResult, reports_failures
from schema.scalars import Cents
from schema.types.base import from_row
from schema.types.booking import JobOffer, ServiceBooking
from schema.types.coordination import Utilization


@strawberry.type
class CoordinationQuery:
    @strawberry.field(description="Capacity, reservations, blocks and utilization per capability and day.")
    async def utilization(
        self,
        info: Info,
        organization_id: int,
        start: Annotated[date, strawberry.argument(name="from")],
        end: Annotated[date, strawberry.argument(name="to")],
    ) -> Utilization:
        report = await utilization.utilization(
            viewer=info.context.viewer, organization_id=organization_id, start=start, end=end
        )
        return Utilization.of(report)


@strawberry.type
class CoordinationMutation:
    @strawberry.mutation(description="Find facility, labor and the earliest window; price it; QUOTE_READY booking.")
    @reports_failures(RequestQuoteResult, argument="input")
    async def request_quote(self, info: Info, input: QuoteRequestInput) -> RequestQuoteResult:
        booking = await quoting.request_quote(viewer=info.context.viewer, request=input.to_request())
        return from_row(ServiceBooking, booking)

    @strawberry.mutation(description="The facility prices a custom-quote request.")
    async def price_custom_quote(
        self, info: Info, booking_id: int, price_cents: Cents, materials_cents: Cents = Cents(0)
    ) -> ServiceBooking:
        booking = await quoting.price_custom_quote(
            viewer=info.context.viewer, booking_id=booking_id, price_cents=price_cents, materials_cents=materials_cents
        )
        return from_row(ServiceBooking, booking)

    @strawberry.mutation(
        description="Replace a booking's notes: the customer writes customerNotes, any member of the facility"
        " facilityNotes, the labor holding an accepted offer laborNotes (admins any). A note the viewer may not"
        " write refuses the whole change."
    )
    async def update_booking_notes(
        self,
        info: Info,
        booking_id: int,
        customer_notes: str | None = None,
        facility_notes: str | None = None,
        labor_notes: str | None = None,
    ) -> ServiceBooking:
        given = {NoteKind.CUSTOMER: customer_notes, NoteKind.FACILITY: facility_notes, NoteKind.LABOR: labor_notes}
        booking = await booking_notes.update_notes(
            viewer=info.context.viewer,
            booking_id=booking_id,
            notes={kind: text for kind, text in given.items() if text is not None},
        )
        return from_row(ServiceBooking, booking)

    @strawberry.mutation(description="Reserve capacity and labor, create the contract and the job offers, at once.")
    @reports_failures(AcceptQuoteResult)
    async def accept_quote(self, info: Info, booking_id: int) -> AcceptQuoteResult:
        booking = await acceptance.accept_quote(viewer=info.context.viewer, booking_id=booking_id)
        return from_row(ServiceBooking, booking)

    @strawberry.mutation
    @reports_failures(RespondToJobOfferResult)
    async def respond_to_job_offer(self, info: Info, offer_id: int, accept: bool) -> RespondToJobOfferResult:
        offer = await offers.respond_to_job_offer(viewer=info.context.viewer, offer_id=offer_id, accept=accept)
        return from_row(JobOffer, offer)

    @strawberry.mutation
    async def update_booking_status(self, info: Info, booking_id: int, status: BookingStatus) -> ServiceBooking:
        booking = await lifecycle.update_booking_status(
            viewer=info.context.viewer, booking_id=booking_id, status=status
        )
        return from_row(ServiceBooking, booking)

    @strawberry.mutation(description="Cancel before work starts; releases every reservation.")
    async def cancel_booking(self, info: Info, booking_id: int, reason: str) -> ServiceBooking:
        booking = await lifecycle.cancel_booking(viewer=info.context.viewer, booking_id=booking_id, reason=reason)
        return from_row(ServiceBooking, booking)
