"""What the coordination engine shows: utilization per day, quote alternatives and exclusions, matched labor."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry

import models
from app.services.coordination import utilization
from app.services.coordination.utilization import DayUse
from schema.context import Info
from schema.enums import CapabilityKind, CapabilityType, SkillCategory
from schema.scalars import Cents
from schema.types.base import from_row

if TYPE_CHECKING:
    from schema.types.organization import Organization, OrganizationCapability
    from schema.types.user import User

OrgRef = Annotated["Organization", strawberry.lazy("schema.types.organization")]
CapabilityRef = Annotated["OrganizationCapability", strawberry.lazy("schema.types.organization")]
UserRef = Annotated["User", strawberry.lazy("schema.types.user")]


@strawberry.type(description="One day of one resource: hours (time-shared, labor) or units (space).")
class DayUtilization:
    date: date
    capacity: float
    reserved: float
    blocked: float
    available: float
    utilization: float

    @staticmethod
    def of(day: DayUse) -> DayUtilization:
        return DayUtilization(
            date=day.day,
            capacity=float(day.capacity),
            reserved=float(day.reserved),
            blocked=float(day.blocked),
            available=float(day.available),
            utilization=float(day.utilization),
        )


@strawberry.type
class CapabilityUtilization:
    capability_id: int
    capability_type: CapabilityType
    name: str
    kind: CapabilityKind
    unit: str
    days: list[DayUtilization]

    @strawberry.field
    async def capability(self, info: Info) -> CapabilityRef | None:
        from schema.types.organization import OrganizationCapability

        row = await info.context.loaders.one(models.OrganizationCapability, self.capability_id)
        return from_row(OrganizationCapability, row) if row else None


@strawberry.type
class LaborUtilization:
    user_id: int
    name: str
    days: list[DayUtilization]

    @strawberry.field
    async def user(self, info: Info) -> UserRef | None:
        from schema.types.user import User

        row = await info.context.loaders.one(models.User, self.user_id)
        return from_row(User, row) if row else None


@strawberry.type
class Utilization:
    organization_id: int
    start: date = strawberry.field(name="from")
    end: date = strawberry.field(name="to")
    capabilities: list[CapabilityUtilization]
    labor: list[LaborUtilization]

    @staticmethod
    def of(report: utilization.Utilization) -> Utilization:
        return Utilization(
            organization_id=report.organization_id,
            start=report.start,
            end=report.end,
            capabilities=[
                CapabilityUtilization(
                    capability_id=c.capability_id,
                    capability_type=CapabilityType(c.capability_type),
                    name=c.name,
                    kind=CapabilityKind(c.kind),
                    unit=c.unit,
                    days=[DayUtilization.of(d) for d in c.days],
                )
                for c in report.capabilities
            ],
            labor=[
                LaborUtilization(user_id=p.user_id, name=p.name, days=[DayUtilization.of(d) for d in p.days])
                for p in report.labor
            ],
        )


@strawberry.type(description="Another feasible option for the same request.")
class QuoteAlternative:
    organization_id: int
    organization_name: str
    service_id: int | None
    start: datetime
    end: datetime
    total_cents: Cents | None

    @staticmethod
    def of(item: dict[str, Any]) -> QuoteAlternative:
        return QuoteAlternative(
            organization_id=int(item["organization_id"]),
            organization_name=str(item.get("organization_name", "")),
            service_id=item.get("service_id"),
            start=datetime.fromisoformat(str(item["start"])),
            end=datetime.fromisoformat(str(item["end"])),
            total_cents=item.get("total_cents"),
        )

    @strawberry.field
    async def organization(self, info: Info) -> OrgRef | None:
        from schema.types.organization import Organization

        row = await info.context.loaders.one(models.Organization, self.organization_id)
        return from_row(Organization, row) if row else None


@strawberry.type(description="A candidate facility that was not chosen, and why.")
class ExcludedCandidate:
    organization_id: int
    organization_name: str
    reason: str
    detail: str

    @staticmethod
    def of(item: dict[str, Any]) -> ExcludedCandidate:
        return ExcludedCandidate(
            organization_id=int(item.get("organization_id") or 0),
            organization_name=str(item.get("organization_name", "")),
            reason=str(item.get("reason", "")),
            detail=str(item.get("detail", "")),
        )


@strawberry.type(description="A person matched to the quote, with what they bring and earn.")
class MatchedLabor:
    user_id: int
    name: str
    role: SkillCategory
    hours: float
    amount_cents: Cents
    distance_miles: float | None

    @strawberry.field
    async def user(self, info: Info) -> UserRef | None:
        from schema.types.user import User

        row = await info.context.loaders.one(models.User, self.user_id)
        return from_row(User, row) if row else None

    @strawberry.field
    async def rating(self, info: Info) -> float | None:
        row = await info.context.loaders.one(models.User, self.user_id)
        return float(row.rating) if row else None

    @strawberry.field
    async def completed_jobs(self, info: Info) -> int | None:
        row = await info.context.loaders.one(models.User, self.user_id)
        return row.completed_jobs if row else None

    @strawberry.field(description="The person's skill name in the role's category.")
    async def specialization(self, info: Info) -> str | None:
        skills = await info.context.loaders.many(models.UserSkill, "user_id", self.user_id)
        return next((s.skill_name for s in skills if s.skill_category == self.role), None)


@strawberry.type
class Timeline:
    start: datetime | None
    completion: datetime | None
    confidence: float | None
