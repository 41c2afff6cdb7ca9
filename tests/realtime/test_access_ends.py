"""Access ends when it ends: a revoked or expired token, a deactivated user or a lost membership closes the open
subscriptions that relied on it, with an UNAUTHENTICATED error, and no further event is streamed."""

from __future__ import annotations

from uuid import UUID

import pytest

from app import channels
from app.broadcast import Hub
from app.events import publish
from app.security import issue_token
from app.services import auth
from models import OrganizationMember, User
from subscriptions import stream
from subscriptions.viewer import SESSION_ENDED
from tests.realtime import servers
from tests.realtime import support as s
from tests.realtime.support import Demo

CAPACITY = "subscription($org: ID!) { capacityChanged(organizationId: $org) { eventId reason } }"
OFFERS = "subscription { jobOffers { eventId } }"
BOOKINGS = "subscription { bookingStatusChanged { eventId } }"


async def _ended(live: s.Live) -> str:
    """The error that ended the subscription; then the stream is over."""
    result = await live.next()
    assert result.data is None and result.errors and len(result.errors) == 1, result
    extensions = result.errors[0].extensions or {}
    assert extensions.get("code") == "UNAUTHENTICATED"
    assert extensions.get("details", {}).get("reason") == SESSION_ENDED
    with pytest.raises(StopAsyncIteration):
        await live.next()
    return result.errors[0].message


async def _capacity_event(org_id: UUID) -> None:
    await publish(channels.capacity(org_id), {"reason": "test"})


async def test_revoking_tokens_ends_every_subscription_of_that_user(hub: Hub) -> None:
    owner = await s.person()
    org = await s.organization(owner)
    capacity = await s.subscribe(CAPACITY, s.ws_context(owner.token), {"org": org.id})
    offers = await s.subscribe(OFFERS, s.ws_context(owner.token))
    bookings = await s.subscribe(BOOKINGS, s.ws_context(owner.token))
    try:
        await capacity.wait_held(hub, channels.capacity(org.id))
        await offers.wait_held(hub, channels.job_offers(owner.user.id))
        await bookings.wait_held(hub, channels.customer_bookings(owner.user.id))
        await _capacity_event(org.id)
        assert not (await capacity.next()).errors  # streaming before

        await auth.revoke_tokens(user=await User.get(id=owner.user.id))
        await _capacity_event(org.id)
        assert "revoked" in await _ended(capacity)  # the event after the revocation is not streamed
        assert "revoked" in await _ended(offers)
        assert "revoked" in await _ended(bookings)
        assert hub.listeners(channels.capacity(org.id)) == 0
    finally:
        for live in (capacity, offers, bookings):
            await live.close()


async def test_revoking_one_users_tokens_leaves_other_users_streaming(hub: Hub) -> None:
    owner, colleague = await s.person(), await s.person()
    org = await s.organization(owner)
    await OrganizationMember.create(organization=org, user=colleague.user, role="staff")
    theirs = await s.subscribe(CAPACITY, s.ws_context(colleague.token), {"org": org.id})
    try:
        await theirs.wait_held(hub, channels.capacity(org.id))
        await auth.revoke_tokens(user=await User.get(id=owner.user.id))
        await _capacity_event(org.id)
        result = await theirs.next()
        assert not result.errors and result.data["capacityChanged"]["reason"] == "test"  # type: ignore[index]
    finally:
        await theirs.close()


async def test_an_expired_token_ends_a_quiet_subscription(hub: Hub) -> None:
    owner = await s.person()
    org = await s.organization(owner)
    token, _ = issue_token(owner.user.id, owner.user.token_version, ttl_seconds=1)
    live = await s.subscribe(CAPACITY, s.ws_context(token), {"org": org.id})
    try:
        await live.wait_held(hub, channels.capacity(org.id))
        assert "expired" in await _ended(live)  # no event needed: the stream wakes up when the token expires
    finally:
        await live.close()


@pytest.fixture
def quick_checks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stream, "ACCESS_CHECK_SECONDS", 0.2)


async def test_losing_the_membership_ends_an_organization_subscription(hub: Hub, quick_checks: None) -> None:
    owner = await s.person()
    org = await s.organization(owner)
    live = await s.subscribe(CAPACITY, s.ws_context(owner.token), {"org": org.id})
    try:
        await live.wait_held(hub, channels.capacity(org.id))
        await OrganizationMember.filter(organization_id=org.id, user_id=owner.user.id).delete()
        assert "no longer a member" in await _ended(live)
    finally:
        await live.close()


async def test_a_deactivated_user_is_cut_off(hub: Hub, quick_checks: None) -> None:
    worker = await s.person()
    live = await s.subscribe(OFFERS, s.ws_context(worker.token))
    try:
        await live.wait_held(hub, channels.job_offers(worker.user.id))
        await User.filter(id=worker.user.id).update(is_active=False)
        await _ended(live)
    finally:
        await live.close()


async def test_over_a_websocket_revocation_closes_the_subscription(server: str, demo: Demo) -> None:
    token = await servers.login(server, "owner@demo.test")
    async with servers.websocket(server, servers.TRANSPORT_WS, {"authorization": f"Bearer {token}"}) as socket:
        await socket.subscribe("1", servers.CAPACITY, {"org": demo.organization_id})
        first = await servers.change_until_received(server, token, demo, socket)
        assert first.get("errors") is None, first

        revoked = await servers.graphql(server, "mutation { revokeTokens }", token=token)
        assert revoked["data"] == {"revokeTokens": True}
        fresh = await servers.login(server, "owner@demo.test")  # a new sign-in changes the capacity again
        changed = await servers.graphql(server, servers.UPDATE, {"id": demo.capability_id, "q": 4}, fresh)
        assert not changed.get("errors"), changed

        ended = await socket.receive(servers.START_SECONDS)
        assert [e["extensions"]["code"] for e in ended["errors"]] == ["UNAUTHENTICATED"]
        assert await socket.receive(servers.START_SECONDS) == {"complete": True}
        with pytest.raises(TimeoutError):  # nothing more on this subscription
            await socket.receive(1.0)
