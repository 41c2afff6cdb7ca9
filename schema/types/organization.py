"""Organizations, their catalog, capabilities and members."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.scalars import JSON

import models
from models.enums import CAPABILITY_KINDS
from schema.connections import BY_START, NEWEST_FIRST, NOTHING, After, Before, Connection, First, Last, page_request
from schema.context import Info
from schema.enums import (
    BookingStatus,
    CapabilityKind,
    CapabilityType,
    MemberRole,
    PricingModel,
    Proficiency,
    ServiceType,
    SkillCategory,
)
from schema.inputs import INTERRUPTION
from schema.scalars import Cents
from schema.types.base import from_row, from_rows

if TYPE_CHECKING:
    from schema.types.booking import CapacityBlock, ServiceBooking
    from schema.types.user import User

UserRef = Annotated["User", strawberry.lazy("schema.types.user")]
BookingRef = Annotated["ServiceBooking", strawberry.lazy("schema.types.booking")]
BlockRef = Annotated["CapacityBlock", strawberry.lazy("schema.types.booking")]


@strawberry.type
class RequiredCapability:
    capability_type: CapabilityType
    hours: float | None = None
    units: int | None = None


@strawberry.type
class RequiredSkill:
    skill_category: SkillCategory
    min_proficiency: Proficiency
    hours: float


@strawberry.type
class PriceTier:
    up_to_value_cents: Cents | None
    price_cents: Cents


@strawberry.type
class OrganizationService:
    row: strawberry.Private[models.OrganizationService]
    id: int
    service_name: str
    service_type: ServiceType
    description: str
    pricing_model: PricingModel
    base_price_cents: Cents
    hourly_rate_cents: Cents
    percentage_rate_bps: int
    materials_cost_cents: Cents
    estimated_hours: float
    estimated_days: int
    allows_interruption: bool = strawberry.field(description=INTERRUPTION)
    is_active: bool
    created_at: datetime
    updated_at: datetime

    @strawberry.field
    def price_tiers(self) -> list[PriceTier]:
        return [
            PriceTier(
                up_to_value_cents=None if (cap := t.get("up_to_value_cents")) is None else Cents(int(cap)),
                price_cents=Cents(int(t.get("price_cents") or 0)),
            )
            for t in self.row.price_tiers
        ]

    @strawberry.field
    def required_capabilities(self) -> list[RequiredCapability]:
        return [
            RequiredCapability(
                capability_type=CapabilityType(str(r["capability_type"])),
                hours=float(r["hours"]) if r.get("hours") is not None else None,  # type: ignore[arg-type]
                units=int(r["units"]) if r.get("units") is not None else None,  # type: ignore[call-overload]
            )
            for r in self.row.required_capabilities
        ]

    @strawberry.field
    def required_skills(self) -> list[RequiredSkill]:
        return [
            RequiredSkill(
                skill_category=SkillCategory(str(r["skill_category"])),
                min_proficiency=Proficiency(str(r.get("min_proficiency") or Proficiency.LEARNING)),
                hours=float(r.get("hours") or 0),  # type: ignore[arg-type]
            )
            for r in self.row.required_skills
        ]

    @strawberry.field
    async def organization(self, info: Info) -> Organization | None:
        row = await info.context.loaders.one(models.Organization, self.row.organization_id)
        return from_row(Organization, row) if row else None


@strawberry.type
class OrganizationCapability:
    row: strawberry.Private[models.OrganizationCapability]
    id: int
    capability_type: CapabilityType
    name: str
    quantity: int
    unit: str
    hours_per_day: float
    days_per_week: int
    specifications: JSON
    is_operational: bool
    maintenance_start: date | None
    maintenance_end: date | None
    created_at: datetime
    updated_at: datetime

    @strawberry.field
    def kind(self) -> CapabilityKind:
        return CAPABILITY_KINDS[self.row.capability_type]

    @strawberry.field
    async def organization(self, info: Info) -> Organization | None:
        row = await info.context.loaders.one(models.Organization, self.row.organization_id)
        return from_row(Organization, row) if row else None


@strawberry.type
class OrganizationMember:
    row: strawberry.Private[models.OrganizationMember]
    id: int
    role: MemberRole
    created_at: datetime

    @strawberry.field
    async def user(self, info: Info) -> UserRef | None:
        from schema.types.user import User

        row = await info.context.loaders.one(models.User, self.row.user_id)
        return from_row(User, row) if row else None

    @strawberry.field
    async def organization(self, info: Info) -> Organization | None:
        row = await info.context.loaders.one(models.Organization, self.row.organization_id)
        return from_row(Organization, row) if row else None


@strawberry.type
class Organization:
    row: strawberry.Private[models.Organization]
    id: int
    name: str
    description: str
    address: str
    city: str
    state: str
    postal_code: str
    latitude: float | None
    longitude: float | None
    timezone: str
    phone: str
    email: str
    website: str
    tags: list[str]
    keywords: list[str]
    operating_hours: JSON
    facility_share_bps: int
    labor_share_bps: int
    platform_share_bps: int
    rating: float
    rating_count: int
    completed_jobs: int
    is_active: bool
    created_at: datetime
    updated_at: datetime

    @strawberry.field(description="Connected payment account; members and admins only.")
    def stripe_account_id(self, info: Info) -> str | None:
        return self.row.stripe_account_id if info.context.viewer.is_member(self.row.id) else None

    @strawberry.field
    async def services(self, info: Info, active_only: bool = True) -> list[OrganizationService]:
        rows = await info.context.loaders.many(models.OrganizationService, "organization_id", self.row.id)
        return from_rows(OrganizationService, [r for r in rows if r.is_active or not active_only])

    @strawberry.field
    async def capabilities(self, info: Info) -> list[OrganizationCapability]:
        rows = await info.context.loaders.many(models.OrganizationCapability, "organization_id", self.row.id)
        return from_rows(OrganizationCapability, rows)

    @strawberry.field(description="Members of the organization; visible to its members and admins.")
    async def members(self, info: Info) -> list[OrganizationMember]:
        if not info.context.viewer.is_member(self.row.id):
            return []
        rows = await info.context.loaders.many(models.OrganizationMember, "organization_id", self.row.id)
        return from_rows(OrganizationMember, rows)

    @strawberry.field(description="Bookings at this organization that the viewer may see.")
    async def bookings(
        self,
        info: Info,
        status: list[BookingStatus] | None = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[BookingRef]:
        from schema.types.booking import ServiceBooking

        # All for its members and admins, a customer's own for the customer (access.organization_bookings).
        page = await info.context.loaders.page(
            models.ServiceBooking,
            "organization_id",
            self.row.id,
            NEWEST_FIRST,
            page_request(first, after, last, before),
            visible=info.context.viewer.visible_rows(own="customer_id", member_of="organization_id"),
            where=(("status__in", tuple(sorted(status))),) if status else (),
        )
        return Connection.of(page, lambda row: from_row(ServiceBooking, row))

    @strawberry.field(description="Reservations and blocks of capacity; members and admins only.")
    async def capacity_blocks(
        self, info: Info, first: First = None, after: After = None, last: Last = None, before: Before = None
    ) -> Connection[BlockRef]:
        from schema.types.booking import CapacityBlock

        request = page_request(first, after, last, before)
        if not info.context.viewer.is_member(self.row.id):
            return Connection.of(NOTHING, lambda block: from_row(CapacityBlock, block))
        page = await info.context.loaders.page(
            models.CapacitySchedule, "organization_id", self.row.id, BY_START, request
        )
        return Connection.of(page, lambda block: from_row(CapacityBlock, block))
