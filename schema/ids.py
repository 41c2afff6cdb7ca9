"""Ids over GraphQL: every entity's `id` is a Relay global id (base64 of "TypeName:uuid"), its database key is
`rowId`. One parser turns an id argument back into the key, for every resolver and input.

An argument accepts the global id of the expected type or, for convenience, the bare UUID; a global id of another
type, or anything else, is BAD_INPUT naming the argument (never a 500, and never a lookup with a wrong key).
"""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

import strawberry
from strawberry.relay import GlobalID

from app.errors import bad_input


def global_id(type_name: str, key: UUID) -> strawberry.ID:
    """The opaque id of the row `key` of the GraphQL type `type_name`."""
    return strawberry.ID(str(GlobalID(type_name=type_name, node_id=str(key))))


def optional_global_id(type_name: str, key: UUID | str | None) -> strawberry.ID | None:
    return None if key is None else global_id(type_name, UUID(str(key)))


def decode(value: str) -> tuple[str | None, UUID] | None:
    """(type name, key) of a global id, (None, key) of a bare UUID, None for anything else."""
    text = str(value).strip()
    try:
        return None, UUID(text)
    except ValueError:
        pass
    try:
        found = GlobalID.from_id(text)
        return found.type_name, UUID(found.node_id)
    except Exception:  # not base64, not "Type:id", or not a UUID inside: all garbage to us
        return None


def parse_id(value: str, expected: str | Iterable[str], *, field: str) -> UUID:
    """The database key named by `value`, an id of one of the `expected` types (BAD_INPUT otherwise)."""
    names = (expected,) if isinstance(expected, str) else tuple(expected)
    decoded = decode(value)
    if decoded is None:
        raise bad_input(field, f"{field} is not an id")
    type_name, key = decoded
    if type_name is not None and type_name not in names:
        raise bad_input(field, f"{field} is the id of a {type_name}, not of a {' or '.join(names)}")
    return key


def parse_optional_id(value: str | None, expected: str | Iterable[str], *, field: str) -> UUID | None:
    return None if value is None else parse_id(value, expected, field=field)
