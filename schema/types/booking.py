"""Bookings with their quote, reservations, job offers, history and reviews.

A ServiceBooking object is only ever built for a viewer allowed to see it (the root fields and
parents filter); its children apply their own, narrower rules.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

import models
from app.services.coordination import plan
from app.services.next_actions import next_actions
from schema.connections import BY_START, OLDEST_FIRST, After, Before, Connection, First, Last, page_request
from schema.context import Info
from schema.enums import (
    BookingAction,
    BookingStatus,
    JobOfferStatus,
    PartyType,
    ResourceType,
    ServiceType,
    SkillCategory,
)
from schema.scalars import Cents
from schema.types.base import from_row
from schema.types.coordination import ExcludedCandidate, MatchedLabor, QuoteAlternative, Timeline

if TYPE_CHECKING:
    from schema.types.contract import WorkContract
    from schema.types.organization import Organization, OrganizationCapability, OrganizationService
    from schema.types.user import User, Vehicle

OrgRef = Annotated["Organization", strawberry.lazy("schema.types.organization")]
ServiceRef = Annotated["OrganizationService", strawberry.lazy("schema.types.organization")]
CapabilityRef = Annotated["OrganizationCapability", strawberry.lazy("schema.types.organization")]
UserRef = Annotated["User", strawberry.lazy("schema.types.user")]
VehicleRef = Annotated["Vehicle", strawberry.lazy("schema.types.user")]
ContractRef = Annotated["WorkContract", strawberry.lazy("schema.types.contract")]


async def _user(info: Info, user_id: int | None) -> User | None:
    from schema.types.user import User

    row = await info.context.loaders.one(models.User, user_id)
    return from_row(User, row) if row else None


async def _organization(info: Info, organization_id: int | None) -> Organization | None:
    from schema.types.organization import Organization

    row = await info.context.loaders.one(models.Organization, organization_id)
    return from_row(Organization, row) if row else None


@strawberry.type
class LaborLine:
    user_id: int
    name: str
    role: SkillCategory
    hours: float
    amount_cents: Cents


@strawberry.type(
    description="The quote's price, read from the booking's columns (totalQuotedPriceCents and its parts), with"
    " the split and each person's pay line."
)
class QuoteBreakdown:
    total_cents: Cents
    service_price_cents: Cents
    facility_fee_cents: Cents
    materials_cents: Cents
    labor_fee_cents: Cents
    platform_fee_cents: Cents
    labor: list[LaborLine]


@strawberry.type(description="A person on the booking's plan: the seed's assigned_labor_users entry.")
class AssignedLaborUser:
    user_id: int
    role: SkillCategory
    hours: float


@strawberry.type(description="A capability's planned hours: the seed's assigned_capabilities entry.")
class AssignedCapability:
    capability_id: int
    hours: float


@strawberry.type(description="A person the acceptance staffed differently from the quote, and why.")
class StaffingChange:
    role: str
    user_id: int
    name: str
    quoted_hours: float
    reserved_hours: float
    reason: str


@strawberry.type
class BookingStatusChange:
    row: strawberry.Private[models.BookingStatusHistory]
    id: int
    from_status: BookingStatus | None
    to_status: BookingStatus
    reason: str
    created_at: datetime

    @strawberry.field
    async def changed_by(self, info: Info) -> UserRef | None:
        return await _user(info, self.row.changed_by_id)


@strawberry.type
class CapacityBlock:
    row: strawberry.Private[models.CapacitySchedule]
    id: int
    resource_type: ResourceType
    resource_id: int = strawberry.field(description="The capability's id or the person's, by resourceType.")
    organization_id: int
    date: date = strawberry.field(
        description="The facility-local day the block starts on; a block past midnight keeps its first day."
    )
    start_time: datetime
    end_time: datetime
    duration_hours: float
    units: int
    is_reserved: bool
    is_blocked: bool
    notes: str
    created_at: datetime

    @strawberry.field
    def booking_id(self) -> int | None:
        return self.row.booking_id

    @strawberry.field
    async def capability(self, info: Info) -> CapabilityRef | None:
        from schema.types.organization import OrganizationCapability

        row = await info.context.loaders.one(models.OrganizationCapability, self.row.capability_id)
        return from_row(OrganizationCapability, row) if row else None

    @strawberry.field
    async def user(self, info: Info) -> UserRef | None:
        return await _user(info, self.row.user_id)

    @strawberry.field
    async def organization(self, info: Info) -> OrgRef | None:
        return await _organization(info, self.row.organization_id)


@strawberry.type
class JobOffer:
    row: strawberry.Private[models.JobOffer]
    id: int
    role: SkillCategory
    rank: int
    hours: float
    amount_cents: Cents
    status: JobOfferStatus
    expires_at: datetime
    responded_at: datetime | None
    created_at: datetime

    @strawberry.field
    async def user(self, info: Info) -> UserRef | None:
        return await _user(info, self.row.user_id)

    @strawberry.field(description="The booking, for the offered person, its facility and admins.")
    async def booking(self, info: Info) -> ServiceBooking | None:
        row = await info.context.loaders.one(models.ServiceBooking, self.row.booking_id)
        return from_row(ServiceBooking, row) if row else None


@strawberry.type
class Review:
    row: strawberry.Private[models.Review]
    id: int
    subject_type: PartyType
    score: int
    comment: str
    created_at: datetime

    @strawberry.field
    async def author(self, info: Info) -> UserRef | None:
        return await _user(info, self.row.author_id)

    @strawberry.field
    async def subject_user(self, info: Info) -> UserRef | None:
        return await _user(info, self.row.subject_user_id)

    @strawberry.field
    async def subject_organization(self, info: Info) -> OrgRef | None:
        return await _organization(info, self.row.subject_organization_id)


@strawberry.type
class ServiceBooking:
    row: strawberry.Private[models.ServiceBooking]
    id: int
    customer_id: int
    organization_id: int | None
    vehicle_id: int | None
    service_id: int | None
    service_type: ServiceType
    title: str
    description: str
    status: BookingStatus
    requested_start_date: date
    requested_completion_date: date | None
    flexible_timeline: bool
    search_latitude: float | None
    search_longitude: float | None
    search_radius_miles: int | None
    customer_notes: str = strawberry.field(description="The customer's notes: everyone who sees the booking.")
    total_quoted_price_cents: Cents | None = strawberry.field(
        description="The quote's price; null until priced. Always the sum of the four parts below."
    )
    facility_fee_cents: Cents | None
    labor_fee_cents: Cents | None
    materials_cost_cents: Cents | None
    platform_fee_cents: Cents | None
    quote_expires_at: datetime | None
    scheduled_start: datetime | None
    scheduled_end: datetime | None
    calculated_start_date: date | None = strawberry.field(description="The facility-local day the work starts.")
    calculated_completion_date: date | None = strawberry.field(
        description="The facility-local day the scheduled window ends."
    )
    actual_start_date: date | None = strawberry.field(description="The facility-local day work started.")
    actual_completion_date: date | None = strawberry.field(description="The facility-local day work completed.")
    actual_start: datetime | None
    actual_completion: datetime | None
    coordination_score: int | None
    capacity_utilization: float | None
    confidence: float | None
    cancellation_reason: str
    created_at: datetime
    updated_at: datetime

    async def _crew(self, info: Info) -> list[int]:
        offers = await info.context.loaders.many(models.JobOffer, "booking_id", self.row.id)
        return [o.user_id for o in offers if o.status == JobOfferStatus.ACCEPTED]

    @strawberry.field(description="The facility's notes: its members, the booking's accepted labor and admins.")
    async def facility_notes(self, info: Info) -> str | None:
        visible = info.context.viewer.sees_work_notes(self.row, await self._crew(info))
        return self.row.facility_notes if visible else None

    @strawberry.field(description="The labor's notes: the facility's members, the accepted labor and admins.")
    async def labor_notes(self, info: Info) -> str | None:
        visible = info.context.viewer.sees_work_notes(self.row, await self._crew(info))
        return self.row.labor_notes if visible else None

    @strawberry.field(description="The people on the plan with role and hours; a laborer sees their own line.")
    def assigned_labor_users(self, info: Info) -> list[AssignedLaborUser]:
        lines = [plan.AssignedLabor.from_json(item) for item in self.row.assigned_labor_users or []]
        visible = info.context.viewer.booking_labor(lines, lambda line: line.user_id, booking=self.row)
        return [AssignedLaborUser(user_id=a.user_id, role=SkillCategory(a.role), hours=float(a.hours)) for a in visible]

    @strawberry.field(description="The capabilities on the plan with their hours.")
    def assigned_capabilities(self) -> list[AssignedCapability]:
        items = [plan.AssignedCapability.from_json(item) for item in self.row.assigned_capabilities or []]
        return [AssignedCapability(capability_id=c.capability_id, hours=float(c.hours)) for c in items]

    def _visible_labor(self, info: Info) -> list[plan.LaborLine]:
        breakdown = plan.breakdown_of(self.row)
        lines = breakdown.labor if breakdown else ()
        return info.context.viewer.booking_labor(lines, lambda line: line.user_id, booking=self.row)

    @strawberry.field
    def quote_breakdown(self, info: Info) -> QuoteBreakdown | None:
        b = plan.breakdown_of(self.row)
        if b is None:
            return None
        return QuoteBreakdown(
            total_cents=Cents(b.total_cents),
            service_price_cents=Cents(b.service_price_cents),
            facility_fee_cents=Cents(b.facility_fee_cents),
            materials_cents=Cents(b.materials_cents),
            labor_fee_cents=Cents(b.labor_fee_cents),
            platform_fee_cents=Cents(b.platform_fee_cents),
            labor=[
                LaborLine(
                    user_id=line.user_id,
                    name=line.name,
                    role=SkillCategory(line.role),
                    hours=float(line.hours),
                    amount_cents=Cents(line.amount_cents),
                )
                for line in self._visible_labor(info)
            ],
        )

    @strawberry.field(description="Start, completion and confidence of the quoted schedule.")
    def timeline(self) -> Timeline:
        confidence = self.row.confidence
        return Timeline(
            start=self.row.scheduled_start,
            completion=self.row.scheduled_end,
            confidence=float(confidence) if confidence is not None else None,
        )

    @strawberry.field(description="Up to three other feasible options.")
    def quote_alternatives(self) -> list[QuoteAlternative]:
        return [QuoteAlternative.of(item) for item in self.row.alternatives or []]

    @strawberry.field(description="Every candidate facility that was excluded, with its reason.")
    def excluded_candidates(self) -> list[ExcludedCandidate]:
        return [ExcludedCandidate.of(item) for item in self.row.excluded or []]

    @strawberry.field(
        description="Who accepting the quote had to staff differently from it (dropped, added, other hours) and"
        " why; empty when the quote's people were reserved as quoted. A laborer sees only their own line."
    )
    def staffing_changes(self, info: Info) -> list[StaffingChange]:
        viewer = info.context.viewer
        everyone = viewer.is_booking_party(customer_id=self.row.customer_id, organization_id=self.row.organization_id)
        return [
            StaffingChange(
                role=str(item["role"]),
                user_id=int(item["user_id"]),
                name=str(item.get("name", "")),
                quoted_hours=float(item.get("quoted_hours", 0)),
                reserved_hours=float(item.get("reserved_hours", 0)),
                reason=str(item.get("reason", "")),
            )
            for item in self.row.staffing_changes or []
            if everyone or int(item["user_id"]) == viewer.user_id
        ]

    @strawberry.field(description="The people matched by the quote, with hours and pay.")
    def matched_labor(self, info: Info) -> list[MatchedLabor]:
        distances = {c.user_id: c.distance_miles for role in plan.plan_of(self.row).roles for c in role.candidates}
        return [
            MatchedLabor(
                user_id=line.user_id,
                name=line.name,
                role=SkillCategory(line.role),
                hours=float(line.hours),
                amount_cents=Cents(line.amount_cents),
                distance_miles=distances.get(line.user_id),
            )
            for line in self._visible_labor(info)
        ]

    @strawberry.field(description="The moves the viewer may make next; each is accepted by its mutation now.")
    async def next_actions(self, info: Info) -> list[BookingAction]:
        loaders = info.context.loaders
        contracts = await loaders.many(models.WorkContract, "booking_id", self.row.id)
        offers = await loaders.many(models.JobOffer, "booking_id", self.row.id)
        accepted = sorted((o for o in offers if o.status == JobOfferStatus.ACCEPTED), key=lambda o: o.id)
        return await next_actions(
            viewer=info.context.viewer,
            booking=self.row,
            contract=contracts[0] if contracts else None,
            accepted_offers=accepted,
        )

    @strawberry.field
    async def organization(self, info: Info) -> OrgRef | None:
        return await _organization(info, self.row.organization_id)

    @strawberry.field
    async def customer(self, info: Info) -> UserRef | None:
        return await _user(info, self.row.customer_id)

    @strawberry.field
    async def vehicle(self, info: Info) -> VehicleRef | None:
        from schema.types.user import Vehicle

        row = await info.context.loaders.one(models.Vehicle, self.row.vehicle_id)
        return from_row(Vehicle, row) if row else None

    @strawberry.field
    async def service(self, info: Info) -> ServiceRef | None:
        from schema.types.organization import OrganizationService

        row = await info.context.loaders.one(models.OrganizationService, self.row.service_id)
        return from_row(OrganizationService, row) if row else None

    @strawberry.field
    async def contract(self, info: Info) -> ContractRef | None:
        from schema.types.contract import WorkContract

        rows = await info.context.loaders.many(models.WorkContract, "booking_id", self.row.id)
        return from_row(WorkContract, rows[0]) if rows else None

    @strawberry.field(description="Reserved capability and labor time of this booking, by start.")
    async def capacity_blocks(
        self, info: Info, first: First = None, after: After = None, last: Last = None, before: Before = None
    ) -> Connection[CapacityBlock]:
        # The booking's parties see every reservation; a laborer on it, only their own time (access.booking_labor).
        page = await info.context.loaders.page(
            models.CapacitySchedule,
            "booking_id",
            self.row.id,
            BY_START,
            page_request(first, after, last, before),
            visible=info.context.viewer.visible_rows(
                own="user_id", member_of="booking__organization_id", party_of="booking"
            ),
        )
        return Connection.of(page, lambda block: from_row(CapacityBlock, block))

    @strawberry.field(description="Job offers: all for the facility and admins, one's own for labor.")
    async def job_offers(
        self, info: Info, first: First = None, after: After = None, last: Last = None, before: Before = None
    ) -> Connection[JobOffer]:
        # All for the facility's members, one's own for labor; not the customer's (access.booking_offers).
        page = await info.context.loaders.page(
            models.JobOffer,
            "booking_id",
            self.row.id,
            OLDEST_FIRST,
            page_request(first, after, last, before),
            visible=info.context.viewer.visible_rows(own="user_id", member_of="booking__organization_id"),
        )
        return Connection.of(page, lambda offer: from_row(JobOffer, offer))

    @strawberry.field(description="Every status move, oldest first.")
    async def status_history(
        self, info: Info, first: First = None, after: After = None, last: Last = None, before: Before = None
    ) -> Connection[BookingStatusChange]:
        request = page_request(first, after, last, before)
        page = await info.context.loaders.page(
            models.BookingStatusHistory, "booking_id", self.row.id, OLDEST_FIRST, request
        )
        return Connection.of(page, lambda row: from_row(BookingStatusChange, row))

    @strawberry.field(description="Reviews of this booking's parties, oldest first.")
    async def reviews(
        self, info: Info, first: First = None, after: After = None, last: Last = None, before: Before = None
    ) -> Connection[Review]:
        request = page_request(first, after, last, before)
        page = await info.context.loaders.page(models.Review, "booking_id", self.row.id, OLDEST_FIRST, request)
        return Connection.of(page, lambda row: from_row(Review, row))
