"""GraphQL over HTTP (the graphql-over-http spec): reading a request, choosing the media type, the status code.

A request the server cannot read (not JSON, not UTF-8, nested too deep, not an object, parameters of the wrong
type) is a 400 whatever the media type. A well-formed request whose document cannot run (parse, validation or
variable-coercion errors: a result without data whose errors have no path) is a 400 without a `data` entry for
`application/graphql-response+json` clients, and a 200 for `application/json` clients, as the spec asks.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from cross_web import HTTPException
from graphql import GraphQLError
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData

from app.errors import ErrorCode

GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
JSON = "application/json"
SUPPORTED = (GRAPHQL_RESPONSE_JSON, JSON)
# Deeper than any input the schema takes; refused before graphql-core's recursive coercion sees it.
MAX_JSON_DEPTH = 32
# Errors that happen while executing, though no field path is attached to them.
EXECUTION_CODES = frozenset({ErrorCode.QUERY_TIMEOUT.value, "INTERNAL_SERVER_ERROR"})


class BadRequest(HTTPException):
    """A request that cannot be read as GraphQL over HTTP; answered with a GraphQL error and its status."""

    def __init__(self, reason: str, status_code: int = 400) -> None:
        super().__init__(status_code, reason)


def negotiate(accept: str | None) -> str | None:
    """The media type to answer with: the client's most preferred one we support (no header or `*/*`: JSON)."""
    if not accept or not accept.strip():
        return JSON
    best: tuple[float, int, str] | None = None
    for position, item in enumerate(accept.split(",")):
        media, _, params = item.strip().partition(";")
        media = media.strip().lower()
        quality = _quality(params)
        if quality <= 0:
            continue
        if media in SUPPORTED:
            choice = media
        elif media in ("*/*", "application/*"):
            choice = JSON
        else:
            continue
        candidate = (quality, -position, choice)
        if best is None or candidate > best:
            best = candidate
    return best[2] if best else None


def _quality(params: str) -> float:
    for param in params.split(";"):
        name, _, value = param.strip().partition("=")
        if name.strip().lower() == "q":
            try:
                return float(value)
            except ValueError:
                return 0.0
    return 1.0


def decode_json(data: bytes | str, what: str) -> Any:
    """Strict JSON: UTF-8, no NaN/Infinity, at most MAX_JSON_DEPTH levels; anything else is a 400."""
    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
        value = json.loads(text, parse_constant=_refuse_constant)
    except UnicodeDecodeError as exc:
        raise BadRequest(f"The {what} is not valid UTF-8") from exc
    except (ValueError, RecursionError) as exc:  # RecursionError: nesting deeper than the parser goes
        raise BadRequest(f"The {what} is not valid JSON") from exc
    if _depth_over(value, MAX_JSON_DEPTH):
        raise BadRequest(f"The {what} is nested more than {MAX_JSON_DEPTH} levels deep")
    return value


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _depth_over(value: Any, limit: int) -> bool:
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is None:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def graphql_request(params: Any) -> GraphQLRequestData:
    """The GraphQL parameters of one request, each of the type the spec gives it."""
    if isinstance(params, list):
        raise BadRequest("Batched operations are not supported: send one operation per request")
    if not isinstance(params, dict):
        raise BadRequest("The request body must be a JSON object with a `query`")
    query = params.get("query")
    operation_name = params.get("operationName")
    variables = params.get("variables")
    extensions = params.get("extensions")
    if not isinstance(query, (str, type(None))):
        raise BadRequest("`query` must be a string")
    if not isinstance(operation_name, (str, type(None))):
        raise BadRequest("`operationName` must be a string or null")
    if not isinstance(variables, (dict, type(None))):
        raise BadRequest("`variables` must be an object or null")
    if not isinstance(extensions, (dict, type(None))):
        raise BadRequest("`extensions` must be an object or null")
    if query is None and not (extensions or {}).get("persistedQuery"):
        raise BadRequest("No GraphQL query found in the request")
    return GraphQLRequestData(
        query=query, variables=variables, operation_name=operation_name, extensions=extensions, protocol="http"
    )


def query_params(params: Mapping[str, str]) -> dict[str, Any]:
    """GET parameters: `variables` and `extensions` are URL-encoded JSON."""
    result: dict[str, Any] = dict(params)
    for name in ("variables", "extensions"):
        if result.get(name):
            result[name] = decode_json(result[name], f"`{name}` parameter")
        else:
            result.pop(name, None)
    return result


def is_request_error(response: GraphQLHTTPResponse) -> bool:
    """Parse, validation and variable-coercion failures: nothing ran, so no data and no error has a path."""
    errors = response.get("errors")
    if response.get("data") is not None or not errors:
        return False
    return all(
        isinstance(error, dict)
        and error.get("path") is None
        and (error.get("extensions") or {}).get("code") not in EXECUTION_CODES
        for error in errors
    )


def shape_for(response: GraphQLHTTPResponse, media_type: str) -> tuple[GraphQLHTTPResponse, int]:
    """The body and status for the negotiated media type."""
    if media_type == GRAPHQL_RESPONSE_JSON and is_request_error(response):
        body: GraphQLHTTPResponse = {key: value for key, value in response.items() if key != "data"}  # type: ignore[assignment]
        return body, 400
    return response, 200


def error_body(message: str, code: ErrorCode = ErrorCode.BAD_INPUT) -> dict[str, Any]:
    return {"errors": [GraphQLError(message, extensions={"code": code.value}).formatted]}
