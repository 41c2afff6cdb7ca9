"""The seed's catalog columns through GraphQL: written by the mutations, read back under the seed's names, searched
(text, featured), and the consignment price from the expected sale price the quote request carries."""

from __future__ import annotations

import base64
import json
from typing import Any

from app.security import issue_token
from app.services.access import viewer_for_user
from app.services.catalog import add_service
from models import OrganizationService, User
from models.enums import PricingModel, ServiceType
from tests.factories import MONDAY, make_capability, make_org, make_service, make_shop, make_user
from tests.helpers import count_queries, error_codes, gql

ADD_SERVICE = """mutation($org: Int!, $input: ServiceInput!) { addService(organizationId: $org, input: $input) {
  id organizationId percentageRate typicalDurationDays maxConcurrentJobs isFeatured tags searchKeywords } }"""
UPDATE_SERVICE = """mutation($id: Int!, $input: ServiceUpdateInput!) { updateService(id: $id, input: $input) {
  id isFeatured tags searchKeywords typicalDurationDays } }"""
ADD_CAPABILITY = """mutation($org: Int!, $input: CapabilityInput!) {
  addCapability(organizationId: $org, input: $input) { id organizationId capabilityName description unitType
  lastMaintenanceDate nextMaintenanceDate hourlyCostCents dailyCostCents } }"""
SERVICES = """query($filter: ServiceFilter, $first: Int, $after: String) { services(filter: $filter, first: $first,
  after: $after) { totalCount pageInfo { hasNextPage endCursor }
  nodes { serviceName isFeatured organization { name } } } }"""
ORGANIZATIONS = (
    """query($filter: OrganizationFilter) { organizations(filter: $filter) { totalCount nodes { name } } }"""
)
QUOTE = """mutation($input: QuoteRequestInput!) { requestQuote(input: $input) { ... on ServiceBooking {
  totalQuotedPriceCents expectedSalePriceCents quoteBreakdown { totalCents facilityFeeCents laborFeeCents
  platformFeeCents materialsCents equipmentCents } }
  ... on InvalidInput { __typename code field argument } } }"""


def token_of(user: User) -> str:
    return issue_token(user.id, user.token_version)[0]


async def _owner_and_org() -> tuple[User, int]:
    owner = await make_user("Owner")
    org = await make_org(owner=owner, name="Seed Motors")
    return owner, org.id


async def test_the_mutations_write_every_seed_column_and_read_it_back() -> None:
    owner, org = await _owner_and_org()
    token = token_of(owner)
    service = {
        "serviceName": "Consignment Management",
        "serviceType": "CONSIGNMENT_MANAGEMENT",
        "pricingModel": "PERCENTAGE",
        "percentageRate": 8.5,
        "typicalDurationDays": 30,
        "maxConcurrentJobs": 6,
        "isFeatured": True,
        "tags": ["consignment", "collector cars"],
        "searchKeywords": ["sell my car"],
    }
    added = await gql(ADD_SERVICE, {"org": org, "input": service}, token=token)
    assert added["data"]["addService"] == {
        "id": added["data"]["addService"]["id"],
        "organizationId": org,
        "percentageRate": 8.5,
        "typicalDurationDays": 30,
        "maxConcurrentJobs": 6,
        "isFeatured": True,
        "tags": ["consignment", "collector cars"],
        "searchKeywords": ["sell my car"],
    }
    service_id = added["data"]["addService"]["id"]
    changed = await gql(
        UPDATE_SERVICE,
        {"id": service_id, "input": {"isFeatured": False, "tags": ["sales"], "typicalDurationDays": None}},
        token=token,
    )
    assert changed["data"]["updateService"] == {
        "id": service_id,
        "isFeatured": False,
        "tags": ["sales"],
        "searchKeywords": ["sell my car"],
        "typicalDurationDays": None,  # the seed's column is nullable: as many days as the hours need
    }
    row = await OrganizationService.get(id=service_id)
    assert row.search_text == "consignment management sales sell my car"  # rewritten with the edit

    capability = {
        "capabilityType": "PAINT_BOOTH",
        "description": "Downdraft",
        "unitType": "booths",
        "lastMaintenanceDate": "2030-01-02",
        "nextMaintenanceDate": "2030-03-02",
        "hourlyCostCents": 4_500,
        "dailyCostCents": 30_000,
    }
    cap = await gql(ADD_CAPABILITY, {"org": org, "input": capability}, token=token)
    got = cap["data"]["addCapability"]
    assert got["capabilityName"] == "Paint booth"  # none given: the type's label (the column is NOT NULL)
    assert {k: got[k] for k in capability if k != "capabilityType"} == {
        k: v for k, v in capability.items() if k != "capabilityType"
    }
    assert got["organizationId"] == org


