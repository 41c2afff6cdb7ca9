"""The GraphQL endpoint: HTTP (GET and POST) and WebSocket, with the viewer read from the bearer token.

Over HTTP it follows the GraphQL-over-HTTP spec (app/graphql_http.py): `application/graphql-response+json`
or `application/json` as the client asks, every unreadable request answered with a GraphQL error and a 4xx,
automatic persisted queries (app/persisted_queries.py), and anonymous GET queries that caches may keep.
"""

from __future__ import annotations

import logging
from typing import Any

from cross_web import AsyncHTTPRequestAdapter, HTTPException
from graphql import GraphQLError
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData, process_result
from strawberry.http.parse_content_type import parse_content_type
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL, GRAPHQL_WS_PROTOCOL
from strawberry.types import ExecutionResult

from app import settings
from app.graphql_http import (
    JSON,
    BadRequest,
    decode_json,
    error_body,
    graphql_request,
    negotiate,
    query_params,
    shape_for,
)
from app.graphql_schema import schema
from app.persisted_queries import PersistedQueries, PersistedQueryError
from app.security import bearer_token
from app.services.access import Viewer, viewer_from_token
from schema.context import Context

log = logging.getLogger("nzero.http")
# Anonymous GET queries answer the same to everyone: shared caches may keep them this long.
PUBLIC_GET_MAX_AGE = 60


class GraphQLApp(GraphQL[Context, None]):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.persisted_queries = PersistedQueries()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        request = Request(scope=scope, receive=receive)
        request.state.media_type = negotiate(request.headers.get("accept")) or JSON
        try:
            response = await self.run(request)
        except HTTPException as exc:
            # Expected: the client's request was unreadable. One line, no traceback.
            log.info("refused %s %s: %s %s", request.method, request.url.path, exc.status_code, exc.reason)
            response = self._error_response(exc, request.state.media_type)
        except ClientDisconnect:
            log.info("client went away before its %s %s request was read", request.method, request.url.path)
            return
        self._finish(request, response)
        await response(scope, receive, send)

    @staticmethod
    def _error_response(exc: HTTPException, media_type: str) -> Response:
        headers = {"allow": "POST"} if exc.status_code == 405 else None
        return JSONResponse(error_body(exc.reason), status_code=exc.status_code, media_type=media_type, headers=headers)

    @staticmethod
    def _finish(request: Request, response: Response) -> None:
        """Status, media type and cache policy of a GraphQL result (set by process_result)."""
        status = getattr(request.state, "graphql_status", None)
        if status is None:
            return
        response.status_code = status
        response.headers["content-type"] = request.state.media_type
        if request.state.cacheable:
            response.headers["cache-control"] = f"public, max-age={PUBLIC_GET_MAX_AGE}"
            response.headers["vary"] = "accept, authorization"

    def should_render_graphql_ide(self, request: Any) -> bool:
        # A persisted-query GET carries only `extensions`: it is an operation, not a visit to GraphiQL.
        return super().should_render_graphql_ide(request) and "extensions" not in request.query_params

    async def parse_http_body(self, request: AsyncHTTPRequestAdapter) -> GraphQLRequestData:
        if negotiate(request.headers.get("accept")) is None:
            raise BadRequest("Accept application/graphql-response+json or application/json", 406)
        if request.method == "GET":
            params = request.query_params
            if any(not isinstance(value, str) for value in params.values()):
                raise BadRequest("Give each GraphQL parameter once")
            return graphql_request(query_params(params))  # type: ignore[arg-type]
        media, options = parse_content_type(request.content_type or "")
        if media != JSON:
            raise BadRequest("Send the operation as application/json", 415)
        if options.get("charset", "utf-8").lower() not in ("utf-8", "utf8"):
            raise BadRequest("Send the operation in UTF-8", 415)
        body = await request.get_body()
        if not body.strip():
            raise BadRequest("The request body is empty: send a JSON object with a `query`")
        return graphql_request(decode_json(body, "request body"))

    async def execute_operation(self, request: Any, request_adapter: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return await super().execute_operation(request, request_adapter, *args, **kwargs)
        except HTTPException as exc:
            # GraphQL-over-HTTP: a mutation sent with GET is "405 Method Not Allowed", not a bad request.
            if exc.status_code == 400 and request_adapter.method == "GET" and "mutation" in exc.reason.lower():
                raise HTTPException(405, exc.reason) from exc
            raise

    async def execute_single(self, *args: Any, **kwargs: Any) -> ExecutionResult:
        data: GraphQLRequestData = kwargs["request_data"]
        try:
            data.query = self.persisted_queries.resolve(data.query, data.extensions)
        except PersistedQueryError as exc:
            log.info("persisted query refused: %s", exc.message)
            return ExecutionResult(data=None, errors=[GraphQLError(exc.message, extensions=exc.extensions)])
        return await super().execute_single(*args, **kwargs)

    async def process_result(self, request: Request, result: ExecutionResult) -> GraphQLHTTPResponse:
        body, status = shape_for(process_result(result), request.state.media_type)
        request.state.graphql_status = status
        request.state.cacheable = (
            request.method == "GET" and not result.errors and "authorization" not in request.headers
        )
        return body

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
