"""Run in a process of its own: migrate a scratch database to 0007, write a small market with integer ids (every
table, JSON documents and a pending event that name rows), migrate to the head, and print what the rows became
(JSON). Tortoise's state is global, so this cannot share the test's."""

from __future__ import annotations

import asyncio
import importlib
import json
import os
import sys
import traceback
from datetime import UTC, datetime, timedelta
from typing import Any

from tortoise import Tortoise, connections
from tortoise.migrations.api.migrate import migrate

from app import db

legacy_uuid = importlib.import_module("migrations.0008_uuid_keys").legacy_uuid
T0 = datetime(2030, 1, 7, 9, tzinfo=UTC)
PLAN = {
    "organization_id": 5,
    "service_id": 3,
    "roles": [{"skill_category": "painting", "assignments": [{"user_id": 2, "name": "Pat", "rank": 1}]}],
    "capabilities": [{"capability_id": 4, "hours": 8}],
}
# Enough columns of each table to satisfy its NOT NULLs and CHECKs; the rest are filled by type below.
ROWS: list[tuple[str, dict[str, Any]]] = [
    ("users", {"id": 1, "email": "c@x.test", "full_name": "Cus"}),
    ("users", {"id": 2, "email": "l@x.test", "full_name": "Pat"}),
    (
        "businesses",
        {
            "id": 5,
            "name": "Shop",
            "facility_share_bps": 2000,
            "labor_share_bps": 7000,
            "platform_share_bps": 1000,
            "timezone": "UTC",
        },
    ),
    ("organization_members", {"id": 1, "organization_id": 5, "user_id": 1, "role": "owner"}),
    (
        "organization_services",
        {
            "id": 3,
            "organization_id": 5,
            "service_name": "Paint",
            "service_type": "bodywork",
            "pricing_model": "fixed_price",
            "estimated_days": 1,
        },
    ),
    (
        "organization_capabilities",
        {"id": 4, "organization_id": 5, "capability_type": "paint_booth", "hours_per_day": "8"},
    ),
    (
        "user_skills",
        {"id": 9, "user_id": 2, "skill_category": "painting", "skill_name": "Paint", "proficiency_level": "expert"},
    ),
    ("vehicles", {"id": 6, "owner_id": 1, "year": 1967, "make": "Ford", "model": "Mustang"}),
    (
        "service_bookings",
        {
            "id": 7,
            "organization_id": 5,
            "customer_id": 1,
            "vehicle_id": 6,
            "service_id": 3,
            "service_type": "bodywork",
            "status": "scheduled",
            "requested_start_date": "2030-01-07",
            "plan": json.dumps(PLAN),
            "staffing_changes": json.dumps([{"user_id": 2, "role": "painting"}]),
        },
    ),
    ("booking_status_history", {"id": 1, "booking_id": 7, "changed_by_id": 1, "to_status": "scheduled"}),
    (
        "job_offers",
        {"id": 8, "booking_id": 7, "user_id": 2, "role": "painting", "status": "accepted", "expires_at": T0},
    ),
    (
        "capacity_schedule",
        {
            "id": 1,
            "organization_id": 5,
            "resource_type": "facility_capability",
            "capability_id": 4,
            "booking_id": 7,
            "start_time": T0,
            "end_time": T0 + timedelta(hours=8),
            "is_reserved": True,
        },
    ),
    (
        "capacity_schedule",
        {
            "id": 2,
            "organization_id": 5,
            "resource_type": "user_labor",
            "user_id": 2,
            "booking_id": 7,
            "start_time": T0,
            "end_time": T0 + timedelta(hours=8),
            "is_reserved": True,
        },
    ),
    (
        "work_contracts",
        {
            "id": 11,
            "booking_id": 7,
            "customer_id": 1,
            "organization_id": 5,
            "contract_type": "fixed_price",
            "status": "active",
            "total_amount_cents": 100,
            "facility_amount_cents": 20,
            "labor_amount_cents": 70,
            "platform_fee_cents": 10,
            "facility_share_bps": 2000,
            "labor_share_bps": 7000,
            "platform_share_bps": 1000,
            "signatures": json.dumps(
                [{"party": "customer", "user_id": 1}, {"party": "facility", "user_id": 1, "organization_id": 5}]
            ),
        },
    ),
    (
        "payment_distributions",
        {
            "id": 12,
            "contract_id": 11,
            "booking_id": 7,
            "milestone": "deposit",
            "recipient_type": "labor",
            "recipient_user_id": 2,
            "amount_cents": 70,
            "status": "pending",
            "idempotency_key": "payout-12",
        },
    ),
    (
        "reviews",
        {
            "id": 13,
            "booking_id": 7,
            "author_id": 1,
            "subject_type": "labor",
            "subject_user_id": 2,
            "subject_key": "user-2",
            "score": 5,
        },
    ),
    ("event_outbox", {"id": 1, "channel": "booking.7", "payload": json.dumps({"type": "x", "bookingId": 7})}),
]


