"""The GraphQL schema: root types merged from each area's resolvers, with limits and error masking."""

from __future__ import annotations

import strawberry
from strawberry.tools import merge_types

from resolvers.mutations import CatalogMutation
from resolvers.queries import CatalogQuery
from schema.errors import ReportErrors
from schema.limits import limit_extensions

QUERIES: tuple[type, ...] = (CatalogQuery,)
MUTATIONS: tuple[type, ...] = (CatalogMutation,)

Query = merge_types("Query", QUERIES)
Mutation = merge_types("Mutation", MUTATIONS)

schema = strawberry.Schema(query=Query, mutation=Mutation, extensions=[*limit_extensions(), ReportErrors])
