"""Quote latency and accept throughput on a generated market (a script, not a test).

    .venv/bin/python bench/quote_bench.py --scales 1,10 \
        --postgres postgres://postgres@127.0.0.1:5432/coordbench [--sqlite /tmp/quote_bench.sqlite3]

Market: 500 facilities in 10 metro areas, 5,000 skilled people, 50,000 reservation blocks over 60 days
(x the scale), inserted in bulk. Measures request_quote p50/p95 per scale and database, and accepted
bookings per second with 20 concurrent clients on PostgreSQL. Writes bench/results/quote_bench.md.
The PostgreSQL database named in the URL is wiped (schema dropped): give it a dedicated one.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("ENVIRONMENT", "test")
os.environ.setdefault("SECRET_KEY", "bench-secret-key-that-is-long-enough-for-hs256-0123456")

from tortoise import Tortoise, connections, fields  # noqa: E402
from tortoise.models import Model  # noqa: E402

from app import db  # noqa: E402
from app.errors import DomainError  # noqa: E402
from app.services.access import Viewer  # noqa: E402
from app.services.coordination.acceptance import accept_quote  # noqa: E402
from app.services.coordination.quoting import QuoteRequest, request_quote  # noqa: E402
from models import (  # noqa: E402
    CapacitySchedule,
    Organization,
    OrganizationCapability,
    OrganizationMember,
    OrganizationService,
    User,
    UserSkill,
)
from models.enums import ServiceType  # noqa: E402

FACILITIES = 500
PEOPLE = 5_000
BLOCKS = 50_000
DAYS = 60
START = date(2031, 1, 6)  # a Monday; the 60 days end before daylight saving time starts
NOW = datetime(2031, 1, 5, 12, tzinfo=UTC)
METROS = [
    (36.17, -115.14), (34.05, -118.24), (33.45, -112.07), (32.72, -117.16), (37.77, -122.42),
    (39.74, -104.99), (47.61, -122.33), (45.52, -122.68), (40.76, -111.89), (35.08, -106.65),
]  # fmt: skip
OPEN_UTC = 16  # 08:00 in Los Angeles in winter
RESULTS = ROOT / "bench" / "results" / "quote_bench.md"


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def near(rng: random.Random, metro: tuple[float, float], spread: float = 0.4) -> tuple[float, float]:
    return metro[0] + rng.uniform(-spread, spread), metro[1] + rng.uniform(-spread, spread)


@dataclass
class Market:
    capability_ids: list[tuple[int, int]] = field(default_factory=list)  # (org id, capability id)
    people: list[int] = field(default_factory=list)
    customers: list[User] = field(default_factory=list)


async def insert(model: type[Model], rows: list[dict[str, Any]]) -> None:
    """Bulk insert with the model's defaults filled in: COPY on PostgreSQL, executemany on SQLite."""
    meta = model._meta
    names = list(meta.fields_db_projection)
    columns = [meta.fields_db_projection[n] for n in names]
    now = datetime.now(UTC)
    records = []
    for row in rows:
        record = []
        for name in names:
            f = meta.fields_map[name]
            if name in row:
                value = row[name]
            elif getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                value = now
            elif f.default is not None:
                value = f.default() if callable(f.default) else f.default
            else:
                value = None
            if isinstance(value, dict | list):
                value = json.dumps(value)
            elif isinstance(value, Enum):
                value = value.value
            elif isinstance(f, fields.DecimalField) and value is not None:
                value = Decimal(str(value))
            record.append(value)
        records.append(tuple(record))
    conn = connections.get("default")
    table = meta.db_table
    if db.is_postgres(conn_url()):
        async with conn.acquire_connection() as raw:
            await raw.copy_records_to_table(table, records=records, columns=columns)
        return
    marks = ", ".join("?" for _ in columns)
    async with conn.acquire_connection() as raw:
        await raw.execute("BEGIN")
        await raw.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", records)
        await raw.execute("COMMIT")


_URL = ""


def conn_url() -> str:
    return _URL


