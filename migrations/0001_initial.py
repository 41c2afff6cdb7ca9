import functools
from enum import Enum
from json import dumps, loads

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.indexes import Index
from tortoise.migrations import operations as ops
from tortoise.migrations.constraints import CheckConstraint


# The vocabularies as they were when this migration was written (frozen: later renames must not change it).
class StrEnum(str, Enum):
    def __str__(self) -> str:
        return self.value


class BookingStatus(StrEnum):
    QUOTE_REQUESTED = "quote_requested"
    CALCULATING = "calculating"
    QUOTE_READY = "quote_ready"
    QUOTE_ACCEPTED = "quote_accepted"
    SCHEDULED = "scheduled"
    IN_PROGRESS = "in_progress"
    QUALITY_REVIEW = "quality_review"
    COMPLETED = "completed"
    PAID = "paid"
    CANCELLED = "cancelled"
    DISPUTED = "disputed"


class CapabilityType(StrEnum):
    VEHICLE_LIFT = "vehicle_lift"
    PAINT_BOOTH = "paint_booth"
    WELDING_STATION = "welding_station"
    WASH_BAY = "wash_bay"
    ALIGNMENT_RACK = "alignment_rack"
    DIAGNOSTIC_EQUIPMENT = "diagnostic_equipment"
    INDOOR_STORAGE = "indoor_storage"
    OUTDOOR_STORAGE = "outdoor_storage"
    PARKING_SPOTS = "parking_spots"
    AIR_COMPRESSOR = "air_compressor"
    ELECTRICAL_SYSTEM = "electrical_system"
    SPECIALTY_TOOLS = "specialty_tools"


class ContractStatus(StrEnum):
    DRAFT = "draft"
    PENDING_SIGNATURES = "pending_signatures"
    ACTIVE = "active"
    COMPLETED = "completed"
    TERMINATED = "terminated"
    DISPUTED = "disputed"


class ContractType(StrEnum):
    FIXED_PRICE = "fixed_price"
    TIME_AND_MATERIALS = "time_and_materials"
    PERCENTAGE = "percentage"
    TIERED = "tiered"
    CUSTOM = "custom"


class DistributionStatus(StrEnum):
    PENDING = "pending"
    PROCESSING = "processing"
    COMPLETED = "completed"
    FAILED = "failed"
    REVERSED = "reversed"
    RECONCILED = "reconciled"


class JobOfferStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    EXPIRED = "expired"
    WITHDRAWN = "withdrawn"


class MemberRole(StrEnum):
    OWNER = "owner"
    MANAGER = "manager"
    STAFF = "staff"


class PartyType(StrEnum):
    CUSTOMER = "customer"
    FACILITY = "facility"
    LABOR = "labor"


class PricingModel(StrEnum):
    FIXED = "fixed"
    HOURLY = "hourly"
    PERCENTAGE = "percentage"
    TIERED = "tiered"
    CUSTOM_QUOTE = "custom_quote"


class Proficiency(StrEnum):
    BEGINNER = "beginner"
    INTERMEDIATE = "intermediate"
    ADVANCED = "advanced"
    EXPERT = "expert"


class RecipientType(StrEnum):
    FACILITY = "facility"
    LABOR = "labor"
    PLATFORM = "platform"


class ResourceType(StrEnum):
    CAPABILITY = "capability"
    USER_LABOR = "user_labor"


class ServiceType(StrEnum):
    PAINT = "paint"
    BODY_WORK = "body_work"
    MECHANICAL = "mechanical"
    RESTORATION = "restoration"
    DETAILING = "detailing"
    STORAGE = "storage"
    INSPECTION = "inspection"
    FABRICATION = "fabrication"
    ELECTRICAL = "electrical"
    CUSTOM = "custom"


class SkillCategory(StrEnum):
    PAINTING = "painting"
    BODY_WORK = "body_work"
    MECHANICAL = "mechanical"
    ELECTRICAL = "electrical"
    WELDING = "welding"
    UPHOLSTERY = "upholstery"
    DETAILING = "detailing"
    RESTORATION = "restoration"
    DIAGNOSTICS = "diagnostics"
    FABRICATION = "fabrication"


