"""Who subscribes: the token from connection_init (or the upgrade request's header), fresh per operation,
and the access a subscription was opened with, which ends when the token or the right behind it does."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from app.errors import DomainError, ErrorCode
from app.security import read_token
from app.services.access import Viewer, viewer_from_token
from models import OrganizationMember, User
from schema.context import Context
from schema.loaders import Loaders

SESSION_ENDED = "SESSION_ENDED"  # extensions.reason of the error that ends a subscription


def session_ended(message: str) -> DomainError:
    return DomainError(ErrorCode.UNAUTHENTICATED, message, details={"reason": SESSION_ENDED})


@dataclass(frozen=True)
class Access:
    """The token a subscription was opened with and the membership it relies on (if any).

    Checked before every event (expiry: no query) and, against the database, whenever the user's access channel
    says their tokens were revoked and at a periodic tick (deactivation, a lost membership or admin right)."""

    user_id: UUID
    version: int
    expires_at: float
    organization_id: UUID | None = None  # the membership the subscription needs, if any

    def seconds_left(self) -> float:
        return self.expires_at - time.time()

    def check_expiry(self) -> None:
        if self.seconds_left() <= 0:
            raise session_ended("Your sign-in has expired: sign in again and resubscribe")

    async def check(self) -> None:
        self.check_expiry()
        row = await User.filter(id=self.user_id, is_active=True).values_list("token_version", "is_admin")
        if not row or int(row[0][0]) != self.version:
            raise session_ended("Your tokens were revoked: sign in again and resubscribe")
        organization_id = self.organization_id
        if (
            organization_id is not None
            and not row[0][1]  # admins see every organization
            and not await OrganizationMember.exists(user_id=self.user_id, organization_id=organization_id)
        ):
            raise session_ended("You are no longer a member of this organization")


def access_of(context: Context, viewer: Viewer, *, organization_id: UUID | None = None) -> Access:
    """The access of a signed-in subscriber (call after viewer.require_user())."""
    claims = read_token(token_from(context.connection_params, context.request) or "")
    user = viewer.require_user()
    if claims is None or claims.user_id != user.id:
        raise session_ended("Sign in first")
    return Access(
        user_id=user.id,
        version=claims.version,
        expires_at=claims.expires_at,
        organization_id=organization_id,
    )


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
