"""What owners store about a facility and its services, checked by one set of rules on write and on read.

The catalog refuses bad values with BAD_INPUT naming the input path (`operatingHours.2`,
`priceTiers.0.priceCents`); the quote search runs the same rules over stored rows, so a row written
before a rule existed excludes its facility with a reason instead of failing everyone's quote.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from app.errors import DomainError, bad_input
from app.services import validation
from models import Organization, OrganizationService
from models.enums import CapabilityType, PricingModel, Proficiency, SkillCategory

MAX_CENTS = 1_000_000_000  # $10M: more than any one job; far from BIGINT and GraphQL Int overflow
MAX_SALE_PRICE_CENTS = 100_000_000_000  # $1B: above any car ever sold (consignment is a share of it)
MAX_BPS = 10_000  # 100%
MAX_QUANTITY = 1_000_000  # lifts, booths, square feet
MAX_HOURS = 10_000
MAX_DAYS = 365
MAX_CONCURRENT_JOBS = 1_000
MAX_WORDS = 30  # tags or search keywords of one service
MAX_WORD_LENGTH = 60
MAX_NAME_LENGTH = 200  # the name columns' length
MAX_UNIT_LENGTH = 20
WEEKDAYS = frozenset(str(d) for d in range(7))  # "0" = Monday, as calendar.facility_window reads them
CLOCK = re.compile(r"^(?:([01]\d|2[0-3]):([0-5]\d)|(24):(00))$")

CENTS: tuple[validation.Rule, ...] = (validation.non_negative, validation.at_most(MAX_CENTS))
BPS: tuple[validation.Rule, ...] = (validation.non_negative, validation.at_most(MAX_BPS))
QUANTITY: tuple[validation.Rule, ...] = (validation.non_negative, validation.at_most(MAX_QUANTITY))
HOURS: tuple[validation.Rule, ...] = (validation.non_negative, validation.at_most(MAX_HOURS))


def percent(field: str, value: Any) -> None:
    """A percentage with at most two decimal places, 0 to 100 (the seed's DECIMAL(5,2))."""
    if value is None:
        return
    try:
        number = Decimal(str(value))
    except InvalidOperation as exc:
        raise bad_input(field, f"{field} must be a number") from exc
    if not number.is_finite() or not 0 <= number <= 100 or number != number.quantize(Decimal("0.01")):
        raise bad_input(field, f"{field} must be a percentage from 0 to 100 with at most two decimal places")


def words(field: str, value: Any) -> None:
    """Tags or search keywords: a short list of short, non-empty strings, each named by its path when bad."""
    if value is None:
        return
    if not isinstance(value, list):
        raise bad_input(field, f"{field} must be a list of words")
    if len(value) > MAX_WORDS:
        raise bad_input(field, f"{field} holds at most {MAX_WORDS} entries")
    for i, word in enumerate(value):
        path = f"{field}.{i}"
        if not isinstance(word, str) or not word.strip():
            raise bad_input(path, f"{path} must not be empty")
        if len(word) > MAX_WORD_LENGTH:
            raise bad_input(path, f"{path} must be at most {MAX_WORD_LENGTH} characters")


def max_length(limit: int) -> validation.Rule:
    def rule(field: str, value: Any) -> None:
        if value is not None and len(str(value)) > limit:
            raise bad_input(field, f"{field} must be at most {limit} characters")

    return rule


NAME: tuple[validation.Rule, ...] = (validation.not_blank, max_length(MAX_NAME_LENGTH))

SERVICE_RULES: dict[str, tuple[validation.Rule, ...]] = {
    "service_name": NAME,
    "base_price_cents": CENTS,
    "hourly_rate_cents": CENTS,
    "percentage_rate": (percent,),
    "materials_cost_cents": CENTS,
    "estimated_hours": HOURS,
    "typical_duration_days": (validation.positive, validation.at_most(MAX_DAYS)),
    "max_concurrent_jobs": (validation.positive, validation.at_most(MAX_CONCURRENT_JOBS)),
    "tags": (words,),
    "search_keywords": (words,),
}
SERVICE_NULLABLE = frozenset({"typical_duration_days"})

CAPABILITY_RULES: dict[str, tuple[validation.Rule, ...]] = {
    "capability_name": NAME,
    "unit_type": (validation.not_blank, max_length(MAX_UNIT_LENGTH)),
    "quantity": QUANTITY,
    "hours_per_day": (validation.hours_per_day,),
    "days_per_week": (validation.days_per_week,),
    "hourly_cost_cents": CENTS,
    "daily_cost_cents": CENTS,
}
CAPABILITY_NULLABLE = frozenset(
    {"maintenance_start", "maintenance_end", "last_maintenance_date", "next_maintenance_date"}
)


def check_maintenance_dates(last: date | None, following: date | None) -> None:
    """The next maintenance is not before the last one (both facility-local dates)."""
    if last is not None and following is not None and following < last:
        raise bad_input("nextMaintenanceDate", "nextMaintenanceDate must not be before lastMaintenanceDate")


def operating_hours(field: str, value: Any) -> None:
    """{"0": ["08:00", "17:30"], ...}: weekday keys 0 (Monday) to 6; a missing key or [] is a closed day."""
    if value is None:
        return
    if not isinstance(value, Mapping):
        raise bad_input(field, f'{field} must map weekdays "0" (Monday) to "6" to [open, close] times')
    for day, hours in value.items():
        path = f"{field}.{day}"
        if day not in WEEKDAYS:
            raise bad_input(path, f'{path}: weekdays are "0" (Monday) to "6"')
        if hours is None or hours == []:
            continue
        if not isinstance(hours, list) or len(hours) != 2:
            raise bad_input(path, f'{path} must be [open, close] such as ["08:00", "17:30"], or [] when closed')
        opening, closing = (_minutes(f"{path}.{i}", clock) for i, clock in enumerate(hours))
        if closing <= opening:
            raise bad_input(path, f"{path} must close after it opens")


def _minutes(field: str, clock: Any) -> int:
    match = CLOCK.match(clock) if isinstance(clock, str) else None
    if match is None:
        raise bad_input(field, f"{field} must be a time HH:MM between 00:00 and 24:00")
    hours, minutes = (g for g in match.groups() if g is not None)
    return int(hours) * 60 + int(minutes)


def on_earth(latitude: float, longitude: float) -> bool:
    return -90 <= latitude <= 90 and -180 <= longitude <= 180


ORGANIZATION_RULES: dict[str, tuple[validation.Rule, ...]] = {
    "name": NAME,
    "latitude": (validation.latitude,),
    "longitude": (validation.longitude,),
    "timezone": (validation.timezone,),
    "operating_hours": (operating_hours,),
    "facility_share_bps": BPS,
    "labor_share_bps": BPS,
    "platform_share_bps": BPS,
}


def check_pricing(values: Mapping[str, Any], current: OrganizationService | None = None) -> None:
    """The JSON parts of a service (tiers, required capabilities and skills), each item by its path."""
    model = values.get("pricing_model", current.pricing_model if current else PricingModel.FIXED_PRICE)
    tiers = values.get("price_tiers", current.price_tiers if current else [])
    if PricingModel(model) is PricingModel.TIERED and not tiers:
        raise bad_input("priceTiers", "A tiered service needs at least one price tier")
    _tiers(tiers)
    for i, item in enumerate(_items("requiredCapabilities", values.get("required_capabilities"))):
        path = f"requiredCapabilities.{i}"
        _member(f"{path}.capabilityType", CapabilityType, item.get("capability_type"))
        _apply(f"{path}.hours", item.get("hours"), HOURS)
        _apply(f"{path}.units", item.get("units"), QUANTITY)
    for i, item in enumerate(_items("requiredSkills", values.get("required_skills"))):
        path = f"requiredSkills.{i}"
        _member(f"{path}.skillCategory", SkillCategory, item.get("skill_category"))
        _member(f"{path}.minProficiency", Proficiency, item.get("min_proficiency", Proficiency.LEARNING.value))
        _apply(f"{path}.hours", item.get("hours"), HOURS)


def _tiers(tiers: Any) -> None:
    ceilings: list[int | None] = []
    for i, tier in enumerate(_items("priceTiers", tiers)):
        path = f"priceTiers.{i}"
        price = tier.get("price_cents")
        if not isinstance(price, int) or isinstance(price, bool):
            raise bad_input(f"{path}.priceCents", f"{path}.priceCents must be a whole number of cents")
        _apply(f"{path}.priceCents", price, CENTS)
        ceiling = tier.get("up_to_value_cents")
        if ceiling is not None and (not isinstance(ceiling, int) or isinstance(ceiling, bool) or ceiling <= 0):
            raise bad_input(f"{path}.upToValueCents", f"{path}.upToValueCents must be a positive number of cents")
        if ceiling in ceilings:
            raise bad_input(f"{path}.upToValueCents", "Two price tiers share the same ceiling")
        ceilings.append(ceiling)


def _items(field: str, value: Any) -> list[Mapping[str, Any]]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, Mapping) for item in value):
        raise bad_input(field, f"{field} must be a list of objects")
    return value


