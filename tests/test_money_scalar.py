"""Money in GraphQL is the 64-bit-safe Cents scalar: every `...Cents` field and argument, and a price past GraphQL
Int's $21.47M ceiling round-trips to the cent."""

from __future__ import annotations

from graphql import GraphQLInputObjectType, GraphQLObjectType, get_named_type

from app.graphql_schema import schema
from app.security import issue_token
from app.services.coordination.quoting import QuoteRequest, request_quote
from models import User
from models.enums import BookingStatus, PricingModel
from schema.scalars import MAX_SAFE_CENTS
from tests.factories import MONDAY, NOW, make_shop, viewer
from tests.helpers import error_codes, gql

PRICE = """mutation($id: Int!, $price: Cents!, $materials: Cents!) {
  priceCustomQuote(bookingId: $id, priceCents: $price, materialsCents: $materials) {
    status totalQuotedPriceCents facilityFeeCents laborFeeCents materialsCostCents platformFeeCents
    quoteBreakdown { totalCents servicePriceCents }
  } }"""
READ = """query($id: Int!) { serviceBooking(id: $id) { totalQuotedPriceCents } }"""
COLLECTOR_CAR = 3_000_000_000  # $30M: past GraphQL Int's 2,147,483,647


def _token(user: User) -> str:
    token, _ = issue_token(user.id, user.token_version)
    return token


def test_every_money_field_and_argument_is_cents() -> None:
    gql_schema = schema._schema
    found: list[str] = []
    for type_name, gql_type in gql_schema.type_map.items():
        if type_name.startswith("__"):
            continue
        if isinstance(gql_type, GraphQLObjectType | GraphQLInputObjectType):
            for field_name, field in gql_type.fields.items():
                if field_name.endswith("Cents"):
                    found.append(f"{type_name}.{field_name}: {get_named_type(field.type).name}")
                for arg_name, arg in getattr(field, "args", {}).items():
                    if arg_name.endswith("Cents"):
                        found.append(f"{type_name}.{field_name}({arg_name}): {get_named_type(arg.type).name}")
    assert len(found) > 30  # the walk sees the schema's money, so the next line means something
    assert [f for f in found if not f.endswith(": Cents")] == []


async def test_a_custom_quote_past_graphql_int_round_trips_to_the_cent() -> None:
    shop = await make_shop(pricing_model=PricingModel.CUSTOM_QUOTE)
    booking = await request_quote(
        viewer=await viewer(shop.customer),
        request=QuoteRequest(requested_start_date=MONDAY, service_id=shop.service.id),
        now=NOW,
    )
    assert booking.status == BookingStatus.QUOTE_REQUESTED
    priced = await gql(PRICE, {"id": booking.id, "price": COLLECTOR_CAR, "materials": 1}, token=_token(shop.owner))
    assert not priced.get("errors"), priced
    b = priced["data"]["priceCustomQuote"]
    assert b["status"] == "QUOTE_READY"
    assert b["totalQuotedPriceCents"] == COLLECTOR_CAR + 1
    parts = b["facilityFeeCents"] + b["laborFeeCents"] + b["materialsCostCents"] + b["platformFeeCents"]
    assert parts == COLLECTOR_CAR + 1 and b["materialsCostCents"] == 1
    assert b["quoteBreakdown"] == {"totalCents": COLLECTOR_CAR + 1, "servicePriceCents": COLLECTOR_CAR}
    read = await gql(READ, {"id": booking.id}, token=_token(shop.customer))
    assert read["data"]["serviceBooking"]["totalQuotedPriceCents"] == COLLECTOR_CAR + 1


async def test_cents_past_what_a_javascript_number_holds_are_bad_input() -> None:
    shop = await make_shop(pricing_model=PricingModel.CUSTOM_QUOTE)
    booking = await request_quote(
        viewer=await viewer(shop.customer),
        request=QuoteRequest(requested_start_date=MONDAY, service_id=shop.service.id),
        now=NOW,
    )
    for bad in (MAX_SAFE_CENTS + 1, 12.5, "12x", True):
        result = await gql(PRICE, {"id": booking.id, "price": bad, "materials": 0}, token=_token(shop.owner))
        assert error_codes(result) == ["BAD_INPUT"], (bad, result)
