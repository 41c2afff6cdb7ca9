"""People: public profiles, skills, vehicles, and the signed-in viewer."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

import models
from app.services import labor_pool, skills
from schema.connections import NEWEST_FIRST, NOTHING, After, Before, Connection, First, Last, page_request
from schema.context import Info
from schema.enums import Proficiency, SkillCategory, WorkSchedule
from schema.scalars import Cents
from schema.types.base import from_row, from_rows

if TYPE_CHECKING:
    from schema.types.booking import JobOffer, ServiceBooking
    from schema.types.contract import PaymentTransfer
    from schema.types.organization import OrganizationMember

BookingRef = Annotated["ServiceBooking", strawberry.lazy("schema.types.booking")]
OfferRef = Annotated["JobOffer", strawberry.lazy("schema.types.booking")]
MemberRef = Annotated["OrganizationMember", strawberry.lazy("schema.types.organization")]
PayoutRef = Annotated["PaymentTransfer", strawberry.lazy("schema.types.contract")]


@strawberry.type(description="A certification as the seed records it.")
class Certification:
    name: str
    date: date | None


@strawberry.type(description="What a person offers: the seed's user_skills row. Verification is set by admins only.")
class UserSkill:
    row: strawberry.Private[models.UserSkill]
    id: int
    user_id: int
    skill_category: SkillCategory
    skill_name: str
    proficiency_level: Proficiency
    years_experience: int
    hourly_rate_cents: Cents
    available_hours_per_week: int
    preferred_work_schedule: WorkSchedule
    minimum_job_hours: int
    max_travel_distance_miles: int
    has_own_tools: bool
    is_verified: bool
    verified_at: datetime | None
    portfolio_image_urls: list[str]
    sample_work_urls: list[str]
    is_available: bool
    created_at: datetime
    updated_at: datetime

    @strawberry.field
    def certifications(self) -> list[Certification]:
        return [Certification(name=c.name, date=c.date) for c in skills.certifications_of(self.row)]

    @strawberry.field
    async def user(self, info: Info) -> User | None:
        row = await info.context.loaders.one(models.User, self.row.user_id)
        return from_row(User, row) if row else None

    @strawberry.field(description="The admin who verified the skill (null while it is not verified).")
    async def verified_by(self, info: Info) -> User | None:
        row = await info.context.loaders.one(models.User, self.row.verified_by_id)
        return from_row(User, row) if row else None


@strawberry.type(description="A person in the labor pool: their skill, how far they are, how they rank.")
class LaborPoolMember:
    entry: strawberry.Private[labor_pool.PoolEntry]
    distance_miles: float = strawberry.field(description="From the searched point, to the mile.")

    @strawberry.field
    def skill(self) -> UserSkill:
        return from_row(UserSkill, self.entry.skill)

    @strawberry.field
    async def user(self, info: Info) -> User | None:
        row = await info.context.loaders.one(models.User, self.entry.skill.user_id)
        return from_row(User, row) if row else None

    @strawberry.field
    def proficiency_level(self) -> Proficiency:
        return Proficiency(self.entry.skill.proficiency_level)

    @strawberry.field
    def is_verified(self) -> bool:
        return self.entry.skill.is_verified

    @strawberry.field
    def available_hours_per_week(self) -> int:
        return self.entry.skill.available_hours_per_week

    @strawberry.field(description="Whether they travel this far (their maxTravelDistanceMiles).")
    def within_travel_range(self) -> bool:
        return self.entry.within_travel_range

    @strawberry.field
    async def rating(self, info: Info) -> float:
        row = await info.context.loaders.one(models.User, self.entry.skill.user_id)
        return float(row.rating) if row else 0.0


@strawberry.type
class Vehicle:
    row: strawberry.Private[models.Vehicle]
    id: int
    year: int
    make: str
    model: str
    vin: str | None
    color: str
    value_cents: Cents
    notes: str
    created_at: datetime

    @strawberry.field
    async def owner(self, info: Info) -> User | None:
        row = await info.context.loaders.one(models.User, self.row.owner_id)
        return from_row(User, row) if row else None


@strawberry.type(description="A person. Contact details and private relations are shown to themselves and admins.")
class User:
    row: strawberry.Private[models.User]
    id: int
    full_name: str
    bio: str
    rating: float
    rating_count: int
    completed_jobs: int
    created_at: datetime

    @strawberry.field
    def email(self, info: Info) -> str | None:
        return self.row.email if info.context.viewer.is_self(self.row.id) else None

    @strawberry.field
    def phone(self, info: Info) -> str | None:
        return self.row.phone if info.context.viewer.is_self(self.row.id) else None

    @strawberry.field
    def stripe_account_id(self, info: Info) -> str | None:
        return self.row.stripe_account_id if info.context.viewer.is_self(self.row.id) else None

    @strawberry.field(description="Home location; to themselves and admins only.")
    def latitude(self, info: Info) -> float | None:
        return self.row.latitude if info.context.viewer.is_self(self.row.id) else None

    @strawberry.field(description="Home location; to themselves and admins only.")
    def longitude(self, info: Info) -> float | None:
        return self.row.longitude if info.context.viewer.is_self(self.row.id) else None

    @strawberry.field
    async def skills(self, info: Info) -> list[UserSkill]:
        return from_rows(UserSkill, await info.context.loaders.many(models.UserSkill, "user_id", self.row.id))

    @strawberry.field
    async def vehicles(self, info: Info) -> list[Vehicle]:
        if not info.context.viewer.is_self(self.row.id):
            return []
        return from_rows(Vehicle, await info.context.loaders.many(models.Vehicle, "owner_id", self.row.id))

    @strawberry.field
    async def memberships(self, info: Info) -> list[MemberRef]:
        from schema.types.organization import OrganizationMember

        if not info.context.viewer.is_self(self.row.id):
            return []
        rows = await info.context.loaders.many(models.OrganizationMember, "user_id", self.row.id)
        return from_rows(OrganizationMember, rows)

    @strawberry.field(description="Bookings this person ordered as a customer.")
    async def bookings(self, info: Info) -> list[BookingRef]:
        from schema.types.booking import ServiceBooking

        if not info.context.viewer.is_self(self.row.id):
            return []
        rows = await info.context.loaders.many(models.ServiceBooking, "customer_id", self.row.id, "-created_at")
        return from_rows(ServiceBooking, rows)

    @strawberry.field(description="Job offers made to this person.")
    async def job_offers(
        self, info: Info, first: First = None, after: After = None, last: Last = None, before: Before = None
    ) -> Connection[OfferRef]:
        from schema.types.booking import JobOffer

        request = page_request(first, after, last, before)
        if not info.context.viewer.is_self(self.row.id):
            return Connection.of(NOTHING, lambda offer: from_row(JobOffer, offer))
        page = await info.context.loaders.page(models.JobOffer, "user_id", self.row.id, NEWEST_FIRST, request)
        return Connection.of(page, lambda offer: from_row(JobOffer, offer))

    @strawberry.field(description="Payouts to this person.")
    async def payouts(self, info: Info) -> list[PayoutRef]:
        from schema.types.contract import PaymentTransfer

        if not info.context.viewer.is_self(self.row.id):
            return []
        rows = await info.context.loaders.many(models.PaymentTransfer, "recipient_user_id", self.row.id)
        return from_rows(PaymentTransfer, rows)


@strawberry.type
class Viewer:
    roles: list[str]
    user: User | None
    organization_ids: list[int]


@strawberry.type
class AuthPayload:
    token: str
    expires_at: datetime
    viewer: Viewer
