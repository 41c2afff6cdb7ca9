"""graphql-http's GraphQL-over-HTTP server audit, run by its own npm package against a live uvicorn process.

Every MUST and SHOULD audit must pass; the MAY results are printed. The Node side is tests/http_audit
(installed by `make http-audit`, part of `make test`); without Node the test is skipped, except on CI.
"""

from __future__ import annotations

import json
import uuid

from app import settings
from tests import node_scripts
from tests.realtime import servers

AUDIT_DIR = settings.ROOT / "tests" / "http_audit"
AUDIT_SECONDS = 120


async def test_the_graphql_http_audit_passes_every_must_and_should() -> None:
    node_scripts.require_package(AUDIT_DIR, "graphql-http", "http-audit")
    async with servers.app_server(broadcast_url="memory://", namespace=f"audit-{uuid.uuid4().hex[:8]}.") as base:
        results = await node_scripts.run_script(AUDIT_DIR, "audit.mjs", f"{base}/graphql", seconds=AUDIT_SECONDS)
    by_level = {level: [r for r in results if r["name"].startswith(f"{level} ")] for level in ("MUST", "SHOULD", "MAY")}
    for level, items in by_level.items():
        passed = sum(r["status"] == "ok" for r in items)
        print(f"\ngraphql-http audit {level}: {passed}/{len(items)} passed")
    for result in by_level["MAY"]:
        if result["status"] != "ok":
            print(f"  MAY not met: {result['name']} ({result['reason']})")
    failed = [r for r in by_level["MUST"] + by_level["SHOULD"] if r["status"] != "ok"]
    assert not failed, json.dumps(failed, indent=1)
    assert len(by_level["MUST"]) >= 10 and len(by_level["SHOULD"]) >= 20, "the audit did not run in full"
