"""The HTTP surface: security headers, CORS, bounded bodies, the per-address login limit, production defaults."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import AsyncIterator

import httpx

from app import settings
from app.auth_limiter import ADDRESS_LIMIT, login_limiter
from app.main import app
from app.middleware import MAX_BODY_BYTES
from tests.factories import make_user
from tests.helpers import error_codes, gql

ALLOWED = settings.CORS_ORIGINS[0]
LOGIN = "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }"


def client() -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")


async def test_security_headers_on_api_and_pages() -> None:
    async with client() as c:
        api = await c.post("/graphql", json={"query": "{ viewer { roles } }"})
        page = await c.get("/healthz")
    for response in (api, page):
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["referrer-policy"] == "no-referrer"
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
        assert response.headers["strict-transport-security"].startswith("max-age=")
    assert api.headers["cache-control"] == "no-store"


async def test_cors_preflight_admits_the_configured_origin_only() -> None:
    request_headers = {"access-control-request-method": "POST", "access-control-request-headers": "authorization"}
    async with client() as c:
        ok = await c.options("/graphql", headers={"origin": ALLOWED, **request_headers})
        evil = await c.options("/graphql", headers={"origin": "https://evil.example", **request_headers})
        simple = await c.post("/graphql", json={"query": "{ viewer { roles } }"}, headers={"origin": ALLOWED})
        foreign = await c.post(
            "/graphql", json={"query": "{ viewer { roles } }"}, headers={"origin": "https://evil.example"}
        )
    assert ok.status_code == 200
    assert ok.headers["access-control-allow-origin"] == ALLOWED
    assert "authorization" in ok.headers["access-control-allow-headers"].lower()
    assert "POST" in ok.headers["access-control-allow-methods"]
    assert evil.status_code == 400 and "access-control-allow-origin" not in evil.headers
    assert simple.headers["access-control-allow-origin"] == ALLOWED
    assert "access-control-allow-origin" not in foreign.headers
    assert "access-control-allow-credentials" not in simple.headers  # bearer tokens, never cookies


async def test_oversized_bodies_are_refused_with_413() -> None:
    padding = "x" * (MAX_BODY_BYTES + 1)
    body = json.dumps({"query": "{ viewer { roles } }", "variables": {"pad": padding}}).encode()

    async def streamed() -> AsyncIterator[bytes]:  # no Content-Length: counted as it arrives
        for start in range(0, len(body), 64 * 1024):
            yield body[start : start + 64 * 1024]

    async with client() as c:
        announced = await c.post("/graphql", content=body, headers={"content-type": "application/json"})
        chunked = await c.post("/graphql", content=streamed(), headers={"content-type": "application/json"})
        fine = await c.post("/graphql", json={"query": "{ viewer { roles } }"})
    for response in (announced, chunked):
        assert response.status_code == 413
        assert response.json()["errors"][0]["extensions"]["code"] == "BAD_INPUT"
    assert fine.status_code == 200


async def test_login_is_rate_limited_per_address_across_accounts() -> None:
    await make_user("Real", email="real@sec.test", password="right-pass-1")
    await login_limiter.clear()
    try:
        for i in range(ADDRESS_LIMIT):  # as many different accounts guessed from one address
            result = await gql(LOGIN, {"e": f"guess{i}@sec.test", "p": "wrong"})
            assert error_codes(result) == ["UNAUTHENTICATED"]
        blocked = await gql(LOGIN, {"e": "real@sec.test", "p": "right-pass-1"})
        assert error_codes(blocked) == ["RATE_LIMITED"]
    finally:
        await login_limiter.clear()


async def test_failed_login_gives_the_same_answer_for_unknown_and_known_accounts() -> None:
    await make_user("Real", email="real@sec.test", password="right-pass-1")
    await login_limiter.clear()
    try:
        unknown = await gql(LOGIN, {"e": "nobody@sec.test", "p": "wrong"})
        known = await gql(LOGIN, {"e": "real@sec.test", "p": "wrong"})
    finally:
        await login_limiter.clear()
    assert unknown["errors"][0]["message"] == known["errors"][0]["message"]
    assert unknown["errors"][0]["extensions"] == known["errors"][0]["extensions"]


PRODUCTION_PROBE = """
import asyncio, json, httpx
from app.main import app
from app import settings

async def main():
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as c:
        ide = await c.get("/graphql", headers={"accept": "text/html"})
        intro = await c.post("/graphql", json={"query": "{ __schema { types { name } } }"})
        hint = await c.post("/graphql", json={"query": "{ viewer { rols } }"})
    report = {"graphiql": settings.GRAPHIQL, "ide_html": "graphiql" in ide.text.lower()}
    print(json.dumps({**report, "introspection": intro.json(), "hint": hint.json()}))

asyncio.run(main())
"""


def test_production_turns_off_graphiql_introspection_and_hints() -> None:
    env = {
        **os.environ,
        "ENVIRONMENT": "production",
        "SECRET_KEY": "a-production-secret-that-is-long-enough-0123456789",
        "GRAPHIQL": "",
        "DATABASE_URL": "sqlite://:memory:",
    }
    out = subprocess.run(
        [sys.executable, "-c", PRODUCTION_PROBE], env=env, capture_output=True, text=True, check=True, timeout=60
    )
    report = json.loads(out.stdout.strip().splitlines()[-1])
    assert report["graphiql"] is False and not report["ide_html"]
    assert report["introspection"].get("data") is None
    assert report["introspection"]["errors"][0]["extensions"]["code"] == "BAD_INPUT"
    assert "Did you mean" not in json.dumps(report["hint"])
    assert report["hint"]["errors"][0]["extensions"]["code"] == "BAD_INPUT"
