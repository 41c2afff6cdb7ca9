"""The Starlette app: /graphql (HTTP and WebSocket), /healthz, the dashboard at /; one lifespan owns resources."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route, WebSocketRoute
from tortoise import connections

from app import db, events, settings, sweeper
from app.broadcast import create_broadcast
from app.broadcast import set_current as set_current_broadcast
from app.calendar_routes import ROUTES as CALENDAR_ROUTES
from app.contract_routes import ROUTES as CONTRACT_ROUTES
from app.dashboard_routes import dashboard_routes
from app.gc_tuning import tune_for_long_lived_connections
from app.graphql_app import build_graphql_app
from app.middleware import BodySizeLimitMiddleware, SecurityHeadersMiddleware
from app.redaction import install_log_redaction
from app.services.payments.worker import PayoutWorker
from app.webhook_routes import stripe_webhook

log = logging.getLogger("nzero")
DIST = settings.ROOT / "frontend" / "dist"


@contextlib.asynccontextmanager
async def lifespan(app: Starlette) -> AsyncIterator[None]:
    await db.init()
    broadcast = create_broadcast(settings.BROADCAST_URL)
    await broadcast.connect()
    relay = events.set_publisher(broadcast)
    relay_task = asyncio.create_task(relay.run_forever(), name="outbox-relay")  # also what a dead process left
    set_current_broadcast(broadcast)
    app.state.broadcast = broadcast
    payouts = PayoutWorker()
    payout_task = asyncio.create_task(payouts.run_forever(), name="payout-worker")
    tune_for_long_lived_connections()
    try:
        async with sweeper.running():
            yield
    finally:
        payouts.stop()
        await payout_task
        relay.stop()
        await relay_task
        events.set_publisher(None)
        set_current_broadcast(None)
        await broadcast.disconnect()
        await db.close()


async def healthz(request: Request) -> Response:
    try:
        await connections.get("default").execute_query("SELECT 1")
    except Exception:
        log.exception("health check failed")
        return JSONResponse({"status": "unavailable"}, status_code=503)
    return JSONResponse({"status": "ok"})


def routes() -> list[BaseRoute]:
    graphql = build_graphql_app()
    result: list[BaseRoute] = [
        Route("/graphql", graphql, methods=["GET", "POST"]),
        WebSocketRoute("/graphql", graphql),
        Route("/healthz", healthz, methods=["GET"]),
        Route("/webhooks/stripe", stripe_webhook, methods=["POST"]),
        *CALENDAR_ROUTES,
        *CONTRACT_ROUTES,
        *dashboard_routes(DIST),
    ]
    return result


def create_app() -> Starlette:
    install_log_redaction()
    return Starlette(
        debug=False,
        routes=routes(),
        lifespan=lifespan,
        middleware=[
            Middleware(SecurityHeadersMiddleware),
            Middleware(BodySizeLimitMiddleware),
            Middleware(
                CORSMiddleware,
                allow_origins=settings.CORS_ORIGINS,
                allow_methods=["GET", "POST", "OPTIONS"],
                allow_headers=["authorization", "content-type"],
                max_age=600,
            ),
        ],
    )


app = create_app()
