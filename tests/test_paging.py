"""Cursor connections: every item once, in order, forwards and backwards; pages stay put when rows arrive; a cursor
that is not one of the list's is BAD_INPUT."""

from __future__ import annotations

from typing import Any

from app.security import issue_token
from models import BookingStatusHistory, ServiceBooking, User
from models.enums import BookingStatus
from tests.factories import make_booking, make_org, make_user
from tests.helpers import count_queries, error_codes, gql

BOOKINGS = """query($first: Int, $after: String, $last: Int, $before: String) {
  serviceBookings(first: $first, after: $after, last: $last, before: $before) {
    totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { id } } } }"""
ORGANIZATIONS = """query($text: String, $first: Int, $after: String, $last: Int, $before: String) {
  organizations(filter: {text: $text}, first: $first, after: $after, last: $last, before: $before) {
    totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { node { name } } } }"""


def _token(user: User) -> str:
    return issue_token(user.id, user.token_version)[0]


async def _walk(query: str, root: str, variables: dict[str, Any], token: str | None, *, backwards: bool) -> list[Any]:
    """Every node, page by page (two at a time), in the list's order."""
    seen: list[Any] = []
    cursor: str | None = None
    for _ in range(50):
        paging = {"last": 2, "before": cursor} if backwards else {"first": 2, "after": cursor}
        result = await gql(query, {**variables, **paging}, token=token)
        assert not result.get("errors"), result
        connection = result["data"][root]
        nodes = [edge["node"] for edge in connection["edges"]]
        seen = nodes + seen if backwards else seen + nodes
        info = connection["pageInfo"]
        if not (info["hasPreviousPage"] if backwards else info["hasNextPage"]):
            return seen
        cursor = info["startCursor"] if backwards else info["endCursor"]
    raise AssertionError("the pages never ended")


async def test_bookings_page_forwards_and_backwards_newest_first() -> None:
    customer = await make_user()
    org = await make_org()
    made = [await make_booking(org, customer) for _ in range(7)]
    token = _token(customer)
    forwards = await _walk(BOOKINGS, "serviceBookings", {}, token, backwards=False)
    backwards = await _walk(BOOKINGS, "serviceBookings", {}, token, backwards=True)
    newest_first = sorted(made, key=lambda b: (b.created_at, b.id), reverse=True)
    assert [n["id"] for n in forwards] == [n["id"] for n in backwards] == [b.id for b in newest_first]


async def test_a_page_stays_put_when_new_rows_arrive() -> None:
    customer = await make_user()
    org = await make_org()
    for _ in range(4):
        await make_booking(org, customer)
    token = _token(customer)
    first = (await gql(BOOKINGS, {"first": 2}, token=token))["data"]["serviceBookings"]
    await make_booking(org, customer)  # newer than everything: an offset would shift the next page by one
    second = (await gql(BOOKINGS, {"first": 2, "after": first["pageInfo"]["endCursor"]}, token=token))["data"]
    ids = [e["node"]["id"] for e in first["edges"] + second["serviceBookings"]["edges"]]
    oldest_four = await ServiceBooking.filter(customer_id=customer.id).order_by("-created_at", "-id").offset(1)
    assert ids == [b.id for b in oldest_four]
    assert second["serviceBookings"]["totalCount"] == 5


async def test_organizations_page_in_sql_and_when_filtered_by_text() -> None:
    for name in ("Alpha Paint", "Bravo Paint", "Charlie Lifts", "Delta Paint", "Echo Paint", "Foxtrot Paint"):
        await make_org(name=name)
    everyone = await _walk(ORGANIZATIONS, "organizations", {}, None, backwards=False)
    assert [n["name"] for n in everyone] == sorted(n["name"] for n in everyone)
    painters = await _walk(ORGANIZATIONS, "organizations", {"text": "paint"}, None, backwards=False)
    again = await _walk(ORGANIZATIONS, "organizations", {"text": "paint"}, None, backwards=True)
    assert [n["name"] for n in painters] == [n["name"] for n in again]
    assert [n["name"] for n in painters] == ["Alpha Paint", "Bravo Paint", "Delta Paint", "Echo Paint", "Foxtrot Paint"]


async def test_a_cursor_that_is_not_the_lists_is_bad_input() -> None:
    customer = await make_user()
    token = _token(customer)
    for cursor in ("not-a-cursor", "WzFd", "eyJhIjoxfQ"):  # garbage, a one-key list, an object
        result = await gql(BOOKINGS, {"first": 2, "after": cursor}, token=token)
        assert error_codes(result) == ["BAD_INPUT"] and result["errors"][0]["extensions"]["field"] == "after"
    both = await gql(BOOKINGS, {"first": 2, "last": 2}, token=token)
    assert error_codes(both) == ["BAD_INPUT"]


NESTED_HISTORY = """query($first: Int, $after: String, $last: Int, $before: String) {
  serviceBookings(first: 100) { nodes { id statusHistory(first: $first, after: $after, last: $last, before: $before) {
    totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } nodes { toStatus } } } } }"""
MOVES = [BookingStatus.CALCULATING, BookingStatus.QUOTE_READY, BookingStatus.QUOTE_ACCEPTED, BookingStatus.SCHEDULED]


async def _bookings_with_history(customer: User, count: int) -> list[ServiceBooking]:
    org = await make_org()
    bookings = []
    for _ in range(count):
        booking = await make_booking(org, customer)
        for before, after in zip([BookingStatus.QUOTE_REQUESTED, *MOVES], MOVES, strict=False):
            await BookingStatusHistory.create(booking=booking, from_status=before, to_status=after)
        bookings.append(booking)
    return bookings


async def _nested(token: str, **paging: Any) -> tuple[int, dict[int, Any]]:
    with count_queries() as statements:
        result = await gql(NESTED_HISTORY, paging, token=token)
    assert not result.get("errors"), result
    return len(statements), {b["id"]: b["statusHistory"] for b in result["data"]["serviceBookings"]["nodes"]}


async def test_each_parent_gets_its_own_page_of_a_nested_list_in_constant_statements() -> None:
    customer = await make_user()
    token = _token(customer)
    await _bookings_with_history(customer, 1)
    one, _ = await _nested(token, first=2)
    await _bookings_with_history(customer, 6)
    seven, pages = await _nested(token, first=2)
    assert one == seven  # the window-function page, the rows, the totals: the same for 1 or 7 bookings
    assert len(pages) == 7
    for history in pages.values():
        assert [n["toStatus"] for n in history["nodes"]] == ["CALCULATING", "QUOTE_READY"]
        assert history["totalCount"] == 4 and history["pageInfo"]["hasNextPage"]


async def test_a_nested_list_pages_forwards_and_backwards_within_its_parent() -> None:
    customer = await make_user()
    token = _token(customer)
    [booking] = await _bookings_with_history(customer, 1)
    _, pages = await _nested(token, first=2)
    _, rest = await _nested(token, first=2, after=pages[booking.id]["pageInfo"]["endCursor"])
    assert [n["toStatus"] for n in rest[booking.id]["nodes"]] == ["QUOTE_ACCEPTED", "SCHEDULED"]
    assert not rest[booking.id]["pageInfo"]["hasNextPage"] and rest[booking.id]["pageInfo"]["hasPreviousPage"]
    _, last = await _nested(token, last=3)
    assert [n["toStatus"] for n in last[booking.id]["nodes"]] == ["QUOTE_READY", "QUOTE_ACCEPTED", "SCHEDULED"]
    assert last[booking.id]["pageInfo"]["hasPreviousPage"]
