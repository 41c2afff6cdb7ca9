"""Global object identification: opaque `id`s, `rowId`, node(id:) / nodes(ids:) under the typed fields' rules,
and one parser for every id argument (the expected type's global id or a bare UUID; anything else BAD_INPUT)."""

from __future__ import annotations

import base64
import uuid

from app.security import issue_token
from models import JobOffer, User
from models.enums import BookingStatus, JobOfferStatus
from tests.factories import make_booking, make_org, make_user
from tests.helpers import count_queries, error_codes, gid, gid_of, gql

NODE = "query($id: ID!) { node(id: $id) { __typename id ... on ServiceBooking { rowId status } } }"
NODES = "query($ids: [ID!]!) { nodes(ids: $ids) { __typename id ... on ServiceBooking { status } } }"
TYPED = "query($id: ID!) { serviceBooking(id: $id) { id rowId status } }"


def token(user: User) -> str:
    return issue_token(user.id, user.token_version)[0]


async def test_ids_are_opaque_global_ids_beside_the_row_key() -> None:
    owner = await make_user("Owner")
    org = await make_org(owner=owner)
    result = await gql("query($id: ID!) { organization(id: $id) { id rowId } }", {"id": gid(org)})
    assert result["data"]["organization"] == {"id": gid(org), "rowId": str(org.id)}
    assert base64.b64decode(gid(org)).decode() == f"Organization:{org.id}"


async def test_node_shows_a_booking_to_whom_the_typed_field_shows_it_and_to_nobody_else() -> None:
    customer, stranger, owner = await make_user("Customer"), await make_user("Stranger"), await make_user("Owner")
    org = await make_org(owner=owner)
    booking = await make_booking(org, customer, status=BookingStatus.QUOTE_READY)
    for viewer in (customer, owner):
        seen = await gql(NODE, {"id": gid(booking)}, token=token(viewer))
        assert seen["data"]["node"] == {
            "__typename": "ServiceBooking",
            "id": gid(booking),
            "rowId": str(booking.id),
            "status": "QUOTE_READY",
        }
    hidden = await gql(NODE, {"id": gid(booking)}, token=token(stranger))
    typed = await gql(TYPED, {"id": gid(booking)}, token=token(stranger))
    missing = await gql(NODE, {"id": gid_of("ServiceBooking", uuid.uuid4())}, token=token(stranger))
    assert hidden["data"] == {"node": None}
    assert error_codes(hidden) == error_codes(typed) == error_codes(missing) == ["NOT_FOUND"]
    # The same error as the typed field: nothing tells a hidden booking from one that does not exist.
    assert hidden["errors"][0]["message"] == typed["errors"][0]["message"]


async def test_nodes_keeps_the_order_and_reports_each_hidden_id_at_its_index() -> None:
    customer, other, owner = await make_user("Customer"), await make_user("Other"), await make_user("Owner")
    org = await make_org(owner=owner)
    mine = await make_booking(org, customer)
    theirs = await make_booking(org, other)
    result = await gql(NODES, {"ids": [gid(theirs), gid(mine), gid(org)]}, token=token(customer))
    assert result["data"]["nodes"] == [
        None,
        {"__typename": "ServiceBooking", "id": gid(mine), "status": "QUOTE_REQUESTED"},
        {"__typename": "Organization", "id": gid(org)},
    ]
    assert [(e["path"], e["extensions"]["code"]) for e in result["errors"]] == [(["nodes", 0], "NOT_FOUND")]


async def test_a_job_offer_is_a_node_for_the_offered_person_and_the_facility_only() -> None:
    customer, worker, owner = await make_user("Customer"), await make_user("Worker"), await make_user("Owner")
    org = await make_org(owner=owner)
    booking = await make_booking(org, customer, status=BookingStatus.SCHEDULED)
    offer = await JobOffer.create(
        booking=booking, user=worker, role="painting", status=JobOfferStatus.PENDING, expires_at=booking.created_at
    )
    query = "query($id: ID!) { node(id: $id) { id } }"
    answers = {
        name: (await gql(query, {"id": gid(offer)}, token=token(user)))["data"]["node"]
        for name, user in (("worker", worker), ("owner", owner), ("customer", customer))
    }
    assert answers == {"worker": {"id": gid(offer)}, "owner": {"id": gid(offer)}, "customer": None}


async def test_nodes_costs_the_same_statements_for_two_ids_or_twenty() -> None:
    customer, owner = await make_user("Customer"), await make_user("Owner")
    org = await make_org(owner=owner)
    bookings = [await make_booking(org, customer) for _ in range(20)]
    viewer_token = token(customer)
    counts = []
    for size in (2, 20):
        with count_queries() as statements:
            result = await gql(NODES, {"ids": [gid(b) for b in bookings[:size]]}, token=viewer_token)
        assert not result.get("errors") and len(result["data"]["nodes"]) == size, result
        counts.append(len(statements))
    assert counts[0] == counts[1]


async def test_an_id_argument_takes_its_types_global_id_or_a_bare_uuid_and_nothing_else() -> None:
    customer, owner = await make_user("Customer"), await make_user("Owner")
    org = await make_org(owner=owner)
    booking = await make_booking(org, customer)
    by_global = await gql(TYPED, {"id": gid(booking)}, token=token(customer))
    by_uuid = await gql(TYPED, {"id": str(booking.id)}, token=token(customer))
    assert (
        by_global["data"]
        == by_uuid["data"]
        == {"serviceBooking": {"id": gid(booking), "rowId": str(booking.id), "status": "QUOTE_REQUESTED"}}
    )
    for wrong in (gid(org), "garbage", "42", base64.b64encode(b"ServiceBooking:42").decode()):
        result = await gql(TYPED, {"id": wrong}, token=token(customer))
        assert error_codes(result) == ["BAD_INPUT"], (wrong, result)
        assert result["errors"][0]["extensions"]["field"] == "id"
    mutation = "mutation($b: ID!) { acceptQuote(bookingId: $b) { ... on ServiceBooking { id } } }"
    result = await gql(mutation, {"b": gid(org)}, token=token(customer))
    assert error_codes(result) == ["BAD_INPUT"] and result["errors"][0]["extensions"]["field"] == "bookingId"
    # node needs a global id of one of the schema's types: a bare UUID names no type.
    unknown_type = base64.b64encode(f"Nope:{booking.id}".encode()).decode()
    for garbage in ("not an id", str(booking.id), unknown_type):
        result = await gql(NODE, {"id": garbage}, token=token(customer))
        assert error_codes(result) == ["BAD_INPUT"], (garbage, result)