class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name="Organization",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ("name", fields.CharField(db_index=True, max_length=200)),
                ("description", fields.TextField(default="", unique=False)),
                ("address", fields.CharField(default="", max_length=300)),
                ("city", fields.CharField(default="", max_length=100)),
                ("state", fields.CharField(default="", max_length=50)),
                ("postal_code", fields.CharField(default="", max_length=20)),
                ("latitude", fields.FloatField(null=True)),
                ("longitude", fields.FloatField(null=True)),
                ("timezone", fields.CharField(default="UTC", max_length=64)),
                ("phone", fields.CharField(default="", max_length=40)),
                ("email", fields.CharField(default="", max_length=200)),
                ("website", fields.CharField(default="", max_length=300)),
                (
                    "tags",
                    fields.JSONField(
                        default=list, encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads
                    ),
                ),
                (
                    "keywords",
                    fields.JSONField(
                        default=list, encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads
                    ),
                ),
                (
                    "operating_hours",
                    fields.JSONField(
                        default=dict, encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads
                    ),
                ),
                ("stripe_account_id", fields.CharField(null=True, max_length=100)),
                ("facility_share_bps", fields.IntField(default=2000)),
                ("labor_share_bps", fields.IntField(default=7000)),
                ("platform_share_bps", fields.IntField(default=1000)),
                ("rating", fields.DecimalField(default=0, max_digits=3, decimal_places=2)),
                ("rating_count", fields.IntField(default=0)),
                ("completed_jobs", fields.IntField(default=0)),
                ("is_active", fields.BooleanField(default=True)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={
                "table": "businesses",
                "app": "models",
                "constraints": [
                    CheckConstraint(
                        check="facility_share_bps + labor_share_bps + platform_share_bps = 10000",
                        name="businesses_split_adds_up",
                    )
                ],
                "indexes": [Index(fields=["latitude", "longitude"])],
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="OrganizationCapability",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "organization",
                    fields.ForeignKeyField(
                        "models.Organization",
                        source_field="organization_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="capabilities",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "capability_type",
                    fields.CharEnumField(
                        description="VEHICLE_LIFT: vehicle_lift\nPAINT_BOOTH: paint_booth\nWELDING_STATION: welding_station\nWASH_BAY: wash_bay\nALIGNMENT_RACK: alignment_rack\nDIAGNOSTIC_EQUIPMENT: diagnostic_equipment\nINDOOR_STORAGE: indoor_storage\nOUTDOOR_STORAGE: outdoor_storage\nPARKING_SPOTS: parking_spots\nAIR_COMPRESSOR: air_compressor\nELECTRICAL_SYSTEM: electrical_system\nSPECIALTY_TOOLS: specialty_tools",
                        enum_type=CapabilityType,
                        max_length=30,
                    ),
                ),
                ("name", fields.CharField(default="", max_length=200)),
                ("quantity", fields.IntField(default=1)),
                ("unit", fields.CharField(default="units", max_length=20)),
                ("hours_per_day", fields.DecimalField(default=8, max_digits=4, decimal_places=2)),
                ("days_per_week", fields.IntField(default=5)),
                (
                    "specifications",
                    fields.JSONField(
                        default=dict, encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads
                    ),
                ),
                ("is_operational", fields.BooleanField(default=True)),
                ("maintenance_start", fields.DateField(null=True)),
                ("maintenance_end", fields.DateField(null=True)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={
                "table": "organization_capabilities",
                "app": "models",
                "constraints": [
                    CheckConstraint(
                        check="capability_type IN ('vehicle_lift', 'paint_booth', 'welding_station', 'wash_bay', 'alignment_rack', 'diagnostic_equipment', 'indoor_storage', 'outdoor_storage', 'parking_spots', 'air_compressor', 'electrical_system', 'specialty_tools')",
                        name="organization_capabilities_type",
                    ),
                    CheckConstraint(
                        check="quantity >= 0 AND hours_per_day >= 0 AND hours_per_day <= 24 AND days_per_week >= 0 AND days_per_week <= 7",
                        name="organization_capabilities_ranges",
                    ),
                ],
                "indexes": [Index(fields=["organization_id", "capability_type"])],
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="OrganizationService",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "organization",
                    fields.ForeignKeyField(
                        "models.Organization",
                        source_field="organization_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="services",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("service_name", fields.CharField(max_length=200)),
                (
                    "service_type",
                    fields.CharEnumField(
                        description="PAINT: paint\nBODY_WORK: body_work\nMECHANICAL: mechanical\nRESTORATION: restoration\nDETAILING: detailing\nSTORAGE: storage\nINSPECTION: inspection\nFABRICATION: fabrication\nELECTRICAL: electrical\nCUSTOM: custom",
                        enum_type=ServiceType,
                        max_length=30,
                    ),
                ),
                ("description", fields.TextField(default="", unique=False)),
                (
                    "pricing_model",
                    fields.CharEnumField(
                        default=PricingModel.FIXED,
                        description="FIXED: fixed\nHOURLY: hourly\nPERCENTAGE: percentage\nTIERED: tiered\nCUSTOM_QUOTE: custom_quote",
                        enum_type=PricingModel,
                        max_length=20,
                    ),
                ),
                ("base_price_cents", fields.BigIntField(default=0)),
                ("hourly_rate_cents", fields.BigIntField(default=0)),
                ("percentage_rate_bps", fields.IntField(default=0)),
                (
                    "price_tiers",
                    fields.JSONField(
                        default=list, encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads
                    ),
                ),
                ("materials_cost_cents", fields.BigIntField(default=0)),
                ("estimated_hours", fields.DecimalField(default=0, max_digits=7, decimal_places=2)),
                ("estimated_days", fields.IntField(default=1)),
                (
                    "required_capabilities",
                    fields.JSONField(
                        default=list, encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads
                    ),
                ),
                (
                    "required_skills",
                    fields.JSONField(
                        default=list, encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads
                    ),
                ),
                ("is_active", fields.BooleanField(default=True)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={
                "table": "organization_services",
                "app": "models",
                "constraints": [
                    CheckConstraint(
                        check="service_type IN ('paint', 'body_work', 'mechanical', 'restoration', 'detailing', 'storage', 'inspection', 'fabrication', 'electrical', 'custom')",
                        name="organization_services_type",
                    ),
                    CheckConstraint(
                        check="pricing_model IN ('fixed', 'hourly', 'percentage', 'tiered', 'custom_quote')",
                        name="organization_services_pricing",
                    ),
                    CheckConstraint(
                        check="base_price_cents >= 0 AND hourly_rate_cents >= 0 AND materials_cost_cents >= 0 AND percentage_rate_bps >= 0 AND estimated_hours >= 0 AND estimated_days >= 1",
                        name="organization_services_non_negative",
                    ),
                ],
                "indexes": [
                    Index(fields=["organization_id", "service_type"]),
                    Index(fields=["service_type", "is_active"]),
                ],
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="ProcessedWebhookEvent",
            fields=[
                ("id", fields.CharField(primary_key=True, unique=True, db_index=True, max_length=100)),
                ("event_type", fields.CharField(max_length=100)),
                ("received_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "processed_webhook_events",
                "app": "models",
                "pk_attr": "id",
                "table_description": "Stripe event ids already handled, so a redelivered event is ignored.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="User",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ("email", fields.CharField(unique=True, max_length=254)),
                ("password_hash", fields.CharField(max_length=200)),
                ("full_name", fields.CharField(max_length=200)),
                ("phone", fields.CharField(default="", max_length=40)),
                ("bio", fields.TextField(default="", unique=False)),
                ("latitude", fields.FloatField(null=True)),
                ("longitude", fields.FloatField(null=True)),
                ("rating", fields.DecimalField(default=0, max_digits=3, decimal_places=2)),
                ("rating_count", fields.IntField(default=0)),
                ("completed_jobs", fields.IntField(default=0)),
                ("stripe_account_id", fields.CharField(null=True, max_length=100)),
                ("is_admin", fields.BooleanField(default=False)),
                ("is_active", fields.BooleanField(default=True)),
                ("token_version", fields.IntField(default=0)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={
                "table": "users",
                "app": "models",
                "indexes": [Index(fields=["latitude", "longitude"])],
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="OrganizationMember",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "organization",
                    fields.ForeignKeyField(
                        "models.Organization",
                        source_field="organization_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="members",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "user",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="user_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="memberships",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "role",
                    fields.CharEnumField(
                        default=MemberRole.STAFF,
                        description="OWNER: owner\nMANAGER: manager\nSTAFF: staff",
                        enum_type=MemberRole,
                        max_length=20,
                    ),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "organization_members",
                "app": "models",
                "unique_together": (("organization", "user"),),
                "constraints": [
                    CheckConstraint(check="role IN ('owner', 'manager', 'staff')", name="organization_members_role")
                ],
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="UserSkill",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "user",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="user_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="skills",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "skill_category",
                    fields.CharEnumField(
                        description="PAINTING: painting\nBODY_WORK: body_work\nMECHANICAL: mechanical\nELECTRICAL: electrical\nWELDING: welding\nUPHOLSTERY: upholstery\nDETAILING: detailing\nRESTORATION: restoration\nDIAGNOSTICS: diagnostics\nFABRICATION: fabrication",
                        enum_type=SkillCategory,
                        max_length=30,
                    ),
                ),
                ("skill_name", fields.CharField(max_length=200)),
                (
                    "proficiency_level",
                    fields.CharEnumField(
                        default=Proficiency.INTERMEDIATE,
                        description="BEGINNER: beginner\nINTERMEDIATE: intermediate\nADVANCED: advanced\nEXPERT: expert",
                        enum_type=Proficiency,
                        max_length=20,
                    ),
                ),
                ("years_experience", fields.IntField(default=0)),
                ("hourly_rate_cents", fields.BigIntField(default=0)),
                (
                    "certifications",
                    fields.JSONField(
                        default=list, encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads
                    ),
                ),
                ("availability_hours_per_week", fields.IntField(default=40)),
                ("travel_radius_miles", fields.IntField(default=25)),
                ("is_available", fields.BooleanField(default=True)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={
                "table": "user_skills",
                "app": "models",
                "unique_together": (("user", "skill_category", "skill_name"),),
                "constraints": [
                    CheckConstraint(
                        check="skill_category IN ('painting', 'body_work', 'mechanical', 'electrical', 'welding', 'upholstery', 'detailing', 'restoration', 'diagnostics', 'fabrication')",
                        name="user_skills_category",
                    ),
                    CheckConstraint(
                        check="proficiency_level IN ('beginner', 'intermediate', 'advanced', 'expert')",
                        name="user_skills_proficiency",
                    ),
                    CheckConstraint(
                        check="years_experience >= 0 AND hourly_rate_cents >= 0 AND travel_radius_miles >= 0 AND availability_hours_per_week >= 0 AND availability_hours_per_week <= 168",
                        name="user_skills_ranges",
                    ),
                ],
                "indexes": [Index(fields=["skill_category", "proficiency_level"])],
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Vehicle",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "owner",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="owner_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="vehicles",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("year", fields.IntField()),
                ("make", fields.CharField(max_length=100)),
                ("model", fields.CharField(max_length=100)),
                ("vin", fields.CharField(null=True, max_length=17)),
                ("color", fields.CharField(default="", max_length=50)),
                ("value_cents", fields.BigIntField(default=0)),
                ("notes", fields.TextField(default="", unique=False)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "vehicles",
                "app": "models",
                "constraints": [CheckConstraint(check="value_cents >= 0 AND year >= 1885", name="vehicles_ranges")],
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="ServiceBooking",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "organization",
                    fields.ForeignKeyField(
                        "models.Organization",
                        source_field="organization_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="bookings",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "customer",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="customer_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="bookings",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "vehicle",
                    fields.ForeignKeyField(
                        "models.Vehicle",
                        source_field="vehicle_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="bookings",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                (
                    "service",
                    fields.ForeignKeyField(
                        "models.OrganizationService",
                        source_field="service_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="bookings",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                (
                    "service_type",
                    fields.CharEnumField(
                        description="PAINT: paint\nBODY_WORK: body_work\nMECHANICAL: mechanical\nRESTORATION: restoration\nDETAILING: detailing\nSTORAGE: storage\nINSPECTION: inspection\nFABRICATION: fabrication\nELECTRICAL: electrical\nCUSTOM: custom",
                        enum_type=ServiceType,
                        max_length=30,
                    ),
                ),
                (
                    "status",
                    fields.CharEnumField(
                        default=BookingStatus.QUOTE_REQUESTED,
                        description="QUOTE_REQUESTED: quote_requested\nCALCULATING: calculating\nQUOTE_READY: quote_ready\nQUOTE_ACCEPTED: quote_accepted\nSCHEDULED: scheduled\nIN_PROGRESS: in_progress\nQUALITY_REVIEW: quality_review\nCOMPLETED: completed\nPAID: paid\nCANCELLED: cancelled\nDISPUTED: disputed",
                        enum_type=BookingStatus,
                        max_length=20,
                    ),
                ),
                ("requested_start_date", fields.DateField()),
                ("requested_completion_date", fields.DateField(null=True)),
                ("is_flexible", fields.BooleanField(default=True)),
                ("search_latitude", fields.FloatField(null=True)),
                ("search_longitude", fields.FloatField(null=True)),
                ("search_radius_miles", fields.IntField(null=True)),
                ("notes", fields.TextField(default="", unique=False)),
                ("quoted_price_cents", fields.BigIntField(null=True)),
                (
                    "quote_breakdown",
                    fields.JSONField(
                        default=dict, encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads
                    ),
                ),
                ("quote_expires_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("scheduled_start", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("scheduled_end", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("actual_start", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("actual_completion", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("coordination_score", fields.IntField(null=True)),
                ("capacity_utilization", fields.DecimalField(null=True, max_digits=5, decimal_places=4)),
                ("confidence", fields.DecimalField(null=True, max_digits=5, decimal_places=4)),
                (
                    "plan",
                    fields.JSONField(
                        default=dict, encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads
                    ),
                ),
                (
                    "alternatives",
                    fields.JSONField(
                        default=list, encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads
                    ),
                ),
                (
                    "excluded",
                    fields.JSONField(
                        default=list, encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads
                    ),
                ),
                ("cancellation_reason", fields.TextField(default="", unique=False)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={
                "table": "service_bookings",
                "app": "models",
                "constraints": [
                    CheckConstraint(
                        check="status IN ('quote_requested', 'calculating', 'quote_ready', 'quote_accepted', 'scheduled', 'in_progress', 'quality_review', 'completed', 'paid', 'cancelled', 'disputed')",
                        name="service_bookings_status",
                    ),
                    CheckConstraint(
                        check="service_type IN ('paint', 'body_work', 'mechanical', 'restoration', 'detailing', 'storage', 'inspection', 'fabrication', 'electrical', 'custom')",
                        name="service_bookings_service_type",
                    ),
                    CheckConstraint(
                        check="quoted_price_cents IS NULL OR quoted_price_cents >= 0", name="service_bookings_price"
                    ),
                    CheckConstraint(
                        check="coordination_score IS NULL OR (coordination_score >= 0 AND coordination_score <= 100)",
                        name="service_bookings_score",
                    ),
                ],
                "indexes": [
                    Index(fields=["organization_id", "status"]),
                    Index(fields=["customer_id", "status"]),
                    Index(fields=["status", "created_at"]),
                ],
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="BookingStatusHistory",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "booking",
                    fields.ForeignKeyField(
                        "models.ServiceBooking",
                        source_field="booking_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="status_history",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "from_status",
                    fields.CharEnumField(
                        null=True,
                        description="QUOTE_REQUESTED: quote_requested\nCALCULATING: calculating\nQUOTE_READY: quote_ready\nQUOTE_ACCEPTED: quote_accepted\nSCHEDULED: scheduled\nIN_PROGRESS: in_progress\nQUALITY_REVIEW: quality_review\nCOMPLETED: completed\nPAID: paid\nCANCELLED: cancelled\nDISPUTED: disputed",
                        enum_type=BookingStatus,
                        max_length=20,
                    ),
                ),
                (
                    "to_status",
                    fields.CharEnumField(
                        description="QUOTE_REQUESTED: quote_requested\nCALCULATING: calculating\nQUOTE_READY: quote_ready\nQUOTE_ACCEPTED: quote_accepted\nSCHEDULED: scheduled\nIN_PROGRESS: in_progress\nQUALITY_REVIEW: quality_review\nCOMPLETED: completed\nPAID: paid\nCANCELLED: cancelled\nDISPUTED: disputed",
                        enum_type=BookingStatus,
                        max_length=20,
                    ),
                ),
                (
                    "changed_by",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="changed_by_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="status_changes",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                ("reason", fields.TextField(default="", unique=False)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "booking_status_history",
                "app": "models",
                "indexes": [Index(fields=["booking_id", "created_at"]), Index(fields=["to_status", "created_at"])],
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="CapacitySchedule",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "organization",
                    fields.ForeignKeyField(
                        "models.Organization",
                        source_field="organization_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="capacity_blocks",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "resource_type",
                    fields.CharEnumField(
                        default=ResourceType.CAPABILITY,
                        description="CAPABILITY: capability\nUSER_LABOR: user_labor",
                        enum_type=ResourceType,
                        max_length=20,
                    ),
                ),
                (
                    "capability",
                    fields.ForeignKeyField(
                        "models.OrganizationCapability",
                        source_field="capability_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="schedule",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "user",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="user_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="labor_blocks",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "booking",
                    fields.ForeignKeyField(
                        "models.ServiceBooking",
                        source_field="booking_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="capacity_blocks",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("start_time", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("end_time", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("units", fields.IntField(default=1)),
                ("hours", fields.DecimalField(default=0, max_digits=7, decimal_places=2)),
                ("is_reserved", fields.BooleanField(default=False)),
                ("is_blocked", fields.BooleanField(default=False)),
                ("block_reason", fields.CharField(default="", max_length=200)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "capacity_schedule",
                "app": "models",
                "constraints": [
                    CheckConstraint(
                        check="resource_type IN ('capability', 'user_labor')", name="capacity_schedule_resource_type"
                    ),
                    CheckConstraint(
                        check="end_time > start_time AND units >= 0 AND hours >= 0", name="capacity_schedule_span"
                    ),
                    CheckConstraint(
                        check="(resource_type = 'capability' AND capability_id IS NOT NULL) OR (resource_type = 'user_labor' AND user_id IS NOT NULL)",
                        name="capacity_schedule_resource",
                    ),
                ],
                "indexes": [
                    Index(fields=["capability_id", "start_time", "end_time"]),
                    Index(fields=["user_id", "start_time", "end_time"]),
                    Index(fields=["organization_id", "start_time"]),
                    Index(fields=["booking_id"]),
                ],
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="JobOffer",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "booking",
                    fields.ForeignKeyField(
                        "models.ServiceBooking",
                        source_field="booking_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="job_offers",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "user",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="user_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="job_offers",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "role",
                    fields.CharEnumField(
                        description="PAINTING: painting\nBODY_WORK: body_work\nMECHANICAL: mechanical\nELECTRICAL: electrical\nWELDING: welding\nUPHOLSTERY: upholstery\nDETAILING: detailing\nRESTORATION: restoration\nDIAGNOSTICS: diagnostics\nFABRICATION: fabrication",
                        enum_type=SkillCategory,
                        max_length=30,
                    ),
                ),
                ("rank", fields.IntField(default=1)),
                ("hours", fields.DecimalField(default=0, max_digits=7, decimal_places=2)),
                ("amount_cents", fields.BigIntField(default=0)),
                (
                    "status",
                    fields.CharEnumField(
                        default=JobOfferStatus.PENDING,
                        description="PENDING: pending\nACCEPTED: accepted\nDECLINED: declined\nEXPIRED: expired\nWITHDRAWN: withdrawn",
                        enum_type=JobOfferStatus,
                        max_length=20,
                    ),
                ),
                ("expires_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("responded_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "job_offers",
                "app": "models",
                "constraints": [
                    CheckConstraint(
                        check="status IN ('pending', 'accepted', 'declined', 'expired', 'withdrawn')",
                        name="job_offers_status",
                    ),
                    CheckConstraint(check="amount_cents >= 0 AND hours >= 0", name="job_offers_non_negative"),
                ],
                "indexes": [
                    Index(fields=["user_id", "status"]),
                    Index(fields=["status", "expires_at"]),
                    Index(fields=["booking_id", "role"]),
                ],
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Review",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "booking",
                    fields.ForeignKeyField(
                        "models.ServiceBooking",
                        source_field="booking_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="reviews",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "author",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="author_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="reviews_written",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "subject_type",
                    fields.CharEnumField(
                        description="CUSTOMER: customer\nFACILITY: facility\nLABOR: labor",
                        enum_type=PartyType,
                        max_length=20,
                    ),
                ),
                (
                    "subject_user",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="subject_user_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="reviews_received",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "subject_organization",
                    fields.ForeignKeyField(
                        "models.Organization",
                        source_field="subject_organization_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="reviews",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("score", fields.IntField()),
                ("comment", fields.TextField(default="", unique=False)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "reviews",
                "app": "models",
                "unique_together": (("booking", "author", "subject_type", "subject_user", "subject_organization"),),
                "constraints": [
                    CheckConstraint(check="score >= 1 AND score <= 5", name="reviews_score"),
                    CheckConstraint(
                        check="subject_type IN ('customer', 'facility', 'labor')", name="reviews_subject_type"
                    ),
                ],
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="WorkContract",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "booking",
                    fields.OneToOneField(
                        "models.ServiceBooking",
                        source_field="booking_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="contract",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "customer",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="customer_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="contracts",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "organization",
                    fields.ForeignKeyField(
                        "models.Organization",
                        source_field="organization_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="contracts",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "contract_type",
                    fields.CharEnumField(
                        description="FIXED_PRICE: fixed_price\nTIME_AND_MATERIALS: time_and_materials\nPERCENTAGE: percentage\nTIERED: tiered\nCUSTOM: custom",
                        enum_type=ContractType,
                        max_length=30,
                    ),
                ),
                (
                    "status",
                    fields.CharEnumField(
                        default=ContractStatus.PENDING_SIGNATURES,
                        description="DRAFT: draft\nPENDING_SIGNATURES: pending_signatures\nACTIVE: active\nCOMPLETED: completed\nTERMINATED: terminated\nDISPUTED: disputed",
                        enum_type=ContractStatus,
                        max_length=30,
                    ),
                ),
                ("scope_of_work", fields.TextField(default="", unique=False)),
                (
                    "deliverables",
                    fields.JSONField(
                        default=list, encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads
                    ),
                ),
                (
                    "milestones",
                    fields.JSONField(
                        default=list, encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads
                    ),
                ),
                ("payment_terms", fields.TextField(default="", unique=False)),
                ("total_amount_cents", fields.BigIntField()),
                ("facility_amount_cents", fields.BigIntField()),
                ("labor_amount_cents", fields.BigIntField()),
                ("platform_fee_cents", fields.BigIntField()),
                ("facility_share_bps", fields.IntField()),
                ("labor_share_bps", fields.IntField()),
                ("platform_share_bps", fields.IntField()),
                ("start_date", fields.DateField(null=True)),
                ("end_date", fields.DateField(null=True)),
                (
                    "signatures",
                    fields.JSONField(
                        default=list, encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads
                    ),
                ),
                ("document_url", fields.CharField(default="", max_length=300)),
                ("document_hash", fields.CharField(default="", max_length=64)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={
                "table": "work_contracts",
                "app": "models",
                "constraints": [
                    CheckConstraint(
                        check="status IN ('draft', 'pending_signatures', 'active', 'completed', 'terminated', 'disputed')",
                        name="work_contracts_status",
                    ),
                    CheckConstraint(
                        check="contract_type IN ('fixed_price', 'time_and_materials', 'percentage', 'tiered', 'custom')",
                        name="work_contracts_type",
                    ),
                    CheckConstraint(
                        check="facility_amount_cents + labor_amount_cents + platform_fee_cents = total_amount_cents",
                        name="work_contracts_parts_add_up",
                    ),
                ],
                "indexes": [Index(fields=["organization_id", "status"]), Index(fields=["customer_id", "status"])],
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="PaymentDistribution",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "contract",
                    fields.ForeignKeyField(
                        "models.WorkContract",
                        source_field="contract_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="payment_distributions",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "booking",
                    fields.ForeignKeyField(
                        "models.ServiceBooking",
                        source_field="booking_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="payment_distributions",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("milestone", fields.CharField(max_length=50)),
                (
                    "recipient_type",
                    fields.CharEnumField(
                        description="FACILITY: facility\nLABOR: labor\nPLATFORM: platform",
                        enum_type=RecipientType,
                        max_length=20,
                    ),
                ),
                (
                    "recipient_user",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="recipient_user_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="payouts",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "recipient_organization",
                    fields.ForeignKeyField(
                        "models.Organization",
                        source_field="recipient_organization_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="payouts",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("amount_cents", fields.BigIntField()),
                ("refunded_cents", fields.BigIntField(default=0)),
                (
                    "status",
                    fields.CharEnumField(
                        default=DistributionStatus.PENDING,
                        description="PENDING: pending\nPROCESSING: processing\nCOMPLETED: completed\nFAILED: failed\nREVERSED: reversed\nRECONCILED: reconciled",
                        enum_type=DistributionStatus,
                        max_length=20,
                    ),
                ),
                ("stripe_payment_intent_id", fields.CharField(null=True, max_length=100)),
                ("stripe_transfer_id", fields.CharField(null=True, max_length=100)),
                ("transfer_group", fields.CharField(default="", max_length=100)),
                ("idempotency_key", fields.CharField(unique=True, max_length=120)),
                ("attempts", fields.IntField(default=0)),
                ("next_attempt_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("last_error", fields.TextField(default="", unique=False)),
                ("processed_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={
                "table": "payment_distributions",
                "app": "models",
                "constraints": [
                    CheckConstraint(
                        check="status IN ('pending', 'processing', 'completed', 'failed', 'reversed', 'reconciled')",
                        name="payment_distributions_status",
                    ),
                    CheckConstraint(
                        check="recipient_type IN ('facility', 'labor', 'platform')",
                        name="payment_distributions_recipient",
                    ),
                    CheckConstraint(
                        check="amount_cents >= 0 AND refunded_cents >= 0 AND refunded_cents <= amount_cents",
                        name="payment_distributions_amounts",
                    ),
                ],
                "indexes": [
                    Index(fields=["contract_id", "milestone"]),
                    Index(fields=["status", "next_attempt_at"]),
                    Index(fields=["recipient_user_id", "status"]),
                ],
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
    ]
