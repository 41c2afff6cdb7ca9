"""The comparison point for nested_query_bench: the same JSON built by one hand-written asyncpg query."""

from __future__ import annotations

import contextlib
import os
from collections.abc import AsyncIterator

import asyncpg
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

SQL = """
SELECT json_build_object('data', json_build_object('organizations', json_build_object('nodes', COALESCE(json_agg(
  json_build_object(
    'id', o.id, 'name', o.name, 'city', o.city, 'latitude', o.latitude, 'longitude', o.longitude,
    'services', (SELECT COALESCE(json_agg(json_build_object('id', s.id, 'serviceName', s.service_name,
                   'serviceType', upper(s.service_type), 'pricingModel', upper(s.pricing_model),
                   'basePriceCents', s.base_price_cents) ORDER BY s.id), '[]')
                 FROM organization_services s WHERE s.organization_id = o.id AND s.is_active),
    'capabilities', (SELECT COALESCE(json_agg(json_build_object('id', c.id, 'capabilityType',
                   upper(c.capability_type), 'quantity', c.quantity, 'hoursPerDay', c.hours_per_day::float,
                   'isOperational', c.is_operational) ORDER BY c.id), '[]')
                 FROM organization_capabilities c WHERE c.organization_id = o.id),
    'members', (SELECT COALESCE(json_agg(json_build_object('role', upper(m.role), 'user',
                   json_build_object('id', u.id, 'fullName', u.full_name, 'rating', u.rating::float))
                   ORDER BY m.id), '[]')
                FROM organization_members m JOIN users u ON u.id = m.user_id WHERE m.organization_id = o.id)
  ) ORDER BY o.name, o.id), '[]'))))::text
FROM (SELECT * FROM businesses WHERE is_active ORDER BY name, id LIMIT 50) o
"""


@contextlib.asynccontextmanager
async def lifespan(app: Starlette) -> AsyncIterator[None]:
    url = os.environ["DATABASE_URL"].replace("postgres://", "postgresql://", 1)
    app.state.pool = await asyncpg.create_pool(url, min_size=1, max_size=4)
    yield
    await app.state.pool.close()


async def graphql(request: Request) -> Response:
    async with request.app.state.pool.acquire() as conn:
        body = await conn.fetchval(SQL)
    return Response(body, media_type="application/json")


async def healthz(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


app = Starlette(routes=[Route("/graphql", graphql, methods=["POST"]), Route("/healthz", healthz)], lifespan=lifespan)