def _member(field: str, vocabulary: type[Any], value: Any) -> None:
    try:
        vocabulary(value)
    except ValueError as exc:
        raise bad_input(field, f"{field} is not a known value") from exc


def _apply(field: str, value: Any, rules: tuple[validation.Rule, ...]) -> None:
    """A nested number (JSON, so possibly of any type) through the rules, under its path."""
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise bad_input(field, f"{field} must be a number")
    for rule in rules:
        rule(field, value)


def check_not_free(values: Mapping[str, Any], current: OrganizationService | None, *, free_of_charge: bool) -> None:
    """A price of 0 is a mistake unless the owner says so (freeOfCharge: true)."""
    if free_of_charge:
        return

    def now(name: str) -> Any:
        return values.get(name, getattr(current, name) if current else 0)

    model = PricingModel(values.get("pricing_model", current.pricing_model if current else PricingModel.FIXED_PRICE))
    zero_field = {
        PricingModel.FIXED_PRICE: "basePriceCents" if now("base_price_cents") == 0 else None,
        PricingModel.HOURLY_RATE: "hourlyRateCents" if now("hourly_rate_cents") == 0 else None,
        PricingModel.PERCENTAGE: "percentageRate" if now("percentage_rate") == 0 else None,
        PricingModel.TIERED: None if any(_tier_price(t) for t in now("price_tiers") or []) else "priceTiers",
        PricingModel.CUSTOM_QUOTE: None,
    }[model]
    if zero_field is not None:
        raise bad_input(zero_field, f"{zero_field} makes the service free: set freeOfCharge: true if that is meant")


def _tier_price(tier: Any) -> Any:
    return tier.get("price_cents") if isinstance(tier, Mapping) else None


def stored_problem(service: OrganizationService) -> str | None:
    """Why a stored service or its facility (fetched with it) cannot be evaluated by the rules above, or None."""
    organization: Organization = service.organization
    org_values = {name: getattr(organization, name) for name in ORGANIZATION_RULES}
    service_values = {name: getattr(service, name) for name in SERVICE_RULES}
    service_values |= {
        "pricing_model": service.pricing_model,
        "price_tiers": service.price_tiers,
        "required_capabilities": service.required_capabilities,
        "required_skills": service.required_skills,
    }
    try:
        validation.check(org_values, ORGANIZATION_RULES)
        validation.check(service_values, SERVICE_RULES)
        check_pricing(service_values)
    except DomainError as exc:
        return exc.field or exc.message
    except (TypeError, ValueError, ArithmeticError):  # a value of the wrong type altogether
        return "a value of the wrong type"
    return None
