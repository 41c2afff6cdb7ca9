"""The outbox relay: publishes pending event_outbox rows in id order, marks them published, prunes old ones.

Every process runs one (app/main.py's lifespan polls it, and each unit of work nudges it after its commit),
so rows left behind by a process that died between its commit and its publish go out when any process
runs. A pass claims its rows with FOR UPDATE SKIP LOCKED and marks them in the same transaction: two
processes never publish the same row, and a row is marked only once the broker took it. A process that dies
after publishing but before its mark commits sends those events again (at least once; each carries its
eventId). Passes of several processes run side by side, so events of different passes may interleave;
subscribers re-read what they show, as they do after a resync.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from tortoise import connections
from tortoise.backends.base.client import TransactionalDBClient
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from models import EventOutbox

log = logging.getLogger("nzero.events")

BATCH = 200  # rows claimed (and held locked) by one pass
POLL_SECONDS = 1.0  # how soon a crashed process's or a broker outage's leftovers go out
KEEP_PUBLISHED = timedelta(hours=1)  # published rows are kept this long (to look into), then deleted
PRUNE_EVERY = timedelta(minutes=5)


class Publisher(Protocol):
    async def publish(self, channel: str, message: Any) -> None: ...


def claim_pending(limit: int) -> QuerySet[EventOutbox]:
    """The oldest pending rows, locked for the caller's transaction; rows another relay holds are skipped.

    A model queryset, not .values_list(): Tortoise drops FOR UPDATE after values (tortoise-orm issue 2250).
    """
    return EventOutbox.filter(published_at=None).order_by("id").limit(limit).select_for_update(skip_locked=True)


async def prune(*, now: datetime | None = None, keep: timedelta = KEEP_PUBLISHED) -> int:
    """Delete rows published more than `keep` ago (pending rows are never deleted); how many."""
    cutoff = (now or datetime.now(UTC)) - keep
    return int(await EventOutbox.filter(published_at__lt=cutoff).delete())


class Relay:
    def __init__(self, publisher: Publisher, *, batch: int = BATCH) -> None:
        self.publisher = publisher
        self.batch = batch
        self._lock = asyncio.Lock()  # one pass at a time in this process (SQLite has no row locks)
        self._queued: asyncio.Task[int] | None = None
        self._stopped = asyncio.Event()
        self._failing = False

    async def publish_pending(self) -> int:
        """Publish every pending row: returns once a pass that started after this call has finished.

        Callers that arrive while a pass waits to start join it instead of queueing their own (it will see
        their committed rows), so a burst of commits costs one or two passes, not one each. Never raises:
        what fails stays pending for the next pass.
        """
        if isinstance(connections.get("default"), TransactionalDBClient):
            # A pass started here would run in the caller's open transaction and publish before it commits:
            # the rows wait for the caller's own flush after its commit, or the next poll.
            log.debug("publish_pending inside a transaction: left to the next pass")
            return 0
        if self._queued is None:
            self._queued = asyncio.create_task(self._drain(), name="outbox-relay-pass")
        return await asyncio.shield(self._queued)

    async def _drain(self) -> int:
        async with self._lock:
            self._queued = None  # from now on, a new caller's rows may be missed by this pass: it queues another
            total = 0
            try:
                while True:
                    sent, more = await self._pass()
                    total += sent
                    if not more:
                        return total
            except Exception:  # the database is away: the poll retries
                log.warning("outbox relay pass failed; pending events stay for the next pass", exc_info=True)
                return total

    async def _pass(self) -> tuple[int, bool]:
        """Publish one batch; (rows published, whether a full batch went out so more may wait)."""
        async with in_transaction():
            rows = await claim_pending(self.batch)
            sent: list[int] = []
            for row in rows:
                try:
                    await self.publisher.publish(channel=row.channel, message=row.payload)
                except Exception as exc:  # the broker is away: this row and the later ones wait, in order
                    if not self._failing:
                        log.warning("publishing event %s to %s failed (%s); will retry", row.id, row.channel, exc)
                    self._failing = True
                    break
                sent.append(row.id)
            if sent:
                await EventOutbox.filter(id__in=sent).update(published_at=datetime.now(UTC))
        if sent and self._failing:
            self._failing = False
            log.info("publishing events works again")
        return len(sent), len(sent) == self.batch

    async def run_forever(self, *, poll_seconds: float = POLL_SECONDS) -> None:
        """Publish what is pending every `poll_seconds` and prune old rows, until stop()."""
        pruned_at: datetime | None = None
        while not self._stopped.is_set():
            await self.publish_pending()
            now = datetime.now(UTC)
            if pruned_at is None or now - pruned_at >= PRUNE_EVERY:
                pruned_at = now
                try:
                    await prune(now=now)
                except Exception:
                    log.warning("pruning the event outbox failed", exc_info=True)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopped.wait(), poll_seconds)

    def stop(self) -> None:
        self._stopped.set()
