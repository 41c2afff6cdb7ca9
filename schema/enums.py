"""The domain vocabularies registered as GraphQL enums (names UPPER_CASE; the Python classes are the models')."""

from __future__ import annotations

import strawberry

from app.errors import ErrorCode
from app.services.next_actions import BookingAction
from models.enums import (
    AccountType,
    BookingStatus,
    CapabilityKind,
    CapabilityType,
    ContractStatus,
    ContractType,
    JobOfferStatus,
    MemberRole,
    MilestoneName,
    MilestoneStatus,
    PartyType,
    PaymentStatus,
    PaymentType,
    PricingModel,
    Proficiency,
    RecipientType,
    ResourceType,
    ServiceType,
    SkillCategory,
    TransferStatus,
    WorkSchedule,
)

GRAPHQL_ENUMS = (
    AccountType,
    BookingAction,
    ErrorCode,
    BookingStatus,
    CapabilityKind,
    CapabilityType,
    ContractStatus,
    ContractType,
    JobOfferStatus,
    MemberRole,
    MilestoneName,
    MilestoneStatus,
    PartyType,
    PaymentStatus,
    PaymentType,
    PricingModel,
    Proficiency,
    RecipientType,
    ResourceType,
    ServiceType,
    SkillCategory,
    TransferStatus,
    WorkSchedule,
)
for _enum in GRAPHQL_ENUMS:
    strawberry.enum(_enum)

__all__ = [
    "GRAPHQL_ENUMS",
    "AccountType",
    "BookingAction",
    "BookingStatus",
    "CapabilityKind",
    "CapabilityType",
    "ContractStatus",
    "ContractType",
    "ErrorCode",
    "JobOfferStatus",
    "MemberRole",
    "MilestoneName",
    "MilestoneStatus",
    "PartyType",
    "PaymentStatus",
    "PaymentType",
    "PricingModel",
    "Proficiency",
    "RecipientType",
    "ResourceType",
    "ServiceType",
    "SkillCategory",
    "TransferStatus",
    "WorkSchedule",
]
