"""Fixtures of the real-time tests: a connected hub (BROADCAST_URL, memory:// unless TEST_BROADCAST_URL) and
people with tokens."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest

from app import broadcast, events, settings
from app.broadcast import Hub, create_broadcast
from app.demo_seed import seed_demo
from models import Organization, OrganizationCapability
from tests.realtime import servers
from tests.realtime.support import Demo


@pytest.fixture
async def hub() -> AsyncIterator[Hub]:
    # A namespace of its own: other test runs may share the Redis server.
    instance = create_broadcast(settings.BROADCAST_URL, namespace=f"rt-{uuid.uuid4().hex[:8]}.")
    await instance.connect()
    broadcast.set_current(instance)
    events.set_publisher(instance)
    try:
        yield instance
    finally:
        events.set_publisher(None)
        broadcast.set_current(None)
        await instance.disconnect()


@pytest.fixture
async def demo() -> Demo:
    """The demo seed (its accounts log in to app processes) and one of Viva Las Vegas Autos' capabilities."""
    assert await seed_demo()
    org = await Organization.get(name="Viva Las Vegas Autos")
    capability = await OrganizationCapability.filter(organization_id=org.id).order_by("created_at", "id").first()
    assert capability is not None
    return Demo(org.id, capability.id)


@pytest.fixture
async def server(demo: Demo) -> AsyncIterator[str]:
    """An app process over the demo seed, on BROADCAST_URL with a namespace of its own."""
    async with servers.app_server(
        broadcast_url=settings.BROADCAST_URL, namespace=f"ws-{uuid.uuid4().hex[:8]}."
    ) as base:
        yield base
