"""The demo customer requests, compares and accepts a quote for paint work on the Buick, through GraphQL."""

from __future__ import annotations

from datetime import date, timedelta

from app.demo_seed import seed_demo
from models import CapacitySchedule, Organization, OrganizationService, Vehicle
from models.enums import ServiceType
from tests.helpers import error_codes, gql, login

REQUEST = """mutation($input: QuoteRequestInput!) { requestQuote(input: $input) { ... on ServiceBooking {
  id status totalQuotedPriceCents quoteExpiresAt coordinationScore capacityUtilization
  organization { name }
  vehicle { year make model }
  quoteBreakdown { totalCents facilityFeeCents materialsCents laborFeeCents platformFeeCents
                   labor { userId name role hours amountCents } }
  timeline { start completion confidence }
  matchedLabor { name role hours amountCents rating completedJobs specialization distanceMiles }
  quoteAlternatives { organizationName start end totalCents }
  excludedCandidates { organizationName reason }
} ... on Error { __typename code message }
  ... on NoFeasibleOption { excluded { organizationName reason } unofferedServiceType } } }"""
ACCEPT = """mutation($id: Int!) { acceptQuote(bookingId: $id) { ... on ServiceBooking {
  status capacityBlocks { nodes { resourceType startTime endTime units durationHours capability { capabilityType } } }
  jobOffers { nodes { status role user { fullName } } }
  contract { contractStatus totalContractValueCents facilityPaymentCents laborAmountCents platformFeeCents }
  statusHistory { totalCount nodes { fromStatus toStatus } }
} ... on Error { __typename code message } } }"""


async def _paint_request() -> dict[str, object]:
    viva = await Organization.get(name="Viva Las Vegas Autos")
    buick = await Vehicle.get(make="Buick")
    return {
        "serviceType": "BODYWORK",
        "organizationId": viva.id,
        "vehicleId": buick.id,
        "requestedStartDate": (date.today() + timedelta(days=7)).isoformat(),
        "flexibleTimeline": True,
        "customerNotes": "Hood and roof faded",
    }


async def test_customer_requests_compares_and_accepts_paint_work_on_the_buick() -> None:
    await seed_demo()
    token = await login("customer@demo.test")
    quote = await gql(REQUEST, {"input": await _paint_request()}, token=token)
    assert not quote.get("errors"), quote
    booking = quote["data"]["requestQuote"]
    assert booking["status"] == "QUOTE_READY"
    assert booking["organization"]["name"] == "Viva Las Vegas Autos"
    assert booking["vehicle"] == {"year": 1987, "make": "Buick", "model": "Grand National"}
    b = booking["quoteBreakdown"]
    assert b["totalCents"] == booking["totalQuotedPriceCents"] == 200_000
    assert (b["facilityFeeCents"], b["laborFeeCents"], b["platformFeeCents"]) == (40_000, 140_000, 20_000)
    assert b["facilityFeeCents"] + b["materialsCents"] + b["laborFeeCents"] + b["platformFeeCents"] == b["totalCents"]
    assert sum(line["amountCents"] for line in b["labor"]) == b["laborFeeCents"]
    assert {line["role"] for line in b["labor"]} == {"PAINTING", "BODYWORK"}
    assert all(m["rating"] is not None and m["specialization"] for m in booking["matchedLabor"])
    assert 0 <= booking["coordinationScore"] <= 100
    assert 0 <= booking["timeline"]["confidence"] <= 1
    assert booking["timeline"]["start"] < booking["timeline"]["completion"]

    accepted = await gql(ACCEPT, {"id": booking["id"]}, token=token)
    assert not accepted.get("errors"), accepted
    result = accepted["data"]["acceptQuote"]
    assert result["status"] == "QUOTE_ACCEPTED"
    kinds = {blk["capability"]["capabilityType"] for blk in result["capacityBlocks"]["nodes"] if blk["capability"]}
    assert {"PAINT_BOOTH", "VEHICLE_LIFT", "INDOOR_STORAGE"} <= kinds
    assert any(blk["resourceType"] == "USER_LABOR" for blk in result["capacityBlocks"]["nodes"])
    assert result["jobOffers"]["nodes"] == []  # offers are for the facility and the offered people, not the customer
    owner = await login("owner@demo.test")
    offers = await gql(
        "query($id: Int!) { serviceBooking(id: $id) { jobOffers { nodes { status role user { fullName } } } } }",
        {"id": booking["id"]},
        token=owner,
    )
    assert {o["role"] for o in offers["data"]["serviceBooking"]["jobOffers"]["nodes"]} == {"PAINTING", "BODYWORK"}
    assert result["contract"]["contractStatus"] == "PENDING_SIGNATURES"
    assert result["contract"]["totalContractValueCents"] == 200_000
    history = result["statusHistory"]
    assert [h["toStatus"] for h in history["nodes"]][-1] == "QUOTE_ACCEPTED"
    assert history["totalCount"] == len(history["nodes"])


