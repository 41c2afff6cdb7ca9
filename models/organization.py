"""Organizations (businesses), their members, service catalog and physical capabilities."""

from __future__ import annotations

from typing import Any

from tortoise import fields
from tortoise.migrations.constraints import CheckConstraint
from tortoise.models import Model

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
    percentage_rate_bps = fields.IntField(default=0)  # of the vehicle's value
    # [{"up_to_value_cents": 2000000, "price_cents": 150000}, {"up_to_value_cents": null, ...}]
    price_tiers: fields.Field[list[dict[str, int | None]]] = fields.JSONField(default=list)
    materials_cost_cents = fields.BigIntField(default=0)
    estimated_hours = fields.DecimalField(max_digits=7, decimal_places=2, default=0)
    estimated_days = fields.IntField(default=1)
    # [{"capability_type": "paint_booth", "hours": 16} | {"capability_type": "indoor_storage", "units": 200}]
    required_capabilities: fields.Field[list[dict[str, object]]] = fields.JSONField(default=list)
    # [{"skill_category": "painting", "min_proficiency": "proficient", "hours": 24}]
    required_skills: fields.Field[list[dict[str, object]]] = fields.JSONField(default=list)
    # Whether the work may be split within a day (two blocks around another booking, moving between rows).
    allows_interruption = fields.BooleanField(default=False, db_default=False)
    is_active = fields.BooleanField(default=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "organization_services"
        indexes = (("organization_id", "service_type"), ("service_type", "is_active"))
        constraints = (
            CheckConstraint(check=check_in("service_type", ServiceType), name="organization_services_type"),
            CheckConstraint(check=check_in("pricing_model", PricingModel), name="organization_services_pricing"),
            CheckConstraint(
                check="base_price_cents >= 0 AND hourly_rate_cents >= 0 AND materials_cost_cents >= 0"
                " AND percentage_rate_bps >= 0 AND estimated_hours >= 0 AND estimated_days >= 1",
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
    name = fields.CharField(max_length=200, default="")
    quantity = fields.IntField(default=1)  # lifts, booths, square feet or spots
    unit = fields.CharField(max_length=20, default="units")
    hours_per_day = fields.DecimalField(max_digits=4, decimal_places=2, default=8)
    days_per_week = fields.IntField(default=5)
    specifications: fields.Field[dict[str, object]] = fields.JSONField(default=dict)
    is_operational = fields.BooleanField(default=True)
    maintenance_start = fields.DateField(null=True)
    maintenance_end = fields.DateField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "organization_capabilities"
        indexes = (("organization_id", "capability_type"),)
        constraints = (
            CheckConstraint(check=check_in("capability_type", CapabilityType), name="organization_capabilities_type"),
            CheckConstraint(
                check="quantity >= 0 AND hours_per_day >= 0 AND hours_per_day <= 24"
                " AND days_per_week >= 0 AND days_per_week <= 7",
                name="organization_capabilities_ranges",
            ),
        )

    @property
    def kind(self) -> CapabilityKind:
        return CAPABILITY_KINDS[CapabilityType(self.capability_type)]
