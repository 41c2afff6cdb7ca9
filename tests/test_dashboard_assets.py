"""The dashboard's files: hashed assets cached for a year, index.html revalidated, both gzipped."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette

from app.dashboard_routes import IMMUTABLE, dashboard_routes
from app.main import app

SCRIPT = "export const answer = 42;\n" * 200  # big enough to be worth compressing


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text(
        '<!doctype html><html><head><script type="module" src="/assets/index-Ab12Cd34.js"></script></head>'
        + "<body>"
        + "<p>N-Zero</p>" * 100
        + "</body></html>"
    )
    (tmp_path / "assets" / "index-Ab12Cd34.js").write_text(SCRIPT)
    return tmp_path


def _client(dist: Path) -> httpx.AsyncClient:
    site = Starlette(routes=dashboard_routes(dist))
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=site), base_url="http://test")


async def test_hashed_assets_are_cached_for_a_year_and_gzipped(dist: Path) -> None:
    async with _client(dist) as client:
        response = await client.get("/assets/index-Ab12Cd34.js", headers={"accept-encoding": "gzip"})
        etag = response.headers["etag"]
        again = await client.get("/assets/index-Ab12Cd34.js", headers={"if-none-match": etag})
    assert response.status_code == 200
    assert response.headers["cache-control"] == IMMUTABLE == "public, max-age=31536000, immutable"
    assert response.headers["content-encoding"] == "gzip"
    assert response.text == SCRIPT  # httpx decoded it: the body was valid gzip of the file
    assert int(response.headers["content-length"]) < len(SCRIPT) / 5
    assert again.status_code == 304 and again.headers["cache-control"] == IMMUTABLE


async def test_index_is_revalidated_and_gzipped(dist: Path) -> None:
    async with _client(dist) as client:
        response = await client.get("/", headers={"accept-encoding": "gzip"})
        plain = await client.get("/", headers={"accept-encoding": "identity"})
    assert response.headers["cache-control"] == "no-cache"
    assert response.headers["content-encoding"] == "gzip"
    assert "N-Zero" in response.text
    assert "content-encoding" not in plain.headers and plain.text == response.text


async def test_a_missing_asset_is_not_cached(dist: Path) -> None:
    async with _client(dist) as client:
        response = await client.get("/assets/index-Old00000.js")
    assert response.status_code == 404
    assert response.headers.get("cache-control") != IMMUTABLE


async def test_the_app_serves_its_index_with_no_cache() -> None:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        page = await client.get("/")
    assert page.status_code == 200 and "N-Zero" in page.text
    assert page.headers["cache-control"] == "no-cache"
    assert page.headers["x-content-type-options"] == "nosniff"
