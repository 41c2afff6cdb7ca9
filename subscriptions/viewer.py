"""Who subscribes: the token from connection_init (or the upgrade request's header), fresh per operation."""

from __future__ import annotations

from typing import Any

from app.services.access import Viewer, viewer_from_token
from schema.context import Context
from schema.loaders import Loaders


def token_from(params: dict[str, Any] | None, request: Any = None) -> str | None:
    """connection_init payload {"authorization": "Bearer <t>"} or {"token": "<t>"}; else the Authorization header."""
    params = params if isinstance(params, dict) else {}
    for key in ("authorization", "Authorization"):
        value = params.get(key)
        if isinstance(value, str) and value.lower().startswith("bearer "):
            return value[7:].strip() or None
    token = params.get("token")
    if isinstance(token, str) and token.strip():
        return token.strip()
    headers = getattr(request, "headers", None)
    header = headers.get("authorization") if headers is not None else None
    if isinstance(header, str) and header.lower().startswith("bearer "):
        return header[7:].strip() or None
    return None


async def subscriber(context: Context) -> Viewer:
    """Resolve the viewer when the subscription starts (memberships may have changed since the socket opened)
    and make it the context's viewer, so nested fields apply the same rules."""
    token = token_from(context.connection_params, context.request)
    viewer = await viewer_from_token(token) if token else context.viewer
    context.viewer = viewer
    return viewer


def fresh_event_scope(context: Context, viewer: Viewer, loaders: Loaders | None = None) -> Viewer:
    """Per event: loaders with nothing cached from earlier events (for a live event, the ones all its subscribers
    share: rows only) and this subscriber's own viewer, without per-request caches. The WebSocket context lives
    as long as the connection, so these are swapped in before each event."""
    fresh = Viewer(user=viewer.user, member_roles=dict(viewer.member_roles), is_labor=viewer.is_labor)
    context.loaders = Loaders() if loaders is None else loaders
    context.viewer = fresh
    return fresh
