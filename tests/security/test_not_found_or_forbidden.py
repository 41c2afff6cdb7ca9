"""What the refusal tells: an object the caller cannot see is NOT_FOUND, exactly like an id that exists nowhere;
one they can see but may not change is FORBIDDEN. (Every mutation is checked by test_mutation_authorization.)"""

from __future__ import annotations

from tests.helpers import error_codes, gql
from tests.security.market import Market

BOOKING = "query($id: Int!) { serviceBooking(id: $id) { id } }"
RESPOND = (
    "mutation($id: Int!) { respondToJobOffer(offerId: $id, accept: false) { ... on JobOffer { id }"
    " ... on Error { __typename code message } } }"
)


async def test_a_booking_one_cannot_see_reads_like_one_that_does_not_exist(market: Market) -> None:
    stranger = market.roles["customer_b"]
    foreign = next(i for i in sorted(market.bookings) if not market.sees_booking(stranger, i))
    seen = await gql(BOOKING, {"id": foreign}, token=stranger.token)
    missing = await gql(BOOKING, {"id": 987_654}, token=stranger.token)
    assert error_codes(seen) == error_codes(missing) == ["NOT_FOUND"]
    assert seen["errors"][0]["message"].replace(str(foreign), "#") == missing["errors"][0]["message"].replace(
        "987654", "#"
    )


async def test_an_offer_seen_by_the_facility_but_not_theirs_to_answer_is_forbidden(market: Market) -> None:
    owner = market.roles["owner_x"]
    offer_id = next(i for i, (_, b) in sorted(market.offers.items()) if market.bookings[b][1] in owner.org_ids)
    assert error_codes(await gql(RESPOND, {"id": offer_id}, token=owner.token)) == ["FORBIDDEN"]
    stranger = market.roles["customer_b"]
    assert error_codes(await gql(RESPOND, {"id": offer_id}, token=stranger.token)) == ["NOT_FOUND"]
