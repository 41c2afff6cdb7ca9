"""Root fields of global object identification: `node(id:)` and `nodes(ids:)` (schema/nodes.py has the rules)."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

import strawberry
from strawberry import relay

from schema.context import Info
from schema.nodes import load_node
from schema.types.base import Entity


@strawberry.type
class NodeQuery:
    @strawberry.field(
        description="Any object by its global id, if you may see it; NOT_FOUND otherwise (as the typed fields)."
    )
    async def node(self, info: Info, id: strawberry.ID) -> relay.Node | None:
        entity: Entity = await load_node(info, id, field="id")
        return entity

    @strawberry.field(
        description="Objects by their global ids, in order; one you may not see (or that does not exist) is null,"
        " with a NOT_FOUND error at its index.",
        graphql_type=list[relay.Node | None],
    )
    def nodes(self, info: Info, ids: list[strawberry.ID]) -> list[Awaitable[Any]]:
        # One awaitable per id: GraphQL reports each failure at its own index, and the request's loaders batch
        # the rows of all of them (one statement per type).
        return [load_node(info, value, field="ids") for value in ids]
