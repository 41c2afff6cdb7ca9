"""Plausible GraphQL literals for any input type of the schema (used to attack mutations with valid-looking input)."""

from __future__ import annotations

import json
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLScalarType,
)
from graphql.pyutils import Undefined

SCALARS: dict[str, str] = {
    "Int": "1",
    "Cents": "1",
    "Float": "1.5",
    "String": json.dumps("changed by an intruder"),
    "Boolean": "true",
    "ID": json.dumps("1"),
    "Date": json.dumps("2031-03-10"),
    "DateTime": json.dumps("2031-03-10T10:00:00+00:00"),
    "JSON": "{}",
}


def plausible(type_: GraphQLInputType | Any, depth: int = 0) -> str:
    """A value of the type; input objects get their required fields and their first optional text field."""
    if isinstance(type_, GraphQLNonNull):
        return plausible(type_.of_type, depth)
    if isinstance(type_, GraphQLList):
        return f"[{plausible(type_.of_type, depth + 1)}]"
    if isinstance(type_, GraphQLEnumType):
        name: str = next(iter(type_.values))
        return name
    if isinstance(type_, GraphQLScalarType):
        return SCALARS.get(type_.name, json.dumps("x"))
    assert isinstance(type_, GraphQLInputObjectType)
    parts = []
    optional_text_given = False
    for name, f in type_.fields.items():
        required = isinstance(f.type, GraphQLNonNull) and f.default_value is Undefined
        is_text = getattr(f.type, "name", None) == "String"
        if required or (is_text and not optional_text_given and depth < 2):
            optional_text_given |= not required and is_text
            parts.append(f"{name}: {plausible(f.type, depth + 1)}")
    return "{" + ", ".join(parts) + "}"
