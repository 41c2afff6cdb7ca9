"""Prices per pricing model, the facility's equipment costs, and the split of an organization (the breakdown
itself is plan.Breakdown)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from tortoise.expressions import Q

from app.errors import bad_input
from app.services.coordination.availability import PlannedBlock
from app.services.coordination.plan import DEFAULT_SPLIT, Split
from app.services.coordination.working_hours import days_between, local_date, zone
from models import Organization, OrganizationCapability, OrganizationService
from models.enums import PricingModel

# The pricing models whose contract is time-and-materials (hourly) or cost-plus (custom quote; see
# contracts.CONTRACT_TYPES): the facility bills the use of its equipment on top of the price.
PASSES_EQUIPMENT_COSTS = frozenset({PricingModel.HOURLY_RATE, PricingModel.CUSTOM_QUOTE})


def service_price(
    service: OrganizationService,
    *,
    vehicle_value_cents: int | None,
    labor_hours: Decimal,
    expected_sale_price_cents: int | None = None,
) -> int | None:
    """The service's price in cents, or None for a custom quote (the facility prices it later)."""
    model = PricingModel(service.pricing_model)
    if model is PricingModel.FIXED_PRICE:
        return int(service.base_price_cents)
    if model is PricingModel.HOURLY_RATE:
        hours = Decimal(service.estimated_hours) if Decimal(service.estimated_hours) > 0 else labor_hours
        return int((hours * service.hourly_rate_cents).to_integral_value(ROUND_HALF_UP))
    if model is PricingModel.CUSTOM_QUOTE:
        return None
    if model is PricingModel.PERCENTAGE:
        if expected_sale_price_cents is None:
            raise bad_input(
                "expectedSalePriceCents",
                "This service is priced as a share of the car's sale price: give expectedSalePriceCents",
            )
        return percent_of(expected_sale_price_cents, Decimal(service.percentage_rate))
    if vehicle_value_cents is None:
        raise bad_input("vehicleId", "This service is priced by the vehicle's value: choose a vehicle")
    return tier_price(service.price_tiers, vehicle_value_cents)


def percent_of(cents: int, percent: Decimal) -> int:
    """`percent` % of an amount, rounded half up to the cent (8.5 % of $45,000.00 is $3,825.00)."""
    return int((Decimal(cents) * percent / 100).to_integral_value(ROUND_HALF_UP))


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


# --- equipment costs ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ResourceCost:
    """What one unit of a capability costs the facility: per hour of use and per local day (cents)."""

    hourly_cents: int
    daily_cents: int

    def of_block(self, hours: Decimal, days: int, units: int) -> int:
        """Hours at the hourly cost, capped by the days at the daily cost when both are set; per unit."""
        by_hour = hours * self.hourly_cents
        by_day = Decimal(days * self.daily_cents)
        if self.hourly_cents and self.daily_cents:
            cost = min(by_hour, by_day)
        else:
            cost = by_hour if self.hourly_cents else by_day
        return int((cost * units).to_integral_value(ROUND_HALF_UP))


async def load_costs(organization_ids: Iterable[int]) -> dict[int, ResourceCost]:
    """The costs of every capability of these organizations that has one, by capability id: one query."""
    ids = sorted(set(organization_ids))
    if not ids:
        return {}
    rows = await OrganizationCapability.filter(
        Q(hourly_cost_cents__gt=0) | Q(daily_cost_cents__gt=0), organization_id__in=ids
    ).values_list("id", "hourly_cost_cents", "daily_cost_cents")
    return {int(i): ResourceCost(int(h), int(d)) for i, h, d in rows}


def equipment_cents(
    service: OrganizationService,
    blocks: Iterable[PlannedBlock],
    costs: Mapping[int, ResourceCost],
    *,
    timezone: str,
) -> int:
    """What the reserved equipment costs, for the pricing models that pass it on (else 0).

    Each reserved block costs its hours (or the facility-local days it touches) at its capability's costs.
    """
    if PricingModel(service.pricing_model) not in PASSES_EQUIPMENT_COSTS:
        return 0
    tz = zone(timezone)
    total = 0
    for block in blocks:
        cost = costs.get(block.capability_id)
        if cost is None:
            continue
        last = local_date(block.end - timedelta(microseconds=1), tz)
        days = len(days_between(local_date(block.start, tz), last))
        total += cost.of_block(block.hours, days, block.units)
    return total


async def plan_equipment_cents(
    service: OrganizationService, organization_id: int, blocks: Sequence[PlannedBlock], *, timezone: str
) -> int:
    """equipment_cents for a stored plan (a custom quote priced later by the facility)."""
    if PricingModel(service.pricing_model) not in PASSES_EQUIPMENT_COSTS or not blocks:
        return 0
    return equipment_cents(service, blocks, await load_costs([organization_id]), timezone=timezone)
