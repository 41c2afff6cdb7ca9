"""The HTTP surface: /healthz, /, GraphQL over POST and GET, and the demo data as one nested graph."""

from __future__ import annotations

import httpx

from app.demo_seed import seed_demo
from app.main import app
from tests.helpers import error_codes, gql, login


async def _client() -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")


async def test_healthz_and_dashboard_placeholder() -> None:
    async with await _client() as client:
        health = await client.get("/healthz")
        page = await client.get("/")
    assert health.json() == {"status": "ok"}
    assert page.status_code == 200 and "N-Zero" in page.text
    assert page.headers["x-content-type-options"] == "nosniff"


async def test_graphql_over_get_runs_queries_but_not_mutations() -> None:
    await seed_demo()
    async with await _client() as client:
        ok = await client.get("/graphql", params={"query": "{ organizations { totalCount } }"})
        refused = await client.get(
            "/graphql", params={"query": 'mutation { login(email: "a", password: "b") { token } }'}
        )
    assert ok.json()["data"]["organizations"]["totalCount"] == 4
    assert refused.status_code == 405


async def test_demo_market_is_one_nested_graph() -> None:
    await seed_demo()
    token = await login("owner@demo.test")
    result = await gql(
        """{ organizations(filter: {text: "viva"}) { nodes { name timezone
              services { serviceName pricingModel basePriceCents requiredCapabilities { capabilityType hours units } }
              capabilities { capabilityType kind quantity hoursPerDay }
              members { role user { fullName email skills { skillName } } } } } }""",
        token=token,
    )
    assert not result.get("errors"), result
    [viva] = result["data"]["organizations"]["nodes"]
    assert viva["name"] == "Viva Las Vegas Autos"
    lifts = next(c for c in viva["capabilities"] if c["capabilityType"] == "VEHICLE_LIFT")
    assert lifts["quantity"] == 4 and lifts["kind"] == "TIME_SHARED"
    storage = next(c for c in viva["capabilities"] if c["capabilityType"] == "INDOOR_STORAGE")
    assert storage["quantity"] == 2000 and storage["kind"] == "SPACE"
    assert {c["capabilityType"] for c in viva["capabilities"]} >= {"PAINT_BOOTH", "AIR_COMPRESSOR", "WELDING_STATION"}
    assert viva["members"] == [
        {"role": "OWNER", "user": {"fullName": "Vince Valentino", "email": "owner@demo.test", "skills": []}}
    ]
    paint = next(s for s in viva["services"] if s["pricingModel"] == "FIXED_PRICE" and s["basePriceCents"] == 200_000)
    assert {"capabilityType": "PAINT_BOOTH", "hours": 16.0, "units": None} in paint["requiredCapabilities"]


async def test_customer_sees_their_buick_but_not_the_owner_members() -> None:
    await seed_demo()
    token = await login("customer@demo.test")
    result = await gql(
        "{ viewer { roles user { fullName vehicles { year make model } } }"
        ' organizations(filter: {text: "viva"}) { nodes { members { role } } } }',
        token=token,
    )
    assert result["data"]["viewer"]["user"]["vehicles"] == [{"year": 1987, "make": "Buick", "model": "Grand National"}]
    assert result["data"]["viewer"]["roles"] == ["customer"]
    assert result["data"]["organizations"]["nodes"][0]["members"] == []


async def test_filters_by_service_capability_and_distance() -> None:
    await seed_demo()
    near_strip = "{latitude: 36.1147, longitude: -115.1728, radiusMiles: 10}"
    result = await gql(
        "{ paint: organizations(filter: {serviceType: BODYWORK}) { totalCount }"
        " booth: organizations(filter: {capabilityType: PAINT_BOOTH}) { totalCount }"
        f" near: organizations(filter: {{near: {near_strip}}}) {{ nodes {{ name }} }}"
        " page: organizations(first: 2) { totalCount pageInfo { hasNextPage } nodes { name } } }"
    )
    data = result["data"]
    assert data["paint"]["totalCount"] == 3
    assert data["booth"]["totalCount"] == 3
    assert "Henderson Classic Restoration" not in {n["name"] for n in data["near"]["nodes"]}
    assert (
        data["page"]["totalCount"] == 4 and data["page"]["pageInfo"]["hasNextPage"] and len(data["page"]["nodes"]) == 2
    )


async def test_page_size_is_bounded() -> None:
    result = await gql("{ organizations(first: 1000) { totalCount } }")
    assert error_codes(result) == ["BAD_INPUT"]
    assert result["errors"][0]["extensions"]["field"] == "first"


async def test_unknown_organization_is_a_typed_not_found() -> None:
    result = await gql("{ organization(id: 999) { name } }")
    assert error_codes(result) == ["NOT_FOUND"]