async def next_id(table: str) -> int:
    conn = connections.get("default")
    _, rows = await conn.execute_query(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
    return int(next(iter(dict(rows[0]).values()))) + 1


async def build_market(rng: random.Random) -> Market:
    market = Market()
    orgs: list[dict[str, Any]] = []
    caps: list[dict[str, Any]] = []
    services: list[dict[str, Any]] = []
    cap_id = 1
    for org_id in range(1, FACILITIES + 1):
        lat, lon = near(rng, METROS[org_id % len(METROS)])
        orgs.append(
            {
                "id": org_id,
                "name": f"Facility {org_id}",
                "latitude": lat,
                "longitude": lon,
                "timezone": "America/Los_Angeles",
                "rating": round(rng.uniform(3, 5), 2),
                "rating_count": 10,
            }
        )
        kinds = [("vehicle_lift", rng.randint(2, 6), "units"), ("indoor_storage", rng.randint(1000, 3000), "sq ft")]
        if rng.random() < 0.7:
            kinds.append(("paint_booth", rng.randint(1, 2), "units"))
        for kind, quantity, unit in kinds:
            caps.append(
                {"id": cap_id, "organization_id": org_id, "capability_type": kind, "quantity": quantity, "unit": unit}
            )
            market.capability_ids.append((org_id, cap_id))
            cap_id += 1
        services.append(
            {
                "id": len(services) + 1,
                "organization_id": org_id,
                "service_name": "Full respray",
                "service_type": "bodywork",
                "pricing_model": "fixed_price",
                "base_price_cents": 200_000 + rng.randint(0, 50) * 1000,
                "estimated_days": 3,
                "required_capabilities": [{"capability_type": "paint_booth", "hours": 16}],
                "required_skills": [{"skill_category": "painting", "min_proficiency": "proficient", "hours": 24}],
            }
        )
        services.append(
            {
                "id": len(services) + 1,
                "organization_id": org_id,
                "service_name": "Engine service",
                "service_type": "mechanical_repair",
                "pricing_model": "hourly_rate",
                "hourly_rate_cents": 12_000,
                "estimated_hours": 4,
                "estimated_days": 1,
                "required_capabilities": [{"capability_type": "vehicle_lift", "hours": 4}],
                "required_skills": [{"skill_category": "mechanical", "min_proficiency": "competent", "hours": 4}],
            }
        )
    await insert(Organization, orgs)
    await insert(OrganizationCapability, caps)
    await insert(OrganizationService, services)
    users: list[dict[str, Any]] = []
    skills: list[dict[str, Any]] = []
    levels = ["competent", "proficient", "expert"]
    for uid in range(1, PEOPLE + 1):
        lat, lon = near(rng, METROS[uid % len(METROS)], 0.6)
        users.append(
            {
                "id": uid,
                "email": f"p{uid}@bench.test",
                "password_hash": "x",
                "full_name": f"Person {uid}",
                "latitude": lat,
                "longitude": lon,
                "rating": round(rng.uniform(3, 5), 2),
            }
        )
        for n, category in enumerate(rng.sample(["painting", "mechanical", "bodywork", "welding"], 2)):
            skills.append(
                {
                    "id": len(skills) + 1,
                    "user_id": uid,
                    "skill_category": category,
                    "skill_name": f"{category} {n}",
                    "proficiency_level": rng.choice(levels),
                    "max_travel_distance_miles": rng.randint(15, 60),
                }
            )
        market.people.append(uid)
    for cid in range(PEOPLE + 1, PEOPLE + 201):
        lat, lon = near(rng, METROS[cid % len(METROS)])
        users.append(
            {
                "id": cid,
                "email": f"c{cid}@bench.test",
                "password_hash": "x",
                "full_name": f"Customer {cid}",
                "latitude": lat,
                "longitude": lon,
            }
        )
    await insert(User, users)
    await insert(UserSkill, skills)
    # Quotes only choose a facility someone can sign for: person i owns facility i.
    owners = [{"id": o, "organization_id": o, "user_id": o, "role": "owner"} for o in range(1, FACILITIES + 1)]
    await insert(OrganizationMember, owners)
    if db.is_postgres(conn_url()):  # ids were given explicitly: move the sequences past them
        for table in (
            "businesses",
            "organization_capabilities",
            "organization_services",
            "users",
            "user_skills",
            "organization_members",
            "capacity_schedule",
        ):
            await connections.get("default").execute_script(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), GREATEST((SELECT MAX(id) FROM {table}), 1))"
            )
    market.customers = await User.filter(id__gt=PEOPLE).order_by("id")
    return market