async def test_owner_sees_the_reservation_in_utilization() -> None:
    await seed_demo()
    customer = await login("customer@demo.test")
    booking = (await gql(REQUEST, {"input": await _paint_request()}, token=customer))["data"]["requestQuote"]
    await gql(ACCEPT, {"id": booking["id"]}, token=customer)
    owner = await login("owner@demo.test")
    viva = await Organization.get(name="Viva Las Vegas Autos")
    start = date.today()
    report = await gql(
        "query($org: Int!, $from: Date!, $to: Date!) { utilization(organizationId: $org, from: $from, to: $to) {"
        " capabilities { capabilityType days { date capacity reserved utilization } }"
        " labor { name days { reserved } } } }",
        {"org": viva.id, "from": start.isoformat(), "to": (start + timedelta(days=30)).isoformat()},
        token=owner,
    )
    assert not report.get("errors"), report
    booth = next(c for c in report["data"]["utilization"]["capabilities"] if c["capabilityType"] == "PAINT_BOOTH")
    assert sum(d["reserved"] for d in booth["days"]) == 16
    assert any(d["utilization"] > 0 for d in booth["days"])
    assert report["data"]["utilization"]["labor"]
    assert await CapacitySchedule.filter(is_reserved=True).count() > 0


async def test_utilization_is_for_members_only() -> None:
    await seed_demo()
    customer = await login("customer@demo.test")
    viva = await Organization.get(name="Viva Las Vegas Autos")
    result = await gql(
        'query($org: Int!) { utilization(organizationId: $org, from: "2026-12-01", to: "2026-12-07")'
        " { organizationId } }",
        {"org": viva.id},
        token=customer,
    )
    assert error_codes(result) == ["FORBIDDEN"]


async def test_nothing_feasible_is_a_typed_error_listing_reasons() -> None:
    await seed_demo()
    token = await login("customer@demo.test")
    request = {**(await _paint_request()), "near": {"latitude": 40.7, "longitude": -74.0, "radiusMiles": 10}}
    result = await gql(REQUEST, {"input": request}, token=token)
    assert error_codes(result) == ["NO_FEASIBLE_OPTION"]
    failure = result["data"]["requestQuote"]
    assert failure["__typename"] == "NoFeasibleOption" and failure["unofferedServiceType"] is None
    assert failure["excluded"] and all(item["organizationName"] and item["reason"] for item in failure["excluded"])


async def test_a_service_nobody_offers_names_its_type_in_the_error() -> None:
    await seed_demo()
    # The demo offers all fourteen service types; its mechanical shop stops offering engine work.
    await OrganizationService.filter(service_type=ServiceType.MECHANICAL_REPAIR).update(is_active=False)
    token = await login("customer@demo.test")
    request = {**(await _paint_request()), "serviceType": "MECHANICAL_REPAIR"}
    del request["organizationId"]
    result = await gql(REQUEST, {"input": request}, token=token)
    assert error_codes(result) == ["NO_FEASIBLE_OPTION"]
    failure = result["data"]["requestQuote"]
    assert (failure["excluded"], failure["unofferedServiceType"]) == ([], "MECHANICAL_REPAIR")
