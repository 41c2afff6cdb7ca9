"""Organizations (businesses), their members, service catalog and physical capabilities."""

from __future__ import annotations

from typing import Any

from tortoise import fields
from tortoise.migrations.constraints import CheckConstraint
from tortoise.models import Model
from tortoise.signals import pre_save

from models.enums import (
    CAPABILITY_KINDS,
    CapabilityKind,
    CapabilityType,
    MemberRole,
    PricingModel,
    ServiceType,
    check_in,
)

# The default split of a price between facility, labor and platform, in basis points (adds up to 10,000).
DEFAULT_SPLIT_BPS = (2000, 7000, 1000)


class Organization(Model):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=200, db_index=True)
    description = fields.TextField(default="")
    address = fields.CharField(max_length=300, default="")
    city = fields.CharField(max_length=100, default="")
    state = fields.CharField(max_length=50, default="")
    postal_code = fields.CharField(max_length=20, default="")
    latitude = fields.FloatField(null=True)
    longitude = fields.FloatField(null=True)
    timezone = fields.CharField(max_length=64, default="UTC")
    phone = fields.CharField(max_length=40, default="")
    email = fields.CharField(max_length=200, default="")
    website = fields.CharField(max_length=300, default="")
    tags: fields.Field[list[str]] = fields.JSONField(default=list)
    keywords: fields.Field[list[str]] = fields.JSONField(default=list)
    # Explicit opening hours {"0": ["08:00", "18:00"], ...} (Monday = 0); empty = days_per_week rule.
    operating_hours: fields.Field[dict[str, list[str]]] = fields.JSONField(default=dict)
    stripe_account_id = fields.CharField(max_length=100, null=True)
    # Split policy in basis points; the three always add up to 10,000.
    facility_share_bps = fields.IntField(default=DEFAULT_SPLIT_BPS[0])
    labor_share_bps = fields.IntField(default=DEFAULT_SPLIT_BPS[1])
    platform_share_bps = fields.IntField(default=DEFAULT_SPLIT_BPS[2])
    rating = fields.DecimalField(max_digits=3, decimal_places=2, default=0)
    rating_count = fields.IntField(default=0)
    completed_jobs = fields.IntField(default=0)
    is_active = fields.BooleanField(default=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "businesses"
        indexes = (("latitude", "longitude"),)
        constraints = (
            CheckConstraint(
                check="facility_share_bps + labor_share_bps + platform_share_bps = 10000",
                name="businesses_split_adds_up",
            ),
        )


class OrganizationMember(Model):
    id = fields.IntField(primary_key=True)
    organization: fields.ForeignKeyRelation[Organization] = fields.ForeignKeyField(
        "models.Organization", related_name="members", on_delete=fields.CASCADE
    )
    organization_id: int
    user: fields.ForeignKeyRelation[Any] = fields.ForeignKeyField(
        "models.User", related_name="memberships", on_delete=fields.CASCADE
    )
    user_id: int
    role = fields.CharEnumField(MemberRole, max_length=20, default=MemberRole.STAFF)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "organization_members"
        unique_together = (("organization", "user"),)
        constraints = (CheckConstraint(check=check_in("role", MemberRole), name="organization_members_role"),)


class OrganizationService(Model):
    id = fields.IntField(primary_key=True)
    organization: fields.ForeignKeyRelation[Organization] = fields.ForeignKeyField(
        "models.Organization", related_name="services", on_delete=fields.CASCADE
    )
    organization_id: int
    service_name = fields.CharField(max_length=200)
    service_type = fields.CharEnumField(ServiceType, max_length=30)
    description = fields.TextField(default="")
    pricing_model = fields.CharEnumField(PricingModel, max_length=20, default=PricingModel.FIXED_PRICE)
    base_price_cents = fields.BigIntField(default=0)
    hourly_rate_cents = fields.BigIntField(default=0)
    # Percent (0-100, two places) of the expected sale price the quote request carries: consignment's fee.
    percentage_rate = fields.DecimalField(max_digits=5, decimal_places=2, default=0)
    # [{"up_to_value_cents": 2000000, "price_cents": 150000}, {"up_to_value_cents": null, ...}]
    price_tiers: fields.Field[list[dict[str, int | None]]] = fields.JSONField(default=list)
    materials_cost_cents = fields.BigIntField(default=0)
    estimated_hours = fields.DecimalField(max_digits=7, decimal_places=2, default=0)
    # The job's span in working days (the seed's typical_duration_days); None: as many days as the hours need.
    typical_duration_days = fields.IntField(null=True)
    # How many of this service's bookings may overlap in time (checked by the quote search and at acceptance).
    max_concurrent_jobs = fields.IntField(default=1)
    # [{"capability_type": "paint_booth", "hours": 16} | {"capability_type": "indoor_storage", "units": 200}]
    required_capabilities: fields.Field[list[dict[str, object]]] = fields.JSONField(default=list)
    # [{"skill_category": "painting", "min_proficiency": "proficient", "hours": 24}]
    required_skills: fields.Field[list[dict[str, object]]] = fields.JSONField(default=list)
    is_active = fields.BooleanField(default=True)
    is_featured = fields.BooleanField(default=False)
    tags: fields.Field[list[str]] = fields.JSONField(default=list)
    search_keywords: fields.Field[list[str]] = fields.JSONField(default=list)
    # Ours: name, description, tags and keywords lowercased in one column, so text search runs in SQL on both
    # databases; rewritten by every save (index_search_text below).
    search_text = fields.TextField(default="")
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "organization_services"
        indexes = (("organization_id", "service_type"), ("service_type", "is_active"), ("is_active", "is_featured"))
        constraints = (
            CheckConstraint(check=check_in("service_type", ServiceType), name="organization_services_type"),
            CheckConstraint(check=check_in("pricing_model", PricingModel), name="organization_services_pricing"),
            CheckConstraint(
                check="base_price_cents >= 0 AND hourly_rate_cents >= 0 AND materials_cost_cents >= 0"
                " AND percentage_rate >= 0 AND percentage_rate <= 100 AND estimated_hours >= 0"
                " AND (typical_duration_days IS NULL OR typical_duration_days >= 1) AND max_concurrent_jobs >= 1",
                name="organization_services_non_negative",
            ),
        )


class OrganizationCapability(Model):
    id = fields.IntField(primary_key=True)
    organization: fields.ForeignKeyRelation[Organization] = fields.ForeignKeyField(
        "models.Organization", related_name="capabilities", on_delete=fields.CASCADE
    )
    organization_id: int
    capability_type = fields.CharEnumField(CapabilityType, max_length=30)
    capability_name = fields.CharField(max_length=200, default="")  # never stored blank: see name_from_type
    description = fields.TextField(default="")
    quantity = fields.IntField(default=1)  # lifts, booths, square feet or spots
    unit_type = fields.CharField(max_length=20, default="units")
    hours_per_day = fields.DecimalField(max_digits=4, decimal_places=2, default=8)
    days_per_week = fields.IntField(default=5)
    specifications: fields.Field[dict[str, object]] = fields.JSONField(default=dict)
    is_operational = fields.BooleanField(default=True)
    # A maintenance window of our own (both facility-local days, inclusive), beside the seed's two dates.
    maintenance_start = fields.DateField(null=True)
    maintenance_end = fields.DateField(null=True)
    # The seed's dates, facility-local: the capability has no capacity on its next maintenance date.
    last_maintenance_date = fields.DateField(null=True)
    next_maintenance_date = fields.DateField(null=True)
    # What using one unit costs the facility (per hour, per local day); billed in time-and-materials and
    # cost-plus work (coordination/pricing.py).
    hourly_cost_cents = fields.BigIntField(default=0)
    daily_cost_cents = fields.BigIntField(default=0)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "organization_capabilities"
        indexes = (("organization_id", "capability_type"),)
        constraints = (
            CheckConstraint(check=check_in("capability_type", CapabilityType), name="organization_capabilities_type"),
            CheckConstraint(
                check="quantity >= 0 AND hours_per_day >= 0 AND hours_per_day <= 24"
                " AND days_per_week >= 0 AND days_per_week <= 7 AND hourly_cost_cents >= 0 AND daily_cost_cents >= 0",
                name="organization_capabilities_ranges",
            ),
        )

    @property
    def kind(self) -> CapabilityKind:
        return CAPABILITY_KINDS[CapabilityType(self.capability_type)]


def capability_label(capability_type: CapabilityType | str) -> str:
    """The name of a capability whose owner gave none ("Vehicle lift")."""
    return CapabilityType(capability_type).value.replace("_", " ").capitalize()


@pre_save(OrganizationCapability)
async def name_from_type(
    sender: type[OrganizationCapability], instance: OrganizationCapability, using_db: Any, update_fields: Any
) -> None:
    """The seed's capability_name is NOT NULL: a capability saved without a name takes its type's label."""
    if not (instance.capability_name or "").strip():
        instance.capability_name = capability_label(instance.capability_type)


def search_text(*parts: str | list[str] | None) -> str:
    """What text search matches: the parts (strings or lists of them) lowercased and joined by spaces."""
    found: list[str] = []
    for part in parts:
        if isinstance(part, list):
            found.extend(str(p) for p in part)
        elif part:
            found.append(str(part))
    return " ".join(w.strip().lower() for w in found if w.strip())


@pre_save(OrganizationService)
async def index_search_text(
    sender: type[OrganizationService], instance: OrganizationService, using_db: Any, update_fields: Any
) -> None:
    """Every save writes search_text from the fields it covers (a save limited to other fields leaves it)."""
    instance.search_text = search_text(
        instance.service_name, instance.description, instance.tags, instance.search_keywords
    )
