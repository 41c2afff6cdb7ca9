"""Field rules shared by every write: bad input is refused before anything is written."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from app.errors import bad_input

Rule = Callable[[str, Any], None]
MAX_PERIOD_DAYS = 366  # a report covers at most a year (a leap year's days included)


def non_negative(field: str, value: Any) -> None:
    if value is not None and value < 0:
        raise bad_input(field, f"{field} must not be negative")


def positive(field: str, value: Any) -> None:
    if value is not None and value <= 0:
        raise bad_input(field, f"{field} must be greater than zero")


def hours_per_day(field: str, value: Any) -> None:
    if value is not None and not (0 <= Decimal(str(value)) <= 24):
        raise bad_input(field, f"{field} must be between 0 and 24")


def days_per_week(field: str, value: Any) -> None:
    if value is not None and not (0 <= value <= 7):
        raise bad_input(field, f"{field} must be between 0 and 7")


def latitude(field: str, value: Any) -> None:
    if value is not None and not (-90 <= value <= 90):
        raise bad_input(field, f"{field} must be between -90 and 90")


def longitude(field: str, value: Any) -> None:
    if value is not None and not (-180 <= value <= 180):
        raise bad_input(field, f"{field} must be between -180 and 180")


def timezone(field: str, value: Any) -> None:
    if value is None:
        return
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, OSError) as exc:  # OSError: a name too long for a file
        raise bad_input(field, f"{field} must be an IANA timezone such as America/Los_Angeles") from exc


def not_blank(field: str, value: Any) -> None:
    if value is not None and not str(value).strip():
        raise bad_input(field, f"{field} must not be empty")


MAX_TEXT = 10_000  # free text (descriptions, notes): longer is a paste accident or an attack, not a note


def text_length(field: str, value: str | None) -> None:
    if value is not None and len(value) > MAX_TEXT:
        raise bad_input(field, f"{field} must be at most {MAX_TEXT:,} characters")


def score(field: str, value: Any) -> None:
    if value is not None and not (1 <= value <= 5):
        raise bad_input(field, f"{field} must be between 1 and 5")


def vehicle_year(field: str, value: Any) -> None:
    if value is not None and not (1885 <= value <= date.today().year + 2):
        raise bad_input(field, f"{field} is not a plausible model year")


def vin(field: str, value: Any) -> None:
    if value and (len(value) != 17 or not value.isalnum() or set(value.upper()) & {"I", "O", "Q"}):
        raise bad_input(field, f"{field} must be 17 letters and digits without I, O or Q")


def at_most(limit: int) -> Rule:
    """A ceiling (cents, basis points, quantities): past it a value is a typo or an attack, not a price."""

    def rule(field: str, value: Any) -> None:
        if value is not None and value > limit:
            raise bad_input(field, f"{field} must be at most {limit:,}")

    return rule


def camel(name: str) -> str:
    """A service's snake_case key as the schema names it (base_price_cents -> basePriceCents)."""
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def check(values: Mapping[str, Any], rules: Mapping[str, tuple[Rule, ...]]) -> None:
    """Apply each field's rules to the values present; raises on the first bad field, named as in the schema."""
    for name, value in values.items():
        for rule in rules.get(name, ()):
            rule(camel(name), value)


def date_range(start_field: str, start: date | None, end_field: str, end: date | None) -> None:
    if start is not None and end is not None and end < start:
        raise bad_input(end_field, f"{end_field} must not be before {start_field}")


def reporting_period(start: date, end: date) -> None:
    """A reporting period `from`..`to`, both days included: in order and at most MAX_PERIOD_DAYS long."""
    if end < start:
        raise bad_input("to", "to must not be before from")
    if (end - start).days >= MAX_PERIOD_DAYS:
        raise bad_input("to", f"At most {MAX_PERIOD_DAYS} days at a time")


def no_nulls(values: Mapping[str, Any], nullable: frozenset[str] = frozenset()) -> None:
    """An explicit null is refused for a column that cannot be empty."""
    for name, value in values.items():
        if value is None and name not in nullable:
            raise bad_input(camel(name), f"{camel(name)} may not be null")
