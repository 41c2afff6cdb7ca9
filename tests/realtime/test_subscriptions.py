"""Subscriptions in process: events arrive re-read and authorized; every refusal is typed."""

from __future__ import annotations

import uuid

from app import channels
from app.broadcast import Hub
from app.events import PendingEvents, publish
from models.enums import BookingStatus, JobOfferStatus, MemberRole
from tests.factories import make_member
from tests.helpers import gid, gid_of, gql
from tests.realtime import support as s
from tests.realtime.support import BOOKING, CAPACITY, OFFERS, status_payload

BOOKING_KEY = uuid.UUID("00000000-0000-4000-8000-000000000009")


async def test_capacity_change_from_a_catalog_mutation_reaches_members(hub: Hub) -> None:
    owner = await s.person()
    org = await s.organization(owner)
    cap = await s.capability(org)
    live = await s.subscribe(CAPACITY, s.ws_context(owner.token), {"org": org.id})
    try:
        await live.wait_held(hub, channels.capacity(org.id))
        result = await gql(
            "mutation($id: ID!) { updateCapability(id: $id, input: {quantity: 3}) { id quantity } }",
            {"id": cap.id},
            token=owner.token,
        )
        assert not result.get("errors"), result
        event = await live.next()
        assert not event.errors, event.errors
        change = event.data["capacityChanged"]  # type: ignore[index]
        assert change["organizationId"] == gid(org)
        assert change["capabilityIds"] == [gid(cap)]
        assert change["reason"] == "capability_updated"
        assert change["eventId"]
    finally:
        await live.close()


async def test_capacity_refused_to_non_members_and_anonymous(hub: Hub) -> None:
    owner = await s.person()
    stranger = await s.person()
    org = await s.organization(owner)
    for context, code in ((s.ws_context(stranger.token), "FORBIDDEN"), (s.ws_context(None), "UNAUTHENTICATED")):
        live = await s.subscribe(CAPACITY, context, {"org": org.id})
        try:
            result = await live.next()
            assert s.codes(result) == [code]
            assert not hub.holds(channels.capacity(org.id))
        finally:
            await live.close()


async def test_staff_and_admin_may_watch_capacity(hub: Hub) -> None:
    owner = await s.person()
    org = await s.organization(owner)
    staff = await s.person()
    await make_member(org, staff.user, MemberRole.STAFF)
    admin = await s.person(admin=True)
    for who in (staff, admin):
        live = await s.subscribe(CAPACITY, s.ws_context(who.token, style="token"), {"org": org.id})
        try:
            await live.wait_held(hub, channels.capacity(org.id))
            await publish(
                channels.capacity(org.id),
                {
                    "organizationId": org.id,
                    "capabilityIds": [],
                    "days": ["2030-01-07"],
                    "bookingId": str(BOOKING_KEY),
                    "reason": "x",
                },
            )
            change = (await live.next()).data["capacityChanged"]  # type: ignore[index]
            assert change["days"] == ["2030-01-07"] and change["bookingId"] == gid_of("ServiceBooking", BOOKING_KEY)
        finally:
            await live.close()


async def test_booking_status_event_re_reads_the_booking(hub: Hub) -> None:
    customer = await s.person()
    owner = await s.person()
    org = await s.organization(owner)
    row = await s.booking(customer, org, BookingStatus.QUOTE_READY)
    live = await s.subscribe(BOOKING, s.ws_context(customer.token), {"b": row.id})
    try:
        await live.wait_held(hub, channels.booking(row.id))
        row.status = BookingStatus.QUOTE_ACCEPTED
        await row.save(update_fields=["status"])
        events = PendingEvents()
        # A contract event on the same channel is not a status move: it is skipped.
        await events.add(channels.booking(row.id), {"type": "contract.signed", "bookingId": row.id, "status": "active"})
        await events.add(channels.booking(row.id), status_payload(row, BookingStatus.QUOTE_READY, row.status))
        await events.flush()
        result = await live.next()
        assert not result.errors, result.errors
        event = result.data["bookingStatusChanged"]  # type: ignore[index]
        assert event["previousStatus"] == "QUOTE_READY" and event["status"] == "QUOTE_ACCEPTED"
        assert event["booking"] == {
            "id": gid(row),
            "status": "QUOTE_ACCEPTED",
            "customer": {"id": gid(customer.user)},
            "organization": {"id": gid(org)},
        }
    finally:
        await live.close()


