"""The catalog: organizations, their services and capabilities, people's skills and vehicles."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, time, timedelta
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from app.errors import DomainError, ErrorCode, bad_input, forbidden, not_found
from app.events import PendingEvents
from app.services import booking_events, facility_data, skills, validation
from app.services.access import Viewer
from app.services.coordination import availability
from app.services.coordination.working_hours import zone
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
from models.enums import MemberRole, ResourceType, SkillCategory
from models.organization import DEFAULT_SPLIT_BPS

PRICE_FIELDS = frozenset(
    {"pricing_model", "base_price_cents", "hourly_rate_cents", "percentage_rate_bps", "price_tiers"}
)
ORG_NULLABLE = frozenset({"latitude", "longitude"})
CAPABILITY_NULLABLE = frozenset({"maintenance_start", "maintenance_end"})
CAPABILITY_RULES: dict[str, tuple[validation.Rule, ...]] = {
    "quantity": facility_data.QUANTITY,
    "hours_per_day": (validation.hours_per_day,),
    "days_per_week": (validation.days_per_week,),
}
SKILL_RULES: dict[str, tuple[validation.Rule, ...]] = {
    "skill_name": (validation.not_blank,),
    "years_experience": (validation.non_negative, validation.at_most(100)),
    "hourly_rate_cents": facility_data.CENTS,
    "available_hours_per_week": (validation.non_negative, validation.at_most(168)),
    "max_travel_distance_miles": (validation.non_negative, validation.at_most(12_500)),  # half the Earth around
    "minimum_job_hours": (validation.non_negative, validation.at_most(168)),
}
VEHICLE_RULES: dict[str, tuple[validation.Rule, ...]] = {
    "year": (validation.vehicle_year,),
    "make": (validation.not_blank,),
    "model": (validation.not_blank,),
    "value_cents": facility_data.CENTS,
    "vin": (validation.vin,),
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
    validation.no_nulls(values, ORG_NULLABLE)
    validation.check(values, facility_data.ORGANIZATION_RULES)
    _check_split(values)
    async with in_transaction():
        organization = await Organization.create(**values)
        await OrganizationMember.create(organization=organization, user=user, role=MemberRole.OWNER)
    viewer.member_roles[organization.id] = MemberRole.OWNER
    return organization


async def update_organization(*, viewer: Viewer, organization_id: int, values: Mapping[str, Any]) -> Organization:
    organization = await _organization(organization_id)
    viewer.require_manager(organization.id)
    validation.no_nulls(values, ORG_NULLABLE)
    validation.check(values, facility_data.ORGANIZATION_RULES)
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


async def add_service(
    *, viewer: Viewer, organization_id: int, values: Mapping[str, Any], free_of_charge: bool = False
) -> OrganizationService:
    organization = await _organization(organization_id)
    viewer.require_manager(organization.id)
    validation.no_nulls(values)
    validation.check(values, facility_data.SERVICE_RULES)
    facility_data.check_pricing(values)
    facility_data.check_not_free(values, None, free_of_charge=free_of_charge)
    return await OrganizationService.create(organization=organization, **values)


async def update_service(
    *, viewer: Viewer, service_id: int, values: Mapping[str, Any], free_of_charge: bool = False
) -> OrganizationService:
    service = await OrganizationService.get_or_none(id=service_id)
    if service is None:
        raise not_found("Service", service_id)
    viewer.require_manager(service.organization_id)
    validation.no_nulls(values)
    validation.check(values, facility_data.SERVICE_RULES)
    facility_data.check_pricing(values, service)
    if PRICE_FIELDS & values.keys():  # an edit that leaves the price alone (a deactivation) is not re-asked
        facility_data.check_not_free(values, service, free_of_charge=free_of_charge)
    await service.update_from_dict(dict(values)).save()
    return service


async def add_capability(*, viewer: Viewer, organization_id: int, values: Mapping[str, Any]) -> OrganizationCapability:
    organization = await _organization(organization_id)
    viewer.require_manager(organization.id)
    validation.no_nulls(values, CAPABILITY_NULLABLE)
    validation.check(values, CAPABILITY_RULES)
    validation.date_range(
        "maintenanceStart", values.get("maintenance_start"), "maintenanceEnd", values.get("maintenance_end")
    )
    events = PendingEvents()
    async with in_transaction():
        capability = await OrganizationCapability.create(organization=organization, **values)
        await _capacity_changed(events, capability, "capability_added")
    await events.flush()
    return capability


async def update_capability(
    *, viewer: Viewer, capability_id: int, values: Mapping[str, Any], now: datetime | None = None
) -> OrganizationCapability:
    """Edit a capability; refused (CONFLICT) when the edit would leave future reservations without room."""
    capability = await OrganizationCapability.get_or_none(id=capability_id)
    if capability is None:
        raise not_found("Capability", capability_id)
    viewer.require_manager(capability.organization_id)
    validation.no_nulls(values, CAPABILITY_NULLABLE)
    validation.check(values, CAPABILITY_RULES)
    events = PendingEvents()
    async with in_transaction():
        # Locked as accept_quote locks it, so a reservation and this edit never both pass their checks.
        capability = await OrganizationCapability.select_for_update().get(id=capability_id)
        validation.date_range(
            "maintenanceStart",
            values.get("maintenance_start", capability.maintenance_start),
            "maintenanceEnd",
            values.get("maintenance_end", capability.maintenance_end),
        )
        capability.update_from_dict(dict(values))
        await _check_reservations_still_fit(capability, values, now or datetime.now(UTC))
        await capability.save()
        await _capacity_changed(events, capability, "capability_updated")
    await events.flush()
    return capability


async def _check_reservations_still_fit(
    capability: OrganizationCapability, values: Mapping[str, Any], now: datetime
) -> None:
    """The edited fields must still hold every reservation that has not ended (the invariant of docs/capacity.md)."""
    rows = await CapacitySchedule.filter(
        capability_id=capability.id, resource_type=ResourceType.FACILITY_CAPABILITY, is_reserved=True, end_time__gt=now
    ).values_list("start_time", "end_time", "units")
    if not rows:
        return
    reserved = availability.Busy.of(rows)
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
        organization = await Organization.get(id=capability.organization_id)
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


async def _capacity_changed(events: PendingEvents, capability: OrganizationCapability, reason: str) -> None:
    """Written with the change; no days listed: the change applies to every day."""
    await booking_events.capacity_event(
        events,
        organization_id=capability.organization_id,
        capability_ids=[capability.id],
        days=[],
        booking_id=None,
        reason=reason,
    )


async def add_skill(*, viewer: Viewer, values: Mapping[str, Any]) -> UserSkill:
    user = viewer.require_user()
    validation.no_nulls(values)
    validation.check(values, SKILL_RULES)
    values = skills.stored_values(values)
    category = SkillCategory(values["skill_category"])
    existing = await UserSkill.filter(user_id=user.id, skill_category=category).values_list("id", flat=True)
    if existing:
        raise _duplicate_skill(category, int(existing[0]))  # type: ignore[call-overload]
    try:  # the unique key (migration 0006) settles two adds at once
        skill = await UserSkill.create(user=user, **values)
    except IntegrityError as exc:
        raise _duplicate_skill(category, None) from exc
    viewer.is_labor = True
    return skill


def _duplicate_skill(category: SkillCategory, skill_id: int | None) -> DomainError:
    return DomainError(
        ErrorCode.CONFLICT,
        f"You already have a {category.value} skill (one per category); update it instead",
        field="skillCategory",
        details={"skillId": skill_id} if skill_id else None,
    )


async def update_skill(*, viewer: Viewer, skill_id: int, values: Mapping[str, Any]) -> UserSkill:
    viewer.require_user()
    skill = await UserSkill.get_or_none(id=skill_id)
    if skill is None:
        raise not_found("Skill", skill_id)
    if not viewer.is_self(skill.user_id):
        raise forbidden("You may only change your own skills")
    validation.no_nulls(values)
    validation.check(values, SKILL_RULES)
    await skill.update_from_dict(skills.stored_values(values)).save()
    return skill


async def register_vehicle(*, viewer: Viewer, values: Mapping[str, Any]) -> Vehicle:
    user = viewer.require_user()
    validation.no_nulls(values, frozenset({"vin"}))
    validation.check(values, VEHICLE_RULES)
    return await Vehicle.create(owner=user, **values)


async def _organization(organization_id: int) -> Organization:
    organization = await Organization.get_or_none(id=organization_id)
    if organization is None:
        raise not_found("Organization", organization_id, field="organizationId")
    return organization
