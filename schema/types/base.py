"""Mapping of model rows onto Strawberry types: plain fields copied, resolver fields left to resolve; the
Entity interface every type of a table implements (a Relay node with its database key beside)."""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from typing import Any, TypeVar
from uuid import UUID

import strawberry
from strawberry import relay
from tortoise.models import Model

T = TypeVar("T")


@strawberry.interface(
    description="A row of one of the ERD's tables: `id` is its opaque global id (for `node`, and for clients' caches),"
    " `rowId` its database key."
)
class Entity(relay.Node):
    row: strawberry.Private[Any]

    @classmethod
    def resolve_id(cls, root: Any, *, info: Any) -> str:
        return str(root.row.id)

    @strawberry.field(description="The database key (a UUID, as in the ERD).")
    def row_id(self) -> UUID:
        key: UUID = self.row.id
        return key


@cache
def _plain_fields(cls: type) -> tuple[str, ...]:
    """Names of the fields of `cls` that are copied from the row (no resolver), computed once per type."""
    definition = cls.__strawberry_definition__  # type: ignore[attr-defined]
    return tuple(f.python_name for f in definition.fields if f.base_resolver is None and f.python_name != "row")


def from_row(cls: type[T], row: Model, **overrides: Any) -> T:
    """Build `cls` from a row: every non-resolver field is read from the attribute of the same name."""
    values: dict[str, Any] = {"row": row}
    for name in _plain_fields(cls):  # type: ignore[arg-type]
        if name in overrides:
            continue
        value = getattr(row, name)
        values[name] = float(value) if isinstance(value, Decimal) else value
    values.update(overrides)
    return cls(**values)


def from_rows(cls: type[T], rows: list[Any]) -> list[T]:
    return [from_row(cls, row) for row in rows]
