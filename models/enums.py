"""The ERD's CHECK vocabularies, as enums (values are what the database stores)."""

from __future__ import annotations

from enum import Enum


class StrEnum(str, Enum):
    def __str__(self) -> str:
        return str(self.value)


class MemberRole(StrEnum):
    OWNER = "owner"
    MANAGER = "manager"
    STAFF = "staff"


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


class PricingModel(StrEnum):
    FIXED = "fixed"
    HOURLY = "hourly"
    PERCENTAGE = "percentage"
    TIERED = "tiered"
    CUSTOM_QUOTE = "custom_quote"


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


class CapabilityKind(StrEnum):
    TIME_SHARED = "time_shared"
    SPACE = "space"
    PRESENCE = "presence"


CAPABILITY_KINDS: dict[CapabilityType, CapabilityKind] = {
    CapabilityType.VEHICLE_LIFT: CapabilityKind.TIME_SHARED,
    CapabilityType.PAINT_BOOTH: CapabilityKind.TIME_SHARED,
    CapabilityType.WELDING_STATION: CapabilityKind.TIME_SHARED,
    CapabilityType.WASH_BAY: CapabilityKind.TIME_SHARED,
    CapabilityType.ALIGNMENT_RACK: CapabilityKind.TIME_SHARED,
    CapabilityType.DIAGNOSTIC_EQUIPMENT: CapabilityKind.TIME_SHARED,
    CapabilityType.INDOOR_STORAGE: CapabilityKind.SPACE,
    CapabilityType.OUTDOOR_STORAGE: CapabilityKind.SPACE,
    CapabilityType.PARKING_SPOTS: CapabilityKind.SPACE,
    CapabilityType.AIR_COMPRESSOR: CapabilityKind.PRESENCE,
    CapabilityType.ELECTRICAL_SYSTEM: CapabilityKind.PRESENCE,
    CapabilityType.SPECIALTY_TOOLS: CapabilityKind.PRESENCE,
}


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


class Proficiency(StrEnum):
    BEGINNER = "beginner"
    INTERMEDIATE = "intermediate"
    ADVANCED = "advanced"
    EXPERT = "expert"


PROFICIENCY_RANK = {
    Proficiency.BEGINNER: 1,
    Proficiency.INTERMEDIATE: 2,
    Proficiency.ADVANCED: 3,
    Proficiency.EXPERT: 4,
}


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


class ContractType(StrEnum):
    FIXED_PRICE = "fixed_price"
    TIME_AND_MATERIALS = "time_and_materials"
    PERCENTAGE = "percentage"
    TIERED = "tiered"
    CUSTOM = "custom"


class ContractStatus(StrEnum):
    DRAFT = "draft"
    PENDING_SIGNATURES = "pending_signatures"
    ACTIVE = "active"
    COMPLETED = "completed"
    TERMINATED = "terminated"
    DISPUTED = "disputed"


class RecipientType(StrEnum):
    FACILITY = "facility"
    LABOR = "labor"
    PLATFORM = "platform"


class DistributionStatus(StrEnum):
    PENDING = "pending"
    PROCESSING = "processing"
    COMPLETED = "completed"
    FAILED = "failed"
    REVERSED = "reversed"
    RECONCILED = "reconciled"


class ResourceType(StrEnum):
    CAPABILITY = "capability"
    USER_LABOR = "user_labor"


class JobOfferStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    EXPIRED = "expired"
    WITHDRAWN = "withdrawn"


class PartyType(StrEnum):
    CUSTOMER = "customer"
    FACILITY = "facility"
    LABOR = "labor"


def check_in(column: str, enum: type[StrEnum]) -> str:
    """SQL for a CHECK that keeps a column inside its vocabulary."""
    values = ", ".join(f"'{member.value}'" for member in enum)
    return f"{column} IN ({values})"
