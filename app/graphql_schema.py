"""The GraphQL schema: root types merged from each area's resolvers, with limits and error masking.

Composed here, above the resolvers, and imported only by the ASGI app (app.graphql_app) and app.export_schema.
"""

from __future__ import annotations

from strawberry.tools import merge_types

from resolvers.coordination import CoordinationMutation, CoordinationQuery
from resolvers.metrics import MetricsQuery, ReviewMutation
from resolvers.mutations import CatalogMutation
from resolvers.payments import PaymentsMutation
from resolvers.queries import CatalogQuery
from resolvers.subscriptions import RealtimeSubscription
from schema.enums import ErrorCode
from schema.errors import ReportErrors
from schema.limits import TimeBoundSchema, limit_extensions
from schema.scalars import SCALAR_OVERRIDES

QUERIES: tuple[type, ...] = (CatalogQuery, CoordinationQuery, MetricsQuery)
MUTATIONS: tuple[type, ...] = (CatalogMutation, CoordinationMutation, PaymentsMutation, ReviewMutation)
SUBSCRIPTIONS: tuple[type, ...] = (RealtimeSubscription,)

Query = merge_types("Query", QUERIES)
Mutation = merge_types("Mutation", MUTATIONS)
Subscription = merge_types("Subscription", SUBSCRIPTIONS)

schema = TimeBoundSchema(
    query=Query,
    mutation=Mutation,
    subscription=Subscription,
    extensions=[*limit_extensions(), ReportErrors],
    scalar_overrides=SCALAR_OVERRIDES,
    # Every code a client may meet in `errors[].extensions.code`, listed in schema.graphql for its tools.
    types=[ErrorCode],
)
