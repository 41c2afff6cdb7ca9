"""Prices per pricing model and the breakdown's parts, which always add up to the total."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.errors import DomainError
from app.services.coordination import pricing
from app.services.coordination.matching import Assignment
from app.services.coordination.plan import DEFAULT_SPLIT, Breakdown, Split
from models import OrganizationService
from models.booking import QUOTE_PARTS
from models.enums import PricingModel, SkillCategory

pytestmark = pytest.mark.pure  # no database


def service(**values: object) -> OrganizationService:
    return OrganizationService(service_name="x", service_type="bodywork", **values)


def test_each_pricing_model() -> None:
    none = Decimal(0)
    assert (
        pricing.service_price(
            service(pricing_model=PricingModel.FIXED_PRICE, base_price_cents=200_000),
            vehicle_value_cents=None,
            labor_hours=none,
        )
        == 200_000
    )
    hourly = service(pricing_model=PricingModel.HOURLY_RATE, hourly_rate_cents=9_500, estimated_hours=Decimal("2.5"))
    assert pricing.service_price(hourly, vehicle_value_cents=None, labor_hours=Decimal(10)) == 23_750
    by_roles = service(pricing_model=PricingModel.HOURLY_RATE, hourly_rate_cents=9_500)
    assert pricing.service_price(by_roles, vehicle_value_cents=None, labor_hours=Decimal(10)) == 95_000
    pct = service(pricing_model=PricingModel.PERCENTAGE, percentage_rate_bps=250)
    assert pricing.service_price(pct, vehicle_value_cents=4_500_000, labor_hours=none) == 112_500
    with pytest.raises(DomainError):
        pricing.service_price(pct, vehicle_value_cents=None, labor_hours=none)
    tiers = [
        {"up_to_value_cents": None, "price_cents": 300_000},
        {"up_to_value_cents": 2_000_000, "price_cents": 150_000},
    ]
    tiered = service(pricing_model=PricingModel.TIERED, price_tiers=tiers)
    assert pricing.service_price(tiered, vehicle_value_cents=2_000_000, labor_hours=none) == 150_000
    assert pricing.service_price(tiered, vehicle_value_cents=2_000_001, labor_hours=none) == 300_000
    custom = service(pricing_model=PricingModel.CUSTOM_QUOTE)
    assert pricing.service_price(custom, vehicle_value_cents=None, labor_hours=none) is None


def person(user_id: int, hours: Decimal) -> Assignment:
    return Assignment(user_id, f"P{user_id}", SkillCategory.PAINTING, hours, ())


def test_the_seed_split_and_labor_by_hours() -> None:
    labor = [person(1, Decimal(16)), person(2, Decimal(8))]
    b = Breakdown.priced(service_price_cents=200_000, materials_cents=0, split=DEFAULT_SPLIT, people=labor)
    assert (b.facility_fee_cents, b.labor_fee_cents, b.platform_fee_cents) == (40_000, 140_000, 20_000)
    assert [x.amount_cents for x in b.labor] == [93_333, 46_667]
    assert [x.hours for x in b.labor] == [Decimal(16), Decimal(8)]


def test_without_labor_the_labor_share_goes_to_the_facility() -> None:
    b = Breakdown.priced(service_price_cents=10_000, materials_cents=2_500, split=DEFAULT_SPLIT, people=[])
    assert b.split == Split(9000, 0, 1000)
    assert (b.facility_fee_cents, b.materials_cents, b.labor_fee_cents, b.total_cents) == (
        9_000,
        2_500,
        0,
        12_500,
    )


@given(
    price=st.integers(0, 10**9),
    materials=st.integers(0, 10**7),
    cut=st.tuples(st.integers(0, 10_000), st.integers(0, 10_000)).map(sorted),
    hours=st.lists(st.integers(0, 4_000), max_size=5),
)
def test_parts_always_add_up(price: int, materials: int, cut: list[int], hours: list[int]) -> None:
    split = (cut[0], cut[1] - cut[0], 10_000 - cut[1])
    if sum(split) == 0 or (not hours and split[0] + split[1] + split[2] == 0):
        return
    labor = [person(i, Decimal(h) / 100) for i, h in enumerate(hours)]
    b = Breakdown.priced(service_price_cents=price, materials_cents=materials, split=Split(*split), people=labor)
    columns = b.columns()
    parts = sum(columns[name] for name in QUOTE_PARTS)
    assert parts == columns["total_quoted_price_cents"] == price + materials
    assert b.service_price_cents == price
    if labor:
        assert sum(x.amount_cents for x in b.labor) == b.labor_fee_cents