async def _catalog_for_search() -> None:
    owner = await make_user("Owner")
    north = await make_org(owner=owner, name="North Garage")
    south = await make_org(owner=owner, name="South Garage")
    viewer = await viewer_for_user(owner)

    async def service(org_id: int, name: str, **values: Any) -> None:
        await add_service(
            viewer=viewer,
            organization_id=org_id,
            values={"service_name": name, "service_type": ServiceType.BODYWORK, "base_price_cents": 10_000, **values},
        )

    await service(north.id, "Panel beating", tags=["paint"], search_keywords=["dent"])
    await service(north.id, "Show paint", is_featured=True)
    await service(south.id, "Respray", description="A full PAINT job", is_featured=True)
    await service(south.id, "Paint touch-up")
    await service(south.id, "Wheel alignment", search_keywords=["tyres"])
    await service(south.id, "Old paint", is_active=False)


async def test_services_search_matches_every_text_column_and_ranks_name_then_featured() -> None:
    await _catalog_for_search()
    found = await gql(SERVICES, {"filter": {"text": "Paint"}})
    page = found["data"]["services"]
    # Names holding the word first (featured first among them), then matches in description or tags.
    assert [n["serviceName"] for n in page["nodes"]] == ["Show paint", "Paint touch-up", "Respray", "Panel beating"]
    assert page["totalCount"] == 4 and page["pageInfo"]["hasNextPage"] is False

    both = await gql(SERVICES, {"filter": {"text": "paint DENT"}})
    assert [n["serviceName"] for n in both["data"]["services"]["nodes"]] == ["Panel beating"]  # every word
    featured = await gql(SERVICES, {"filter": {"featured": True}})
    assert {n["serviceName"] for n in featured["data"]["services"]["nodes"]} == {"Show paint", "Respray"}
    keyword = await gql(SERVICES, {"filter": {"text": "tyres"}})
    assert [n["serviceName"] for n in keyword["data"]["services"]["nodes"]] == ["Wheel alignment"]

    # Keyset pages follow the ranking across its mixed keys (rank, featured, name, id).
    first = await gql(SERVICES, {"filter": {"text": "paint"}, "first": 2})
    assert [n["serviceName"] for n in first["data"]["services"]["nodes"]] == ["Show paint", "Paint touch-up"]
    cursor = first["data"]["services"]["pageInfo"]["endCursor"]
    second = await gql(SERVICES, {"filter": {"text": "paint"}, "first": 2, "after": cursor})
    assert [n["serviceName"] for n in second["data"]["services"]["nodes"]] == ["Respray", "Panel beating"]
    assert second["data"]["services"]["pageInfo"]["hasNextPage"] is False
    third = await gql(SERVICES, {"filter": {"text": "paint"}, "first": 1, "after": cursor})
    assert [n["serviceName"] for n in third["data"]["services"]["nodes"]] == ["Respray"]
    assert error_codes(await gql(SERVICES, {"first": 10_000})) == ["BAD_INPUT"]
    assert error_codes(await gql(SERVICES, {"after": "forged"})) == ["BAD_INPUT"]
    wrong_types = base64.urlsafe_b64encode(json.dumps([5, "yes", 7, 1]).encode()).decode().rstrip("=")
    assert error_codes(await gql(SERVICES, {"filter": {"text": "paint"}, "after": wrong_types})) == ["BAD_INPUT"]
    assert error_codes(await gql(SERVICES, {"filter": {"text": "x" * 201}})) == ["BAD_INPUT"]


