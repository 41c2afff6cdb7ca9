"""GET /calendar/organizations/{id}.ics and /calendar/users/{id}.ics (token in a header or `?token=`,
since calendar clients cannot set headers)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from app.errors import HTTP_STATUS, DomainError, error_response_body
from app.security import bearer_token
from app.services import calendar_export
from app.services.access import Viewer, viewer_from_token
from schema.ids import parse_id


async def _viewer(request: Request) -> Viewer:
    token = bearer_token(request.headers.get("authorization")) or request.query_params.get("token")
    return await viewer_from_token(token)


async def organization_calendar(request: Request) -> Response:
    return await _respond(request, "organization")


async def user_calendar(request: Request) -> Response:
    return await _respond(request, "user")


async def _respond(request: Request, kind: str) -> Response:
    try:
        kind_name = "Organization" if kind == "organization" else "User"
        ident = parse_id(request.path_params["ident"], kind_name, field="ident")
        viewer = await _viewer(request)
        if kind == "organization":
            body = await calendar_export.organization_feed(viewer=viewer, organization_id=ident)
        else:
            body = await calendar_export.labor_feed(viewer=viewer, user_id=ident)
    except DomainError as error:
        return JSONResponse(error_response_body(error), status_code=HTTP_STATUS.get(error.code, 400))
    return Response(body, media_type="text/calendar; charset=utf-8")


ROUTES = [
    Route("/calendar/organizations/{ident}.ics", organization_calendar, methods=["GET"]),
    Route("/calendar/users/{ident}.ics", user_calendar, methods=["GET"]),
]
