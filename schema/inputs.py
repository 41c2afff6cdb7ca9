"""Input types of the catalog mutations; `values_of` turns one into the dict a service takes."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any

import strawberry
from strawberry import UNSET
from strawberry.scalars import JSON

from app.services.coordination import quoting
from schema.enums import (
    AccountType,
    CapabilityType,
    PricingModel,
    Proficiency,
    ServiceType,
    SkillCategory,
    WorkSchedule,
)
from schema.scalars import Cents


def values_of(data: Any, *, nested: bool = False) -> dict[str, Any]:
    """Fields that were given (not UNSET); nested inputs become JSON-ready dicts, top-level floats Decimals."""
    values: dict[str, Any] = {}
    for field in dataclasses.fields(data):
        value = getattr(data, field.name)
        if value is UNSET:
            continue
        values[field.name] = _plain(value, nested)
    return values


def _plain(value: Any, nested: bool) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return values_of(value, nested=True)
    if isinstance(value, list):
        return [_plain(v, True) for v in value]
    if isinstance(value, Enum):
        return value.value if nested else value
    if isinstance(value, float) and not nested:
        return Decimal(str(value))
    return value


INTERRUPTION = (
    "True when the work may be split within a day: around another booking, or moved between rows of the same "
    "equipment type. False (the default): one unbroken block per equipment type and day."
)
FREE_OF_CHARGE = "True to offer the service at no charge; a price of 0 is refused otherwise (not stored)."


@strawberry.input
class PriceTierInput:
    up_to_value_cents: Cents | None = None
    price_cents: Cents


@strawberry.input
class RequiredCapabilityInput:
    capability_type: CapabilityType
    hours: float | None = UNSET
    units: int | None = UNSET


@strawberry.input
class RequiredSkillInput:
    skill_category: SkillCategory
    min_proficiency: Proficiency = Proficiency.LEARNING
    hours: float = 0


@strawberry.input
class OrganizationInput:
    name: str
    description: str = ""
    address: str = ""
    city: str = ""
    state: str = ""
    postal_code: str = ""
    latitude: float | None = None
    longitude: float | None = None
    timezone: str = "UTC"
    phone: str = ""
    email: str = ""
    website: str = ""
    tags: list[str] = strawberry.field(default_factory=list)
    keywords: list[str] = strawberry.field(default_factory=list)
    operating_hours: JSON | None = UNSET
    facility_share_bps: int | None = UNSET
    labor_share_bps: int | None = UNSET
    platform_share_bps: int | None = UNSET


@strawberry.input
class OrganizationUpdateInput:
    name: str | None = UNSET
    description: str | None = UNSET
    address: str | None = UNSET
    city: str | None = UNSET
    state: str | None = UNSET
    postal_code: str | None = UNSET
    latitude: float | None = UNSET
    longitude: float | None = UNSET
    timezone: str | None = UNSET
    phone: str | None = UNSET
    email: str | None = UNSET
    website: str | None = UNSET
    tags: list[str] | None = UNSET
    keywords: list[str] | None = UNSET
    operating_hours: JSON | None = UNSET
    facility_share_bps: int | None = UNSET
    labor_share_bps: int | None = UNSET
    platform_share_bps: int | None = UNSET
    is_active: bool | None = UNSET


@strawberry.input
class ServiceInput:
    service_name: str
    service_type: ServiceType
    description: str = ""
    pricing_model: PricingModel = PricingModel.FIXED_PRICE
    base_price_cents: Cents = Cents(0)
    hourly_rate_cents: Cents = Cents(0)
    percentage_rate_bps: int = 0
    price_tiers: list[PriceTierInput] = strawberry.field(default_factory=list)
    materials_cost_cents: Cents = Cents(0)
    estimated_hours: float = 0
    estimated_days: int = 1
    allows_interruption: bool = strawberry.field(default=False, description=INTERRUPTION)
    required_capabilities: list[RequiredCapabilityInput] = strawberry.field(default_factory=list)
    required_skills: list[RequiredSkillInput] = strawberry.field(default_factory=list)
    free_of_charge: bool = strawberry.field(default=False, description=FREE_OF_CHARGE)


@strawberry.input
class ServiceUpdateInput:
    service_name: str | None = UNSET
    service_type: ServiceType | None = UNSET
    description: str | None = UNSET
    pricing_model: PricingModel | None = UNSET
    base_price_cents: Cents | None = UNSET
    hourly_rate_cents: Cents | None = UNSET
    percentage_rate_bps: int | None = UNSET
    price_tiers: list[PriceTierInput] | None = UNSET
    materials_cost_cents: Cents | None = UNSET
    estimated_hours: float | None = UNSET
    estimated_days: int | None = UNSET
    allows_interruption: bool | None = strawberry.field(default=UNSET, description=INTERRUPTION)
    required_capabilities: list[RequiredCapabilityInput] | None = UNSET
    required_skills: list[RequiredSkillInput] | None = UNSET
    is_active: bool | None = UNSET
    free_of_charge: bool = strawberry.field(default=False, description=FREE_OF_CHARGE)


@strawberry.input
class CapabilityInput:
    capability_type: CapabilityType
    name: str = ""
    quantity: int = 1
    unit: str = "units"
    hours_per_day: float = 8
    days_per_week: int = 5
    specifications: JSON | None = UNSET
    is_operational: bool = True
    maintenance_start: date | None = None
    maintenance_end: date | None = None


@strawberry.input
class CapabilityUpdateInput:
    name: str | None = UNSET
    quantity: int | None = UNSET
    unit: str | None = UNSET
    hours_per_day: float | None = UNSET
    days_per_week: int | None = UNSET
    specifications: JSON | None = UNSET
    is_operational: bool | None = UNSET
    maintenance_start: date | None = UNSET
    maintenance_end: date | None = UNSET


@strawberry.input(
    description="A new account: a customer, or labor who will add skills. Any account may then create an organization."
)
class SignUpInput:
    email: str
    password: str = strawberry.field(description="10 to 128 characters, at least 5 different ones, not the email")
    full_name: str
    role: AccountType = AccountType.CUSTOMER


@strawberry.input(description="A certification as the seed records it: its name and the day it was obtained.")
class CertificationInput:
    name: str
    date: date | None = None


@strawberry.input(description="Verification (isVerified, verifiedBy, verifiedAt) is set by an admin: verifySkill.")
class SkillInput:
    skill_category: SkillCategory
    skill_name: str
    proficiency_level: Proficiency = Proficiency.COMPETENT
    years_experience: int = 0
    hourly_rate_cents: Cents = Cents(0)
    certifications: list[CertificationInput] = strawberry.field(default_factory=list)
    available_hours_per_week: int = 40
    preferred_work_schedule: WorkSchedule = WorkSchedule.FLEXIBLE
    minimum_job_hours: int = 2
    max_travel_distance_miles: int = 25
    has_own_tools: bool = False
    portfolio_image_urls: list[str] = strawberry.field(default_factory=list)
    sample_work_urls: list[str] = strawberry.field(default_factory=list)
    is_available: bool = True


@strawberry.input
class SkillUpdateInput:
    skill_name: str | None = UNSET
    proficiency_level: Proficiency | None = UNSET
    years_experience: int | None = UNSET
    hourly_rate_cents: Cents | None = UNSET
    certifications: list[CertificationInput] | None = UNSET
    available_hours_per_week: int | None = UNSET
    preferred_work_schedule: WorkSchedule | None = UNSET
    minimum_job_hours: int | None = UNSET
    max_travel_distance_miles: int | None = UNSET
    has_own_tools: bool | None = UNSET
    portfolio_image_urls: list[str] | None = UNSET
    sample_work_urls: list[str] | None = UNSET
    is_available: bool | None = UNSET


@strawberry.input
class VehicleInput:
    year: int
    make: str
    model: str
    vin: str | None = None
    color: str = ""
    value_cents: Cents = Cents(0)
    notes: str = ""


@strawberry.input
class NearInput:
    latitude: float
    longitude: float
    radius_miles: float


@strawberry.input
class OrganizationFilter:
    service_type: ServiceType | None = None
    capability_type: CapabilityType | None = None
    near: NearInput | None = None
    text: str | None = None


@strawberry.input
class QuoteRequestInput:
    requested_start_date: date
    service_id: int | None = None
    service_type: ServiceType | None = None
    organization_id: int | None = None
    vehicle_id: int | None = None
    requested_completion_date: date | None = None
    flexible_timeline: bool = True
    near: NearInput | None = None
    customer_notes: str = ""
    title: str | None = strawberry.field(
        default=None, description="Left out: the service's name and the vehicle's year, make and model."
    )
    description: str = ""

    def to_request(self) -> quoting.QuoteRequest:
        return quoting.QuoteRequest(
            requested_start_date=self.requested_start_date,
            service_id=self.service_id,
            service_type=self.service_type,
            organization_id=self.organization_id,
            vehicle_id=self.vehicle_id,
            requested_completion_date=self.requested_completion_date,
            flexible_timeline=self.flexible_timeline,
            latitude=self.near.latitude if self.near else None,
            longitude=self.near.longitude if self.near else None,
            radius_miles=round(self.near.radius_miles) if self.near else None,
            customer_notes=self.customer_notes,
            title=self.title,
            description=self.description,
        )
