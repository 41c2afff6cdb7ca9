"""Mapping of model rows onto Strawberry types: plain fields copied, resolver fields left to resolve."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, TypeVar

from tortoise.models import Model

T = TypeVar("T")


def from_row(cls: type[T], row: Model, **overrides: Any) -> T:
    """Build `cls` from a row: every non-resolver field is read from the attribute of the same name."""
    definition = cls.__strawberry_definition__  # type: ignore[attr-defined]
    values: dict[str, Any] = {"row": row}
    for field in definition.fields:
        if field.base_resolver is not None or field.python_name in overrides or field.python_name == "row":
            continue
        value = getattr(row, field.python_name)
        values[field.python_name] = float(value) if isinstance(value, Decimal) else value
    values.update(overrides)
    return cls(**values)


def from_rows(cls: type[T], rows: list[Any]) -> list[T]:
    return [from_row(cls, row) for row in rows]
