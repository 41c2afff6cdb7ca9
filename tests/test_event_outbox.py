"""Nothing lost in a crash: events are written in the transaction of their change and relayed after it commits."""

from __future__ import annotations

import asyncio
import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest
from tortoise.transactions import in_transaction

from app import channels, db, event_relay
from app.event_relay import Relay, claim_pending
from app.events import PendingEvents
from app.services import booking_events, catalog
from models import EventOutbox
from models.enums import CapabilityType
from tests.factories import make_org, make_user, viewer

WAIT_SECONDS = 10.0  # upper bound for a handshake; nothing here asserts on timing


class Recorder:
    def __init__(self) -> None:
        self.messages: list[tuple[str, dict[str, Any]]] = []
        self.arrived = asyncio.Event()

    async def publish(self, channel: str, message: Any) -> None:
        self.messages.append((channel, json.loads(message)))
        self.arrived.set()


async def _capacity_events(events: PendingEvents, org_id: UUID, count: int) -> None:
    for n in range(count):
        await booking_events.capacity_event(
            events,
            organization_id=org_id,
            capability_ids=[uuid.UUID(int=n)],
            days=[],
            booking_id=None,
            reason=f"test-{n}",
        )


async def test_an_event_committed_by_a_process_that_died_before_publishing_is_published_by_a_fresh_relay(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    owner = await make_user()
    org = await make_org(owner=owner)
    dying = Recorder()
    monkeypatch.setattr("app.events._relay", Relay(dying))
    monkeypatch.setattr(PendingEvents, "flush", _died)  # the process dies right after the commit
    capability = await catalog.add_capability(
        viewer=await viewer(owner),
        organization_id=org.id,
        values={"capability_type": CapabilityType.VEHICLE_LIFT, "quantity": 2},
    )
    assert dying.messages == []

    restarted = Recorder()
    assert await Relay(restarted).publish_pending() == 1
    assert [(c, m["reason"], m["capabilityIds"]) for c, m in restarted.messages] == [
        (channels.capacity(org.id), "capability_added", [str(capability.id)])
    ]
    assert await Relay(Recorder()).publish_pending() == 0  # marked published: never sent twice
    assert await EventOutbox.filter(published_at=None).count() == 0


async def _died(self: PendingEvents) -> None:
    return None


async def test_a_rolled_back_transaction_publishes_nothing() -> None:
    org = await make_org()
    events = PendingEvents()
    with pytest.raises(RuntimeError):
        async with in_transaction():
            await _capacity_events(events, org.id, 3)
            assert await EventOutbox.all().count() == 3  # visible inside the transaction
            raise RuntimeError("the change fails after its events were written")
    await events.flush()
    recorder = Recorder()
    assert await Relay(recorder).publish_pending() == 0
    assert recorder.messages == []
    assert await EventOutbox.all().count() == 0


async def test_pending_events_go_out_in_order_and_wait_out_a_broker_outage() -> None:
    org = await make_org()
    await _capacity_events(PendingEvents(), org.id, 5)

    class Flaky(Recorder):
        down = True

        async def publish(self, channel: str, message: Any) -> None:
            if self.down and len(self.messages) == 2:
                raise ConnectionError("broker unreachable")
            await super().publish(channel, message)

    broker = Flaky()
    relay = Relay(broker)
    assert await relay.publish_pending() == 2  # the third fails: it and the later ones stay pending
    assert await EventOutbox.filter(published_at=None).count() == 3
    broker.down = False
    assert await relay.publish_pending() == 3
    assert [m["reason"] for _, m in broker.messages] == [f"test-{n}" for n in range(5)]
    assert len({m["eventId"] for _, m in broker.messages}) == 5


async def test_the_relay_loop_publishes_what_no_one_nudged_it_for() -> None:
    """The lifespan's loop: rows left by a process that died (never flushed) go out without any new write."""
    org = await make_org()
    recorder = Recorder()
    relay = Relay(recorder)
    loop = asyncio.create_task(relay.run_forever(poll_seconds=0.02))
    try:
        await _capacity_events(PendingEvents(), org.id, 1)  # no flush: nothing nudges the relay
        await asyncio.wait_for(recorder.arrived.wait(), WAIT_SECONDS)
    finally:
        relay.stop()
        await loop
    assert [m["reason"] for _, m in recorder.messages] == ["test-0"]


async def test_published_rows_are_pruned_after_a_while_and_pending_ones_never() -> None:
    org = await make_org()
    await _capacity_events(PendingEvents(), org.id, 3)
    await Relay(Recorder(), batch=2).publish_pending()  # two passes: a full batch, then the rest
    await _capacity_events(PendingEvents(), org.id, 1)
    now = datetime.now(UTC)
    assert await event_relay.prune(now=now) == 0  # published just now: kept
    assert await event_relay.prune(now=now + event_relay.KEEP_PUBLISHED + timedelta(seconds=1)) == 3
    assert await EventOutbox.filter(published_at=None).count() == 1


@pytest.mark.skipif(not db.is_postgres(), reason="row locks: SQLite ignores FOR UPDATE")
async def test_the_claim_locks_its_rows_and_skips_those_another_relay_holds() -> None:
    sql = claim_pending(10).sql()
    assert sql.rstrip().endswith("FOR UPDATE SKIP LOCKED"), sql


@pytest.mark.skipif(not db.is_postgres(), reason="two relays at once need row locks (PostgreSQL)")
async def test_two_relays_at_once_publish_each_event_exactly_once() -> None:
    """Each relay holds its claimed batch until the other has published from its own: both are inside a pass at
    the same time, as two processes would be. Without FOR UPDATE both claim the same rows (duplicates); without
    SKIP LOCKED the second waits on the first's rows and the handshake times out."""
    org = await make_org()
    await _capacity_events(PendingEvents(), org.id, 120)
    started = [asyncio.Event(), asyncio.Event()]
    timed_out: list[int] = []

    class Holding(Recorder):
        def __init__(self, me: int) -> None:
            super().__init__()
            self.me = me

        async def publish(self, channel: str, message: Any) -> None:
            await super().publish(channel, message)
            started[self.me].set()
            try:
                await asyncio.wait_for(started[1 - self.me].wait(), WAIT_SECONDS)
            except TimeoutError:
                timed_out.append(self.me)
                raise

    one, two = Holding(0), Holding(1)
    sent = await asyncio.gather(Relay(one, batch=20).publish_pending(), Relay(two, batch=20).publish_pending())
    assert timed_out == []
    ids = [m["eventId"] for _, m in one.messages + two.messages]
    assert sum(sent) == len(ids) == len(set(ids)) == 120
    assert one.messages and two.messages
    assert await EventOutbox.filter(published_at=None).count() == 0


async def test_a_flush_inside_an_open_transaction_publishes_nothing_before_the_commit() -> None:
    org = await make_org()
    recorder = Recorder()
    relay = Relay(recorder)
    async with in_transaction():
        await _capacity_events(PendingEvents(), org.id, 1)
        assert await relay.publish_pending() == 0  # would otherwise claim and send the uncommitted row
    assert recorder.messages == []
    assert await relay.publish_pending() == 1
