"""Who works on a booking: its open and accepted job offers, and the one rule for "every role is staffed"."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from uuid import UUID

from tortoise.queryset import QuerySet

from app.services.coordination.plan import Plan, plan_of
from models import JobOffer, ServiceBooking
from models.enums import JobOfferStatus

# Offers that bind someone or still may: a declined, expired or withdrawn offer no longer does.
OPEN_OFFERS = (JobOfferStatus.PENDING, JobOfferStatus.ACCEPTED)


def accepted_offers(booking_id: UUID) -> QuerySet[JobOffer]:
    """The people bound to the booking as labor right now."""
    return JobOffer.filter(booking_id=booking_id, status=JobOfferStatus.ACCEPTED)


def open_offers(booking_id: UUID) -> QuerySet[JobOffer]:
    return JobOffer.filter(booking_id=booking_id, status__in=OPEN_OFFERS)


def staffed(plan: Plan, accepted: Iterable[JobOffer]) -> bool:
    """Every planned role's hours are covered by accepted offers.

    Hours, not heads: the cascade may hand one person's part to two people, or one person may hold
    two offers for a role, so counting people would call a half-covered role staffed.
    """
    have: dict[str, Decimal] = {}
    for offer in accepted:
        have[str(offer.role)] = have.get(str(offer.role), Decimal(0)) + Decimal(offer.hours)
    return all(have.get(r.skill.value, Decimal(0)) >= r.role.hours for r in plan.roles)


async def is_staffed(booking: ServiceBooking) -> bool:
    return staffed(plan_of(booking), await accepted_offers(booking.id))