async def _columns(connection: Any, table: str, postgres: bool) -> dict[str, str]:
    """Column name -> a type family ("int", "text", "json", "time", "bool", "date", "real") of the NOT NULL ones."""
    if postgres:
        _, rows = await connection.execute_query(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = $1"
            " AND is_nullable = 'NO'",
            [table],
        )
        types = {r["column_name"]: r["data_type"] for r in rows}
    else:
        _, rows = await connection.execute_query(f'PRAGMA table_info("{table}")')
        types = {r["name"]: r["type"] for r in rows if r["notnull"]}
    families = {}
    for name, kind in types.items():
        kind = kind.lower()
        families[name] = next(
            (
                f
                for key, f in (
                    ("json", "json"),
                    ("time", "time"),
                    ("bool", "bool"),
                    ("date", "date"),
                    ("int", "int"),
                    ("numeric", "int"),
                    ("real", "real"),
                    ("double", "real"),
                )
                if key in kind
            ),
            "text",
        )
    return families


FILLER = {"int": 0, "text": "", "json": "[]", "time": T0, "bool": False, "date": "2030-01-07", "real": 0.0}


async def _insert(connection: Any, table: str, values: dict[str, Any], postgres: bool) -> None:
    row = {name: FILLER[family] for name, family in (await _columns(connection, table, postgres)).items()}
    row.update(values)
    if postgres:
        row = {
            k: (datetime.fromisoformat(v).date() if k.endswith("date") and isinstance(v, str) else v)
            for k, v in row.items()
        }
        params = ", ".join(f"${i}" for i in range(1, len(row) + 1))
    else:
        row = {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in row.items()}
        params = ", ".join("?" for _ in row)
    names = ", ".join(f'"{k}"' for k in row)
    await connection.execute_query(f'INSERT INTO "{table}" ({names}) VALUES ({params})', list(row.values()))


async def main(url: str) -> dict[str, Any]:
    config = db.tortoise_config(url)
    await migrate(config=config, target="models.0007_seed_vocabularies")
    await Tortoise.init(config=config)
    postgres = db.is_postgres(url)
    connection = connections.get("default")
    for table, values in ROWS:
        await _insert(connection, table, values, postgres)
    await Tortoise.close_connections()
    await migrate(config=config)
    await Tortoise.init(config=config)
    connection = connections.get("default")
    out: dict[str, Any] = {"rows": {}}
    for table in dict(ROWS):
        _, rows = await connection.execute_query(f'SELECT * FROM "{table}" ORDER BY "id"')
        out["rows"][table] = [
            {k: (v if isinstance(v, (int, float, bool, type(None), list, dict)) else str(v)) for k, v in r.items()}
            for r in (dict(row) for row in rows)
        ]
    # The references still join: one statement across every foreign key of the booking.
    _, joined = await connection.execute_query(
        "SELECT u.email AS customer, o.name AS shop, v.model AS car, s.service_name AS service,"
        " (SELECT COUNT(*) FROM job_offers j WHERE j.booking_id = b.id) AS offers,"
        " (SELECT COUNT(*) FROM payment_distributions p JOIN work_contracts w ON p.contract_id = w.id"
        "  WHERE w.booking_id = b.id) AS payouts"
        " FROM service_bookings b JOIN users u ON b.customer_id = u.id JOIN businesses o ON b.organization_id = o.id"
        " JOIN vehicles v ON b.vehicle_id = v.id JOIN organization_services s ON b.service_id = s.id"
    )
    out["joined"] = [dict(r) for r in joined]
    # The person-no-overlap rule still holds (PostgreSQL: the exclusion constraint, rebuilt on the UUID column).
    overlap_refused = None
    if postgres:
        overlap_refused = False
        try:
            await _insert(
                connection,
                "capacity_schedule",
                {
                    "id": "00000000-0000-4000-8000-000000000001",
                    "organization_id": str(legacy_uuid("businesses", 5)),
                    "resource_type": "user_labor",
                    "user_id": str(legacy_uuid("users", 2)),
                    "start_time": T0 + timedelta(hours=1),
                    "end_time": T0 + timedelta(hours=2),
                    "is_reserved": True,
                },
                postgres,
            )
        except Exception:  # the exclusion constraint, whatever the driver calls it
            overlap_refused = True
    out["overlap_refused"] = overlap_refused
    await Tortoise.close_connections()
    return out


if __name__ == "__main__":
    try:
        sys.stdout.write(json.dumps(asyncio.run(main(sys.argv[1])), default=str))
        sys.stdout.flush()
    except BaseException:
        traceback.print_exc()
        os._exit(1)  # an open SQLite connection's thread would keep a failed run from exiting
    os._exit(0)
