"""Dates within a sane window: a date the calendar code cannot do arithmetic on is refused as input.

Year 1 or 9999 parse as ISO dates, but adding a stay or a timezone offset to them overflows (a 500), and no
booking, maintenance window or report is meant for them. The overrides keep the scalars' names, so the
schema is unchanged; a value outside the window is a variable-coercion error (BAD_INPUT with its path).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import Any, NewType

import strawberry
from strawberry.exceptions import StrawberryInputCoercionError
from strawberry.schema.types.base_scalars import DateDefinition, DateTimeDefinition
from strawberry.types.scalar import ScalarDefinition

MIN_YEAR = 1900
MAX_YEAR = 2200


def _within_window(parse: Callable[[object], Any], kind: str) -> Callable[[object], Any]:
    def inner(value: object) -> Any:
        parsed = parse(value)
        if not MIN_YEAR <= parsed.year <= MAX_YEAR:
            raise StrawberryInputCoercionError(f"A {kind} must fall between the years {MIN_YEAR} and {MAX_YEAR}")
        return parsed

    return inner


BoundedDate: ScalarDefinition = dataclasses.replace(
    DateDefinition,
    parse_value=_within_window(DateDefinition.parse_value, "Date"),  # type: ignore[arg-type]
)
BoundedDateTime: ScalarDefinition = dataclasses.replace(
    DateTimeDefinition,
    parse_value=_within_window(DateTimeDefinition.parse_value, "DateTime"),  # type: ignore[arg-type]
)

# Money: integer cents. GraphQL's Int stops at 2^31 - 1 cents ($21.47M), which a collector car passes; this
# scalar carries any integer a JavaScript client holds exactly (|n| <= 2^53 - 1, $90 trillion), stored BIGINT.
MAX_SAFE_CENTS = 2**53 - 1


def _parse_cents(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise StrawberryInputCoercionError("Cents must be a whole number of cents")
    try:
        cents = int(value)
    except ValueError as error:
        raise StrawberryInputCoercionError("Cents must be a whole number of cents") from error
    if abs(cents) > MAX_SAFE_CENTS:
        raise StrawberryInputCoercionError(f"Cents must lie within ±{MAX_SAFE_CENTS}")
    return cents


def _serialize_cents(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or abs(value) > MAX_SAFE_CENTS:
        raise ValueError(f"Not a money amount in cents: {value!r}")
    return value


Cents = NewType("Cents", int)
CentsDefinition: ScalarDefinition = strawberry.scalar(
    name="Cents",
    description="An amount of money in integer cents, exact up to ±(2^53 - 1) (64-bit safe; JSON number).",
    serialize=_serialize_cents,
    parse_value=_parse_cents,
)

SCALAR_OVERRIDES: dict[object, Any] = {dt.date: BoundedDate, dt.datetime: BoundedDateTime, Cents: CentsDefinition}
