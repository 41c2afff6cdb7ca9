"""Expected failures come back as typed members of the mutation's result union, with what a client needs to act."""

from __future__ import annotations

from datetime import timedelta

from app.security import issue_token
from app.services.coordination.acceptance import accept_quote
from models import CapacitySchedule
from tests.factories import MONDAY, make_shop, make_user, quote_at_shop, viewer
from tests.helpers import error_codes, gql

ACCEPT = """mutation($b: Int!) { acceptQuote(bookingId: $b) {
  __typename
  ... on ServiceBooking { status }
  ... on Error { code message }
  ... on CapacityUnavailable { reason alternative { organizationId start totalCents } }
} }"""
REQUEST = """mutation($input: QuoteRequestInput!) { requestQuote(input: $input) {
  __typename
  ... on Error { code message }
  ... on InvalidInput { field argument }
  ... on NotFound { field }
} }"""


async def test_capacity_taken_meanwhile_is_a_capacity_unavailable_member_with_the_alternative() -> None:
    shop = await make_shop(painters=2)
    other = await make_user()
    first, second = await quote_at_shop(shop), await quote_at_shop(shop, other)
    await accept_quote(viewer=await viewer(shop.customer), booking_id=first.id, now=first.created_at)
    rows_before = await CapacitySchedule.all().count()

    result = await gql(ACCEPT, {"b": second.id}, token=issue_token(other.id, other.token_version)[0])

    assert "errors" not in result, result
    taken = result["data"]["acceptQuote"]
    assert taken["__typename"] == "CapacityUnavailable" and taken["code"] == "CAPACITY_UNAVAILABLE"
    assert taken["reason"] and taken["message"]
    alternative = taken["alternative"]
    assert alternative["organizationId"] == shop.org.id and alternative["totalCents"] > 0
    assert alternative["start"] >= str(MONDAY + timedelta(days=1))
    assert await CapacitySchedule.all().count() == rows_before  # nothing reserved


async def test_a_field_error_names_the_argument_path_and_a_missing_object_is_not_found() -> None:
    shop = await make_shop()
    token = issue_token(shop.customer.id, shop.customer.token_version)[0]
    unknown = await gql(REQUEST, {"input": {"serviceId": 987_654, "requestedStartDate": str(MONDAY)}}, token=token)
    assert unknown["data"]["requestQuote"] == {
        "__typename": "NotFound",
        "code": "NOT_FOUND",
        "message": unknown["data"]["requestQuote"]["message"],
        "field": "serviceId",
    }
    backwards = await gql(
        REQUEST,
        {
            "input": {
                "serviceId": shop.service.id,
                "requestedStartDate": str(MONDAY),
                "requestedCompletionDate": str(MONDAY - timedelta(days=3)),
            }
        },
        token=token,
    )
    failure = backwards["data"]["requestQuote"]
    assert failure["__typename"] == "InvalidInput" and failure["code"] == "BAD_INPUT"
    assert failure["argument"] == f"input.{failure['field']}" and failure["field"]


async def test_a_booking_one_cannot_see_is_not_found_and_anonymity_stays_a_top_level_error() -> None:
    shop = await make_shop()
    first = await quote_at_shop(shop)
    stranger = await make_user()
    refused = await gql(ACCEPT, {"b": first.id}, token=issue_token(stranger.id, stranger.token_version)[0])
    assert refused["data"]["acceptQuote"]["__typename"] == "NotFound"  # exactly as for an id that exists nowhere
    anonymous = await gql(ACCEPT, {"b": first.id})
    assert anonymous["data"] is None and error_codes(anonymous) == ["UNAUTHENTICATED"]