async def test_services_search_issues_the_same_statements_for_any_number_of_rows() -> None:
    await _catalog_for_search()
    with count_queries() as few:
        await gql(SERVICES, {"filter": {"text": "paint"}})
    org = await make_org(owner=await make_user("Other"), name="Third Garage")
    for i in range(12):
        await make_service(org, service_name=f"Paint {i}")
    with count_queries() as many:
        result = await gql(SERVICES, {"filter": {"text": "paint"}})
    assert result["data"]["services"]["totalCount"] == 16
    assert len(many) == len(few)


async def test_organizations_search_reaches_their_services_and_the_featured_filter() -> None:
    await _catalog_for_search()
    by_service = await gql(ORGANIZATIONS, {"filter": {"text": "tyres"}})
    assert [n["name"] for n in by_service["data"]["organizations"]["nodes"]] == ["South Garage"]
    inactive_only = await gql(ORGANIZATIONS, {"filter": {"text": "old"}})
    assert inactive_only["data"]["organizations"]["nodes"] == []  # an inactive service is not searched
    await OrganizationService.filter(service_name="Respray").update(is_featured=False)
    featured = await gql(ORGANIZATIONS, {"filter": {"featured": True}})
    assert [n["name"] for n in featured["data"]["organizations"]["nodes"]] == ["North Garage"]
    not_featured = await gql(ORGANIZATIONS, {"filter": {"featured": False}})
    assert [n["name"] for n in not_featured["data"]["organizations"]["nodes"]] == ["South Garage"]


async def test_consignment_is_a_percentage_of_the_expected_sale_price() -> None:
    shop = await make_shop(
        service_type=ServiceType.CONSIGNMENT_MANAGEMENT,
        pricing_model=PricingModel.PERCENTAGE,
        base_price_cents=0,
        percentage_rate="8.50",
    )
    token = token_of(shop.customer)
    request: dict[str, Any] = {"requestedStartDate": MONDAY.isoformat(), "serviceId": shop.service.id}
    missing = (await gql(QUOTE, {"input": request}, token=token))["data"]["requestQuote"]
    assert (missing["code"], missing["field"]) == ("BAD_INPUT", "expectedSalePriceCents")

    # A collector car past GraphQL Int's $21.47M: 8.5 % of $30,000,000.00 is $2,550,000.00.
    quoted = await gql(QUOTE, {"input": {**request, "expectedSalePriceCents": 3_000_000_000}}, token=token)
    booking = quoted["data"]["requestQuote"]
    assert booking["expectedSalePriceCents"] == 3_000_000_000
    assert booking["totalQuotedPriceCents"] == 255_000_000
    b = booking["quoteBreakdown"]
    assert b["facilityFeeCents"] + b["laborFeeCents"] + b["platformFeeCents"] + b["materialsCents"] == b["totalCents"]
    assert b["equipmentCents"] == 0  # a fixed price once quoted: equipment is not billed on top
    refused = await gql(QUOTE, {"input": {**request, "expectedSalePriceCents": 0}}, token=token)
    assert refused["data"]["requestQuote"]["code"] == "BAD_INPUT"


async def test_a_type_search_names_the_missing_sale_price() -> None:
    shop = await make_shop(
        service_type=ServiceType.CONSIGNMENT_MANAGEMENT, pricing_model=PricingModel.PERCENTAGE, percentage_rate="5"
    )
    other = await make_org(owner=await make_user("Other owner"), name="Other Consignment")
    await make_capability(other)
    await make_service(
        other,
        service_type=ServiceType.CONSIGNMENT_MANAGEMENT,
        pricing_model=PricingModel.PERCENTAGE,
        percentage_rate="6",
    )
    request = {"requestedStartDate": MONDAY.isoformat(), "serviceType": "CONSIGNMENT_MANAGEMENT"}
    missing = (await gql(QUOTE, {"input": request}, token=token_of(shop.customer)))["data"]["requestQuote"]
    assert (missing["code"], missing["field"]) == ("BAD_INPUT", "expectedSalePriceCents")
