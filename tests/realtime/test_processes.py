"""Two app processes sharing PostgreSQL and Redis: a mutation on one reaches a subscriber on the other."""

from __future__ import annotations

import os

import pytest

from app import db
from tests.realtime import servers
from tests.realtime.conftest import Demo
from tests.realtime.servers import CAPACITY, change_until_received

ON_CI = os.environ.get("CI", "").lower() == "true"


# Runs in the PostgreSQL pass of `make test` (which CI requires); the SQLite pass cannot share a database.
@pytest.mark.skipif(not db.is_postgres(), reason="runs in the PostgreSQL pass (TEST_DATABASE_URL=postgres://...)")
@pytest.mark.skipif(not servers.redis_available() and not ON_CI, reason="needs redis-server")
async def test_a_mutation_on_one_process_reaches_a_subscriber_on_another(demo: Demo) -> None:
    assert servers.redis_available(), "CI must run this test: redis-server is missing"
    # The database was migrated once by the session (never by several processes at once).
    with servers.redis_server() as redis:
        async with (
            servers.app_server(broadcast_url=redis.url, namespace="two.") as first,
            servers.app_server(broadcast_url=redis.url, namespace="two.") as second,
        ):
            token = await servers.login(first, "owner@demo.test")
            init = {"authorization": f"Bearer {token}"}
            async with servers.websocket(second, servers.TRANSPORT_WS, init) as socket:
                await socket.subscribe("1", CAPACITY, {"org": demo.organization_id})
                payload = await change_until_received(first, token, demo, socket)
                assert payload["data"]["capacityChanged"]["capabilityIds"] == [demo.capability_id]