async def add_blocks(rng: random.Random, market: Market, count: int) -> None:
    """`count` reserved blocks over the 60 days: 60% on capabilities, 40% people's time."""
    first = await next_id("capacity_schedule")
    rows: list[dict[str, Any]] = []
    for i in range(count):
        day = START + timedelta(days=rng.randrange(DAYS))
        begin = datetime(day.year, day.month, day.day, OPEN_UTC, tzinfo=UTC) + timedelta(hours=rng.randint(0, 6))
        end = begin + timedelta(hours=rng.randint(1, 2))
        if rng.random() < 0.6:
            org_id, cap_id = rng.choice(market.capability_ids)
            rows.append(
                {
                    "id": first + i,
                    "organization_id": org_id,
                    "resource_type": "facility_capability",
                    "capability_id": cap_id,
                    "resource_id": cap_id,
                    "date": begin.date(),
                    "start_time": begin,
                    "end_time": end,
                    "duration_hours": 2,
                    "is_reserved": True,
                }
            )
        else:
            org_id, _ = rng.choice(market.capability_ids)
            uid = rng.choice(market.people)
            rows.append(
                {
                    "id": first + i,
                    "organization_id": org_id,
                    "resource_type": "user_labor",
                    "user_id": uid,
                    "resource_id": uid,
                    "date": begin.date(),
                    "start_time": begin,
                    "end_time": end,
                    "duration_hours": 2,
                    "is_reserved": True,
                }
            )
        if len(rows) == 100_000:
            await _flush_blocks(rows)
            rows = []
    if rows:
        await _flush_blocks(rows)


async def _flush_blocks(rows: list[dict[str, Any]]) -> None:
    await insert(CapacitySchedule, rows)
    if db.is_postgres(conn_url()):
        await connections.get("default").execute_script(
            "SELECT setval(pg_get_serial_sequence('capacity_schedule', 'id'), (SELECT MAX(id) FROM capacity_schedule))"
        )


def quote_request(rng: random.Random, customer: User) -> QuoteRequest:
    return QuoteRequest(
        requested_start_date=START + timedelta(days=rng.randrange(20)),
        service_type=rng.choice([ServiceType.BODYWORK, ServiceType.MECHANICAL_REPAIR]),
        latitude=customer.latitude,
        longitude=customer.longitude,
        radius_miles=40,
    )


async def measure_quotes(rng: random.Random, market: Market, n: int) -> dict[str, float]:
    timings, failures = [], 0
    for i in range(n):
        customer = market.customers[i % len(market.customers)]
        started = time.perf_counter()
        try:
            await request_quote(viewer=Viewer(user=customer), request=quote_request(rng, customer), now=NOW)
        except DomainError:
            failures += 1
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return {
        "n": n,
        "p50": statistics.median(timings),
        "p95": timings[int(0.95 * (len(timings) - 1))],
        "infeasible": failures,
    }


async def measure_accepts(rng: random.Random, market: Market, clients: int, seconds: float) -> dict[str, float]:
    """Each client: quote, then accept, in a loop; accepted bookings per second over the run."""
    accepted = conflicts = infeasible = 0
    deadline = time.perf_counter() + seconds

    async def client(k: int) -> None:
        nonlocal accepted, conflicts, infeasible
        customer = market.customers[k]
        viewer = Viewer(user=customer)
        while time.perf_counter() < deadline:
            try:
                booking = await request_quote(viewer=viewer, request=quote_request(rng, customer), now=NOW)
                await accept_quote(viewer=viewer, booking_id=booking.id, now=NOW)
                accepted += 1
            except DomainError as exc:
                if exc.code.value == "CAPACITY_UNAVAILABLE":
                    conflicts += 1
                else:
                    infeasible += 1

    started = time.perf_counter()
    await asyncio.gather(*(client(k) for k in range(clients)))
    elapsed = time.perf_counter() - started
    return {"accepted": accepted, "conflicts": conflicts, "infeasible": infeasible, "seconds": elapsed,
            "per_second": accepted / elapsed}  # fmt: skip


