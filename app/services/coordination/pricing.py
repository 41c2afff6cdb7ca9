"""Prices per pricing model, and the breakdown that splits a price between facility, labor and platform."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from app.errors import bad_input
from app.services import money
from models import Organization, OrganizationService
from models.enums import PricingModel

DEFAULT_SPLIT = (2000, 7000, 1000)


@dataclass(frozen=True)
class LaborLine:
    user_id: int
    name: str
    role: str
    hours: Decimal


def service_price(service: OrganizationService, *, vehicle_value_cents: int | None, labor_hours: Decimal) -> int | None:
    """The service's price in cents, or None for a custom quote (the facility prices it later)."""
    model = PricingModel(service.pricing_model)
    if model is PricingModel.FIXED:
        return int(service.base_price_cents)
    if model is PricingModel.HOURLY:
        hours = Decimal(service.estimated_hours) if Decimal(service.estimated_hours) > 0 else labor_hours
        return int((hours * service.hourly_rate_cents).to_integral_value(ROUND_HALF_UP))
    if model is PricingModel.CUSTOM_QUOTE:
        return None
    if vehicle_value_cents is None:
        raise bad_input("vehicleId", "This service is priced by the vehicle's value: choose a vehicle")
    if model is PricingModel.PERCENTAGE:
        return money.bps_of(vehicle_value_cents, service.percentage_rate_bps)
    return tier_price(service.price_tiers, vehicle_value_cents)


def tier_price(tiers: Sequence[dict[str, int | None]], value_cents: int) -> int:
    """The first tier (by ascending ceiling, open ceiling last) whose ceiling covers the value."""
    ordered = sorted(tiers, key=lambda t: (t.get("up_to_value_cents") is None, t.get("up_to_value_cents") or 0))
    for tier in ordered:
        ceiling = tier.get("up_to_value_cents")
        if ceiling is None or value_cents <= ceiling:
            return int(tier.get("price_cents") or 0)
    if not ordered:
        raise bad_input("priceTiers", "This tiered service has no tiers")
    return int(ordered[-1].get("price_cents") or 0)  # above every ceiling: the highest tier


def split_of(organization: Organization | None) -> tuple[int, int, int]:
    if organization is None:
        return DEFAULT_SPLIT
    return (organization.facility_share_bps, organization.labor_share_bps, organization.platform_share_bps)


def breakdown(
    *, service_price_cents: int, materials_cents: int, split_bps: tuple[int, int, int], labor: Sequence[LaborLine]
) -> dict[str, Any]:
    """The quote_breakdown JSON; every part allocated by largest remainder so the parts add up exactly.

    With no labor matched (a service that needs no people) the labor share goes to the facility.
    """
    facility_bps, labor_bps, platform_bps = split_bps
    if not labor:
        facility_bps, labor_bps = facility_bps + labor_bps, 0
    facility, labor_fee, platform = money.allocate(service_price_cents, [facility_bps, labor_bps, platform_bps])
    lines: list[dict[str, Any]] = []
    if labor:
        minutes = [int(line.hours * 60) for line in labor]
        amounts = money.allocate(labor_fee, minutes if sum(minutes) else [1] * len(labor))
        lines = [
            {
                "user_id": line.user_id,
                "name": line.name,
                "role": line.role,
                "hours": f"{line.hours:.2f}",
                "amount_cents": amount,
            }
            for line, amount in zip(labor, amounts, strict=True)
        ]
    return {
        "total_cents": service_price_cents + materials_cents,
        "service_price_cents": service_price_cents,
        "facility_fee_cents": facility,
        "materials_cents": materials_cents,
        "labor_fee_cents": labor_fee,
        "platform_fee_cents": platform,
        "split_bps": {"facility": facility_bps, "labor": labor_bps, "platform": platform_bps},
        "labor": lines,
    }
