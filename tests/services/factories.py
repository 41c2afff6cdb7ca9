"""Small factories for the coordination engine's tests (plain rows, sensible defaults)."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from app.services.access import Viewer, viewer_for_user
from models import (
    Organization,
    OrganizationCapability,
    OrganizationMember,
    OrganizationService,
    User,
    UserSkill,
    Vehicle,
)
from models.enums import CapabilityType, MemberRole, PricingModel, Proficiency, ServiceType, SkillCategory

# A Monday well in the future, and "now" a week before it, so quotes never depend on the real clock.
MONDAY = date(2030, 1, 7)
NOW = datetime(2029, 12, 31, 12, 0, tzinfo=UTC)
VEGAS = (36.1699, -115.1398)
LA = (34.0522, -118.2437)

_seq = itertools.count(1)


async def make_user(
    *, name: str | None = None, at: tuple[float, float] | None = VEGAS, rating: float = 0, admin: bool = False
) -> User:
    n = next(_seq)
    return await User.create(
        email=f"user{n}@test.example",
        password_hash="x",
        full_name=name or f"User {n}",
        latitude=at[0] if at else None,
        longitude=at[1] if at else None,
        rating=rating,
        is_admin=admin,
    )


async def viewer(user: User) -> Viewer:
    return await viewer_for_user(user)


async def make_org(
    *,
    owner: User | None = None,
    name: str | None = None,
    at: tuple[float, float] | None = VEGAS,
    timezone: str = "America/Los_Angeles",
    operating_hours: dict[str, list[str]] | None = None,
    signable: bool = True,
    **values: Any,
) -> Organization:
    org = await Organization.create(
        name=name or f"Facility {next(_seq)}",
        latitude=at[0] if at else None,
        longitude=at[1] if at else None,
        timezone=timezone,
        operating_hours=operating_hours or {},
        **values,
    )
    # Quotes only choose a facility someone can sign for: every facility has an owner unless a test says otherwise.
    if signable:
        await OrganizationMember.create(organization=org, user=owner or await make_user(), role=MemberRole.OWNER)
    return org


async def make_capability(
    org: Organization,
    capability_type: CapabilityType = CapabilityType.PAINT_BOOTH,
    *,
    quantity: int = 1,
    hours_per_day: float = 8,
    days_per_week: int = 5,
    **values: Any,
) -> OrganizationCapability:
    return await OrganizationCapability.create(
        organization=org,
        capability_type=capability_type,
        quantity=quantity,
        hours_per_day=hours_per_day,
        days_per_week=days_per_week,
        **values,
    )


async def make_service(
    org: Organization,
    *,
    service_type: ServiceType = ServiceType.PAINT,
    pricing_model: PricingModel = PricingModel.FIXED,
    base_price_cents: int = 200_000,
    capabilities: Sequence[dict[str, object]] = ({"capability_type": "paint_booth", "hours": 8},),
    skills: Sequence[dict[str, object]] = ({"skill_category": "painting", "min_proficiency": "advanced", "hours": 8},),
    estimated_days: int = 1,
    **values: Any,
) -> OrganizationService:
    return await OrganizationService.create(
        organization=org,
        service_name=f"{service_type} job",
        service_type=service_type,
        pricing_model=pricing_model,
        base_price_cents=base_price_cents,
        required_capabilities=list(capabilities),
        required_skills=list(skills),
        estimated_days=estimated_days,
        **values,
    )


async def make_worker(
    category: SkillCategory = SkillCategory.PAINTING,
    proficiency: Proficiency = Proficiency.EXPERT,
    *,
    at: tuple[float, float] | None = VEGAS,
    radius: int = 25,
    rating: float = 4.5,
    name: str | None = None,
) -> User:
    user = await make_user(name=name, at=at, rating=rating)
    await UserSkill.create(
        user=user,
        skill_category=category,
        skill_name=f"{category} work",
        proficiency_level=proficiency,
        travel_radius_miles=radius,
        hourly_rate_cents=5000,
    )
    return user


async def make_vehicle(owner: User, *, value_cents: int = 4_500_000) -> Vehicle:
    return await Vehicle.create(owner=owner, year=1987, make="Buick", model="Grand National", value_cents=value_cents)


@dataclass
class Shop:
    """A paint shop with one booth, one painter and a customer: the seed's story in miniature."""

    owner: User
    org: Organization
    booth: OrganizationCapability
    service: OrganizationService
    painters: list[User]
    customer: User
    extra: dict[str, Any] = field(default_factory=dict)


async def make_shop(*, booth_quantity: int = 1, painters: int = 1, **service_values: Any) -> Shop:
    owner = await make_user(name="Owner")
    org = await make_org(owner=owner, name="Viva Las Vegas Autos")
    booth = await make_capability(org, CapabilityType.PAINT_BOOTH, quantity=booth_quantity)
    service = await make_service(org, **service_values)
    people = [await make_worker(name=f"Painter {i + 1}", rating=5 - i * 0.1) for i in range(painters)]
    customer = await make_user(name="Customer")
    return Shop(owner, org, booth, service, people, customer)
