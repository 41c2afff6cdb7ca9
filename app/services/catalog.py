"""The catalog: organizations, their services and capabilities, people's skills and vehicles."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, time, timedelta
from typing import Any

from tortoise.transactions import in_transaction

from app.errors import DomainError, ErrorCode, bad_input, forbidden, not_found
from app.events import PendingEvents
from app.services import availability as av
from app.services import booking_events
from app.services import validation as v
from app.services.access import Viewer
from app.services.calendar import zone
from models import (
    CapacitySchedule,
    Organization,
    OrganizationCapability,
    OrganizationMember,
    OrganizationService,
    User,
    UserSkill,
    Vehicle,
)
from models.enums import CapabilityType, MemberRole, PricingModel, Proficiency, ResourceType, SkillCategory
from models.organization import DEFAULT_SPLIT_BPS

ORG_NULLABLE = frozenset({"latitude", "longitude"})
CAPABILITY_NULLABLE = frozenset({"maintenance_start", "maintenance_end"})
ORGANIZATION_RULES: dict[str, tuple[v.Rule, ...]] = {
    "name": (v.not_blank,),
    "latitude": (v.latitude,),
    "longitude": (v.longitude,),
    "timezone": (v.timezone,),
    "facility_share_bps": (v.non_negative,),
    "labor_share_bps": (v.non_negative,),
    "platform_share_bps": (v.non_negative,),
}
SERVICE_RULES: dict[str, tuple[v.Rule, ...]] = {
    "service_name": (v.not_blank,),
    "base_price_cents": (v.non_negative,),
    "hourly_rate_cents": (v.non_negative,),
    "percentage_rate_bps": (v.non_negative,),
    "materials_cost_cents": (v.non_negative,),
    "estimated_hours": (v.non_negative,),
    "estimated_days": (v.positive,),
}
CAPABILITY_RULES: dict[str, tuple[v.Rule, ...]] = {
    "quantity": (v.non_negative,),
    "hours_per_day": (v.hours_per_day,),
    "days_per_week": (v.days_per_week,),
}
SKILL_RULES: dict[str, tuple[v.Rule, ...]] = {
    "skill_name": (v.not_blank,),
    "years_experience": (v.non_negative,),
    "hourly_rate_cents": (v.non_negative,),
    "availability_hours_per_week": (v.non_negative,),
    "travel_radius_miles": (v.non_negative,),
}
VEHICLE_RULES: dict[str, tuple[v.Rule, ...]] = {
    "year": (v.vehicle_year,),
    "make": (v.not_blank,),
    "model": (v.not_blank,),
    "value_cents": (v.non_negative,),
    "vin": (v.vin,),
}


def _check_split(values: Mapping[str, Any], current: Organization | None = None) -> None:
    keys = ("facility_share_bps", "labor_share_bps", "platform_share_bps")
    if not any(k in values for k in keys):
        return
    shares = [
        values.get(k, getattr(current, k) if current else d) for k, d in zip(keys, DEFAULT_SPLIT_BPS, strict=True)
    ]
    if sum(shares) != 10_000:
        raise bad_input("facilityShareBps", "The facility, labor and platform shares must add up to 10000 basis points")


async def create_organization(*, viewer: Viewer, values: Mapping[str, Any]) -> Organization:
    user = viewer.require_user()
    v.no_nulls(values, ORG_NULLABLE)
    v.check(values, ORGANIZATION_RULES)
    _check_split(values)
    async with in_transaction():
        organization = await Organization.create(**values)
        await OrganizationMember.create(organization=organization, user=user, role=MemberRole.OWNER)
    viewer.member_roles[organization.id] = MemberRole.OWNER
    return organization


async def update_organization(*, viewer: Viewer, organization_id: int, values: Mapping[str, Any]) -> Organization:
    organization = await _organization(organization_id)
    viewer.require_manager(organization.id)
    v.no_nulls(values, ORG_NULLABLE)
    v.check(values, ORGANIZATION_RULES)
    _check_split(values, organization)
    await organization.update_from_dict(dict(values)).save()
    return organization


async def add_member(*, viewer: Viewer, organization_id: int, email: str, role: MemberRole) -> OrganizationMember:
    organization = await _organization(organization_id)
    viewer.require_manager(organization.id)
    user = await User.get_or_none(email=email.strip().lower())
    if user is None:
        raise not_found("User", email, field="email")
    member, _ = await OrganizationMember.update_or_create(
        organization_id=organization.id, user_id=user.id, defaults={"role": role}
    )
    return member


def _check_pricing(values: Mapping[str, Any], current: OrganizationService | None = None) -> None:
    model = values.get("pricing_model", current.pricing_model if current else PricingModel.FIXED)
    tiers = values.get("price_tiers", current.price_tiers if current else [])
    if model == PricingModel.TIERED and not tiers:
        raise bad_input("priceTiers", "A tiered service needs at least one price tier")
    for tier in tiers or []:
        if tier.get("price_cents", 0) is None or int(tier.get("price_cents", 0) or 0) < 0:
            raise bad_input("priceTiers", "Tier prices must not be negative")
    for requirement in values.get("required_capabilities", []) or []:
        if CapabilityType(requirement["capability_type"]) and any(
            float(requirement.get(k) or 0) < 0 for k in ("hours", "units")
        ):
            raise bad_input("requiredCapabilities", "Required hours and units must not be negative")
    for requirement in values.get("required_skills", []) or []:
        SkillCategory(requirement["skill_category"])
        Proficiency(requirement.get("min_proficiency", Proficiency.BEGINNER))
        if float(requirement.get("hours") or 0) < 0:
            raise bad_input("requiredSkills", "Required hours must not be negative")


async def add_service(*, viewer: Viewer, organization_id: int, values: Mapping[str, Any]) -> OrganizationService:
    organization = await _organization(organization_id)
    viewer.require_manager(organization.id)
    v.no_nulls(values)
    v.check(values, SERVICE_RULES)
    _check_pricing(values)
    return await OrganizationService.create(organization=organization, **values)


async def update_service(*, viewer: Viewer, service_id: int, values: Mapping[str, Any]) -> OrganizationService:
    service = await OrganizationService.get_or_none(id=service_id)
    if service is None:
        raise not_found("Service", service_id)
    viewer.require_manager(service.organization_id)  # type: ignore[attr-defined]
    v.no_nulls(values)
    v.check(values, SERVICE_RULES)
    _check_pricing(values, service)
    await service.update_from_dict(dict(values)).save()
    return service


async def add_capability(*, viewer: Viewer, organization_id: int, values: Mapping[str, Any]) -> OrganizationCapability:
    organization = await _organization(organization_id)
    viewer.require_manager(organization.id)
    v.no_nulls(values, CAPABILITY_NULLABLE)
    v.check(values, CAPABILITY_RULES)
    v.date_range("maintenanceStart", values.get("maintenance_start"), "maintenanceEnd", values.get("maintenance_end"))
    capability = await OrganizationCapability.create(organization=organization, **values)
    await _capacity_changed(capability, "capability_added")
    return capability


async def update_capability(
    *, viewer: Viewer, capability_id: int, values: Mapping[str, Any], now: datetime | None = None
) -> OrganizationCapability:
    """Edit a capability; refused (CONFLICT) when the edit would leave future reservations without room."""
    capability = await OrganizationCapability.get_or_none(id=capability_id)
    if capability is None:
        raise not_found("Capability", capability_id)
    viewer.require_manager(capability.organization_id)  # type: ignore[attr-defined]
    v.no_nulls(values, CAPABILITY_NULLABLE)
    v.check(values, CAPABILITY_RULES)
    async with in_transaction():
        # Locked as accept_quote locks it, so a reservation and this edit never both pass their checks.
        capability = await OrganizationCapability.select_for_update().get(id=capability_id)
        v.date_range(
            "maintenanceStart",
            values.get("maintenance_start", capability.maintenance_start),
            "maintenanceEnd",
            values.get("maintenance_end", capability.maintenance_end),
        )
        capability.update_from_dict(dict(values))
        await _check_reservations_still_fit(capability, values, now or datetime.now(UTC))
        await capability.save()
    await _capacity_changed(capability, "capability_updated")
    return capability


async def _check_reservations_still_fit(
    capability: OrganizationCapability, values: Mapping[str, Any], now: datetime
) -> None:
    """The edited fields must still hold every reservation that has not ended (DESIGN §2 invariant)."""
    rows = await CapacitySchedule.filter(
        capability_id=capability.id, resource_type=ResourceType.CAPABILITY, is_reserved=True, end_time__gt=now
    ).values_list("start_time", "end_time", "units")
    if not rows:
        return
    reserved = av.Busy.of(rows)
    details = {"reservations": len(rows)}
    if "is_operational" in values and not capability.is_operational:
        raise DomainError(
            ErrorCode.CONFLICT,
            "The capability has future reservations; it cannot be taken out of service",
            field="isOperational",
            details=details,
        )
    if "quantity" in values:
        peak = reserved.peak(now, max(end for _, end, _ in reserved.intervals))
        if capability.quantity < peak:
            raise DomainError(
                ErrorCode.CONFLICT,
                f"Up to {peak} {capability.unit} are reserved at once; the quantity cannot go below that",
                field="quantity",
                details={**details, "reservedUnits": peak},
            )
    if {"maintenance_start", "maintenance_end"} & values.keys() and capability.maintenance_start is not None:
        organization = await Organization.get(id=capability.organization_id)  # type: ignore[attr-defined]
        tz = zone(organization.timezone)
        first, last = capability.maintenance_start, capability.maintenance_end or capability.maintenance_start
        # The dates are the facility's local days, both inclusive.
        start = datetime.combine(first, time(0), tzinfo=tz).astimezone(UTC)
        end = datetime.combine(last + timedelta(days=1), time(0), tzinfo=tz).astimezone(UTC)
        clashes = reserved.overlapping(start, end)
        if clashes:
            raise DomainError(
                ErrorCode.CONFLICT,
                "The maintenance dates overlap reserved work",
                field="maintenanceStart",
                details={**details, "firstClash": clashes[0][0].isoformat()},
            )


async def _capacity_changed(capability: OrganizationCapability, reason: str) -> None:
    """Published after the write; no days listed: the change applies to every day."""
    events = PendingEvents()
    booking_events.capacity_event(
        events,
        organization_id=capability.organization_id,  # type: ignore[attr-defined]
        capability_ids=[capability.id],
        days=[],
        booking_id=None,
        reason=reason,
    )
    await events.flush()


async def add_skill(*, viewer: Viewer, values: Mapping[str, Any]) -> UserSkill:
    user = viewer.require_user()
    v.no_nulls(values)
    v.check(values, SKILL_RULES)
    if await UserSkill.filter(
        user_id=user.id, skill_category=values["skill_category"], skill_name=values["skill_name"]
    ).exists():
        raise bad_input("skillName", "You already have this skill; update it instead")
    skill = await UserSkill.create(user=user, **values)
    viewer.is_labor = True
    return skill


async def update_skill(*, viewer: Viewer, skill_id: int, values: Mapping[str, Any]) -> UserSkill:
    viewer.require_user()
    skill = await UserSkill.get_or_none(id=skill_id)
    if skill is None:
        raise not_found("Skill", skill_id)
    if not viewer.is_self(skill.user_id):  # type: ignore[attr-defined]
        raise forbidden("You may only change your own skills")
    v.no_nulls(values)
    v.check(values, SKILL_RULES)
    await skill.update_from_dict(dict(values)).save()
    return skill


async def register_vehicle(*, viewer: Viewer, values: Mapping[str, Any]) -> Vehicle:
    user = viewer.require_user()
    v.no_nulls(values, frozenset({"vin"}))
    v.check(values, VEHICLE_RULES)
    return await Vehicle.create(owner=user, **values)


async def _organization(organization_id: int) -> Organization:
    organization = await Organization.get_or_none(id=organization_id)
    if organization is None:
        raise not_found("Organization", organization_id, field="organizationId")
    return organization
