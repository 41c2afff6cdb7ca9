"""The payout worker: retries due transfers with exponential backoff; its state lives in the database only.

A fresh worker (after a restart, or in another process) picks up exactly where the last one stopped:
rows in processing/failed whose next_attempt_at has come. Run `run_once(now)` in tests, `run_forever()`
as a task in the app's lifespan.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime

from app.services.payments.factory import get_gateway
from app.services.payments.gateway import PaymentGateway
from app.services.payments.service import reconcile, settle_booking
from app.services.payments.transfers import DUE, execute_transfer
from models import PaymentTransfer
from models.enums import TransferStatus

log = logging.getLogger("nzero.payments.worker")


@dataclass
class PayoutWorker:
    gateway: PaymentGateway | None = None
    batch_size: int = 50
    interval_seconds: float = 15.0
    reconcile_every: int = 240  # passes (about an hour at 15 s)
    _stopping: asyncio.Event = field(default_factory=asyncio.Event)

    async def run_once(self, now: datetime | None = None) -> dict[str, int]:
        """Attempt every due transfer once; returns how many ended in each status."""
        now = now or datetime.now(UTC)
        gateway = self.gateway or get_gateway()
        due = (
            await PaymentTransfer.filter(status__in=DUE, held=False, next_attempt_at__lte=now)
            .order_by("next_attempt_at", "id")
            .limit(self.batch_size)
        )
        outcome: dict[str, int] = {}
        bookings: set[int] = set()
        for row in due:
            status = await execute_transfer(gateway=gateway, transfer_id=row.id, now=now)
            outcome[status.value] = outcome.get(status.value, 0) + 1
            if status in (TransferStatus.COMPLETED, TransferStatus.REVERSED):
                bookings.add(row.booking_id)
        for booking_id in sorted(bookings):
            await settle_booking(booking_id=booking_id)
        return outcome

    async def run_forever(self) -> None:
        passes = 0
        while not self._stopping.is_set():
            try:
                await self.run_once()
                passes += 1
                # On the ledger too: it answers for the transfers this process made (after a restart, the older
                # ones stay unreconciled with a "not found" note, which is the truth about a ledger that forgot).
                if passes % self.reconcile_every == 0:
                    log.info("reconciled: %s", await reconcile(gateway=self.gateway or get_gateway()))
            except Exception:  # keep paying out; the rows keep the state
                log.exception("payout worker pass failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), timeout=self.interval_seconds)

    def stop(self) -> None:
        self._stopping.set()
