"""The floor under nested_query_bench: the same query shape executed by Strawberry over in-memory objects.

No database, no HTTP, no authorization: what graphql-core and Strawberry alone cost for ~2,400 fields.
"""

from __future__ import annotations

import asyncio
import time

import strawberry


@strawberry.type
class FloorUser:
    id: int
    full_name: str
    rating: float


@strawberry.type
class FloorMember:
    role: str
    user: FloorUser


@strawberry.type
class FloorService:
    id: int
    service_name: str
    service_type: str
    pricing_model: str
    base_price_cents: int


@strawberry.type
class FloorCapability:
    id: int
    capability_type: str
    quantity: int
    hours_per_day: float
    is_operational: bool


@strawberry.type
class FloorOrganization:
    id: int
    name: str
    city: str
    latitude: float
    longitude: float
    services: list[FloorService]
    capabilities: list[FloorCapability]
    members: list[FloorMember]


@strawberry.type
class FloorConnection:
    nodes: list[FloorOrganization]


def _market(size: int = 50) -> list[FloorOrganization]:
    return [
        FloorOrganization(
            id=i,
            name=f"Shop {i:03}",
            city="Las Vegas",
            latitude=36.1,
            longitude=-115.1,
            services=[
                FloorService(
                    id=j,
                    service_name="bodywork",
                    service_type="BODYWORK",
                    pricing_model="FIXED_PRICE",
                    base_price_cents=10_000,
                )
                for j in range(3)
            ],
            capabilities=[
                FloorCapability(
                    id=j, capability_type="VEHICLE_LIFT", quantity=2, hours_per_day=8.0, is_operational=True
                )
                for j in range(3)
            ],
            members=[FloorMember(role="OWNER", user=FloorUser(id=j, full_name="Member", rating=4.5)) for j in range(2)],
        )
        for i in range(size)
    ]


MARKET = _market()


@strawberry.type
class FloorQuery:
    @strawberry.field
    def organizations(self, first: int = 50) -> FloorConnection:
        return FloorConnection(nodes=MARKET[:first])


SCHEMA = strawberry.Schema(query=FloorQuery)


async def floor_ms(query: str, runs: int = 100) -> float:
    """Median milliseconds of executing `query` in process."""
    for _ in range(20):
        await SCHEMA.execute(query)
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        result = await SCHEMA.execute(query)
        samples.append(time.perf_counter() - start)
        assert not result.errors, result.errors
    samples.sort()
    return samples[len(samples) // 2] * 1000


if __name__ == "__main__":
    from bench.nested_query_bench import QUERY

    print(f"{asyncio.run(floor_ms(QUERY)):.2f} ms")