async def test_own_bookings_and_organization_bookings(hub: Hub) -> None:
    customer = await s.person()
    owner = await s.person()
    org = await s.organization(owner)
    row = await s.booking(customer, org, BookingStatus.SCHEDULED)
    mine = await s.subscribe(BOOKING, s.ws_context(customer.token))
    shop = await s.subscribe(BOOKING, s.ws_context(owner.token), {"o": org.id})
    try:
        await mine.wait_held(hub, channels.customer_bookings(customer.user.id))
        await shop.wait_held(hub, channels.organization_bookings(org.id))
        events = PendingEvents()
        payload = status_payload(row, BookingStatus.QUOTE_ACCEPTED, BookingStatus.SCHEDULED)
        await events.add(channels.customer_bookings(customer.user.id), payload)
        await events.add(channels.organization_bookings(org.id), payload)
        await events.flush()
        for live in (mine, shop):
            event = (await live.next()).data["bookingStatusChanged"]  # type: ignore[index]
            assert event["booking"]["id"] == gid(row) and event["status"] == "SCHEDULED"
    finally:
        await mine.close()
        await shop.close()


async def test_booking_refusals(hub: Hub) -> None:
    customer = await s.person()
    other = await s.person()
    owner = await s.person()
    org = await s.organization(owner)
    row = await s.booking(customer, org, BookingStatus.QUOTE_READY)
    cases = [
        (s.ws_context(other.token), {"b": row.id}, "NOT_FOUND"),  # unseen: as if it did not exist
        (s.ws_context(other.token), {"o": org.id}, "FORBIDDEN"),  # organizations are public
        (s.ws_context(other.token), {"b": uuid.uuid4()}, "NOT_FOUND"),
        (s.ws_context(None), {}, "UNAUTHENTICATED"),
        (s.ws_context("not-a-token"), {}, "UNAUTHENTICATED"),
    ]
    for context, variables, code in cases:
        live = await s.subscribe(BOOKING, context, variables)
        try:
            assert s.codes(await live.next()) == [code], variables
        finally:
            await live.close()


async def test_a_customer_never_receives_another_customers_booking(hub: Hub) -> None:
    customer = await s.person()
    other = await s.person()
    row = await s.booking(customer, None, BookingStatus.QUOTE_READY)
    live = await s.subscribe(BOOKING, s.ws_context(other.token))
    try:
        await live.wait_held(hub, channels.customer_bookings(other.user.id))
        # Even if a status event were published on their channel, the re-read booking is not theirs.
        await publish(channels.customer_bookings(other.user.id), status_payload(row, None, BookingStatus.QUOTE_READY))
        assert await live.nothing_within(0.5)
    finally:
        await live.close()


async def test_job_offers_reach_only_their_person(hub: Hub) -> None:
    customer = await s.person()
    worker = await s.person()
    other_worker = await s.person()
    row = await s.booking(customer, None, BookingStatus.QUOTE_ACCEPTED)
    mine = await s.subscribe(OFFERS, s.ws_context(worker.token))
    theirs = await s.subscribe(OFFERS, s.ws_context(other_worker.token))
    try:
        await mine.wait_held(hub, channels.job_offers(worker.user.id))
        await theirs.wait_held(hub, channels.job_offers(other_worker.user.id))
        offer = await s.offer(worker, row)
        await publish(
            channels.job_offers(worker.user.id),
            {"offerId": offer.id, "bookingId": row.id, "userId": worker.user.id, "change": "new"},
        )
        result = await mine.next()
        assert not result.errors, result.errors
        event = result.data["jobOffers"]  # type: ignore[index]
        assert event["change"] == "NEW"
        assert event["offer"] == {
            "id": gid(offer),
            "status": "PENDING",
            "amountCents": 40_000,
            "booking": {"id": gid(row)},
        }
        # A payload naming someone else on a person's channel is dropped, and the other person got nothing.
        await publish(
            channels.job_offers(worker.user.id),
            {"offerId": offer.id, "bookingId": row.id, "userId": other_worker.user.id, "change": "new"},
        )
        assert await mine.nothing_within(0.3)
        assert await theirs.nothing_within(0.1)
    finally:
        await mine.close()
        await theirs.close()


async def test_job_offers_need_a_signed_in_person(hub: Hub) -> None:
    live = await s.subscribe(OFFERS, s.ws_context(None))
    try:
        assert s.codes(await live.next()) == ["UNAUTHENTICATED"]
    finally:
        await live.close()


async def test_withdrawn_offer_is_sent_with_its_current_status(hub: Hub) -> None:
    customer = await s.person()
    worker = await s.person()
    row = await s.booking(customer, None, BookingStatus.SCHEDULED)
    offer = await s.offer(worker, row, JobOfferStatus.WITHDRAWN)
    live = await s.subscribe(OFFERS, s.ws_context(worker.token, style="token"))
    try:
        await live.wait_held(hub, channels.job_offers(worker.user.id))
        await publish(
            channels.job_offers(worker.user.id),
            {"offerId": offer.id, "bookingId": row.id, "userId": worker.user.id, "change": "withdrawn"},
        )
        event = (await live.next()).data["jobOffers"]  # type: ignore[index]
        assert event["change"] == "WITHDRAWN" and event["offer"]["status"] == "WITHDRAWN"
    finally:
        await live.close()
