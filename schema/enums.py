"""The domain vocabularies registered as GraphQL enums (names UPPER_CASE; the Python classes are the models')."""

from __future__ import annotations

import strawberry

from models.enums import (
    BookingStatus,
    CapabilityKind,
    CapabilityType,
    ContractStatus,
    ContractType,
    DistributionStatus,
    JobOfferStatus,
    MemberRole,
    PartyType,
    PricingModel,
    Proficiency,
    RecipientType,
    ResourceType,
    ServiceType,
    SkillCategory,
)

for _enum in (
    BookingStatus,
    CapabilityKind,
    CapabilityType,
    ContractStatus,
    ContractType,
    DistributionStatus,
    JobOfferStatus,
    MemberRole,
    PartyType,
    PricingModel,
    Proficiency,
    RecipientType,
    ResourceType,
    ServiceType,
    SkillCategory,
):
    strawberry.enum(_enum)

__all__ = [
    "BookingStatus",
    "CapabilityKind",
    "CapabilityType",
    "ContractStatus",
    "ContractType",
    "DistributionStatus",
    "JobOfferStatus",
    "MemberRole",
    "PartyType",
    "PricingModel",
    "Proficiency",
    "RecipientType",
    "ResourceType",
    "ServiceType",
    "SkillCategory",
]
