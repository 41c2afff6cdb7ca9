"""One event, several subscribers: the rows re-read for it are shared, what each subscriber sees is not."""

from __future__ import annotations

from app import channels
from app.broadcast import Hub
from app.events import publish
from models.enums import BookingStatus, MemberRole
from tests.realtime import support as s
from tests.realtime.support import status_payload

BOOKING_OFFERS = """subscription($b: Int) { bookingStatusChanged(bookingId: $b) {
  status booking { id jobOffers { nodes { id user { id } } } } } }"""


async def test_subscribers_with_different_rights_share_rows_but_not_results(hub: Hub) -> None:
    customer = await s.person()
    owner = await s.person()
    org = await s.organization(owner, MemberRole.OWNER)
    row = await s.booking(customer, org, BookingStatus.SCHEDULED)
    worker = await s.person()
    other_worker = await s.person()
    mine = await s.offer(worker, row)
    theirs = await s.offer(other_worker, row)
    owner_context, worker_context = s.ws_context(owner.token), s.ws_context(worker.token)
    shop = await s.subscribe(BOOKING_OFFERS, owner_context, {"b": row.id})
    labor = await s.subscribe(BOOKING_OFFERS, worker_context, {"b": row.id})
    try:
        await shop.wait_held(hub, channels.booking(row.id))
        await labor.wait_held(hub, channels.booking(row.id))
        await publish(channels.booking(row.id), status_payload(row, BookingStatus.QUOTE_ACCEPTED, row.status))
        seen = {}
        for name, live in (("shop", shop), ("labor", labor)):
            result = await live.next()
            assert not result.errors, result.errors
            seen[name] = result.data["bookingStatusChanged"]["booking"]  # type: ignore[index]
        # The facility sees every offer on its booking; the laborer only their own.
        assert seen["shop"]["jobOffers"]["nodes"] == [
            {"id": mine.id, "user": {"id": worker.user.id}},
            {"id": theirs.id, "user": {"id": other_worker.user.id}},
        ]
        assert seen["labor"]["jobOffers"]["nodes"] == [{"id": mine.id, "user": {"id": worker.user.id}}]
        # Both were served from the one Loaders of that event, each with their own viewer.
        assert owner_context.loaders is worker_context.loaders
        assert owner_context.viewer is not worker_context.viewer
        assert owner_context.viewer.user_id == owner.user.id and worker_context.viewer.user_id == worker.user.id
    finally:
        await shop.close()
        await labor.close()


async def test_the_next_event_reads_rows_afresh(hub: Hub) -> None:
    customer = await s.person()
    row = await s.booking(customer, None, BookingStatus.QUOTE_READY)
    context = s.ws_context(customer.token)
    live = await s.subscribe(BOOKING_OFFERS, context, {"b": row.id})
    try:
        await live.wait_held(hub, channels.booking(row.id))
        await publish(channels.booking(row.id), status_payload(row, None, BookingStatus.QUOTE_READY))
        first = (await live.next()).data["bookingStatusChanged"]  # type: ignore[index]
        loaders_of_first = context.loaders
        row.status = BookingStatus.QUOTE_ACCEPTED
        await row.save(update_fields=["status"])
        await publish(channels.booking(row.id), status_payload(row, BookingStatus.QUOTE_READY, row.status))
        second = (await live.next()).data["bookingStatusChanged"]  # type: ignore[index]
        assert first["status"] == "QUOTE_READY" and second["status"] == "QUOTE_ACCEPTED"
        assert context.loaders is not loaders_of_first
    finally:
        await live.close()