async def run_database(url: str, scales: list[int], quotes: int, accept_seconds: float) -> list[dict[str, Any]]:
    global _URL
    _URL = url
    rows: list[dict[str, Any]] = []
    if db.is_postgres(url):
        await Tortoise.init(config=db.tortoise_config(url))
        await connections.get("default").execute_script("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
        await Tortoise.close_connections()
    elif url.startswith("sqlite://"):  # a fresh file each run, like the fresh schema on PostgreSQL
        Path(url[len("sqlite://") :]).unlink(missing_ok=True)  # noqa: ASYNC240 (set-up, nothing else runs)
    log(f"migrating {url}")
    await db.migrate(url)
    await db.init(url)
    try:
        rng = random.Random(7)
        log("generating 500 facilities, 5,000 people")
        market = await build_market(rng)
        inserted = 0
        for scale in scales:
            target = BLOCKS * scale
            log(f"inserting blocks up to {target:,} (scale {scale}x)")
            started = time.perf_counter()
            await add_blocks(rng, market, target - inserted)
            inserted = target
            if db.is_postgres(url):
                await connections.get("default").execute_script("ANALYZE")
            log(f"  inserted in {time.perf_counter() - started:.1f} s; measuring {quotes} quotes")
            await measure_quotes(rng, market, 10)  # warm-up
            result = await measure_quotes(rng, market, quotes)
            log(f"  p50 {result['p50']:.1f} ms, p95 {result['p95']:.1f} ms, infeasible {result['infeasible']}")
            rows.append({"db": "PostgreSQL" if db.is_postgres(url) else "SQLite", "scale": scale, "blocks": target,
                         **result})  # fmt: skip
        if db.is_postgres(url) and accept_seconds > 0:
            log(f"accept throughput: 20 clients for {accept_seconds:.0f} s")
            result = await measure_accepts(rng, market, 20, accept_seconds)
            log(f"  {result['per_second']:.1f} accepted/s ({result['accepted']} accepted, {result['conflicts']} lost)")
            rows.append({"db": "PostgreSQL", "accept": result, "blocks": inserted})
    finally:
        await db.close()
    return rows


def machine() -> str:
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"nproc {os.cpu_count()}, CPU {model}, Python {platform.python_version()}, {platform.platform()}"


def write_results(results: list[dict[str, Any]], notes: list[str]) -> None:
    lines = [
        "# Quote benchmark",
        "",
        f"Generated by `bench/quote_bench.py` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC.",
        f"Machine: {machine()}.",
        "",
        "Market: 500 facilities (10 metro areas), 5,000 people with two skills each, reserved blocks over 60",
        "days (60% capability, 40% labor) x the scale. Each quote: a paint or mechanical job by service type,",
        "40-mile radius (about 50 candidate facilities), including writing the booking.",
        "",
        "| database | scale | blocks | quotes | p50 ms | p95 ms | infeasible |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        if "p50" in r:
            lines.append(
                f"| {r['db']} | {r['scale']}x | {r['blocks']:,} | {r['n']} | {r['p50']:.1f} | {r['p95']:.1f} |"
                f" {r['infeasible']} |"
            )
    for r in results:
        if "accept" in r:
            a = r["accept"]
            lines += [
                "",
                f"Accept throughput ({r['db']}, {r['blocks']:,} blocks, 20 concurrent clients, quote + accept each):"
                f" **{a['per_second']:.1f} accepted bookings/s** ({a['accepted']} accepted, {a['conflicts']}"
                f" capacity conflicts, {a['infeasible']} infeasible, {a['seconds']:.1f} s).",
            ]
    lines += ["", *notes, ""]
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text("\n".join(lines))
    log(f"wrote {RESULTS}")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", default="1,10", help="comma-separated multiples of 50,000 blocks")
    parser.add_argument("--quotes", type=int, default=100)
    parser.add_argument("--accept-seconds", type=float, default=20)
    parser.add_argument("--postgres", default=os.environ.get("BENCH_DATABASE_URL", ""))
    parser.add_argument("--sqlite", default="")
    parser.add_argument("--note", action="append", default=[])
    parser.add_argument("--worker", default="", help=argparse.SUPPRESS)
    parser.add_argument("--out", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    scales = [int(s) for s in args.scales.split(",")]
    if args.worker:  # one database per process: tortoise caches SQL built for the first dialect it saw
        rows = await run_database(args.worker, scales, args.quotes, args.accept_seconds)
        Path(args.out).write_text(json.dumps(rows))  # noqa: ASYNC240
        return
    results: list[dict[str, Any]] = []
    sqlite_path = args.sqlite or str(Path(tempfile.mkdtemp(prefix="quote-bench-")) / "bench.sqlite3")
    urls = [f"sqlite://{sqlite_path}"] + ([args.postgres] if args.postgres else [])
    for url in urls:
        out = Path(tempfile.mkdtemp(prefix="quote-bench-")) / "rows.json"
        accept = args.accept_seconds if "postgres" in url else 0
        command = [sys.executable, __file__, "--worker", url, "--out", str(out), "--scales", args.scales,
                   "--quotes", str(args.quotes), "--accept-seconds", str(accept)]  # fmt: skip
        subprocess.run(command, check=True)  # noqa: ASYNC221 (the orchestrator has nothing else to do)
        results += json.loads(out.read_text())
    write_results(results, args.note)


if __name__ == "__main__":
    asyncio.run(main())
