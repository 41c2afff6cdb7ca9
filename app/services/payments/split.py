"""Who is paid what for each milestone: pure functions over integer cents, plus the contract's recipients."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.errors import DomainError, ErrorCode
from app.services.coordination import staffing
from app.services.money import allocate
from models import WorkContract
from models.enums import RecipientType


def milestone_split(milestone_amounts: Sequence[int], party_totals: Sequence[int]) -> list[list[int]]:
    """Split each milestone between the parties so every milestone and every party adds up exactly.

    Each milestone is allocated in proportion to what each party is still owed, so no part ever exceeds
    what remains (the last milestone pays exactly the remainders) and each part is within a cent of
    its exact proportional share.
    """
    if sum(milestone_amounts) != sum(party_totals):
        raise ValueError("milestones and party totals must add up to the same total")
    remaining = list(party_totals)
    rows: list[list[int]] = []
    for amount in milestone_amounts:
        parts = allocate(amount, remaining) if amount and sum(remaining) else [0] * len(remaining)
        remaining = [r - p for r, p in zip(remaining, parts, strict=True)]
        rows.append(parts)
    return rows


@dataclass(frozen=True)
class Recipient:
    type: RecipientType
    key: str  # stable part of the idempotency key: "facility-7", "labor-12", "platform"
    total_cents: int
    user_id: int | None = None
    organization_id: int | None = None


async def recipients_for(contract: WorkContract) -> list[Recipient]:
    """Facility, each person of the contract's labor_payments (bound from the accepted offers when it became active;
    a contract without them splits the labor pool by the accepted offers' amounts), platform."""
    org_id: int = contract.facility_id
    recipients = [
        Recipient(RecipientType.FACILITY, f"facility-{org_id}", contract.facility_payment_cents, None, org_id)
    ]
    if contract.labor_payments and sum(int(p["amount_cents"]) for p in contract.labor_payments) == (
        contract.labor_amount_cents
    ):
        for payment in contract.labor_payments:
            user_id = int(payment["user_id"])
            recipients.append(Recipient(RecipientType.LABOR, f"labor-{user_id}", int(payment["amount_cents"]), user_id))
        recipients.append(Recipient(RecipientType.PLATFORM, "platform", contract.platform_fee_cents))
        return recipients
    offers = await staffing.accepted_offers(contract.booking_id).order_by("id")
    weights: dict[int, int] = {}
    for offer in offers:
        offer_user: int = offer.user_id
        weights[offer_user] = weights.get(offer_user, 0) + int(offer.amount_cents)
    if weights:
        values = list(weights.values()) if any(weights.values()) else [1] * len(weights)
        for user_id, amount in zip(weights, allocate(contract.labor_amount_cents, values), strict=True):
            recipients.append(Recipient(RecipientType.LABOR, f"labor-{user_id}", amount, user_id, None))
    elif contract.labor_amount_cents:
        raise DomainError(ErrorCode.CONFLICT, "No one holds an accepted job offer to receive the labor share")
    recipients.append(Recipient(RecipientType.PLATFORM, "platform", contract.platform_fee_cents))
    return recipients


async def milestone_parts(contract: WorkContract, milestone: str) -> list[tuple[Recipient, int]]:
    names = [str(m["name"]) for m in contract.milestones]
    recipients = await recipients_for(contract)
    table = milestone_split([int(m["amount_cents"]) for m in contract.milestones], [r.total_cents for r in recipients])
    return list(zip(recipients, table[names.index(milestone)], strict=True))
