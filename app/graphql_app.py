"""The GraphQL endpoint: HTTP (GET and POST) and WebSocket, with the viewer read from the bearer token."""

from __future__ import annotations

from typing import Any

from cross_web import HTTPException
from starlette.requests import Request
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL, GRAPHQL_WS_PROTOCOL

from app import settings
from app.graphql_schema import schema
from app.security import bearer_token
from app.services.access import Viewer, viewer_from_token
from schema.context import Context


class GraphQLApp(GraphQL[Context, None]):
    async def execute_operation(self, request: Any, request_adapter: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return await super().execute_operation(request, request_adapter, *args, **kwargs)
        except HTTPException as exc:
            # GraphQL-over-HTTP: a mutation sent with GET is "405 Method Not Allowed", not a bad request.
            if exc.status_code == 400 and request_adapter.method == "GET" and "mutation" in exc.reason.lower():
                raise HTTPException(405, exc.reason) from exc
            raise

    async def get_context(self, request: Request | WebSocket, response: Any = None) -> Context:
        address = request.client.host if request.client else "unknown"
        if isinstance(request, WebSocket):
            # The token arrives later, in connection_init; subscriptions resolve the viewer from it.
            return Context(viewer=Viewer(), address=address, request=request, response=response)
        viewer = await viewer_from_token(bearer_token(request.headers.get("authorization")))
        return Context(viewer=viewer, address=address, request=request, response=response)


def build_graphql_app() -> GraphQLApp:
    return GraphQLApp(
        schema,
        graphql_ide="graphiql" if settings.GRAPHIQL else None,
        allow_queries_via_get=True,
        subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL, GRAPHQL_WS_PROTOCOL),
        allowed_origins=[
            *settings.CORS_ORIGINS,
            f"http://{settings.HOST}:{settings.PORT}",
            f"http://localhost:{settings.PORT}",
            f"http://127.0.0.1:{settings.PORT}",
        ],
    )
