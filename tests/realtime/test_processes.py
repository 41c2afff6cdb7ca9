"""Two app processes sharing PostgreSQL and Redis: a mutation on one reaches a subscriber on the other."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest

from app import db
from models import OrganizationCapability, Vehicle
from models.enums import CapabilityType
from tests.realtime import servers
from tests.realtime.servers import CAPACITY, change_until_received
from tests.realtime.support import Demo

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


BOOKING_STATUS = (
    "subscription($org: Int!) { bookingStatusChanged(organizationId: $org) {"
    " previousStatus status booking { id vehicle { make model } } } }"
)
REQUEST = (
    "mutation($input: QuoteRequestInput!) { requestQuote(input: $input) { ... on ServiceBooking { id }"
    " ... on Error { __typename code message } } }"
)
ACCEPT = (
    "mutation($id: Int!) { acceptQuote(bookingId: $id) { ... on ServiceBooking { status }"
    " ... on Error { __typename code message } } }"
)
UTILIZATION = (
    "query($org: Int!, $from: Date!, $to: Date!) { utilization(organizationId: $org, from: $from, to: $to) {"
    " capabilities { capabilityId days { reserved } } } }"
)


async def _until(
    socket: servers.Socket, wanted: Callable[[dict[str, Any]], bool], seconds: float = 5.0
) -> dict[str, Any]:
    """The first event that satisfies `wanted`, skipping others (bounded)."""
    async with asyncio.timeout(seconds):
        while True:
            payload = await socket.receive(seconds)
            assert not payload.get("errors"), payload
            if wanted(payload["data"]):
                data: dict[str, Any] = payload["data"]
                return data


@pytest.mark.skipif(not db.is_postgres(), reason="runs in the PostgreSQL pass (TEST_DATABASE_URL=postgres://...)")
@pytest.mark.skipif(not servers.redis_available() and not ON_CI, reason="needs redis-server")
async def test_the_buicks_booking_and_the_paint_booth_reach_another_process(demo: Demo) -> None:
    """The design's promise across processes: the customer accepts on one, the owner watches on the other."""
    assert servers.redis_available(), "CI must run this test: redis-server is missing"
    buick = await Vehicle.get(make="Buick")
    booth = await OrganizationCapability.get(
        organization_id=demo.organization_id, capability_type=CapabilityType.PAINT_BOOTH
    )
    start = date.today() + timedelta(days=5)
    request = {
        "serviceType": "BODYWORK",
        "organizationId": demo.organization_id,
        "vehicleId": buick.id,
        "requestedStartDate": start.isoformat(),
    }
    with servers.redis_server() as redis:
        async with (
            servers.app_server(broadcast_url=redis.url, namespace="buick.") as first,
            servers.app_server(broadcast_url=redis.url, namespace="buick.") as second,
        ):
            customer = await servers.login(first, "customer@demo.test")
            owner = await servers.login(second, "owner@demo.test")
            init = {"authorization": f"Bearer {owner}"}
            async with (
                servers.websocket(second, servers.TRANSPORT_WS, init) as statuses,
                servers.websocket(second, servers.TRANSPORT_WS, init) as capacity,
            ):
                await capacity.subscribe("c", CAPACITY, {"org": demo.organization_id})
                await statuses.subscribe("s", BOOKING_STATUS, {"org": demo.organization_id})
                # No "subscribed" acknowledgement: quote until the owner hears one (each quote is a new booking).
                booking_id = None
                for _ in range(20):
                    quote = await servers.graphql(first, REQUEST, {"input": request}, customer)
                    assert not quote.get("errors"), quote
                    booking_id = quote["data"]["requestQuote"]["id"]
                    try:
                        await statuses.receive(0.5)
                        break
                    except TimeoutError:
                        continue
                else:
                    raise AssertionError("the owner never heard a quote")
                await asyncio.sleep(0.5)  # the capacity subscription was opened first; give it the same head start

                accepted = await servers.graphql(first, ACCEPT, {"id": booking_id}, customer)
                assert accepted["data"]["acceptQuote"]["status"] == "QUOTE_ACCEPTED", accepted

                status = await _until(
                    statuses,
                    lambda d: (
                        d["bookingStatusChanged"]["booking"]["id"] == booking_id
                        and d["bookingStatusChanged"]["status"] == "QUOTE_ACCEPTED"
                    ),
                )
                change = status["bookingStatusChanged"]
                assert change["previousStatus"] == "QUOTE_READY"
                assert change["booking"]["vehicle"] == {"make": "Buick", "model": "Grand National"}
                await _until(capacity, lambda d: booth.id in d["capacityChanged"]["capabilityIds"])

            report = await servers.graphql(
                second,
                UTILIZATION,
                {
                    "org": demo.organization_id,
                    "from": date.today().isoformat(),
                    "to": (start + timedelta(days=30)).isoformat(),
                },
                owner,
            )
            booth_days = next(c for c in report["data"]["utilization"]["capabilities"] if c["capabilityId"] == booth.id)
            assert sum(d["reserved"] for d in booth_days["days"]) == 16  # the paint job's booth hours
