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
    """The seed's fourteen service types, verbatim."""

    CONSIGNMENT_MANAGEMENT = "consignment_management"
    PROFESSIONAL_DETAILING = "professional_detailing"
    PAINT_CORRECTION = "paint_correction"
    CERAMIC_COATING = "ceramic_coating"
    LIGHT_RESTORATION = "light_restoration"
    MECHANICAL_REPAIR = "mechanical_repair"
    BODYWORK = "bodywork"
    FABRICATION = "fabrication"
    INDOOR_STORAGE = "indoor_storage"
    OUTDOOR_STORAGE = "outdoor_storage"
    TRANSPORT_COORDINATION = "transport_coordination"
    PHOTOGRAPHY = "photography"
    LISTING_MANAGEMENT = "listing_management"
    INSPECTION_SERVICES = "inspection_services"


class PricingModel(StrEnum):
    FIXED_PRICE = "fixed_price"
    HOURLY_RATE = "hourly_rate"
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
    BODYWORK = "bodywork"
    MECHANICAL = "mechanical"
    ELECTRICAL = "electrical"
    FABRICATION = "fabrication"
    UPHOLSTERY = "upholstery"
    DETAILING = "detailing"
    ASSEMBLY = "assembly"
    DIAGNOSTICS = "diagnostics"
    WELDING = "welding"


class Proficiency(StrEnum):
    """The seed's levels with their years of experience."""

    LEARNING = "learning"  # 0-1 years
    COMPETENT = "competent"  # 1-3 years
    PROFICIENT = "proficient"  # 3-5 years
    EXPERT = "expert"  # 5-10 years
    MASTER = "master"  # 10+ years


PROFICIENCY_RANK = {
    Proficiency.LEARNING: 1,
    Proficiency.COMPETENT: 2,
    Proficiency.PROFICIENT: 3,
    Proficiency.EXPERT: 4,
    Proficiency.MASTER: 5,
}

# The lowest years of experience of each level (the seed's bands).
PROFICIENCY_MIN_YEARS = {
    Proficiency.LEARNING: 0,
    Proficiency.COMPETENT: 1,
    Proficiency.PROFICIENT: 3,
    Proficiency.EXPERT: 5,
    Proficiency.MASTER: 10,
}


class AccountType(StrEnum):
    """What a person signed up as (ours, not the seed's): a customer, or labor who will add skills."""

    CUSTOMER = "customer"
    LABOR = "labor"


class WorkSchedule(StrEnum):
    """When a person takes work (the seed names these four; not a seed CHECK list, checked all the same)."""

    WEEKDAYS = "weekdays"  # Monday to Friday, facility-local
    WEEKENDS = "weekends"  # Saturday and Sunday
    EVENINGS = "evenings"  # from 17:00 local
    FLEXIBLE = "flexible"  # any time the facility works


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
    TIME_AND_MATERIALS = "time_and_materials"
    FIXED_PRICE = "fixed_price"
    COST_PLUS = "cost_plus"


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
    CUSTOMER = "customer"  # receives the money of a refund or of a dispute's resolution


class TransferStatus(StrEnum):
    """One recipient's transfer of one payment event (our own outbox vocabulary, not the seed's)."""

    PENDING = "pending"
    PROCESSING = "processing"
    COMPLETED = "completed"
    FAILED = "failed"
    REVERSED = "reversed"
    RECONCILED = "reconciled"


class PaymentType(StrEnum):
    """What a payment_distributions record is: the seed's payment events."""

    DEPOSIT = "deposit"
    MILESTONE = "milestone"
    FINAL = "final"
    REFUND = "refund"
    DISPUTE_RESOLUTION = "dispute_resolution"


class PaymentStatus(StrEnum):
    PENDING = "pending"
    PROCESSING = "processing"
    COMPLETED = "completed"
    FAILED = "failed"
    REFUNDED = "refunded"
    DISPUTED = "disputed"


class MilestoneName(StrEnum):
    """The contract's payment milestones, in order (contracts.DEFAULT_MILESTONES gives their shares)."""

    DEPOSIT = "deposit"
    MIDPOINT = "midpoint"
    FINAL = "final"


class MilestoneStatus(StrEnum):
    PENDING = "pending"
    PAID = "paid"
    CANCELLED = "cancelled"  # never charged: a dispute's resolution settled the contract before it fell due


class ResourceType(StrEnum):
    FACILITY_CAPABILITY = "facility_capability"
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
