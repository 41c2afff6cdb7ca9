"""Prices per pricing model, and the split of an organization (the breakdown itself is plan.Breakdown)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

from app.errors import bad_input
from app.services import money
from app.services.coordination.plan import DEFAULT_SPLIT, Split
from models import Organization, OrganizationService
from models.enums import PricingModel


def service_price(service: OrganizationService, *, vehicle_value_cents: int | None, labor_hours: Decimal) -> int | None:
    """The service's price in cents, or None for a custom quote (the facility prices it later)."""
    model = PricingModel(service.pricing_model)
    if model is PricingModel.FIXED_PRICE:
        return int(service.base_price_cents)
    if model is PricingModel.HOURLY_RATE:
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


def split_of(organization: Organization | None) -> Split:
    if organization is None:
        return DEFAULT_SPLIT
    return Split(organization.facility_share_bps, organization.labor_share_bps, organization.platform_share_bps)
