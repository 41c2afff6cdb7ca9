"""The built dashboard: index.html (revalidated on each visit) and the hashed assets (cached a year), gzipped."""

from __future__ import annotations

from pathlib import Path

from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

# Vite puts a content hash in every file name under assets/: a new build means new names, so a browser
# may keep these forever; index.html names the current ones and must be checked each time.
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
GZIP_MIN_BYTES = 512

PLACEHOLDER = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>N-Zero Coordination</title></head>
<body><h1>N-Zero Coordination</h1>
<p>The dashboard has not been built. The API is at <a href="/graphql">/graphql</a>.</p>
</body></html>"""


class HashedAssets(StaticFiles):
    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        if response.status_code in (200, 304):
            response.headers["cache-control"] = IMMUTABLE
        return response


def dashboard_routes(dist: Path) -> list[BaseRoute]:
    index = dist / "index.html"

    async def dashboard(request: Request) -> Response:
        if index.exists():
            return FileResponse(index, headers={"cache-control": REVALIDATE})
        return HTMLResponse(PLACEHOLDER, headers={"cache-control": REVALIDATE})

    gzip = [Middleware(GZipMiddleware, minimum_size=GZIP_MIN_BYTES)]
    routes: list[BaseRoute] = [Route("/", dashboard, methods=["GET"], middleware=gzip)]
    if (dist / "assets").is_dir():
        routes.append(Mount("/assets", HashedAssets(directory=dist / "assets"), name="assets", middleware=gzip))
    return routes
