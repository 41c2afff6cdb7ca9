"""The job-offer sweeper: a lifespan task that expires overdue offers (and cascades them) every few seconds.

The state lives in the database (pending offers with expires_at in the past), so a restart loses
nothing; several processes may sweep at once because each expiry locks its booking and re-checks.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime

from app import settings
from app.services.coordination.offers import expire_job_offers

log = logging.getLogger("nzero.sweeper")

SWEEP_SECONDS = settings.JOB_OFFER_SWEEP_SECONDS


async def sweep_once(now: datetime | None = None) -> int:
    expired = await expire_job_offers(now=now or datetime.now(UTC))
    if expired:
        log.info("expired %d job offers", expired)
    return expired


async def run(interval: float = SWEEP_SECONDS) -> None:
    while True:
        try:
            await sweep_once()
        except asyncio.CancelledError:
            raise
        except Exception:  # a failed sweep (database restarting) is retried on the next tick
            log.exception("job-offer sweep failed")
        await asyncio.sleep(interval)


@contextlib.asynccontextmanager
async def running(interval: float = SWEEP_SECONDS) -> AsyncIterator[asyncio.Task[None]]:
    task = asyncio.create_task(run(interval), name="job-offer-sweeper")
    try:
        yield task
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
