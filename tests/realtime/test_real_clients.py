"""A real GraphQL client against a live server: urql in Node (tests/clients), as a frontend team would use it.

It signs in, reads an organization and changes a capability through a normalized cache (graphcache), walks the
organizations page by page, sends a persisted query (the hash first, the text only when the server asks), and
subscribes through graphql-ws. The Node side is installed by `make node-clients`; without Node the test is
skipped, except on CI.
"""

from __future__ import annotations

from app import settings
from models import Organization
from tests import node_scripts
from tests.realtime.support import Demo

CLIENTS_DIR = settings.ROOT / "tests" / "clients"
SCENARIO_SECONDS = 90


async def test_urql_sees_a_consistent_cache_pages_persisted_queries_and_live_events(server: str, demo: Demo) -> None:
    node_scripts.require_package(CLIENTS_DIR, "@urql/core", "node-clients")
    seen = await node_scripts.run_script(
        CLIENTS_DIR,
        "urql_scenario.mjs",
        *(server, "owner@demo.test", "demo-pass", str(demo.organization_id)),
        seconds=SCENARIO_SECONDS,
    )

    # Normalized cache: the mutation's answer updated the capability inside the cached organization query,
    # which the client then answered without a request.
    cache = seen["cache"]
    assert cache["cachedQuantity"] == cache["wrote"]
    assert cache["requestsForMutationAndCachedRead"] == 1

    # Pages: every organization once, in as many pages of two as the total needs.
    pages = seen["pages"]
    everyone = await Organization.all().count()
    assert pages["totalCount"] == everyone == len(pages["names"]) == len(set(pages["names"]))
    assert pages["pages"] == -(-everyone // 2)

    # Persisted query: hash only (GET), then the text once the server says it does not know the hash, then
    # hash only again, answered.
    persisted = seen["persisted"]
    assert persisted["ok"] and persisted["sameAnswer"] and "facility_owner" in persisted["roles"]
    first_try, with_text, *later = persisted["requests"]
    assert first_try == {"method": "GET", "hasQuery": False, "hasHash": True}
    assert with_text["hasQuery"] and with_text["hasHash"]
    assert later == [{"method": "GET", "hasQuery": False, "hasHash": True}]

    # Subscription over graphql-ws: the capacity change arrives.
    events = seen["live"]["events"]
    assert events and "error" not in events[0], events
    assert cache["capabilityId"] in events[0]["capabilityIds"]
