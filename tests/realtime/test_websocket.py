"""Over real WebSockets against a uvicorn process: both protocols, refusals, and a Redis restart survived."""

from __future__ import annotations

import pytest

from tests.helpers import gid_of
from tests.realtime import servers
from tests.realtime.servers import CAPACITY, RESTART_BOUND_SECONDS, change_until_received
from tests.realtime.support import Demo

needs_redis = pytest.mark.skipif(not servers.redis_available(), reason="redis-server is not installed")


@pytest.mark.parametrize(
    ("protocol", "init_style"),
    [(servers.TRANSPORT_WS, "authorization"), (servers.LEGACY_WS, "token"), (servers.TRANSPORT_WS, "token")],
)
async def test_both_protocols_deliver_events(server: str, demo: Demo, protocol: str, init_style: str) -> None:
    token = await servers.login(server, "owner@demo.test")
    init = {"authorization": f"Bearer {token}"} if init_style == "authorization" else {"token": token}
    async with servers.websocket(server, protocol, init) as socket:
        await socket.subscribe("1", CAPACITY, {"org": demo.organization_id})
        payload = await change_until_received(server, token, demo, socket)
        assert payload.get("errors") is None, payload
        change = payload["data"]["capacityChanged"]
        assert change["organizationId"] == gid_of("Organization", demo.organization_id)
        assert change["capabilityIds"] == [gid_of("OrganizationCapability", demo.capability_id)]


@pytest.mark.parametrize("protocol", [servers.TRANSPORT_WS, servers.LEGACY_WS])
async def test_refusals_over_the_socket(server: str, demo: Demo, protocol: str) -> None:
    customer = await servers.login(server, "customer@demo.test")
    for init, code in (({"authorization": f"Bearer {customer}"}, "FORBIDDEN"), ({}, "UNAUTHENTICATED")):
        async with servers.websocket(server, protocol, init) as socket:
            await socket.subscribe("1", CAPACITY, {"org": demo.organization_id})
            payload = await socket.receive(servers.START_SECONDS)
            assert [e["extensions"]["code"] for e in payload["errors"]] == [code]


@needs_redis
async def test_subscribers_survive_a_redis_restart_without_reconnecting(demo: Demo) -> None:
    with servers.redis_server() as redis:
        async with servers.app_server(broadcast_url=redis.url, namespace="restart.") as base:
            token = await servers.login(base, "owner@demo.test")
            init = {"authorization": f"Bearer {token}"}
            async with servers.websocket(base, servers.TRANSPORT_WS, init) as socket:
                await socket.subscribe("1", CAPACITY, {"org": demo.organization_id})
                first = await change_until_received(base, token, demo, socket)
                assert first["data"]["capacityChanged"]["reason"] == "capability_updated"

                redis.stop()
                redis.start()  # same port; returns once it answers PING

                # The same socket: first a resync (events may have been missed), then live events again.
                resync = await socket.receive(RESTART_BOUND_SECONDS)
                assert resync["data"]["capacityChanged"]["reason"] == "resync"
                again = await change_until_received(base, token, demo, socket, tries=int(RESTART_BOUND_SECONDS / 0.5))
                capability = gid_of("OrganizationCapability", demo.capability_id)
                assert again["data"]["capacityChanged"]["capabilityIds"] == [capability]
