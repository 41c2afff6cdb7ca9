"""Tortoise models, one module per aggregate."""

from models.booking import BookingStatusHistory, JobOffer, Review, ServiceBooking
from models.capacity import CapacitySchedule
from models.contract import PaymentDistribution, PaymentTransfer, ProcessedWebhookEvent, WorkContract
from models.event_outbox import EventOutbox
from models.organization import Organization, OrganizationCapability, OrganizationMember, OrganizationService
from models.user import User, UserSkill, Vehicle

__all__ = [
    "BookingStatusHistory",
    "CapacitySchedule",
    "EventOutbox",
    "JobOffer",
    "Organization",
    "OrganizationCapability",
    "OrganizationMember",
    "OrganizationService",
    "PaymentDistribution",
    "PaymentTransfer",
    "ProcessedWebhookEvent",
    "Review",
    "ServiceBooking",
    "User",
    "UserSkill",
    "Vehicle",
    "WorkContract",
]
