"""What the event outbox costs (a script, not a test).

    .venv/bin/python bench/outbox_bench.py [--postgres postgres://postgres@127.0.0.1:5432/outboxbench]

Measures, on SQLite (a temporary file) and optionally PostgreSQL: the commit latency of a unit of work that
writes one status-history-sized row, without events and with the three events of a booking status move
(one insert into event_outbox); and how many events per second one relay, and two relays side by side,
publish to a publisher that does nothing. Writes bench/results/outbox.md.
The PostgreSQL database named in the URL is wiped (schema dropped): give it a dedicated one.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("ENVIRONMENT", "test")
os.environ.setdefault("SECRET_KEY", "bench-secret-key-that-is-long-enough-for-hs256-0123456")

from tortoise import Tortoise, connections  # noqa: E402
from tortoise.transactions import in_transaction  # noqa: E402

from app import db  # noqa: E402
from app.event_relay import Relay  # noqa: E402
from app.events import PendingEvents  # noqa: E402
from bench._common import RESULTS, machine, summary_ms  # noqa: E402
from models import EventOutbox, User  # noqa: E402

UNITS = 300  # units of work per variant
RELAYED = 5_000  # pending events for the relay figures
PAYLOAD = {"bookingId": 1, "organizationId": 1, "customerId": 1, "previousStatus": "QUOTE_READY", "status": "X"}


class Nothing:
    async def publish(self, channel: str, message: Any) -> None:
        return None


async def _units(with_events: bool) -> list[float]:
    user = await User.create(email=f"bench-{with_events}@bench.test", password_hash="x", full_name="Bench")
    samples = []
    for n in range(UNITS):
        started = time.perf_counter()
        events = PendingEvents()
        async with in_transaction():
            await User.filter(id=user.id).update(completed_jobs=n)
            if with_events:
                await events.add_all((f"booking.{n}.{c}", PAYLOAD) for c in range(3))
        samples.append(time.perf_counter() - started)
    await EventOutbox.all().delete()
    return samples


async def _relay_rate(relays: int) -> float:
    await PendingEvents().add_all((f"booking.{n}", PAYLOAD) for n in range(RELAYED))
    started = time.perf_counter()
    sent = await asyncio.gather(*(Relay(Nothing()).publish_pending() for _ in range(relays)))
    elapsed = time.perf_counter() - started
    assert sum(sent) == RELAYED and await EventOutbox.filter(published_at=None).count() == 0
    await EventOutbox.all().delete()
    return RELAYED / elapsed


async def run(url: str) -> list[str]:
    if db.is_postgres(url):
        await Tortoise.init(config=db.tortoise_config(url))
        await connections.get("default").execute_script("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
        await Tortoise.close_connections()
    await db.migrate(url)
    await db.init(url)
    try:
        plain, evented = summary_ms(await _units(False)), summary_ms(await _units(True))
        rates = [await _relay_rate(1)]
        if db.is_postgres(url):
            rates.append(await _relay_rate(2))
    finally:
        await db.close()
    name = "PostgreSQL" if db.is_postgres(url) else "SQLite"
    lines = [
        f"| {name} | commit, no events | {plain['p50']:.2f} | {plain['p95']:.2f} | |",
        f"| {name} | commit + 3 outbox events | {evented['p50']:.2f} | {evented['p95']:.2f} | |",
        f"| {name} | one relay | | | {rates[0]:,.0f} |",
    ]
    if len(rates) > 1:
        lines.append(f"| {name} | two relays at once | | | {rates[1]:,.0f} |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", default="")
    parser.add_argument("--one", default="", help=argparse.SUPPRESS)  # one database, in a process of its own
    args = parser.parse_args()
    if args.one:
        print("\n".join(asyncio.run(run(args.one))))
        return
    urls = [f"sqlite://{tempfile.mkdtemp(prefix='outbox-bench-')}/bench.sqlite3"]
    if args.postgres:
        urls.append(args.postgres)
    rows = [
        line
        for url in urls  # Tortoise keeps the first database's dialect for the process: one process each
        for line in subprocess.run(
            [sys.executable, __file__, "--one", url], check=True, capture_output=True, text=True
        ).stdout.splitlines()
        if line.startswith("|")
    ]
    RESULTS.mkdir(parents=True, exist_ok=True)
    text = "\n".join(
        [
            "# Event outbox: commit latency and relay throughput",
            "",
            f"Machine: {machine()} (shared with other work while measured: figures are indicative).",
            f"Command: `.venv/bin/python bench/outbox_bench.py --postgres ...`; {UNITS} units of work per row,"
            f" {RELAYED:,} events relayed to a publisher that does nothing.",
            "",
            "| database | what | p50 ms | p95 ms | events/s |",
            "|---|---|---|---|---|",
            *rows,
            "",
        ]
    )
    (RESULTS / "outbox.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
